// Benchmark of the check-in service on the provider of the scheduling benchmarks (1,000 clients,
// about 3,000 visits a day) with 1,000 carers, each visit of the coming week staffed: CheckIn
// beside grpc.health.v1.Health/Check on the same server, SyncEvents of 50 queued events (25
// visits in and out), and the Redis memory a completed visit record takes. Real redis-server
// (appendfsync always, as in production), homecare-roster, homecare-scheduling and
// homecare-checkin, on the real clock.
//
//   build/bench/checkin_bench [--seconds 5] [--concurrency 64] [--sync-concurrency 8]
//                             [--clients 1000] [--carers 1000] [--days 10]
//
// Every event is a carer's own (a carer token) on a visit they are assigned to, at the
// client's door, once: each CheckIn starts a visit's record, as on a working day. The check-in
// service has followed every assignment from scheduling's WatchVisits before the runs start, so no
// call falls back to asking scheduling. Each row takes visits from the week's supply; a run that
// uses them all fails its row (give --days).
#include <algorithm>
#include <atomic>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/checkin/checkin_supply.h"
#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"

namespace homecare::bench {
namespace {

namespace cv1 = checkin::v1;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using cv1::CheckInService;
using sv1::SchedulingService;

int Main(int argc, char** argv) {
  ServiceBenchFlags bench;
  bench.concurrency = "64";
  int sync_concurrency = 8;
  int clients = 1000;
  int carer_count = 1000;
  int days = 10;
  int workers = 0;
  FlagSet flags("checkin_bench");
  bench.Register(flags);
  flags.AddInt("sync-concurrency", &sync_concurrency, "SyncEvents calls in flight");
  flags.AddInt("clients", &clients, "Clients of the provider");
  flags.AddInt("carers", &carer_count, "Carers of the provider");
  flags.AddInt("days", &days, "Days of visits staffed: the supply of visits to check in to");
  flags.AddInt("workers", &workers,
               "homecare-checkin's --workers and --redis-pool-size (0: its defaults)");
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = bench.Concurrencies();
  if (!concurrencies.ok()) {
    std::cerr << concurrencies.status().message() << "\n";
    return 2;
  }
  if (bench.smoke) {
    clients = std::min(clients, 40);
    carer_count = std::min(carer_count, 40);
    days = 14;  // a supply of about 1,500 visits for the short rows
    sync_concurrency = std::min(sync_concurrency, 2);
  }

  testing::TestSecret secret;
  absl::StatusOr<SchedulingStack> stack =
      StartSchedulingStack(secret, HOMECARE_ROSTER_BINARY, HOMECARE_SCHEDULING_BINARY);
  if (!stack.ok()) {
    std::cerr << stack.status() << "\n";
    return 1;
  }
  testing::RedisServer& redis = *stack->redis;
  std::vector<std::string> args = {"--redis",     redis.address(), "--secret-file",
                                   secret.path(), "--scheduling",  stack->scheduling->address()};
  if (workers > 0) {
    args.insert(args.end(),
                {"--workers", absl::StrCat(workers), "--redis-pool-size", absl::StrCat(workers)});
  }
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> started =
      testing::ServiceProcess::Start({.binary = HOMECARE_CHECKIN_BINARY, .args = args});
  if (!started.ok()) {
    std::cerr << started.status() << "\n";
    return 1;
  }
  testing::ServiceProcess& service = **started;

  const std::string token = secret.Token(Role::kCoordinator, kBenchTenant);
  absl::StatusOr<std::vector<CheckInPair>> staffed =
      StaffProvider(stack->roster->NewChannel(), stack->scheduling->NewChannel(), secret,
                    {.tenant = kBenchTenant,
                     .clients = clients,
                     .carers = carer_count,
                     .first_day = NextMonday(),
                     .days = days});
  RedisOptions redis_options;
  redis_options.address = redis.address();
  absl::StatusOr<std::unique_ptr<RedisClient>> follower_check = RedisClient::Create(redis_options);
  absl::Status followed = staffed.status();
  if (followed.ok()) followed = follower_check.status();
  if (followed.ok()) followed = WaitUntilFollowed(**follower_check, *staffed, absl::Minutes(5));
  if (!followed.ok()) {
    std::cerr << followed.message() << "\n";
    return 1;
  }
  const std::vector<CheckInPair>& pairs = *staffed;
  // What a visit's view costs, from a sample of them.
  int64_t view_bytes = 0;
  int views = 0;
  for (size_t i = 0; i < pairs.size(); i += std::max<size_t>(1, pairs.size() / 200)) {
    absl::StatusOr<RedisReply> usage = redis.Command({"MEMORY", "USAGE", CheckInViewKey(pairs[i])});
    if (usage.ok()) {
      view_bytes += usage->integer;
      ++views;
    }
  }

  // Each row takes the next visits of the supply.
  std::atomic<size_t> next_in{0};
  std::atomic<size_t> checked_in{0};
  const CallFactory check_in_calls =
      CheckInCalls([&service] { return service.NewChannel(); }, pairs, next_in, checked_in);
  // SyncEvents: 25 visits' check-ins and check-outs queued by one phone. The queue mixes carers
  // (a coordinator's token may send any carer's), so that a call is 50 events of 25 visits.
  constexpr int kVisitsPerSync = 25;
  auto sync_calls = [&](int) -> std::function<bool()> {
    auto stub = std::shared_ptr(CheckInService::NewStub(service.NewChannel()));
    return [&, stub]() {
      const size_t first = next_in.fetch_add(kVisitsPerSync);
      if (first + kVisitsPerSync > pairs.size()) return false;
      cv1::SyncEventsRequest request;
      for (size_t index = first; index < first + kVisitsPerSync; ++index) {
        const CheckInPair& pair = pairs[index];
        // Queued while offline: in 40 minutes ago, out 10 minutes ago.
        cv1::CheckInRequest in =
            EventAtTheDoor<cv1::CheckInRequest>(pair, absl::StrCat("in-", index));
        in.set_carer_id(pair.carer_id);
        *in.mutable_device_time() = TimeToProto(absl::Now() - absl::Minutes(40));
        *request.add_events()->mutable_check_in() = std::move(in);
        cv1::CheckOutRequest out =
            EventAtTheDoor<cv1::CheckOutRequest>(pair, absl::StrCat("out-", index));
        out.set_carer_id(pair.carer_id);
        *out.mutable_device_time() = TimeToProto(absl::Now() - absl::Minutes(10));
        *request.add_events()->mutable_check_out() = std::move(out);
      }
      cv1::SyncEventsResponse response;
      grpc::ClientContext context;
      PrepareContext(context, token, absl::Seconds(30));
      grpc::Status status = stub->SyncEvents(&context, request, &response);
      if (!status.ok()) {
        std::cerr << "SyncEvents: " << status.error_message() << "\n";
        return false;
      }
      for (const cv1::EventResult& result : response.results()) {
        if (result.code() != 0) {
          std::cerr << "SyncEvents: event " << result.event_id() << ": " << result.message()
                    << "\n";
          return false;
        }
      }
      return true;
    };
  };

  CallFactory health_check = HealthCheckCalls(service);
  std::vector<LoadResult> results;
  absl::StatusOr<int64_t> memory_before = RedisUsedMemory(redis);
  for (int concurrency : *concurrencies) {
    results.push_back(RunClosedLoop("Health/Check (baseline)", concurrency, bench.warmup(),
                                    bench.measured(), health_check));
    // On stderr, for a profiler to start on (see the README).
    std::cerr << "measuring CheckIn at " << concurrency << " in flight\n";
    results.push_back(RunClosedLoop("CheckIn: a carer at the door (GPS)", concurrency,
                                    bench.warmup(), bench.measured(), check_in_calls));
  }
  // Every visit checked in is checked out (not timed: a check-out costs what a check-in does),
  // so that the memory is that of completed records.
  const size_t records = checked_in.load();
  auto check_out_stub = CheckInService::NewStub(service.NewChannel());
  const bool completed = ParallelFor(static_cast<int>(records), 8, [&](int index) {
    const CheckInPair& pair = pairs[index];
    cv1::CheckOutRequest request =
        EventAtTheDoor<cv1::CheckOutRequest>(pair, absl::StrCat("out-", index));
    request.set_visit_outcome(cv1::VISIT_OUTCOME_COMPLETED);
    cv1::CheckOutResponse response;
    grpc::ClientContext context;
    PrepareContext(context, pair.carer_token, absl::Seconds(10));
    grpc::Status status = check_out_stub->CheckOut(&context, request, &response);
    if (!status.ok()) std::cerr << "CheckOut: " << status.error_message() << "\n";
    return status.ok();
  });
  if (!completed) return 1;
  absl::StatusOr<int64_t> memory_after = RedisUsedMemory(redis);
  results.push_back(RunClosedLoop("Health/Check (baseline)", sync_concurrency, bench.warmup(),
                                  bench.measured(), health_check));
  results.push_back(RunClosedLoop("SyncEvents: 50 events (25 visits in and out)", sync_concurrency,
                                  bench.warmup(), bench.measured(), sync_calls));

  std::cout << absl::StrFormat(
      "Provider: %d clients, %d carers; %d single-carer visits over %d day(s) staffed and "
      "followed by the check-in service\n",
      clients, carer_count, pairs.size(), days);
  std::cout << FormatTable(results);
  const LoadResult& sync = results.back();
  std::cout << absl::StrFormat("SyncEvents: %.0f events/s at %d calls in flight\n",
                               sync.calls_per_second() * 2 * kVisitsPerSync, sync_concurrency);
  if (memory_before.ok() && memory_after.ok() && records > 0) {
    std::cout << absl::StrFormat(
        "Redis memory: %d visits checked in and out took %d bytes, %.0f bytes a visit record "
        "(the record, its two events, their id keys, the indexes)",
        records, *memory_after - *memory_before,
        static_cast<double>(*memory_after - *memory_before) / records);
    if (views > 0) {
      std::cout << absl::StrFormat("; its visit view %d bytes more", view_bytes / views);
    }
    std::cout << "\n";
  }
  return AllSucceeded(results) ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
