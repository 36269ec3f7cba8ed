// The query listener's pieces without a network: token files (hashes only,
// scopes, errors naming the entry) and PII masking.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "query/mask.h"
#include "query/tokens.h"

namespace baton::runtime::query {
namespace {

TEST(PiiMasking, MasksContactFieldsAnywhereInTheJson) {
  const std::string in =
      R"({"lead":"L1","person":{"email":"jane.doe@example.com","first_name":"Jane",)"
      R"("lastName":"Doe","phone":"+49 170 1234567","title":"CTO"},)"
      R"("touches":[{"note":"mailed bob@corp.io"},{"to":"bob@corp.io"}],"pool":"emea"})";
  const auto out = mask_json(in);
  EXPECT_NE(out.find(R"("email":"j***@example.com")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("first_name":"J***")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("lastName":"D***")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("phone":"***67")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("to":"b***@corp.io")"), std::string::npos) << out;
  EXPECT_NE(out.find(R"("title":"CTO")"), std::string::npos) << "not a contact field";
  EXPECT_NE(out.find(R"("pool":"emea")"), std::string::npos);
  EXPECT_EQ(out.find("jane"), std::string::npos) << out;
  EXPECT_EQ(out.find("1234567"), std::string::npos) << out;
}

TEST(PiiMasking, KeepsUtf8WholeAndNonJsonAsIs) {
  EXPECT_EQ(mask_name("Ölaf"), "Ö***");
  EXPECT_EQ(mask_email("x"), "***");
  EXPECT_EQ(mask_phone("12"), "***");
  EXPECT_EQ(mask_json("not json"), "not json");
}

TEST(QueryAuthTokens, KeepsOnlyHashesAndScopes) {
  const auto token = std::string("a-long-random-token-123");
  auto parsed = parse_tokens(
      "tokens:\n"
      "  - name: ops\n    scopes: [leads:read, pii:read]\n    token: " +
      token + "\n  - name: bi\n    scopes: [reports:read]\n    sha256: " +
      sha256_hex("another-long-token-456") + "\n");
  ASSERT_TRUE(parsed) << parsed.error().message;
  ASSERT_EQ(parsed->size(), 2u);
  for (const auto& [hash, caller] : *parsed) EXPECT_EQ(hash.find(token), std::string::npos);
  const auto& ops = parsed->at(sha256_hex(token));
  EXPECT_EQ(ops.name, "ops");
  EXPECT_TRUE(ops.has(kLeadsRead) && ops.has(kPiiRead) && !ops.has(kReportsRead));
}

TEST(QueryAuthTokens, BadFilesNameTheEntryAndTheFix) {
  auto err = [](const std::string& text) {
    auto r = parse_tokens(text);
    return r ? std::string("parsed") : r.error().message;
  };
  EXPECT_NE(err("tokens: 3").find("expected a list under 'tokens:'"), std::string::npos);
  EXPECT_NE(err("tokens:\n  - scopes: [leads:read]\n    token: aaaaaaaaaaaaaaaaaaaa\n")
                .find("tokens[0].name"),
            std::string::npos);
  EXPECT_NE(err("tokens:\n  - name: a\n    scopes: [admin]\n    token: aaaaaaaaaaaaaaaaaaaa\n")
                .find("'admin' is not one of"),
            std::string::npos);
  EXPECT_NE(err("tokens:\n  - name: a\n    scopes: [leads:read]\n    token: short\n")
                .find("shorter than 16"),
            std::string::npos);
  EXPECT_NE(err("tokens:\n  - name: a\n    scopes: [leads:read]\n    sha256: xyz\n")
                .find("64 hex digits"),
            std::string::npos);
  EXPECT_NE(err("tokens: [").find("not YAML"), std::string::npos);
}

TEST(QueryAuthTokens, StoreAuthenticatesAndReloadsOnChange) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("baton-tokens-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto file = dir / "tokens.yaml";
  std::ofstream(file)
      << "tokens:\n  - name: a\n    scopes: [leads:read]\n    token: first-token-0123456789\n";
  auto store = TokenStore::open(file);
  ASSERT_TRUE(store) << store.error().message;
  EXPECT_EQ((*store)->authenticate("first-token-0123456789")->name, "a");
  EXPECT_FALSE((*store)->authenticate("second-token-0123456789"));
  EXPECT_FALSE((*store)->authenticate(""));
  EXPECT_FALSE((*store)->reload_if_changed()) << "unchanged";
  std::ofstream(file) << "tokens:\n  - name: b\n    scopes: [reports:read]\n    token: "
                         "second-token-0123456789-rotated\n";
  ASSERT_TRUE((*store)->reload_if_changed());
  EXPECT_FALSE((*store)->authenticate("first-token-0123456789")) << "rotated out";
  EXPECT_EQ((*store)->authenticate("second-token-0123456789-rotated")->name, "b");
  std::ofstream(file) << "tokens: [";  // broken: the previous tokens stay
  EXPECT_FALSE((*store)->reload_if_changed());
  EXPECT_TRUE((*store)->authenticate("second-token-0123456789-rotated"));
  auto missing = TokenStore::open(dir / "nope.yaml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("nope.yaml"), std::string::npos);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace baton::runtime::query
