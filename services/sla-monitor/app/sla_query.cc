#include "sla_query.h"

#include "state_codec.h"

namespace baton::sla::app {

void add_sla_routes(runtime::QueryRouter& router) {
  runtime::StateLookup lookup = router.lookup;
  router.get(R"(/leads/([^/]+)/sla)", runtime::QueryScope::kLead,
             [lookup](const runtime::QueryRequest& req) {
               runtime::QueryResponse res;
               std::optional<std::string> raw;
               if (lookup && !req.params.empty())
                 raw = lookup("sla-monitor", state_key(req.params[0]));
               auto s = raw ? decode_state(*raw) : std::nullopt;
               if (!s) {
                 res.status = 404;
                 res.body = R"({"error":"no SLA clock for this lead on this instance"})";
                 return res;
               }
               res.body = state_view_json(*s);
               return res;
             });
}

}  // namespace baton::sla::app
