// Benchmark of CheckIn, the heaviest write path, on one Redis against a Redis Cluster of three
// masters (a replica each) with two replicas of every service, in the same run on this machine;
// between them, one Redis with two replicas of every service.
//
//   build/bench/checkin_scale_bench [--seconds 3] [--concurrency 64] [--tenants 6]
//                                   [--clients 200] [--carers 200] [--days 10]
//
// Each setup: Redis with appendfsync always on every node (as in production); homecare-roster,
// homecare-scheduling and homecare-checkin, one of each on one Redis, two of each on the cluster
// with every caller going round robin over a service's replicas (as `./dev up --cluster` runs
// them); `--tenants` providers of the bench shape (provider.h), so that the cluster spreads their
// hash tags over its masters; every single-carer visit of their days staffed, and followed by
// the check-in service before timing starts. Then, through one round-robin channel target,
// Health/Check (the baseline) and CheckIn at the client's door by the visit's carer, the tenants'
// visits interleaved. The setups run one after the other, never side by side, and the report is
// the cluster's figures as ratios of one Redis's.
#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "bench/checkin/checkin_supply.h"
#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/redis/cluster_slots.h"
#include "common/redis/redis_client.h"
#include "common/testing/service_process.h"
#include "common/testing/test_redis.h"
#include "common/testing/tokens.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"

namespace homecare::bench {
namespace {

namespace cv1 = checkin::v1;
using testing::ServiceProcess;
using testing::TestRedis;

struct Setup {
  std::string name;
  TestRedis::Kind redis;
  int replicas = 1;  // of each service
};

struct Options {
  ServiceBenchFlags bench;
  int tenants = 6;
  int clients = 200;
  int carers = 200;
  int days = 10;
};

// A setup's Redis and services; each service's replicas as one channel target.
struct Stack {
  std::unique_ptr<TestRedis> redis;
  std::vector<std::unique_ptr<ServiceProcess>> processes;
  std::string roster;
  std::string scheduling;
  std::string checkin;
};

absl::StatusOr<std::string> StartReplicas(const std::string& binary,
                                          const std::vector<std::string>& args, int replicas,
                                          Stack& stack) {
  std::vector<std::string> addresses;
  for (int replica = 0; replica < replicas; ++replica) {
    absl::StatusOr<std::unique_ptr<ServiceProcess>> started =
        ServiceProcess::Start({.binary = binary, .args = args});
    if (!started.ok()) return started.status();
    addresses.push_back((*started)->address());
    stack.processes.push_back(*std::move(started));
  }
  return absl::StrJoin(addresses, ",");
}

absl::Status StartStack(const Setup& setup, const testing::TestSecret& secret, Stack& stack) {
  absl::StatusOr<std::unique_ptr<TestRedis>> redis = TestRedis::Start(setup.redis);
  if (!redis.ok()) return redis.status();
  stack.redis = *std::move(redis);
  std::vector<std::string> common = stack.redis->ServiceArgs();
  common.insert(common.end(), {"--secret-file", secret.path()});
  auto with = [&common](std::vector<std::string> more) {
    more.insert(more.begin(), common.begin(), common.end());
    return more;
  };
  absl::StatusOr<std::string> roster =
      StartReplicas(HOMECARE_ROSTER_BINARY, with({}), setup.replicas, stack);
  if (!roster.ok()) return roster.status();
  stack.roster = *roster;
  absl::StatusOr<std::string> scheduling = StartReplicas(
      HOMECARE_SCHEDULING_BINARY, with({"--roster", stack.roster}), setup.replicas, stack);
  if (!scheduling.ok()) return scheduling.status();
  stack.scheduling = *scheduling;
  absl::StatusOr<std::string> checkin = StartReplicas(
      HOMECARE_CHECKIN_BINARY, with({"--scheduling", stack.scheduling}), setup.replicas, stack);
  if (!checkin.ok()) return checkin.status();
  stack.checkin = *checkin;
  return absl::OkStatus();
}

// Which master serves each tenant's slot, from the cluster's own map.
std::string TenantPlacement(RedisClient& redis, const std::vector<std::string>& tenants) {
  absl::StatusOr<RedisReply> slots = redis.Command({"CLUSTER", "SLOTS"});
  if (!slots.ok()) return std::string(slots.status().message());
  absl::StatusOr<std::vector<SlotRange>> ranges = ParseClusterSlots(*slots);
  if (!ranges.ok()) return std::string(ranges.status().message());
  std::map<std::string, std::vector<std::string>> by_master;
  for (const std::string& tenant : tenants) {
    const int slot = KeySlot(absl::StrCat("hc:{", tenant, "}:"));
    for (const SlotRange& range : *ranges) {
      if (slot >= range.first && slot <= range.last) {
        by_master[absl::StrCat(range.master.host, ":", range.master.port)].push_back(tenant);
      }
    }
  }
  std::vector<std::string> parts;
  for (const auto& [master, served] : by_master) {
    parts.push_back(absl::StrCat(master, " serves ", absl::StrJoin(served, ", ")));
  }
  return absl::StrJoin(parts, "; ");
}

struct SetupResult {
  std::vector<LoadResult> rows;  // per concurrency: the baseline, then CheckIn
  size_t visits = 0;
  std::string placement;
};

absl::StatusOr<SetupResult> RunSetup(const Setup& setup, const Options& options,
                                     const std::vector<int>& concurrencies) {
  testing::TestSecret secret;
  Stack stack;
  if (absl::Status started = StartStack(setup, secret, stack); !started.ok()) return started;

  std::vector<std::string> tenants;
  for (int t = 1; t <= options.tenants; ++t) {
    tenants.push_back(absl::StrCat(kBenchTenant, "-", t));
    if (absl::Status created =
            CreateBenchTenant(*stack.processes.front(), secret, tenants.back(), kBenchLocalities);
        !created.ok()) {
      return created;
    }
  }
  std::vector<std::vector<CheckInPair>> staffed(tenants.size());
  absl::Status failure;
  std::mutex failure_mutex;
  const absl::CivilDay monday = NextMonday();
  const bool seeded = ParallelFor(static_cast<int>(tenants.size()), 3, [&](int t) {
    absl::StatusOr<std::vector<CheckInPair>> pairs =
        StaffProvider(MakeChannel(stack.roster), MakeChannel(stack.scheduling), secret,
                      {.tenant = tenants[t],
                       .clients = options.clients,
                       .carers = options.carers,
                       .first_day = monday,
                       .days = options.days});
    if (!pairs.ok()) {
      std::lock_guard lock(failure_mutex);
      failure = pairs.status();
      return false;
    }
    staffed[t] = *std::move(pairs);
    return true;
  });
  if (!seeded) return failure;

  // The tenants' visits interleaved, so that calls in flight span every tenant.
  size_t supply = 0;
  for (const std::vector<CheckInPair>& tenant : staffed) supply += tenant.size();
  std::vector<CheckInPair> pairs;
  for (size_t i = 0; pairs.size() < supply; ++i) {
    for (const std::vector<CheckInPair>& tenant : staffed) {
      if (i < tenant.size()) pairs.push_back(tenant[i]);
    }
  }
  absl::StatusOr<std::unique_ptr<RedisClient>> redis =
      RedisClient::Create(stack.redis->ClientOptions());
  if (!redis.ok()) return redis.status();
  if (absl::Status followed = WaitUntilFollowed(**redis, pairs, absl::Minutes(5)); !followed.ok()) {
    return followed;
  }

  SetupResult result;
  result.visits = pairs.size();
  if (stack.redis->is_cluster()) result.placement = TenantPlacement(**redis, tenants);
  std::atomic<size_t> next{0};
  std::atomic<size_t> checked_in{0};
  const CallFactory check_in_calls =
      CheckInCalls([&stack] { return MakeChannel(stack.checkin); }, pairs, next, checked_in);
  const CallFactory health_check = HealthCheckCalls(stack.checkin);
  for (int concurrency : concurrencies) {
    result.rows.push_back(RunClosedLoop("Health/Check (baseline)", concurrency,
                                        options.bench.warmup(), options.bench.measured(),
                                        health_check));
    result.rows.push_back(RunClosedLoop("CheckIn: a carer at the door (GPS)", concurrency,
                                        options.bench.warmup(), options.bench.measured(),
                                        check_in_calls));
  }
  return result;
}

int Main(int argc, char** argv) {
  Options options;
  options.bench.seconds = 3;
  options.bench.concurrency = "64";
  FlagSet flags("checkin_scale_bench");
  options.bench.Register(flags);
  flags.AddInt("tenants", &options.tenants, "Providers, each a tenant of its own");
  flags.AddInt("clients", &options.clients, "Clients of each provider");
  flags.AddInt("carers", &options.carers, "Carers of each provider");
  flags.AddInt("days", &options.days, "Days of visits staffed: the supply to check in to");
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = options.bench.Concurrencies();
  if (!concurrencies.ok() || options.tenants < 1) {
    std::cerr << "bad --concurrency or --tenants\n";
    return 2;
  }
  if (options.bench.smoke) {
    options.tenants = std::min(options.tenants, 2);
    options.clients = std::min(options.clients, 20);
    options.carers = std::min(options.carers, 20);
    options.days = 14;  // a supply of about 1,600 visits for the short rows
  }

  // The middle setup splits the cost: what two replicas of each service cost on one Redis, and
  // what the cluster costs on top of that.
  const std::vector<Setup> setups = {
      {"one Redis, one replica of each service", TestRedis::Kind::kSingle, 1},
      {"one Redis, two replicas of each service", TestRedis::Kind::kSingle, 2},
      {"3-master cluster, two replicas of each service", TestRedis::Kind::kCluster, 2},
  };
  std::vector<SetupResult> results;
  for (const Setup& setup : setups) {
    std::cerr << "starting and seeding: " << setup.name << "\n";
    absl::StatusOr<SetupResult> result = RunSetup(setup, options, *concurrencies);
    if (!result.ok()) {
      std::cerr << setup.name << ": " << result.status() << "\n";
      return 1;
    }
    results.push_back(*std::move(result));
  }

  bool ok = true;
  for (size_t s = 0; s < setups.size(); ++s) {
    std::cout << absl::StrFormat(
        "%s: %d tenants of %d clients and %d carers, %d single-carer visits over %d day(s) "
        "staffed and followed\n",
        setups[s].name, options.tenants, options.clients, options.carers, results[s].visits,
        options.days);
    if (!results[s].placement.empty()) std::cout << "  " << results[s].placement << "\n";
    std::cout << FormatTable(results[s].rows);
    ok &= AllSucceeded(results[s].rows);
  }
  for (size_t s = 1; s < setups.size(); ++s) {
    for (size_t row = 0; row < results[0].rows.size(); ++row) {
      const LoadResult& base = results[0].rows[row];
      const LoadResult& other = results[s].rows[row];
      if (base.calls_per_second() <= 0) continue;
      std::cout << absl::StrFormat(
          "%s, %s at %d in flight: %.2f x the calls/s of one Redis and one replica (%.0f against "
          "%.0f), p50 %.2f x, p99 %.2f x\n",
          setups[s].name, base.name, base.concurrency,
          other.calls_per_second() / base.calls_per_second(), other.calls_per_second(),
          base.calls_per_second(), absl::FDivDuration(other.p50, base.p50),
          absl::FDivDuration(other.p99, base.p99));
    }
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
