// The client library's topic administration against the real broker
// (ctest -R ClientAdmin): topics it creates are listed, and deleting them
// (as the benchmarks do after a run, test::delete_topics_containing) leaves
// the others; a topic that does not exist counts as deleted.
#include <gtest/gtest.h>

#include <algorithm>

#include "baton/runtime/client.h"
#include "harness.h"

namespace baton::test {
namespace {

namespace client = runtime::client;

bool listed(client::Admin& admin, const std::string& topic) {
  auto all = admin.list_topics();
  EXPECT_TRUE(all) << all.error().message;
  return all && std::find(all->begin(), all->end(), topic) != all->end();
}

TEST(ClientAdmin, DeletesTheTopicsItIsGivenAndNoOther) {
  client::ClientConfig cc;
  cc.bootstrap = bootstrap();
  auto admin = client::Admin::connect(cc);
  ASSERT_TRUE(admin) << admin.error().message;
  const std::string run = unique_name("admin-run");
  const std::string a = run + ".a", b = run + "-b-changelog", other = unique_name("admin-other");
  auto made = (*admin)->create_topics({{a, 2, -1, {}}, {b, 1, -1, {}}, {other, 1, -1, {}}});
  ASSERT_TRUE(made) << made.error().message;
  ASSERT_TRUE(wait_until([&] { return listed(**admin, a) && listed(**admin, b); },
                         std::chrono::seconds(30)));

  EXPECT_EQ(delete_topics_containing(cc.bootstrap, run), 2);
  EXPECT_TRUE(wait_until([&] { return !listed(**admin, a) && !listed(**admin, b); },
                         std::chrono::seconds(30)));
  EXPECT_TRUE(listed(**admin, other)) << "a topic without the run's name stays";

  auto again = (*admin)->delete_topics({a});
  EXPECT_TRUE(again) << "an absent topic counts as deleted: " << again.message();
  EXPECT_TRUE((*admin)->delete_topics({other}));
}

}  // namespace
}  // namespace baton::test
