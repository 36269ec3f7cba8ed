// The router's ServiceSpec: config, processors, queries, backtest.
#pragma once

#include "baton/runtime/app.h"

namespace baton::router {

runtime::ServiceSpec router_service_spec();

// `baton-router backtest ...`; -1 when argv is not the backtest command.
int backtest_main(int argc, char** argv);

}  // namespace baton::router
