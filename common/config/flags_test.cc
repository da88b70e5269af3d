#include "common/config/flags.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

FlagSet::EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars](const std::string& name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

struct Config {
  std::string redis = "127.0.0.1:6379";
  int port = 50051;
  bool verbose = false;
  absl::Duration timeout = absl::Seconds(1);
  double ratio = 0.5;
};

FlagSet MakeFlags(Config* config) {
  FlagSet flags("test");
  flags.AddString("redis", &config->redis, "Redis address");
  flags.AddInt("port", &config->port, "port");
  flags.AddBool("verbose", &config->verbose, "log more");
  flags.AddDuration("redis-timeout", &config->timeout, "timeout");
  flags.AddDouble("ratio", &config->ratio, "ratio");
  return flags;
}

TEST(FlagSetTest, DefaultsStayWithoutFlagsOrEnvironment) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  ASSERT_TRUE(flags.Parse(std::vector<std::string>{}, FakeEnv({})).ok());
  EXPECT_EQ(config.redis, "127.0.0.1:6379");
  EXPECT_EQ(config.port, 50051);
  EXPECT_FALSE(config.verbose);
}

TEST(FlagSetTest, EnvironmentFillsInAndCommandLineWins) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  auto positional = flags.Parse({"--port", "0", "serve", "--redis_timeout=250ms"},
                                FakeEnv({{"HOMECARE_PORT", "7000"},
                                         {"HOMECARE_REDIS", "unix:/tmp/r.sock"},
                                         {"HOMECARE_REDIS_TIMEOUT", "2s"}}));
  ASSERT_TRUE(positional.ok()) << positional.status();
  EXPECT_THAT(*positional, ElementsAre("serve"));
  EXPECT_EQ(config.port, 0);
  EXPECT_EQ(config.redis, "unix:/tmp/r.sock");
  EXPECT_EQ(config.timeout, absl::Milliseconds(250));
}

TEST(FlagSetTest, BoolForms) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  ASSERT_TRUE(flags.Parse({"--verbose"}, FakeEnv({})).ok());
  EXPECT_TRUE(config.verbose);
  ASSERT_TRUE(flags.Parse({"--no-verbose"}, FakeEnv({})).ok());
  EXPECT_FALSE(config.verbose);
  ASSERT_TRUE(flags.Parse({"--verbose=yes"}, FakeEnv({})).ok());
  EXPECT_TRUE(config.verbose);
}

TEST(FlagSetTest, BadInputNamesTheFlag) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  auto unknown = flags.Parse({"--colour=red"}, FakeEnv({}));
  EXPECT_EQ(unknown.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(unknown.status().message(), HasSubstr("--colour"));

  auto bad_int = flags.Parse({"--port=fifty"}, FakeEnv({}));
  EXPECT_THAT(bad_int.status().message(), HasSubstr("--port"));

  auto missing = flags.Parse({"--redis"}, FakeEnv({}));
  EXPECT_THAT(missing.status().message(), HasSubstr("needs a value"));

  auto bad_env = flags.Parse(std::vector<std::string>{}, FakeEnv({{"HOMECARE_RATIO", "x"}}));
  EXPECT_THAT(bad_env.status().message(), HasSubstr("HOMECARE_RATIO"));

  auto negative = flags.Parse({"--redis-timeout=-1s"}, FakeEnv({}));
  EXPECT_FALSE(negative.ok());
}

TEST(FlagSetTest, UnknownFlagSuggestsTheNearest) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  auto typo = flags.Parse({"--verbos"}, FakeEnv({}));
  EXPECT_THAT(typo.status().message(), HasSubstr("unknown flag --verbos; did you mean --verbose?"));
  auto far = flags.Parse({"--colour=red"}, FakeEnv({}));
  EXPECT_THAT(far.status().message(), ::testing::Not(HasSubstr("did you mean")));
  auto negated = flags.Parse({"--no-verbos"}, FakeEnv({}));
  EXPECT_THAT(negated.status().message(), HasSubstr("unknown flag --no-verbos"));
}

TEST(FlagSetTest, NearestNameAllowsAThirdOfTheLettersWrong) {
  std::vector<std::string> names = {"list", "get", "create", "eligible"};
  EXPECT_EQ(NearestName("lst", names), "list");
  EXPECT_EQ(NearestName("crate", names), "create");
  EXPECT_EQ(NearestName("elgible", names), "eligible");
  EXPECT_EQ(NearestName("zzzz", names), "");
  EXPECT_EQ(NearestName("x", {}), "");
}

TEST(FlagSetTest, HelpStopsAndUsageListsFlags) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  ASSERT_TRUE(flags.Parse({"--help", "--colour"}, FakeEnv({})).ok());
  EXPECT_TRUE(flags.help_requested());
  EXPECT_THAT(flags.Usage(), HasSubstr("--redis-timeout VALUE  (env HOMECARE_REDIS_TIMEOUT"));
}

TEST(FlagSetTest, DoubleDashEndsFlags) {
  Config config;
  FlagSet flags = MakeFlags(&config);
  auto positional = flags.Parse({"--", "--port"}, FakeEnv({}));
  ASSERT_TRUE(positional.ok());
  EXPECT_THAT(*positional, ElementsAre("--port"));
}

}  // namespace
}  // namespace homecare
