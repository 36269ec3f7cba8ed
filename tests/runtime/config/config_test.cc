// Config validation: every error names the field's full path and what was
// expected, and one pass reports every bad field.
#include "baton/runtime/config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace baton::runtime {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

ConfigNode parse(const std::string& yaml) { return ConfigNode::parse(yaml, "test.yaml"); }
const std::vector<std::string>& errors(const ConfigNode& n) { return n.errors().messages; }

TEST(Config, ValidConfigReadsTypedValuesWithoutErrors) {
  auto root = parse(
      "name: router\ncount: 3\nratio: 0.5\non: true\nwait: 250ms\ntags: [a, b]\n"
      "level: warn\nprops: {acks: all}\n");
  EXPECT_EQ(root.str("name", ""), "router");
  EXPECT_EQ(root.integer("count", 0, 1, 10), 3);
  EXPECT_DOUBLE_EQ(root.number("ratio", 0, 0.0, 1.0), 0.5);
  EXPECT_TRUE(root.boolean("on", false));
  EXPECT_EQ(root.duration("wait", milliseconds(0)), milliseconds(250));
  EXPECT_THAT(root.str_list("tags"), ElementsAre("a", "b"));
  EXPECT_EQ(root.one_of("level", "info", {"info", "warn"}), "warn");
  EXPECT_EQ(root.str_map("props").at("acks"), "all");
  root.done();
  EXPECT_THAT(errors(root), IsEmpty());
  EXPECT_TRUE(root.status());
}

TEST(Config, DefaultsWhenAbsentOrNull) {
  auto root = parse("empty:\n");
  EXPECT_EQ(root.str("empty", "d"), "d");
  EXPECT_EQ(root.integer("missing", 7), 7);
  EXPECT_EQ(root.duration("missing2", milliseconds(5)), milliseconds(5));
  EXPECT_FALSE(root.child("missing3").present());
  root.done();
  EXPECT_THAT(errors(root), IsEmpty());
}

TEST(Config, UnknownKeyNamesItsPath) {
  auto root = parse("runtime:\n  comit_interval: 5s\n  state_dir: /x\ntypo: 1\n");
  auto r = root.child("runtime");
  r.str("state_dir", "");
  r.done();
  root.done();
  EXPECT_THAT(errors(root),
              ElementsAre("runtime.comit_interval: unknown key (check the spelling; see the "
                          "example config)",
                          "typo: unknown key (check the spelling; see the example config)"));
}

TEST(Config, WrongTypes) {
  auto root =
      parse("s: {a: 1}\ni: abc\nf: 1.5\nn: [1]\nb: maybe\nl: text\nm: [x]\nc: 3\nd: {x: 1}\n");
  root.str("s", "");
  root.integer("i", 0);
  root.integer("f", 0);
  root.number("n", 0);
  root.boolean("b", false);
  root.str_list("l");
  root.str_map("m");
  root.child("c");
  root.duration("d", milliseconds(0));
  EXPECT_THAT(errors(root),
              ElementsAre("s: expected a string, got a map", "i: expected an integer, got 'abc'",
                          "f: expected an integer, got '1.5'", "n: expected a number, got a list",
                          "b: expected true or false, got 'maybe'",
                          "l: expected a list of strings, got 'text'",
                          "m: expected a map of strings, got a list", "c: expected a map, got '3'",
                          "d: expected a duration such as 30s, 5m, 2h, 1d, got a map"));
}

TEST(Config, MissingRequiredValues) {
  auto root = parse("kafka:\n  empty: ''\n");
  auto k = root.child("kafka");
  EXPECT_EQ(k.required_str("topic"), std::nullopt);
  EXPECT_EQ(k.required_str("empty"), std::nullopt);
  EXPECT_EQ(k.required_integer("partitions"), std::nullopt);
  k.done();
  EXPECT_THAT(errors(root), ElementsAre("kafka.topic: required: set a string value",
                                        "kafka.empty: required: must not be empty",
                                        "kafka.partitions: required: set an integer value"));
}

TEST(Config, RequiredOfTheWrongTypeIsOneError) {
  auto root = parse("topic: {a: 1}\nn: x\n");
  EXPECT_EQ(root.required_str("topic"), std::nullopt);
  EXPECT_EQ(root.required_integer("n"), std::nullopt);
  EXPECT_THAT(errors(root), ElementsAre("topic: expected a string, got a map",
                                        "n: expected an integer, got 'x'"));
}

TEST(Config, RequiredPresentValues) {
  auto root = parse("topic: t\nn: 4\n");
  EXPECT_EQ(root.required_str("topic"), std::optional<std::string>("t"));
  EXPECT_EQ(root.required_integer("n", 1, 10), std::optional<int64_t>(4));
  root.done();
  EXPECT_THAT(errors(root), IsEmpty());
}

TEST(Config, OutOfRange) {
  auto root = parse("i: 11\nj: 0\nf: 2.5\ng: -1\nh: 0.5\nr: 99\n");
  EXPECT_EQ(root.integer("i", 5, 1, 10), 5) << "an invalid value falls back to the default";
  root.integer("j", 5, 1, 10);
  root.number("f", 0, 0.0, 1.0);
  root.number("g", 0, 0.0);
  root.number("h", 1, std::nullopt, 0.25);
  EXPECT_EQ(root.required_integer("r", 1, 10), std::nullopt);
  EXPECT_THAT(errors(root), ElementsAre("i: expected an integer in [1, 10], got 11",
                                        "j: expected an integer in [1, 10], got 0",
                                        "f: expected a number >= 0 and <= 1, got 2.5",
                                        "g: expected a number >= 0, got -1",
                                        "h: expected a number <= 0.25, got 0.5",
                                        "r: expected an integer in [1, 10], got 99"));
}

TEST(Config, Durations) {
  EXPECT_EQ(parse_duration("250ms"), milliseconds(250));
  EXPECT_EQ(parse_duration("30s"), milliseconds(30000));
  EXPECT_EQ(parse_duration("5m"), milliseconds(300000));
  EXPECT_EQ(parse_duration("2h"), milliseconds(7200000));
  EXPECT_EQ(parse_duration("7d"), milliseconds(7LL * 86400000));
  EXPECT_EQ(parse_duration("12"), milliseconds(12000)) << "a bare number is seconds";
  EXPECT_EQ(parse_duration("1.5h"), milliseconds(5400000));
  EXPECT_EQ(parse_duration("-5s"), milliseconds(-5000));
  EXPECT_EQ(parse_duration("36500d"), milliseconds(36500LL * 86400000)) << "100 years is the most";
  for (const char* bad : {"", "ms", "5 m", "5w", "abc", "1e3", ".", "5sec", "--5s", "36501d",
                          "906666666666666666666666666666666666666666666666666666666666666666666"
                          "666666666666666666666666666s"})
    EXPECT_EQ(parse_duration(bad), std::nullopt) << "'" << bad << "'";
}

TEST(Config, BadDurationNamesItsPath) {
  auto root = parse("runtime:\n  grace: 5 minutes\n  tick: -5s\n");
  auto r = root.child("runtime");
  EXPECT_EQ(r.duration("grace", milliseconds(30000)), milliseconds(30000));
  EXPECT_EQ(r.duration("tick", milliseconds(50)), milliseconds(50));
  EXPECT_THAT(errors(root),
              ElementsAre("runtime.grace: expected a duration such as 250ms, 30s, 5m, 2h, 1d, "
                          "got '5 minutes'",
                          "runtime.tick: expected a duration >= 0, got '-5s'"));
}

TEST(Config, OneOfListsTheAllowedValues) {
  auto root = parse("log:\n  level: loud\n");
  auto l = root.child("log");
  EXPECT_EQ(l.one_of("level", "info", {"debug", "info", "warn", "error"}), "info");
  EXPECT_THAT(errors(root),
              ElementsAre("log.level: expected one of debug, info, warn, error, got 'loud'"));
}

TEST(Config, NestedListPaths) {
  auto root = parse(
      "a:\n  b:\n    - {c: 1}\n    - {c: 2}\n    - {c: x, extra: 1}\n    - just text\n"
      "  tags: [ok, {no: 1}]\n");
  auto a = root.child("a");
  auto items = a.list("b");
  ASSERT_EQ(items.size(), 3u) << "the non-map element is reported, not returned";
  for (auto& i : items) {
    i.integer("c", 0);
    i.done();
  }
  EXPECT_EQ(items[2].path(), "a.b[2]");
  a.str_list("tags");
  a.done();
  EXPECT_THAT(errors(root), ElementsAre("a.b[3]: expected a map, got 'just text'",
                                        "a.b[2].c: expected an integer, got 'x'",
                                        "a.b[2].extra: unknown key (check the spelling; see the "
                                        "example config)",
                                        "a.tags[1]: expected a string, got a map"));
}

TEST(Config, EntriesAndStringMapPaths) {
  auto root = parse("pools:\n  west: {weight: -1}\n  east: {weight: 2}\nprops: {x: [1]}\n");
  auto pools = root.entries("pools");
  ASSERT_EQ(pools.size(), 2u);
  EXPECT_EQ(pools[0].first, "west") << "entries keep file order";
  for (auto& [name, p] : pools) p.integer("weight", 1, 1);
  root.str_map("props");
  EXPECT_THAT(errors(root),
              ElementsAre("pools.west.weight: expected an integer in [1, 9223372036854775807], "
                          "got -1",
                          "props.x: expected a string, got a list"));
}

TEST(Config, YamlSyntaxErrorNamesTheLine) {
  auto root = parse("a: 1\nb: [1, 2\nc: 3\n");
  ASSERT_EQ(errors(root).size(), 1u);
  EXPECT_THAT(errors(root)[0], HasSubstr("test.yaml: YAML syntax error at line "));
  auto bad_map = parse("a: 1\nb: c: d\n");
  ASSERT_EQ(errors(bad_map).size(), 1u);
  EXPECT_THAT(errors(bad_map)[0], HasSubstr("test.yaml: YAML syntax error at line 2: "));
  EXPECT_FALSE(bad_map.present());
}

TEST(Config, TopLevelMustBeAMap) {
  auto root = parse("- a\n- b\n");
  EXPECT_THAT(errors(root), ElementsAre("test.yaml: expected a YAML map at the top level"));
}

TEST(Config, MissingFileSaysHowToPassOne) {
  auto root = ConfigNode::load_file("/nonexistent/baton.yaml");
  EXPECT_THAT(errors(root), ElementsAre("/nonexistent/baton.yaml: cannot read the config file "
                                        "(pass --config FILE)"));
}

TEST(Config, StatusJoinsEveryErrorAndCustomErrorsUseThePath) {
  auto root = parse("kafka:\n  acks: x\n");
  auto k = root.child("kafka");
  k.error("acks", "expected all or 1");
  k.error("bootstrap_servers", "required");
  auto s = root.status();
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().code, "config.invalid");
  EXPECT_EQ(s.error().message, "kafka.acks: expected all or 1\nkafka.bootstrap_servers: required");
}

}  // namespace
}  // namespace baton::runtime
