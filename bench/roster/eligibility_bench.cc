// Benchmark of ListEligibleCarers for a provider of 300 carers with availability and absences,
// against grpc.health.v1.Health/Check on the same server in the same run, and the Redis memory
// a carer takes. A real redis-server and a real homecare-roster process.
//
//   build/bench/eligibility_bench [--seconds 5] [--concurrency 1,8] [--carers 300]
//
// The provider: five localities; every carer with a weekly pattern of split shifts (07:00 to
// 13:00 and 16:00 to 22:00 on weekdays, some weekends, a night block for one in ten), a dated
// exception on one day in twenty, skills of which some lapse, and one in ten absent (half of them
// open-ended sickness). The queries ask who is free for a 30-minute visit next Tuesday at 08:00
// in one locality with a skill (the scheduler's common question), and in every locality.
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/load/load_generator.h"
#include "bench/load/service_bench.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/tokens.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare::bench {
namespace {

using roster::v1::RosterService;
namespace rv1 = roster::v1;

constexpr char kTenant[] = "bench-care";
const char* const kLocalities[] = {"north", "south", "east", "west", "central"};

common::v1::LocalTimeRange Range(int start_hour, int end_hour) {
  common::v1::LocalTimeRange range;
  *range.mutable_start() = TimeOfDayFromMinutes(start_hour * 60);
  *range.mutable_end() = TimeOfDayFromMinutes(end_hour * 60);
  return range;
}

// Makes carer `i` with its availability and, for one in ten, an absence.
grpc::Status SeedCarer(RosterService::Stub& stub, const std::string& token, int i,
                       absl::CivilDay today, absl::TimeZone zone) {
  rv1::CreateCarerRequest create;
  create.set_request_id(absl::StrCat("seed-", i));
  rv1::Carer& carer = *create.mutable_carer();
  carer.set_display_name(absl::StrCat("Carer ", i));
  carer.set_gender(i % 3 == 0 ? common::v1::GENDER_MALE : common::v1::GENDER_FEMALE);
  carer.set_locality_id(kLocalities[i % 5]);
  carer.mutable_home()->set_latitude(51.4 + (i % 17) * 0.01);
  carer.mutable_home()->set_longitude(-0.2 + (i % 13) * 0.01);
  carer.set_contracted_minutes_per_week(1800);
  carer.set_max_minutes_per_day(600);
  carer.set_hourly_rate_pence(1300 + i % 200);
  carer.set_travel_mode(i % 4 == 0 ? rv1::TRAVEL_MODE_WALKS : rv1::TRAVEL_MODE_DRIVES);
  carer.add_skills()->set_skill("personal-care");
  if (i % 2 == 0) carer.add_skills()->set_skill("medication");
  if (i % 5 == 0) {
    rv1::CarerSkill& hoist = *carer.add_skills();
    hoist.set_skill("hoist");
    *hoist.mutable_expires_on() = DateToProto(today + (i % 10 == 0 ? -3 : 200));
  }
  rv1::Carer created;
  {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    grpc::Status status = stub.CreateCarer(&context, create, &created);
    if (!status.ok()) return status;
  }

  rv1::SetAvailabilityRequest set;
  rv1::Availability& availability = *set.mutable_availability();
  availability.set_carer_id(created.carer_id());
  for (int day = 1; day <= 7; ++day) {
    if (day >= 6 && i % 3 != 0) continue;  // a third work weekends
    for (auto [from, to] : {std::pair{7, 13}, std::pair{16, 22}}) {
      rv1::WeeklyBlock& block = *availability.add_weekly();
      block.set_day(static_cast<common::v1::DayOfWeek>(day));
      *block.mutable_time() = Range(from, to);
    }
  }
  if (i % 10 == 1) {  // a night carer: 22:00 to 07:00 on Sundays
    rv1::WeeklyBlock& night = *availability.add_weekly();
    night.set_day(common::v1::DAY_OF_WEEK_SUNDAY);
    *night.mutable_time() = Range(22, 7);
  }
  if (i % 20 == 0) {
    rv1::AvailabilityException& exception = *availability.add_exceptions();
    *exception.mutable_date() = DateToProto(today + 5);
    exception.set_unavailable_all_day(true);
  }
  {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    rv1::Availability stored;
    grpc::Status status = stub.SetAvailability(&context, set, &stored);
    if (!status.ok()) return status;
  }

  if (i % 10 == 3) {
    rv1::RecordAbsenceRequest absence;
    absence.set_request_id(absl::StrCat("absence-", i));
    absence.mutable_absence()->set_carer_id(created.carer_id());
    absence.mutable_absence()->set_kind(i % 20 == 3 ? rv1::ABSENCE_KIND_SICKNESS
                                                    : rv1::ABSENCE_KIND_ANNUAL_LEAVE);
    absl::Time start = LocalToInstant(absl::CivilSecond(today - 2), zone);
    *absence.mutable_absence()->mutable_start_time() = TimeToProto(start);
    if (i % 20 != 3) {
      *absence.mutable_absence()->mutable_end_time() = TimeToProto(start + absl::Hours(24 * 14));
    }
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    rv1::Absence recorded;
    grpc::Status status = stub.RecordAbsence(&context, absence, &recorded);
    if (!status.ok()) return status;
  }
  return grpc::Status::OK;
}

int Main(int argc, char** argv) {
  ServiceBenchFlags bench;
  int carers = 300;
  FlagSet flags("eligibility_bench");
  bench.Register(flags);
  flags.AddInt("carers", &carers, "Carers of the provider");
  if (std::optional<int> exit_code = ParseBenchFlags(flags, argc, argv)) return *exit_code;
  absl::StatusOr<std::vector<int>> concurrencies = bench.Concurrencies();
  if (!concurrencies.ok()) {
    std::cerr << concurrencies.status().message() << "\n";
    return 2;
  }
  if (bench.smoke) carers = std::min(carers, 30);
  const absl::Duration measured = bench.measured();
  const absl::Duration warmup = bench.warmup();

  testing::TestSecret secret;
  auto redis = testing::RedisServer::Start();
  if (!redis.ok()) {
    std::cerr << redis.status() << "\n";
    return 1;
  }
  auto service = testing::ServiceProcess::Start(
      {.binary = HOMECARE_ROSTER_BINARY,
       .args = {"--redis", (*redis)->address(), "--secret-file", secret.path()}});
  if (!service.ok()) {
    std::cerr << service.status() << "\n";
    return 1;
  }
  const std::string token = secret.Token(Role::kCoordinator, kTenant);
  auto stub = RosterService::NewStub((*service)->NewChannel());
  if (absl::Status created = CreateBenchTenant(**service, secret, kTenant, kLocalities);
      !created.ok()) {
    std::cerr << "CreateTenant: " << created.message() << "\n";
    return 1;
  }

  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const absl::CivilDay today = LocalDay(absl::Now(), zone);
  absl::StatusOr<int64_t> before = RedisUsedMemory(**redis);
  for (int i = 0; i < carers; ++i) {
    grpc::Status status = SeedCarer(*stub, token, i, today, zone);
    if (!status.ok()) {
      std::cerr << "seeding carer " << i << ": " << status.error_message() << "\n";
      return 1;
    }
  }
  absl::StatusOr<int64_t> after = RedisUsedMemory(**redis);
  absl::StatusOr<RedisReply> stream =
      (*redis)->Command({"MEMORY", "USAGE", absl::StrCat("hc:{", kTenant, "}:roster:changes")});

  // Next Tuesday 08:00 to 08:30 local time.
  absl::CivilDay tuesday = today + 1;
  while (absl::GetWeekday(tuesday) != absl::Weekday::tuesday) ++tuesday;
  const absl::Time window_start = LocalToInstant(absl::CivilSecond(tuesday) + 8 * 3600, zone);
  auto eligible = [&](const std::string& locality, const std::string& skill) {
    rv1::ListEligibleCarersRequest request;
    *request.mutable_window_start() = TimeToProto(window_start);
    *request.mutable_window_end() = TimeToProto(window_start + absl::Minutes(30));
    request.set_locality_id(locality);
    if (!skill.empty()) request.add_required_skills(skill);
    request.set_page_size(200);
    return request;
  };
  int found_north = 0;
  int found_all = 0;
  for (auto [request, found] : {std::pair{eligible("north", "medication"), &found_north},
                                std::pair{eligible("", ""), &found_all}}) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    rv1::ListEligibleCarersResponse response;
    grpc::Status status = stub->ListEligibleCarers(&context, request, &response);
    if (!status.ok()) {
      std::cerr << "ListEligibleCarers: " << status.error_message() << "\n";
      return 1;
    }
    *found = response.carers_size();
  }

  CallFactory health_check = HealthCheckCalls(**service);
  auto list_eligible = [&](rv1::ListEligibleCarersRequest request) {
    return [&, request](int) -> std::function<bool()> {
      auto roster = RosterService::NewStub((*service)->NewChannel());
      return [roster = std::shared_ptr(std::move(roster)), request, &token] {
        grpc::ClientContext context;
        PrepareContext(context, token, absl::Seconds(10));
        rv1::ListEligibleCarersResponse response;
        return roster->ListEligibleCarers(&context, request, &response).ok();
      };
    };
  };

  std::vector<LoadResult> results;
  for (int concurrency : *concurrencies) {
    results.push_back(
        RunClosedLoop("Health/Check (baseline)", concurrency, warmup, measured, health_check));
    results.push_back(RunClosedLoop(
        absl::StrCat("Eligible: 1 locality + skill (", found_north, " found)"), concurrency, warmup,
        measured, list_eligible(eligible("north", "medication"))));
    results.push_back(
        RunClosedLoop(absl::StrCat("Eligible: all ", carers, " carers (", found_all, " found)"),
                      concurrency, warmup, measured, list_eligible(eligible("", ""))));
  }
  std::cout << FormatTable(results);
  if (before.ok() && after.ok()) {
    const double per_carer = static_cast<double>(*after - *before) / carers;
    std::cout << absl::StrFormat(
        "Redis memory: %d carers with availability and absences took "
        "%d bytes, %.0f bytes a carer",
        carers, *after - *before, per_carer);
    if (stream.ok() && stream->type == RedisReply::Type::kInteger) {
      std::cout << absl::StrFormat(" (of which the change stream %.0f)",
                                   static_cast<double>(stream->integer) / carers);
    }
    std::cout << "\n";
  }
  if (!AllSucceeded(results)) return 1;
  return 0;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
