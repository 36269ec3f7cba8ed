#include "baton/runtime/app.h"
#include "service.h"

int main(int argc, char** argv) {
  baton::runtime::ServiceSpec spec = baton::router::router_service_spec();
  return baton::runtime::run_service(spec, argc, argv);
}
