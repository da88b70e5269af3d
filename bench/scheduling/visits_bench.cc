// Benchmark of the scheduling service for a provider of 1,000 clients with care plans (about
// 3,000 visits a day): GenerateVisits for a week, ListVisits for a day, and the Redis memory a
// visit takes. A real redis-server, homecare-roster and homecare-scheduling.
//
//   build/bench/visits_bench [--seconds 5] [--concurrency 1,8] [--clients 1000]
//
// The provider: five localities; clients with four visits a day (four in ten), three (three in
// ten), two (two in ten) or one (one in ten), 3.0 a day on average; one bedtime visit in ten is
// a double-up. Baselines in the same run: for generation, writing the same visit records to the
// same Redis with pipelined SETs (the floor of moving those bytes); for lists,
// grpc.health.v1.Health/Check on the same server.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/redis/redis_client.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"

namespace homecare::bench {
namespace {

namespace sv1 = scheduling::v1;
using sv1::SchedulingService;

int Main(int argc, char** argv) {
  ServiceBenchFlags bench;
  int clients = 1000;
  FlagSet flags("visits_bench");
  bench.Register(flags);
  flags.AddInt("clients", &clients, "Clients of the provider");
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = bench.Concurrencies();
  if (!concurrencies.ok()) {
    std::cerr << concurrencies.status().message() << "\n";
    return 2;
  }
  if (bench.smoke) clients = std::min(clients, 20);

  testing::TestSecret secret;
  absl::StatusOr<SchedulingStack> stack =
      StartSchedulingStack(secret, HOMECARE_ROSTER_BINARY, HOMECARE_SCHEDULING_BINARY);
  if (!stack.ok()) {
    std::cerr << stack.status() << "\n";
    return 1;
  }
  testing::RedisServer& redis = *stack->redis;
  testing::ServiceProcess& service = *stack->scheduling;

  const std::string token = secret.Token(Role::kCoordinator, kBenchTenant);
  auto stub = SchedulingService::NewStub(service.NewChannel());
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const absl::CivilDay monday = NextMonday();
  if (absl::Status seeded = SeedClients(*stub, token, clients, monday); !seeded.ok()) {
    std::cerr << seeded.message() << "\n";
    return 1;
  }

  // GenerateVisits for the week, then again (every visit already present).
  auto generate = [&](absl::CivilDay first, absl::CivilDay last, sv1::GenerateVisitsResponse* out,
                      absl::Duration* took) {
    sv1::GenerateVisitsRequest request;
    *request.mutable_start_date() = DateToProto(first);
    *request.mutable_end_date() = DateToProto(last);
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(600));
    const absl::Time started = absl::Now();
    grpc::Status status = stub->GenerateVisits(&context, request, out);
    *took = absl::Now() - started;
    if (!status.ok()) std::cerr << "GenerateVisits: " << status.error_message() << "\n";
    return status.ok();
  };
  absl::StatusOr<int64_t> before = RedisUsedMemory(redis);
  sv1::GenerateVisitsResponse week;
  absl::Duration week_took;
  if (!generate(monday, monday + 6, &week, &week_took)) return 1;
  absl::StatusOr<int64_t> after = RedisUsedMemory(redis);
  sv1::GenerateVisitsResponse repeat;
  absl::Duration repeat_took;
  if (!generate(monday, monday + 6, &repeat, &repeat_took)) return 1;

  // The baseline of generation: the same records written with pipelined SETs, 200 a round trip,
  // to other keys of the same Redis.
  absl::Duration baseline_took;
  {
    auto client = RedisClient::Create(RedisOptions{.address = redis.address()});
    if (!client.ok()) {
      std::cerr << client.status() << "\n";
      return 1;
    }
    sv1::ListVisitsRequest one;
    one.set_page_size(1);
    sv1::ListVisitsResponse sample;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    if (!stub->ListVisits(&context, one, &sample).ok() || sample.visits().empty()) {
      std::cerr << "no visit to copy for the baseline\n";
      return 1;
    }
    const std::string bytes = sample.visits(0).SerializeAsString();
    const absl::Time started = absl::Now();
    for (int done = 0; done < week.visits_created();) {
      std::vector<std::vector<std::string>> batch;
      for (int j = 0; j < 200 && done < week.visits_created(); ++j, ++done) {
        batch.push_back({"SET", absl::StrCat("baseline:", done), bytes});
      }
      if (!(*client)->Pipeline(batch).ok()) {
        std::cerr << "baseline SETs failed\n";
        return 1;
      }
    }
    baseline_took = absl::Now() - started;
  }

  // ListVisits: the busiest locality's Tuesday, one page; the whole Tuesday, every page.
  const absl::CivilDay tuesday = monday + 1;
  auto day_request = [&](const std::string& locality) {
    sv1::ListVisitsRequest request;
    *request.mutable_start_time() = TimeToProto(LocalToInstant(absl::CivilSecond(tuesday), zone));
    *request.mutable_end_time() = TimeToProto(LocalToInstant(absl::CivilSecond(tuesday + 1), zone));
    request.set_locality_id(locality);
    request.set_page_size(200);
    return request;
  };
  auto list_calls = [&](sv1::ListVisitsRequest request, bool every_page, int* visits_seen) {
    return [&, request, every_page, visits_seen](int) -> std::function<bool()> {
      auto scheduling = SchedulingService::NewStub(service.NewChannel());
      return [scheduling = std::shared_ptr(std::move(scheduling)), request, every_page, visits_seen,
              &token]() mutable {
        sv1::ListVisitsRequest page_request = request;
        int seen = 0;
        do {
          grpc::ClientContext context;
          PrepareContext(context, token, absl::Seconds(10));
          sv1::ListVisitsResponse page;
          if (!scheduling->ListVisits(&context, page_request, &page).ok()) return false;
          seen += page.visits_size();
          page_request.set_page_token(every_page ? page.next_page_token() : "");
        } while (!page_request.page_token().empty());
        if (visits_seen != nullptr) *visits_seen = seen;
        return true;
      };
    };
  };
  int locality_day = 0;
  int whole_day = 0;
  CallFactory health_check = HealthCheckCalls(service);
  std::vector<LoadResult> results;
  for (int concurrency : *concurrencies) {
    results.push_back(RunClosedLoop("Health/Check (baseline)", concurrency, bench.warmup(),
                                    bench.measured(), health_check));
    results.push_back(RunClosedLoop("ListVisits: 1 locality's day, 1 page", concurrency,
                                    bench.warmup(), bench.measured(),
                                    list_calls(day_request("north"), false, &locality_day)));
    results.push_back(RunClosedLoop("ListVisits: whole day, every page", concurrency,
                                    bench.warmup(), bench.measured(),
                                    list_calls(day_request(""), true, &whole_day)));
  }

  std::cout << absl::StrFormat(
      "Provider: %d clients, %d visits in the week (%.0f a day)\n"
      "GenerateVisits, one week:      %8.2f s  %8.0f visits/s  (%d created)\n"
      "  the same week again:         %8.2f s  %8.0f visits/s  (%d already present)\n"
      "  baseline, pipelined SETs:    %8.2f s  %8.0f visits/s  -> generation costs %.1fx the "
      "baseline\n",
      clients, week.visits_created(), week.visits_created() / 7.0, absl::ToDoubleSeconds(week_took),
      week.visits_created() / absl::ToDoubleSeconds(week_took), week.visits_created(),
      absl::ToDoubleSeconds(repeat_took),
      repeat.visits_already_present() / absl::ToDoubleSeconds(repeat_took),
      repeat.visits_already_present(), absl::ToDoubleSeconds(baseline_took),
      week.visits_created() / absl::ToDoubleSeconds(baseline_took),
      absl::ToDoubleSeconds(week_took) / absl::ToDoubleSeconds(baseline_took));
  std::cout << absl::StrFormat(
      "ListVisits rows: one page of a locality's day holds %d visits, "
      "the whole day %d\n",
      locality_day, whole_day);
  std::cout << FormatTable(results);
  if (before.ok() && after.ok() && week.visits_created() > 0) {
    std::cout << absl::StrFormat(
        "Redis memory: %d visits took %d bytes, %.0f bytes a visit (record, three indexes, change "
        "entry)\n",
        week.visits_created(), *after - *before,
        static_cast<double>(*after - *before) / week.visits_created());
  }
  if (!AllSucceeded(results)) return 1;
  if (repeat.visits_created() != 0) {
    std::cerr << "a repeated generation created visits\n";
    return 1;
  }
  return 0;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
