// The Redis client against a real redis-server: commands, pipelines, scripts, and the ways Redis
// goes away (stopped, killed, stalled).
#include "common/redis/redis_client.h"

#include <atomic>
#include <condition_variable>
#include <latch>
#include <mutex>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"
#include "common/testing/redis_server.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::RedisServer;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

// Where the writers of a kill test are, so that the kill waits for them instead of a sleep.
class WriterProgress {
 public:
  explicit WriterProgress(int writers) : writers_(writers) {}
  // A writer has had enough writes acknowledged, or has stopped at its first failure.
  void Arrived() {
    std::lock_guard<std::mutex> lock(mutex_);
    ++arrived_;
    changed_.notify_all();
  }
  void WaitForAll() {
    std::unique_lock<std::mutex> lock(mutex_);
    changed_.wait(lock, [&] { return arrived_ == writers_; });
  }

 private:
  const int writers_;
  std::mutex mutex_;
  std::condition_variable changed_;
  int arrived_ = 0;
};

class RedisClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto server = RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
  }

  // A client whose breaker runs on `breaker_clock_`.
  std::unique_ptr<RedisClient> MakeClient(RedisOptions options = {}) {
    options.address = server_->address();
    auto client = RedisClient::Create(options, &breaker_clock_);
    EXPECT_TRUE(client.ok()) << client.status();
    return *std::move(client);
  }

  // Once Redis is back, the breaker's next trial succeeds. Each failed trial drops one pooled
  // connection that died with the old server, so a few trials past the open period suffice.
  void ExpectRecovers(RedisClient& client, int pool_size = RedisOptions().pool_size) {
    absl::Status status;
    for (int trial = 0; trial <= pool_size + 1; ++trial) {
      breaker_clock_.Advance(absl::Hours(1));  // past any open period and its back-off
      status = client.Ping();
      if (status.ok()) return;
    }
    ADD_FAILURE() << "client did not recover: " << status;
  }

  std::unique_ptr<RedisServer> server_;
  FakeClock breaker_clock_{absl::FromUnixSeconds(1'900'000'000)};
};

TEST(RedisEndpointTest, ParsesTcpAndUnixForms) {
  auto tcp = RedisEndpoint::Parse("127.0.0.1:6380");
  ASSERT_TRUE(tcp.ok());
  EXPECT_EQ(tcp->host, "127.0.0.1");
  EXPECT_EQ(tcp->port, 6380);
  EXPECT_EQ(RedisEndpoint::Parse("redis://10.0.0.5:6379")->host, "10.0.0.5");
  EXPECT_EQ(RedisEndpoint::Parse("tcp://h:1")->port, 1);
  EXPECT_EQ(RedisEndpoint::Parse("unix:/tmp/r.sock")->unix_path, "/tmp/r.sock");
  EXPECT_EQ(RedisEndpoint::Parse("unix:///tmp/r.sock")->unix_path, "/tmp/r.sock");
  EXPECT_EQ(RedisEndpoint::Parse("/tmp/r.sock")->ToString(), "unix:/tmp/r.sock");
  EXPECT_FALSE(RedisEndpoint::Parse("localhost").ok());
  EXPECT_FALSE(RedisEndpoint::Parse("h:0").ok());
  EXPECT_FALSE(RedisEndpoint::Parse("h:70000").ok());
  EXPECT_FALSE(RedisEndpoint::Parse("unix:relative.sock").ok());
}

TEST_F(RedisClientTest, CommandsAndReplyTypes) {
  auto client = MakeClient();
  ASSERT_THAT(client->Command({"SET", "k", std::string("a\0b", 3)}), IsOk());
  auto value = client->Command({"GET", "k"});
  ASSERT_THAT(value, IsOk());
  EXPECT_EQ(value->str, std::string("a\0b", 3));  // binary safe
  EXPECT_TRUE(client->Command({"GET", "missing"})->is_nil());
  EXPECT_EQ(client->Command({"INCRBY", "n", "5"})->integer, 5);
  ASSERT_THAT(client->Command({"RPUSH", "list", "x", "y"}), IsOk());
  auto list = client->Command({"LRANGE", "list", "0", "-1"});
  ASSERT_EQ(list->elements.size(), 2u);
  EXPECT_EQ(list->elements[1].str, "y");
  EXPECT_THAT(client->Command({"LPUSH", "k", "x"}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("WRONGTYPE")));
  EXPECT_THAT(client->Ping(), IsOk());
}

TEST_F(RedisClientTest, PipelineKeepsOrderAndPerCommandErrors) {
  auto client = MakeClient();
  auto replies = client->Pipeline({{"SET", "a", "1"}, {"LPUSH", "a", "x"}, {"GET", "a"}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 3u);
  EXPECT_EQ((*replies)[0].str, "OK");
  EXPECT_TRUE((*replies)[1].is_error());
  EXPECT_EQ((*replies)[2].str, "1");
  EXPECT_TRUE(client->Pipeline({})->empty());
}

TEST_F(RedisClientTest, ScriptsRunBySha1AndReloadAfterFlush) {
  auto client = MakeClient();
  LuaScript script("incr_twice", "redis.call('INCR', KEYS[1]) return redis.call('INCR', KEYS[1])",
                   1);
  ASSERT_THAT(client->LoadScripts({&script}), IsOk());
  EXPECT_EQ(server_->Command({"SCRIPT", "EXISTS", script.sha1()})->elements[0].integer, 1);
  EXPECT_EQ(client->RunScript(script, {"counter"}, {})->integer, 2);

  ASSERT_THAT(server_->Command({"SCRIPT", "FLUSH"}), IsOk());
  EXPECT_EQ(client->RunScript(script, {"counter"}, {})->integer, 4);  // NOSCRIPT, loaded, ran

  EXPECT_THAT(client->RunScript(script, {}, {}), StatusIs(absl::StatusCode::kInternal));
  LuaScript broken("broken", "return redis.call('NOPE')", 0);
  EXPECT_THAT(client->RunScript(broken, {}, {}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("broken")));
  EXPECT_THAT(client->LoadScripts({&broken}), IsOk());  // compiles; fails only when run
  LuaScript syntax_error("syntax_error", "return (", 0);
  EXPECT_THAT(client->LoadScripts({&syntax_error}), StatusIs(absl::StatusCode::kInternal));
}

TEST_F(RedisClientTest, ScriptPipelineRunsEachCallAloneAndReloadsAfterFlush) {
  auto client = MakeClient();
  LuaScript script("add",
                   "if ARGV[1] == 'bad' then return redis.call('NOPE') end "
                   "return redis.call('INCRBY', KEYS[1], ARGV[1])",
                   1);
  // Not loaded yet: every call answers NOSCRIPT first, then runs once after the load.
  auto replies = client->RunScriptPipeline(
      script, {{{"a"}, {"1"}}, {{"a"}, {"bad"}}, {{"b"}, {"5"}}, {{"a"}, {"2"}}});
  ASSERT_THAT(replies, IsOk());
  ASSERT_EQ(replies->size(), 4u);
  EXPECT_EQ((*replies)[0].integer, 1);
  EXPECT_TRUE((*replies)[1].is_error()) << "one failed call does not stop the others";
  EXPECT_EQ((*replies)[2].integer, 5);
  EXPECT_EQ((*replies)[3].integer, 3);
  ASSERT_THAT(server_->Command({"SCRIPT", "FLUSH"}), IsOk());
  replies = client->RunScriptPipeline(script, {{{"a"}, {"10"}}});
  ASSERT_THAT(replies, IsOk());
  EXPECT_EQ((*replies)[0].integer, 13);
  EXPECT_TRUE(client->RunScriptPipeline(script, {})->empty());
  EXPECT_THAT(client->RunScriptPipeline(script, {{{}, {}}}), StatusIs(absl::StatusCode::kInternal));
}

TEST_F(RedisClientTest, AScriptGivenKeysOutsideOneHashTagIsRefusedOnOneServerToo) {
  auto client = MakeClient();
  LuaScript script("two_keys", "return redis.call('SET', KEYS[2], KEYS[1])", 2);
  EXPECT_THAT(client->RunScript(script, {"hc:{alpha}:a", "hc:{alpha}:b"}, {}), IsOk());
  EXPECT_THAT(client->RunScript(script, {"hc:{alpha}:a", "hc:{omega}:b"}, {}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("more than one slot")));
  EXPECT_THAT(client->RunScript(script, {"hc:{alpha}:a", "hc:global"}, {}),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("hc:global")));
  // One bad call refuses its whole pipeline before anything is sent.
  EXPECT_THAT(client->RunScriptPipeline(
                  script, {{{"hc:{alpha}:a", "hc:{alpha}:c"}, {}}, {{"hc:{alpha}:a", "x"}, {}}}),
              StatusIs(absl::StatusCode::kInternal));
  EXPECT_EQ(server_->Command({"EXISTS", "hc:{omega}:b", "hc:global", "hc:{alpha}:c"})->integer, 0);
}

TEST_F(RedisClientTest, ManyThreadsShareASmallPool) {
  RedisOptions options;
  options.pool_size = 3;
  auto client = MakeClient(options);
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 12; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        if (!client->Command({"INCR", "shared"}).ok()) failures.fetch_add(1);
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(server_->Command({"GET", "shared"})->str, "2400");
}

TEST_F(RedisClientTest, BusyPoolShedsLoadWithoutBlamingRedis) {
  RedisOptions options;
  options.pool_size = 1;
  options.command_timeout = absl::Seconds(5);
  options.pool_wait_timeout = absl::Milliseconds(100);
  auto client = MakeClient(options);
  // Two calls at once on one connection: whichever gets it holds it for 2 s, and the other
  // gives up waiting for it after 100 ms.
  std::latch start(2);
  std::vector<absl::StatusCode> codes(2);
  std::vector<std::thread> callers;
  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      codes[i] = client->Command({"BLPOP", "never", "2"}).status().code();
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_THAT(codes,
              UnorderedElementsAre(absl::StatusCode::kOk, absl::StatusCode::kResourceExhausted));
  EXPECT_EQ(client->breaker().state(), CircuitBreaker::State::kClosed);
  EXPECT_THAT(client->Ping(), IsOk());
}

TEST_F(RedisClientTest, StoppedRedisIsUnavailableAndRecoveryNeedsNoRestart) {
  RedisOptions options;
  options.breaker.open_duration = absl::Milliseconds(100);
  auto client = MakeClient(options);
  ASSERT_THAT(client->Command({"SET", "k", "v"}), IsOk());
  ASSERT_THAT(server_->Stop(), IsOk());

  // Refused at once, never a hang: how fast is measured by bench/redis/redis_failure_bench.
  for (int i = 0; i < 5; ++i) {
    absl::StatusOr<RedisReply> reply = client->Command({"GET", "k"});
    EXPECT_THAT(reply, StatusIs(absl::StatusCode::kUnavailable));
    EXPECT_EQ(ErrorReasonOf(reply.status()), "REDIS_UNAVAILABLE");
  }
  EXPECT_EQ(client->breaker().state(), CircuitBreaker::State::kOpen);

  ASSERT_THAT(server_->Restart(), IsOk());
  ExpectRecovers(*client);
  EXPECT_EQ(client->Command({"GET", "k"})->str, "v");  // AOF reloaded
}

TEST_F(RedisClientTest, StalledRedisTripsTheBreakerSoCallsFailFast) {
  RedisOptions options;
  options.command_timeout = absl::Milliseconds(800);
  options.breaker.failure_threshold = 2;
  options.breaker.open_duration = absl::Seconds(30);  // stays open for the whole test
  auto client = MakeClient(options);
  ASSERT_THAT(client->Ping(), IsOk());
  ASSERT_THAT(server_->Pause(), IsOk());

  // The first calls each wait out the command timeout...
  for (int i = 0; i < 2; ++i) {
    EXPECT_THAT(client->Command({"GET", "k"}),
                StatusIs(absl::StatusCode::kUnavailable, Not(HasSubstr("circuit breaker"))));
  }
  // ...then the breaker is open and calls fail without touching the socket (how much faster is
  // measured by bench/redis/redis_failure_bench).
  EXPECT_EQ(client->breaker().state(), CircuitBreaker::State::kOpen);
  for (int i = 0; i < 20; ++i) {
    EXPECT_THAT(client->Command({"GET", "k"}),
                StatusIs(absl::StatusCode::kUnavailable, HasSubstr("circuit breaker open")));
  }
  ASSERT_THAT(server_->Resume(), IsOk());
}

TEST_F(RedisClientTest, StalledThenResumedRecovers) {
  RedisOptions options;
  options.command_timeout = absl::Milliseconds(300);
  options.breaker.failure_threshold = 1;
  options.breaker.open_duration = absl::Milliseconds(100);
  auto client = MakeClient(options);
  ASSERT_THAT(server_->Pause(), IsOk());
  EXPECT_THAT(client->Ping(), StatusIs(absl::StatusCode::kUnavailable));
  ASSERT_THAT(server_->Resume(), IsOk());
  ExpectRecovers(*client);
}

TEST_F(RedisClientTest, KilledRedisLosesNoAcknowledgedWrite) {
  RedisOptions options;
  options.breaker.open_duration = absl::Milliseconds(100);
  auto client = MakeClient(options);
  // Each writer writes until its first failure; the kill comes once every writer has had 20
  // writes acknowledged, so that it lands mid-write.
  constexpr size_t kBeforeKill = 20;
  std::vector<std::vector<std::string>> acknowledged(4);
  WriterProgress progress(4);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      for (int i = 0;; ++i) {
        std::string member = absl::StrCat(w, "-", i);
        if (!client->Command({"SADD", "acked", member}).ok()) break;
        acknowledged[w].push_back(member);
        if (acknowledged[w].size() == kBeforeKill) progress.Arrived();
      }
      if (acknowledged[w].size() < kBeforeKill) progress.Arrived();
    });
  }
  progress.WaitForAll();
  EXPECT_THAT(server_->Kill(), IsOk());  // not ASSERT: the writers stop only once it is dead
  for (auto& writer : writers) writer.join();

  ASSERT_THAT(server_->Restart(), IsOk());
  ExpectRecovers(*client);
  size_t total = 0;
  for (const auto& members : acknowledged) {
    total += members.size();
    for (const std::string& member : members) {
      ASSERT_EQ(client->Command({"SISMEMBER", "acked", member})->integer, 1) << member;
    }
  }
  EXPECT_GT(total, 10u);
}

}  // namespace
}  // namespace homecare
