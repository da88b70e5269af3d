// Benchmark of assignment on the provider of visits_bench (1,000 clients, about 3,000 visits a
// day) with 300 carers: AssignCarers beside grpc.health.v1.Health/Check on the same server,
// GetRota for a carer's week, the Redis memory an assignment takes, and how long after
// RecordAbsence returns the last of the carer's visits taken off reaches a WatchVisits stream.
// A real redis-server, homecare-roster and homecare-scheduling.
//
//   build/bench/assign_bench [--seconds 4] [--concurrency 1,8] [--clients 1000] [--carers 300]
//                            [--weeks 3] [--absences 10]
//
// Each AssignCarers call puts one carer on one visit of the coming weeks that the carer can
// take (no two visits of a carer in the same slot of a day), so every call is a successful
// assignment through every rule: the roster's facts (BatchGetCarers), the carer's days around
// the visit, the write with its carer-day check. --weeks of visits give the runs enough such
// pairs (about 8,400 a week with 300 carers); a run that uses them all fails its row.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "common/testing/watch_reader.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"

namespace homecare::bench {
namespace {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using sv1::SchedulingService;

struct Pair {
  std::string visit_id;
  int carer = 0;
  absl::CivilDay day;
};

// When each visit was last taken off a carer, as a WatchVisits stream saw it.
class Unassignments {
 public:
  void Seen(const std::string& visit_id, absl::Time at) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_[visit_id] = at;
    }
    changed_.notify_all();
  }
  // The latest arrival among `visit_ids`, once all have arrived (nullopt after `timeout`).
  std::optional<absl::Time> WaitForAll(const std::vector<std::string>& visit_ids,
                                       absl::Duration timeout) {
    std::unique_lock<std::mutex> lock(mutex_);
    const bool all = changed_.wait_for(lock, absl::ToChronoNanoseconds(timeout), [&] {
      for (const std::string& id : visit_ids) {
        if (!seen_.contains(id)) return false;
      }
      return true;
    });
    if (!all) return std::nullopt;
    absl::Time last = absl::InfinitePast();
    for (const std::string& id : visit_ids) last = std::max(last, seen_[id]);
    return last;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, absl::Time> seen_;
};

int Main(int argc, char** argv) {
  ServiceBenchFlags bench;
  int clients = 1000;
  int carer_count = 300;
  int absences = 10;
  int weeks = 3;
  FlagSet flags("assign_bench");
  bench.Register(flags);
  flags.AddInt("clients", &clients, "Clients of the provider");
  flags.AddInt("carers", &carer_count, "Carers of the provider");
  flags.AddInt("weeks", &weeks, "Weeks of visits to assign from");
  flags.AddInt("absences", &absences, "Absences recorded to time the visits taken off");
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = bench.Concurrencies();
  if (!concurrencies.ok()) {
    std::cerr << concurrencies.status().message() << "\n";
    return 2;
  }
  if (bench.smoke) {
    clients = std::min(clients, 40);
    carer_count = std::min(carer_count, 30);
    weeks = 1;
    absences = std::min(absences, 2);
  }

  testing::TestSecret secret;
  absl::StatusOr<SchedulingStack> stack =
      StartSchedulingStack(secret, HOMECARE_ROSTER_BINARY, HOMECARE_SCHEDULING_BINARY);
  if (!stack.ok()) {
    std::cerr << stack.status() << "\n";
    return 1;
  }
  testing::RedisServer& redis = *stack->redis;
  testing::ServiceProcess& roster = *stack->roster;
  testing::ServiceProcess& service = *stack->scheduling;

  const std::string token = secret.Token(Role::kCoordinator, kBenchTenant);
  auto stub = SchedulingService::NewStub(service.NewChannel());
  auto roster_stub = rv1::RosterService::NewStub(roster.NewChannel());
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const absl::CivilDay monday = NextMonday();
  absl::StatusOr<std::vector<std::string>> seeded = SeedCarers(*roster_stub, token, carer_count);
  absl::Status seeding = seeded.status();
  if (seeding.ok()) seeding = SeedClients(*stub, token, clients, monday);
  if (seeding.ok()) seeding = GenerateDays(*stub, token, monday, 7 * weeks);
  absl::StatusOr<std::vector<sv1::Visit>> visits = absl::CancelledError("not seeded");
  if (seeding.ok()) {
    visits = ListDays(*stub, token, monday, 7 * weeks);
    seeding = visits.status();
  }
  if (!seeding.ok()) {
    std::cerr << seeding.message() << "\n";
    return 1;
  }
  const std::vector<std::string>& carers = *seeded;
  const int visit_count = static_cast<int>(visits->size());
  // The pairs: in each slot of each day, the first visits each get a carer of their own.
  std::vector<Pair> pairs;
  for (const Staffing& staffing : OneCarerEach(*visits, carer_count)) {
    pairs.push_back({staffing.visit->visit_id(), staffing.carer, staffing.day});
  }
  // In the list's order (planned start), calls made together name different carers, as
  // coordinators staffing a round do.

  std::atomic<size_t> next_pair{0};
  std::mutex assigned_mutex;
  std::vector<const Pair*> assigned;
  auto assign_calls = [&](int) -> std::function<bool()> {
    auto scheduling = std::shared_ptr(SchedulingService::NewStub(service.NewChannel()));
    return [&, scheduling]() {
      const size_t index = next_pair++;
      if (index >= pairs.size()) return false;  // the week is full: a longer run needs more
      const Pair& pair = pairs[index];
      sv1::AssignCarersRequest request;
      request.set_visit_id(pair.visit_id);
      request.add_carer_ids(carers[pair.carer]);
      sv1::AssignCarersResponse response;
      grpc::ClientContext context;
      PrepareContext(context, token, absl::Seconds(10));
      grpc::Status status = scheduling->AssignCarers(&context, request, &response);
      if (!status.ok()) {
        std::cerr << "AssignCarers: " << status.error_message() << "\n";
        return false;
      }
      std::lock_guard<std::mutex> lock(assigned_mutex);
      assigned.push_back(&pair);
      return true;
    };
  };
  auto rota_calls = [&](int worker) -> std::function<bool()> {
    auto scheduling = std::shared_ptr(SchedulingService::NewStub(service.NewChannel()));
    return [&, scheduling, carer = worker]() mutable {
      sv1::GetRotaRequest request;
      request.set_carer_id(carers[carer]);
      *request.mutable_start_date() = DateToProto(monday);
      *request.mutable_end_date() = DateToProto(monday + 6);
      carer = (carer + 7) % carer_count;
      sv1::Rota rota;
      grpc::ClientContext context;
      PrepareContext(context, token, absl::Seconds(10));
      return scheduling->GetRota(&context, request, &rota).ok();
    };
  };

  absl::StatusOr<int64_t> memory_before = RedisUsedMemory(redis);
  CallFactory health_check = HealthCheckCalls(service);
  std::vector<LoadResult> results;
  for (int concurrency : *concurrencies) {
    results.push_back(RunClosedLoop("Health/Check (baseline)", concurrency, bench.warmup(),
                                    bench.measured(), health_check));
    results.push_back(RunClosedLoop("AssignCarers: one carer, one visit", concurrency,
                                    bench.warmup(), bench.measured(), assign_calls));
  }
  absl::StatusOr<int64_t> memory_after = RedisUsedMemory(redis);
  // A carer's week, once the week is staffed as far as the runs went.
  std::map<int, int> visits_of;
  for (const Pair* pair : assigned) {
    if (pair->day < monday + 7) ++visits_of[pair->carer];
  }
  for (int concurrency : *concurrencies) {
    results.push_back(RunClosedLoop("Health/Check (baseline)", concurrency, bench.warmup(),
                                    bench.measured(), health_check));
    results.push_back(RunClosedLoop("GetRota: a carer's week", concurrency, bench.warmup(),
                                    bench.measured(), rota_calls));
  }

  // Absences: the carer is off from Wednesday to the end of the first week; every visit of
  // theirs in that time comes off them, and the stream says so.
  Unassignments unassigned;
  testing::WatchReader<sv1::VisitChange> watch([&](grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer " + token);
    return stub->WatchVisits(&context, sv1::WatchVisitsRequest());
  });
  watch.WaitUntilWatching();
  std::thread reader([&] {
    while (std::optional<sv1::VisitChange> change = watch.Next()) {
      if (change->kind() == sv1::VisitChange::KIND_UNASSIGNED) {
        unassigned.Seen(change->visit().visit_id(), absl::Now());
      }
    }
  });
  std::vector<absl::Duration> latencies;
  std::vector<int> taken_off;
  const absl::Time off_from = LocalToInstant(absl::CivilSecond(monday + 2), zone);
  const absl::Time off_to = LocalToInstant(absl::CivilSecond(monday + 7), zone);
  for (int sample = 0; sample < absences && sample < carer_count; ++sample) {
    const int carer = (sample * 37) % carer_count;
    std::vector<std::string> expected;
    for (const Pair* pair : assigned) {
      if (pair->carer == carer && pair->day >= monday + 2 && pair->day < monday + 7) {
        expected.push_back(pair->visit_id);
      }
    }
    if (expected.empty()) continue;
    rv1::RecordAbsenceRequest request;
    request.mutable_absence()->set_carer_id(carers[carer]);
    request.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
    *request.mutable_absence()->mutable_start_time() = TimeToProto(off_from);
    *request.mutable_absence()->mutable_end_time() = TimeToProto(off_to);
    rv1::Absence absence;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    if (grpc::Status status = roster_stub->RecordAbsence(&context, request, &absence);
        !status.ok()) {
      std::cerr << "RecordAbsence: " << status.error_message() << "\n";
      break;
    }
    const absl::Time recorded = absl::Now();
    std::optional<absl::Time> last = unassigned.WaitForAll(expected, absl::Seconds(30));
    if (!last.has_value()) {
      std::cerr << "the visits of carer " << carer << " did not all come off within 30 s\n";
      watch.Cancel();
      reader.join();
      return 1;
    }
    latencies.push_back(*last - recorded);
    taken_off.push_back(static_cast<int>(expected.size()));
  }
  watch.Cancel();
  reader.join();

  std::cout << absl::StrFormat(
      "Provider: %d clients, %d carers, %d visits in %d week(s); %d single-carer visits a carer "
      "could take, %d assigned by the runs below\n",
      clients, carer_count, visit_count, weeks, pairs.size(), assigned.size());
  std::cout << FormatTable(results);
  if (memory_before.ok() && memory_after.ok() && !assigned.empty()) {
    std::cout << absl::StrFormat(
        "Redis memory: %d assignments took %d bytes, %.0f bytes an assignment (carer and "
        "continuity indexes, carer-day versions, the change entry)\n",
        assigned.size(), *memory_after - *memory_before,
        static_cast<double>(*memory_after - *memory_before) / assigned.size());
  }
  if (!visits_of.empty()) {
    int most = 0;
    for (const auto& [carer, count] : visits_of) most = std::max(most, count);
    std::cout << absl::StrFormat("GetRota: a carer's first week holds up to %d visits\n", most);
  }
  if (!latencies.empty()) {
    std::vector<absl::Duration> sorted = latencies;
    std::sort(sorted.begin(), sorted.end());
    int visits = 0;
    for (int count : taken_off) visits += count;
    std::cout << absl::StrFormat(
        "RecordAbsence returned -> the last of the carer's visits taken off on WatchVisits: "
        "%d absences, %.1f visits each; median %s, max %s\n",
        latencies.size(), static_cast<double>(visits) / latencies.size(),
        absl::FormatDuration(sorted[sorted.size() / 2]), absl::FormatDuration(sorted.back()));
  }
  return AllSucceeded(results) ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
