// RedisClient against a real Redis Cluster (three masters started by the test): each tenant's
// keys on the node serving its slot, scripts by SHA there, redirections followed while slots
// move, and the event log read across nodes.
#include "common/testing/redis_cluster.h"

#include <atomic>
#include <map>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "common/redis/cluster_slots.h"
#include "common/redis/event_log.h"
#include "common/redis/redis_client.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::RedisCluster;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;

std::string Key(const std::string& tenant, const std::string& name) {
  return absl::StrCat("hc:{", tenant, "}:test:", name);
}

class RedisClusterTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 0});
    ASSERT_TRUE(cluster.ok()) << cluster.status();
    cluster_ = cluster->release();
  }
  static void TearDownTestSuite() {
    delete cluster_;
    cluster_ = nullptr;
  }

  void SetUp() override {
    ASSERT_NE(cluster_, nullptr);
    for (int node = 0; node < cluster_->size(); ++node) {
      ASSERT_TRUE(cluster_->Command(node, {"FLUSHALL"}).ok());
    }
    client_ = NewClient();
  }

  static std::unique_ptr<RedisClient> NewClient() {
    RedisOptions options;
    // One seed is enough: the client learns the rest from it.
    options.cluster_seeds = {cluster_->address(0)};
    options.pool_size = 2;
    absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // A master other than the one serving `slot`.
  static int OtherMaster(int slot) {
    absl::StatusOr<int> owner = cluster_->MasterOf(slot);
    EXPECT_TRUE(owner.ok()) << owner.status();
    for (int other : {KeySlot("a"), KeySlot("b"), KeySlot("c"), KeySlot("d"), KeySlot("e")}) {
      absl::StatusOr<int> node = cluster_->MasterOf(other);
      if (node.ok() && *node != *owner) return *node;
    }
    return -1;
  }

  static RedisCluster* cluster_;
  std::unique_ptr<RedisClient> client_;
};

RedisCluster* RedisClusterTest::cluster_ = nullptr;

TEST_F(RedisClusterTest, EachTenantsKeysLiveOnTheNodeServingItsSlot) {
  ASSERT_TRUE(client_->is_cluster());
  for (int t = 0; t < 60; ++t) {
    const std::string tenant = absl::StrCat("tenant-", t);
    ASSERT_THAT(client_->Command({"SET", Key(tenant, "a"), tenant}).status(), IsOk());
  }
  std::set<int> nodes_with_keys;
  for (int node = 0; node < cluster_->size(); ++node) {
    absl::StatusOr<RedisReply> size = cluster_->Command(node, {"DBSIZE"});
    ASSERT_TRUE(size.ok());
    if (size->integer > 0) nodes_with_keys.insert(node);
  }
  EXPECT_EQ(nodes_with_keys.size(), 3u);  // the cluster shards them; no hand-made sharding
  for (int t = 0; t < 60; ++t) {
    const std::string tenant = absl::StrCat("tenant-", t);
    absl::StatusOr<RedisReply> value = client_->Command({"GET", Key(tenant, "a")});
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(value->str, tenant);
    // And it is where the cluster says the slot lives.
    absl::StatusOr<int> owner = cluster_->MasterOf(KeySlot(tenant));
    ASSERT_TRUE(owner.ok());
    EXPECT_EQ(cluster_->Command(*owner, {"GET", Key(tenant, "a")})->str, tenant);
  }
}

TEST_F(RedisClusterTest, PipelinesSpanningTenantsReachEveryNode) {
  std::vector<std::vector<std::string>> commands;
  for (int t = 0; t < 20; ++t) {
    commands.push_back({"SET", Key(absl::StrCat("p", t), "k"), absl::StrCat(t)});
    commands.push_back({"GET", Key(absl::StrCat("p", t), "k")});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = client_->Pipeline(commands);
  ASSERT_TRUE(replies.ok()) << replies.status();
  ASSERT_EQ(replies->size(), commands.size());
  for (int t = 0; t < 20; ++t) {
    EXPECT_EQ((*replies)[2 * t].str, "OK");
    EXPECT_EQ((*replies)[2 * t + 1].str, absl::StrCat(t));
  }
}

TEST_F(RedisClusterTest, ScriptsRunBySHAOnTheirTenantsNodeAndReloadAfterAFlush) {
  const LuaScript script(
      "set-and-get", "redis.call('SET', KEYS[1], ARGV[1]) return redis.call('GET', KEYS[2])", 2);
  ASSERT_THAT(client_->LoadScripts({&script}), IsOk());
  for (int t = 0; t < 12; ++t) {
    const std::string tenant = absl::StrCat("s", t);
    absl::StatusOr<RedisReply> reply =
        client_->RunScript(script, {Key(tenant, "x"), Key(tenant, "x")}, {tenant});
    ASSERT_TRUE(reply.ok()) << reply.status();
    EXPECT_EQ(reply->str, tenant);
  }
  for (int node = 0; node < cluster_->size(); ++node) {
    ASSERT_TRUE(cluster_->Command(node, {"SCRIPT", "FLUSH"}).ok());
  }
  std::vector<RedisClient::ScriptCall> calls;
  for (int t = 0; t < 12; ++t) {
    const std::string tenant = absl::StrCat("s", t);
    calls.push_back({{Key(tenant, "y"), Key(tenant, "x")}, {"new"}});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = client_->RunScriptPipeline(script, calls);
  ASSERT_TRUE(replies.ok()) << replies.status();
  for (int t = 0; t < 12; ++t) EXPECT_EQ((*replies)[t].str, absl::StrCat("s", t));
}

TEST_F(RedisClusterTest, AScriptGivenKeysOfTwoTenantsIsRefused) {
  const LuaScript script("two-keys", "return redis.call('GET', KEYS[1])", 2);
  // Two tenants whose slots differ: refused before it is sent, where Redis would answer
  // CROSSSLOT.
  ASSERT_NE(KeySlot("alpha"), KeySlot("omega"));
  EXPECT_THAT(client_->RunScript(script, {Key("alpha", "a"), Key("omega", "a")}, {}).status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("more than one slot")));
}

TEST_F(RedisClusterTest, FollowsASlotThatMovedToAnotherNode) {
  const std::string tenant = "mover";
  ASSERT_THAT(client_->Command({"SET", Key(tenant, "a"), "before"}).status(), IsOk());
  const int slot = KeySlot(tenant);
  const int to = OtherMaster(slot);
  ASSERT_GE(to, 0);
  ASSERT_THAT(cluster_->MoveSlot(slot, to), IsOk());
  ASSERT_EQ(*cluster_->MasterOf(slot), to);

  // The client's map still names the old node, which answers MOVED: followed, map refreshed.
  absl::StatusOr<RedisReply> value = client_->Command({"GET", Key(tenant, "a")});
  ASSERT_TRUE(value.ok()) << value.status();
  EXPECT_EQ(value->str, "before");
  ASSERT_THAT(client_->Command({"SET", Key(tenant, "a"), "after"}).status(), IsOk());
  EXPECT_EQ(cluster_->Command(to, {"GET", Key(tenant, "a")})->str, "after");
}

TEST_F(RedisClusterTest, FollowsAskWhileASlotIsMigrating) {
  const std::string tenant = "migrating";
  ASSERT_THAT(client_->Command({"SET", Key(tenant, "moved"), "1"}).status(), IsOk());
  ASSERT_THAT(client_->Command({"SET", Key(tenant, "stayed"), "2"}).status(), IsOk());
  const int slot = KeySlot(tenant);
  const int from = *cluster_->MasterOf(slot);
  const int to = OtherMaster(slot);
  ASSERT_GE(to, 0);
  ASSERT_THAT(cluster_->MoveSlot(slot, to, {Key(tenant, "moved")}, /*leave_migrating=*/true),
              IsOk());
  // The source answers ASK for the key it no longer has, and serves the one it still has.
  EXPECT_THAT(cluster_->Command(from, {"GET", Key(tenant, "moved")})->str, HasSubstr("ASK"));
  EXPECT_EQ(client_->Command({"GET", Key(tenant, "moved")})->str, "1");
  EXPECT_EQ(client_->Command({"GET", Key(tenant, "stayed")})->str, "2");
  absl::StatusOr<std::vector<RedisReply>> both =
      client_->Pipeline({{"GET", Key(tenant, "moved")}, {"GET", Key(tenant, "stayed")}});
  ASSERT_TRUE(both.ok()) << both.status();
  EXPECT_EQ((*both)[0].str, "1");
  EXPECT_EQ((*both)[1].str, "2");
  // Finish the move, so that the next test starts from a settled cluster.
  ASSERT_THAT(cluster_->MoveSlot(slot, to), IsOk());
}

TEST_F(RedisClusterTest, TheEventLogReadsOneTenantBlockingAndManyAcrossNodes) {
  RedisEventLog::Layout layout;
  layout.key = [](absl::string_view tenant) { return Key(std::string(tenant), "events"); };
  layout.field = "event";
  layout.tenant_ids = [] { return absl::StatusOr<std::vector<std::string>>(); };
  RedisEventLog log(client_.get(), layout);
  const std::vector<std::string> tenants = {"ev-a", "ev-b", "ev-c", "ev-d", "ev-e", "ev-f"};
  for (const std::string& tenant : tenants) {
    ASSERT_THAT(
        client_->Command({"XADD", layout.key(tenant), "*", "event", tenant + "-1"}).status(),
        IsOk());
  }
  absl::StatusOr<std::unique_ptr<EventReader>> one = log.OpenReader(absl::Milliseconds(200));
  ASSERT_TRUE(one.ok()) << one.status();
  absl::StatusOr<std::vector<StoredEvent>> read =
      (*one)->Read({{"ev-c", "0"}}, 10, absl::Milliseconds(200));
  ASSERT_TRUE(read.ok()) << read.status();
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ((*read)[0].payload, "ev-c-1");
  // Nothing new: the blocking read waits and comes back empty.
  read = (*one)->Read({{"ev-c", (*read)[0].position}}, 10, absl::Milliseconds(100));
  ASSERT_TRUE(read.ok()) << read.status();
  EXPECT_TRUE(read->empty());

  StreamPositions every;
  for (const std::string& tenant : tenants) every[tenant] = "0";
  absl::StatusOr<std::unique_ptr<EventReader>> many = log.OpenReader(absl::Milliseconds(200));
  ASSERT_TRUE(many.ok());
  read = (*many)->Read(every, 10, absl::Milliseconds(200));
  ASSERT_TRUE(read.ok()) << read.status();
  std::set<std::string> payloads;
  for (const StoredEvent& event : *read) payloads.insert(event.payload);
  EXPECT_EQ(payloads.size(), tenants.size());
}

TEST_F(RedisClusterTest, ASeedThatIsNotHostAndPortIsRefused) {
  RedisOptions options;
  options.cluster_seeds = {"unix:/tmp/redis.sock"};
  EXPECT_THAT(RedisClient::Create(options).status(), StatusIs(absl::StatusCode::kInvalidArgument));
  options.cluster_seeds = {"nonsense"};
  EXPECT_THAT(RedisClient::Create(options).status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST_F(RedisClusterTest, PingAsksEveryMaster) { EXPECT_THAT(client_->Ping(), IsOk()); }

TEST_F(RedisClusterTest, AWriteWaitsForTheReplicasAskedFor) {
  // This suite's cluster has no replicas: asking for one refuses the write as unsafe.
  RedisOptions options;
  options.cluster_seeds = {cluster_->address(0)};
  options.min_replicas_acked = 1;
  options.command_timeout = absl::Milliseconds(400);
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  EXPECT_THAT((*client)->Command({"SET", Key("w", "a"), "1"}).status(),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("0 of the 1 replicas")));
  // Reads do not wait.
  EXPECT_THAT((*client)->Command({"GET", Key("w", "a")}).status(), IsOk());
  options.min_replicas_acked = -1;
  EXPECT_THAT(RedisClient::Create(options).status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

// A master killed with SIGKILL during a stream of writes: its replica takes over within the
// cluster's failover time and the client finds it without a restart. With min_replicas_acked
// = 1 every write it acknowledged is there afterwards; the new master has no replica until the
// old one comes back as one, and writes to its slots are refused until then.
TEST(RedisClusterFailoverTest, AKilledMasterLosesNoWriteAReplicaAcknowledged) {
  auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 1});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  RedisOptions options;
  options.cluster_seeds = {(*cluster)->address(0), (*cluster)->address(1)};
  options.min_replicas_acked = 1;
  options.command_timeout = absl::Milliseconds(500);
  options.connect_timeout = absl::Milliseconds(200);
  options.breaker.open_duration = absl::Milliseconds(100);
  options.breaker.max_open_duration = absl::Milliseconds(300);
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();

  const std::string tenant = "victim";
  absl::StatusOr<int> victim = (*cluster)->MasterOf(KeySlot(tenant));
  ASSERT_TRUE(victim.ok()) << victim.status();
  std::vector<std::string> acknowledged;
  int refused = 0;
  int acknowledged_after_kill = 0;
  std::optional<absl::Time> killed_at;
  std::optional<absl::Duration> failed_over_after;
  std::optional<absl::Duration> resumed_after;
  const absl::Time deadline = absl::Now() + absl::Seconds(40);
  for (int n = 0; absl::Now() < deadline && acknowledged_after_kill < 50; ++n) {
    if (!killed_at && acknowledged.size() == 100) {
      ASSERT_THAT((*cluster)->KillNode(*victim), IsOk());
      killed_at = absl::Now();
    }
    if (killed_at && !failed_over_after) {
      absl::StatusOr<int> master = (*cluster)->MasterOf(KeySlot(tenant));
      if (master.ok() && *master != *victim) {
        failed_over_after = absl::Now() - *killed_at;
        ASSERT_THAT((*cluster)->RestartNode(*victim), IsOk());  // back, as a replica
      }
    }
    const std::string key = Key(tenant, absl::StrCat("w", n));
    if ((*client)->Command({"SET", key, "1"}).ok()) {
      acknowledged.push_back(key);
      if (killed_at) {
        if (!resumed_after) resumed_after = absl::Now() - *killed_at;
        ++acknowledged_after_kill;
      }
    } else {
      ASSERT_TRUE(killed_at.has_value()) << "a write refused before the kill";
      ++refused;
      absl::SleepFor(absl::Milliseconds(20));  // the caller's retry
    }
  }
  ASSERT_TRUE(failed_over_after.has_value()) << "no replica took over";
  ASSERT_TRUE(resumed_after.has_value()) << "writes did not resume";
  EXPECT_EQ(acknowledged_after_kill, 50);
  EXPECT_GT(refused, 0);
  std::printf("failover after %s; writes refused %d times, acknowledged again after %s\n",
              absl::FormatDuration(absl::Trunc(*failed_over_after, absl::Milliseconds(1))).c_str(),
              refused,
              absl::FormatDuration(absl::Trunc(*resumed_after, absl::Milliseconds(1))).c_str());
  for (const std::string& key : acknowledged) {
    absl::StatusOr<RedisReply> value = (*client)->Command({"GET", key});
    ASSERT_TRUE(value.ok()) << value.status();
    EXPECT_EQ(value->str, "1") << key << " was acknowledged and is lost";
  }
}

// redis-cli --cluster reshard moving 2,000 slots while two writers run commands and scripts for
// fifty tenants: every call succeeds (the client follows ASK, MOVED and TRYAGAIN itself) and
// nothing is lost or done twice.
TEST(RedisClusterReshardTest, MovingSlotsUnderTrafficFailsNoCall) {
  auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 0});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  RedisOptions options;
  options.cluster_seeds = {(*cluster)->address(0)};
  absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
  ASSERT_TRUE(client.ok()) << client.status();
  // Two keys of one tenant in one script: mid-migration, Redis answers TRYAGAIN when only one
  // of them has moved.
  const LuaScript script("count-twice",
                         "redis.call('INCR', KEYS[1]) return redis.call('INCR', KEYS[2])", 2);
  absl::StatusOr<std::vector<int>> masters = (*cluster)->Masters();
  ASSERT_TRUE(masters.ok() && masters->size() == 3);
  absl::StatusOr<std::string> from = (*cluster)->NodeId((*masters)[0]);
  absl::StatusOr<std::string> to = (*cluster)->NodeId((*masters)[1]);
  ASSERT_TRUE(from.ok() && to.ok());

  const std::string dir = ::homecare::testing::MakeTempDir("hc-reshard");
  absl::StatusOr<::homecare::testing::Subprocess> reshard = ::homecare::testing::Subprocess::Spawn(
      {"redis-cli", "--cluster", "reshard", (*cluster)->address((*masters)[0]), "--cluster-from",
       *from, "--cluster-to", *to, "--cluster-slots", "2000", "--cluster-pipeline", "5",
       "--cluster-yes"},
      dir + "/reshard.log");
  ASSERT_TRUE(reshard.ok()) << reshard.status();
  std::atomic<bool> done = false;
  std::atomic<int> failed = 0;
  std::vector<std::thread> writers;
  std::vector<std::map<std::string, int>> counted(2);
  std::vector<std::string> first_failure(2);
  for (int w = 0; w < 2; ++w) {
    writers.emplace_back([&, w] {
      for (int n = 0; !done; ++n) {
        const std::string tenant = absl::StrCat("r", w, "-", n % 50);
        absl::StatusOr<RedisReply> reply =
            client.value()->RunScript(script, {Key(tenant, "a"), Key(tenant, "b")}, {});
        absl::StatusOr<RedisReply> set =
            client.value()->Command({"SET", Key(tenant, "last"), absl::StrCat(n)});
        if (reply.ok() && set.ok()) {
          ++counted[w][tenant];
        } else {
          if (failed++ == 0) {
            first_failure[w] = (reply.ok() ? set.status() : reply.status()).ToString();
          }
        }
      }
    });
  }
  absl::StatusOr<int> exit_status = reshard->Wait(absl::Seconds(120));
  done = true;
  for (std::thread& writer : writers) writer.join();
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_EQ(*exit_status, 0) << ::homecare::testing::ReadFileOrEmpty(dir + "/reshard.log");
  EXPECT_EQ(failed, 0) << first_failure[0] << first_failure[1];
  int calls = 0;
  for (const auto& tenants : counted) {
    for (const auto& [tenant, count] : tenants) {
      calls += count;
      absl::StatusOr<RedisReply> a = client.value()->Command({"GET", Key(tenant, "a")});
      absl::StatusOr<RedisReply> b = client.value()->Command({"GET", Key(tenant, "b")});
      ASSERT_TRUE(a.ok() && b.ok());
      EXPECT_EQ(a->str, absl::StrCat(count)) << tenant;
      EXPECT_EQ(b->str, absl::StrCat(count)) << tenant;
    }
  }
  std::printf("reshard of 2,000 slots under %d script+command pairs: %d failed\n", calls,
              failed.load());
  EXPECT_GT(calls, 100);
  ::homecare::testing::RemoveTree(dir);
}

}  // namespace
}  // namespace homecare
