// The pure pieces of deployment-wide queries: the client id that advertises
// a query endpoint through the group's metadata, and the scan endpoint's
// wire format (partitions held, then partition-tagged entries).
#include "query/fanout.h"

#include <gtest/gtest.h>

namespace baton::runtime::query {
namespace {

TEST(QueryAnyReplica, ClientIdCarriesTheQueryEndpoint) {
  EXPECT_EQ(client_id_for("10.0.0.7:8443"), "baton@10.0.0.7:8443");
  EXPECT_EQ(endpoint_of("baton@baton-router-1.baton-router:8443"),
            std::optional<std::string>("baton-router-1.baton-router:8443"));
  EXPECT_EQ(endpoint_of("rdkafka"), std::nullopt);
  EXPECT_EQ(endpoint_of("baton@"), std::nullopt);
}

TEST(QueryAnyReplica, ScanBodyRoundTripsAndRejectsTruncation) {
  std::vector<std::tuple<int32_t, std::string, std::string>> entries{
      {1, "funnel/source/web", std::string("\x00\x01\xff", 3)}, {4, "funnel/source/ads", ""}};
  const std::string body = encode_scan({1, 4}, entries);
  std::set<int32_t> held;
  std::vector<std::tuple<int32_t, std::string, std::string>> back;
  ASSERT_TRUE(decode_scan(body, held, back));
  EXPECT_EQ(held, (std::set<int32_t>{1, 4}));
  EXPECT_EQ(back, entries);
  for (size_t cut : {size_t{1}, size_t{6}, body.size() - 1}) {
    std::set<int32_t> h;
    std::vector<std::tuple<int32_t, std::string, std::string>> e;
    EXPECT_FALSE(decode_scan(std::string_view(body).substr(0, cut), h, e)) << cut;
  }
  std::set<int32_t> h;
  std::vector<std::tuple<int32_t, std::string, std::string>> e;
  EXPECT_TRUE(decode_scan(encode_scan({}, {}), h, e));
  EXPECT_TRUE(h.empty() && e.empty());
}

}  // namespace
}  // namespace baton::runtime::query
