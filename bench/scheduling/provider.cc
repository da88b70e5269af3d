#include "bench/scheduling/provider.h"

#include <map>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bench/load/service_bench.h"
#include "common/client/channel.h"
#include "common/time/time.h"

namespace homecare::bench {
namespace {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;

sv1::VisitPattern Pattern(const std::string& id, int start_minutes, int duration, int carers,
                          const std::vector<std::string>& tasks) {
  sv1::VisitPattern pattern;
  pattern.set_pattern_id(id);
  for (int day = 1; day <= 7; ++day) pattern.add_days(static_cast<common::v1::DayOfWeek>(day));
  *pattern.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(start_minutes);
  *pattern.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(start_minutes + 60);
  pattern.set_duration_minutes(duration);
  pattern.set_carers_required(carers);
  pattern.add_required_skills("personal-care");
  for (const std::string& task : tasks) pattern.add_tasks()->set_description(task);
  return pattern;
}

}  // namespace

absl::StatusOr<SchedulingStack> StartSchedulingStack(const testing::TestSecret& secret,
                                                     const std::string& roster_binary,
                                                     const std::string& scheduling_binary,
                                                     const testing::TestClock* clock) {
  SchedulingStack stack;
  absl::StatusOr<std::unique_ptr<testing::RedisServer>> redis = testing::RedisServer::Start();
  if (!redis.ok()) return redis.status();
  stack.redis = *std::move(redis);
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> roster = testing::ServiceProcess::Start(
      {.binary = roster_binary,
       .args = {"--redis", stack.redis->address(), "--secret-file", secret.path()},
       .clock = clock});
  if (!roster.ok()) return roster.status();
  stack.roster = *std::move(roster);
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> scheduling =
      testing::ServiceProcess::Start({.binary = scheduling_binary,
                                      .args = {"--redis", stack.redis->address(), "--secret-file",
                                               secret.path(), "--roster", stack.roster->address()},
                                      .clock = clock});
  if (!scheduling.ok()) return scheduling.status();
  stack.scheduling = *std::move(scheduling);
  if (absl::Status created =
          CreateBenchTenant(*stack.roster, secret, kBenchTenant, kBenchLocalities);
      !created.ok()) {
    return created;
  }
  return stack;
}

absl::CivilDay NextMonday() {
  absl::CivilDay monday = LocalDay(absl::Now(), *LoadTimeZone("Europe/London")) + 1;
  while (absl::GetWeekday(monday) != absl::Weekday::monday) ++monday;
  return monday;
}

grpc::Status SeedClient(sv1::SchedulingService::Stub& stub, const std::string& token, int i,
                        absl::CivilDay effective) {
  sv1::CreateClientRequest create;
  create.set_request_id(absl::StrCat("client-", i));
  sv1::Client& client = *create.mutable_client();
  client.set_display_name(absl::StrCat("Client ", i));
  client.set_locality_id(kBenchLocalities[i % 5]);
  client.mutable_location()->set_latitude(51.4 + (i % 31) * 0.005);
  client.mutable_location()->set_longitude(-0.2 + (i % 29) * 0.005);
  client.set_address_line(absl::StrCat(i, " Long Street"));
  client.set_access_notes("Key safe by the door");
  sv1::Client created;
  {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    grpc::Status status = stub.CreateClient(&context, create, &created);
    if (!status.ok()) return status;
  }
  sv1::CreateCarePlanRequest plan_request;
  plan_request.set_request_id(absl::StrCat("plan-", i));
  sv1::CarePlan& plan = *plan_request.mutable_care_plan();
  plan.set_client_id(created.client_id());
  *plan.mutable_effective_date() = DateToProto(effective);
  plan.add_outcomes()->set_description("To stay safely at home");
  const int kind = i % 10;  // 0-3: four a day, 4-6: three, 7-8: two, 9: one
  const int bed_carers = i % 10 == 0 ? 2 : 1;
  *plan.add_patterns() =
      Pattern("morning", 7 * 60 + 30, 45, 1, {"Medication", "Breakfast", "Wash"});
  if (kind <= 6) *plan.add_patterns() = Pattern("lunch", 12 * 60, 30, 1, {"Lunch"});
  if (kind <= 3) *plan.add_patterns() = Pattern("tea", 17 * 60, 30, 1, {"Tea", "Medication"});
  if (kind <= 8) *plan.add_patterns() = Pattern("bed", 20 * 60 + 30, 30, bed_carers, {"Bed"});
  plan.set_weekly_budget_minutes(7 * 150);
  sv1::CreateCarePlanResponse made;
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Seconds(10));
  return stub.CreateCarePlan(&context, plan_request, &made);
}

grpc::Status SeedCarer(rv1::RosterService::Stub& stub, const std::string& token, int i,
                       std::string& carer_id) {
  rv1::CreateCarerRequest create;
  create.set_request_id(absl::StrCat("carer-", i));
  rv1::Carer& carer = *create.mutable_carer();
  carer.set_display_name(absl::StrCat("Carer ", i));
  carer.set_gender(i % 4 == 0 ? common::v1::GENDER_MALE : common::v1::GENDER_FEMALE);
  carer.set_locality_id(kBenchLocalities[i % 5]);
  carer.mutable_home()->set_latitude(51.4 + (i % 31) * 0.005);
  carer.mutable_home()->set_longitude(-0.2 + (i % 29) * 0.005);
  carer.set_travel_mode(rv1::TRAVEL_MODE_DRIVES);
  carer.set_contracted_minutes_per_week(37 * 60);
  carer.set_max_minutes_per_day(600);
  carer.set_hourly_rate_pence(1300);
  carer.add_skills()->set_skill("personal-care");
  rv1::Carer created;
  {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    grpc::Status status = stub.CreateCarer(&context, create, &created);
    if (!status.ok()) return status;
  }
  carer_id = created.carer_id();
  rv1::SetAvailabilityRequest availability;
  availability.mutable_availability()->set_carer_id(carer_id);
  for (int day = 1; day <= 7; ++day) {
    rv1::WeeklyBlock& block = *availability.mutable_availability()->add_weekly();
    block.set_day(static_cast<common::v1::DayOfWeek>(day));
    *block.mutable_time()->mutable_start() = TimeOfDayFromMinutes(7 * 60);
    *block.mutable_time()->mutable_end() = TimeOfDayFromMinutes(22 * 60);
  }
  rv1::Availability stored;
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Seconds(10));
  return stub.SetAvailability(&context, availability, &stored);
}

absl::StatusOr<std::vector<std::string>> SeedCarers(rv1::RosterService::Stub& stub,
                                                    const std::string& token, int count) {
  std::vector<std::string> ids(count);
  for (int i = 0; i < count; ++i) {
    grpc::Status status = SeedCarer(stub, token, i, ids[i]);
    if (!status.ok()) {
      return absl::InternalError(absl::StrCat("seeding carer ", i, ": ", status.error_message()));
    }
  }
  return ids;
}

absl::Status SeedClients(sv1::SchedulingService::Stub& stub, const std::string& token, int count,
                         absl::CivilDay effective) {
  for (int i = 0; i < count; ++i) {
    grpc::Status status = SeedClient(stub, token, i, effective);
    if (!status.ok()) {
      return absl::InternalError(absl::StrCat("seeding client ", i, ": ", status.error_message()));
    }
  }
  return absl::OkStatus();
}

absl::Status GenerateDays(sv1::SchedulingService::Stub& stub, const std::string& token,
                          absl::CivilDay first, int days) {
  sv1::GenerateVisitsRequest request;
  *request.mutable_start_date() = DateToProto(first);
  *request.mutable_end_date() = DateToProto(first + days - 1);
  sv1::GenerateVisitsResponse generated;
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Seconds(600));
  grpc::Status status = stub.GenerateVisits(&context, request, &generated);
  if (!status.ok()) return absl::InternalError("GenerateVisits: " + status.error_message());
  return absl::OkStatus();
}

absl::StatusOr<std::vector<sv1::Visit>> ListDays(sv1::SchedulingService::Stub& stub,
                                                 const std::string& token, absl::CivilDay first,
                                                 int days) {
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  sv1::ListVisitsRequest request;
  *request.mutable_start_time() = TimeToProto(LocalToInstant(absl::CivilSecond(first), zone));
  *request.mutable_end_time() = TimeToProto(LocalToInstant(absl::CivilSecond(first + days), zone));
  request.set_page_size(200);
  std::vector<sv1::Visit> visits;
  do {
    sv1::ListVisitsResponse page;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(30));
    grpc::Status status = stub.ListVisits(&context, request, &page);
    if (!status.ok()) return absl::InternalError("ListVisits: " + status.error_message());
    for (sv1::Visit& visit : *page.mutable_visits()) visits.push_back(std::move(visit));
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return visits;
}

std::vector<Staffing> OneCarerEach(const std::vector<sv1::Visit>& visits, int carers) {
  std::map<std::pair<absl::CivilDay, std::string>, int> taken;
  std::vector<Staffing> staffing;
  for (const sv1::Visit& visit : visits) {
    if (visit.carers_required() != 1) continue;
    const absl::CivilDay day = *DateFromProto(visit.local_date(), "local_date");
    int& used = taken[{day, visit.pattern_id()}];
    if (used < carers) staffing.push_back({&visit, used++, day});
  }
  return staffing;
}

}  // namespace homecare::bench
