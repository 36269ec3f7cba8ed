// GET /leads/{id}/sla: the lead's first-touch clock as JSON.
#pragma once

#include "baton/runtime/query.h"

namespace baton::sla::app {

void add_sla_routes(runtime::QueryRouter& router);

}  // namespace baton::sla::app
