// What the scheduling service's integration tests share: real redis-server, homecare-roster and
// homecare-scheduling processes on a test clock, two tenants, and helpers for clients, plans,
// visits and the visit stream. The including test target defines HOMECARE_ROSTER_BINARY and
// HOMECARE_SCHEDULING_BINARY.
#ifndef HOMECARE_TESTS_SCHEDULING_FIXTURE_H_
#define HOMECARE_TESTS_SCHEDULING_FIXTURE_H_

#include <sys/wait.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "common/testing/test_clock.h"
#include "common/testing/test_redis.h"
#include "common/testing/tokens.h"
#include "common/testing/watch_reader.h"
#include "common/time/time.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "services/roster/sample_carer.h"

namespace homecare::testing {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using Stub = sv1::SchedulingService::Stub;

inline constexpr char kSunrise[] = "sunrise-care";
inline constexpr char kOak[] = "oak-care";

inline std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  return homecare::ViolatedFields(FromGrpcStatus(status));
}

inline const absl::TimeZone& London() {
  static const absl::TimeZone* const zone = new absl::TimeZone(*LoadTimeZone("Europe/London"));
  return *zone;
}

inline absl::Time Local(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), London());
}

inline absl::Time At(const google::protobuf::Timestamp& t) {
  return absl::FromUnixSeconds(t.seconds());
}

inline common::v1::Date Day(int y, int m, int d) { return DateToProto(absl::CivilDay(y, m, d)); }

inline sv1::Client NewClient(const std::string& name, const std::string& locality = "north") {
  sv1::Client client;
  client.set_display_name(name);
  client.mutable_location()->set_latitude(51.52);
  client.mutable_location()->set_longitude(-0.1);
  client.set_locality_id(locality);
  client.set_address_line("12 Elm Road");
  client.set_access_notes("Key safe 1234");
  client.set_preferred_carer_gender(common::v1::GENDER_FEMALE);
  sv1::Contact& daughter = *client.add_contacts();
  daughter.set_name("Sue");
  daughter.set_relationship("daughter");
  daughter.set_is_unpaid_carer(true);
  return client;
}

inline sv1::VisitPattern Pattern(const std::string& id, int start_hour, int end_hour, int minutes,
                                 int carers = 1) {
  sv1::VisitPattern pattern;
  pattern.set_pattern_id(id);
  for (int day = 1; day <= 7; ++day) pattern.add_days(static_cast<common::v1::DayOfWeek>(day));
  *pattern.mutable_start_window()->mutable_start() = TimeOfDayFromMinutes(start_hour * 60);
  *pattern.mutable_start_window()->mutable_end() = TimeOfDayFromMinutes(end_hour * 60);
  pattern.set_duration_minutes(minutes);
  pattern.set_carers_required(carers);
  pattern.add_tasks()->set_description("Medication");
  return pattern;
}

// Redis, homecare-roster and homecare-scheduling as real processes on a test clock, with two
// tenants (kSunrise and kOak, localities north and south, Europe/London).
class SchedulingFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = TestRedis::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto roster =
        ServiceProcess::Start({.binary = HOMECARE_ROSTER_BINARY,
                               .args = WithRedis({"--secret-file", secret_.path(), "--access-log"}),
                               .clock = &clock_});
    ASSERT_TRUE(roster.ok()) << roster.status();
    roster_ = *std::move(roster);
    auto scheduling = StartScheduling();
    ASSERT_TRUE(scheduling.ok()) << scheduling.status();
    scheduling_ = *std::move(scheduling);
    stub_ = sv1::SchedulingService::NewStub(scheduling_->NewChannel());
    roster_stub_ = rv1::RosterService::NewStub(roster_->NewChannel());
    auto roster_stub = rv1::RosterService::NewStub(roster_->NewChannel());
    for (const char* id : {kSunrise, kOak}) {
      rv1::CreateTenantRequest request;
      request.set_request_id(absl::StrCat("create-", id));
      rv1::Tenant& tenant = *request.mutable_tenant();
      tenant.set_tenant_id(id);
      tenant.set_display_name(id);
      tenant.set_time_zone("Europe/London");
      for (const char* locality : {"north", "south"}) {
        tenant.add_localities()->set_locality_id(locality);
        tenant.mutable_localities()->rbegin()->set_display_name(locality);
      }
      tenant.set_minimum_hourly_pay_pence(1260);
      grpc::ClientContext context;
      PrepareContext(context, secret_.Token(Role::kOperator, ""), absl::Seconds(10));
      rv1::Tenant created;
      ASSERT_THAT(roster_stub->CreateTenant(&context, request, &created), GrpcOk());
    }
  }

  // `args` after the flags that point a service at the test's Redis.
  std::vector<std::string> WithRedis(std::vector<std::string> args) const {
    std::vector<std::string> all = redis_->ServiceArgs();
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }

  // Another homecare-scheduling on the same Redis and roster (a replica); `replicas` as
  // ServiceProcess::Options has it (1 for a test of one process).
  absl::StatusOr<std::unique_ptr<ServiceProcess>> StartScheduling(
      const std::vector<std::string>& more_args = {}, int replicas = 0) {
    std::vector<std::string> args = {"--secret-file",
                                     secret_.path(),
                                     "--roster",
                                     roster_->address(),
                                     "--roster-timeout",
                                     "1s",
                                     "--roster-cache-ttl",
                                     "0s",
                                     "--redis-timeout",
                                     "500ms",
                                     "--redis-breaker-open",
                                     "200ms"};
    args.insert(args.end(), more_args.begin(), more_args.end());
    return ServiceProcess::Start({.binary = HOMECARE_SCHEDULING_BINARY,
                                  .args = WithRedis(args),
                                  .clock = &clock_,
                                  .replicas = replicas});
  }

  // Runs carectl (HOMECARE_CARECTL_BINARY) with `args`: its exit code, and stdout with stderr.
  std::pair<int, std::string> RunCarectl(const std::vector<std::string>& args) {
    // A log of its own for each run: runs may overlap (a watch beside other commands).
    std::string log;
    {
      absl::MutexLock lock(&carectl_mutex_);
      if (carectl_dir_.empty()) carectl_dir_ = MakeTempDir("carectl");
      log = absl::StrCat(carectl_dir_, "/run-", ++carectl_runs_, ".log");
    }
    std::vector<std::string> argv = {HOMECARE_CARECTL_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    absl::StatusOr<Subprocess> process = Subprocess::Spawn(argv, log);
    EXPECT_TRUE(process.ok()) << process.status();
    if (!process.ok()) return {-1, ""};
    absl::StatusOr<int> status = process->Wait(absl::Seconds(30));
    EXPECT_TRUE(status.ok()) << status.status();
    return {status.ok() && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1, ReadFileOrEmpty(log)};
  }
  // carectl against these services as `token` (a coordinator of kSunrise when empty).
  std::pair<int, std::string> Carectl(std::vector<std::string> args,
                                      const std::string& token = "") {
    args.insert(args.end(), {"--roster", roster_->address(), "--scheduling", scheduling_->address(),
                             "--token", token.empty() ? Coordinator() : token});
    if (!checkin_address_.empty()) args.insert(args.end(), {"--checkin", checkin_address_});
    return RunCarectl(args);
  }

  template <typename Request, typename Response>
  grpc::Status RosterCall(grpc::Status (rv1::RosterService::Stub::*method)(grpc::ClientContext*,
                                                                           const Request&,
                                                                           Response*),
                          const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, Coordinator(), absl::Seconds(10));
    return (roster_stub_.get()->*method)(&context, request, response);
  }

  // A carer of sunrise with `skills`, available every day from 06:00 to 23:30, living near the
  // clients.
  rv1::Carer CreateCarer(const std::string& name, std::vector<std::string> skills = {},
                         const std::string& locality = "north") {
    rv1::CreateCarerRequest request;
    *request.mutable_carer() = roster::SampleCarer(name, locality);
    request.mutable_carer()->mutable_home()->set_latitude(51.53);
    request.mutable_carer()->mutable_home()->set_longitude(-0.1);
    request.mutable_carer()->clear_skills();
    for (const std::string& skill : skills) request.mutable_carer()->add_skills()->set_skill(skill);
    rv1::Carer carer;
    EXPECT_THAT(RosterCall(&rv1::RosterService::Stub::CreateCarer, request, &carer), GrpcOk());
    rv1::SetAvailabilityRequest availability;
    availability.mutable_availability()->set_carer_id(carer.carer_id());
    for (int day = 1; day <= 7; ++day) {
      rv1::WeeklyBlock& block = *availability.mutable_availability()->add_weekly();
      block.set_day(static_cast<common::v1::DayOfWeek>(day));
      *block.mutable_time()->mutable_start() = TimeOfDayFromMinutes(6 * 60);
      *block.mutable_time()->mutable_end() = TimeOfDayFromMinutes(23 * 60 + 30);
    }
    rv1::Availability stored;
    EXPECT_THAT(RosterCall(&rv1::RosterService::Stub::SetAvailability, availability, &stored),
                GrpcOk());
    return carer;
  }

  rv1::Absence RecordAbsence(const std::string& carer_id, absl::Time start, absl::Time end) {
    rv1::RecordAbsenceRequest request;
    request.mutable_absence()->set_carer_id(carer_id);
    request.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
    *request.mutable_absence()->mutable_start_time() = TimeToProto(start);
    *request.mutable_absence()->mutable_end_time() = TimeToProto(end);
    rv1::Absence absence;
    EXPECT_THAT(RosterCall(&rv1::RosterService::Stub::RecordAbsence, request, &absence), GrpcOk());
    return absence;
  }

  grpc::Status Assign(const std::string& visit_id, std::vector<std::string> carer_ids,
                      sv1::AssignCarersResponse* response, const std::string& request_id = "",
                      Stub* stub = nullptr, bool override_preferences = false) {
    sv1::AssignCarersRequest request;
    request.set_visit_id(visit_id);
    for (const std::string& id : carer_ids) request.add_carer_ids(id);
    request.set_request_id(request_id);
    request.set_override_preferences(override_preferences);
    grpc::ClientContext context;
    PrepareContext(context, Coordinator(), absl::Seconds(10));
    return (stub != nullptr ? stub : stub_.get())->AssignCarers(&context, request, response);
  }

  sv1::Visit GetVisit(const std::string& visit_id) {
    sv1::GetVisitRequest request;
    request.set_visit_id(visit_id);
    sv1::Visit visit;
    EXPECT_THAT(Call(&Stub::GetVisit, Coordinator(), request, &visit), GrpcOk());
    return visit;
  }

  // Edna with a morning visit (07:00-08:00, 30 minutes, medication) and a bedtime double-up
  // (21:00-22:00, 45 minutes) every day, her visits made for 2 to 8 December 2030; the visits
  // of each local date by pattern.
  struct Week {
    sv1::Client client;
    std::map<int, sv1::Visit> morning;  // by day of December
    std::map<int, sv1::Visit> bed;
  };
  Week EdnasWeek(const std::string& name = "Edna", double latitude = 51.52) {
    sv1::Client asked = NewClient(name);
    asked.clear_preferred_carer_gender();
    asked.mutable_location()->set_latitude(latitude);
    Week week;
    week.client = CreateClient(asked);
    sv1::VisitPattern morning = Pattern("morning", 7, 8, 30);
    morning.add_required_skills("medication");
    CreatePlan(week.client.client_id(), {morning, Pattern("bed", 21, 22, 45, /*carers=*/2)},
               Day(2030, 12, 2));
    Generate(Day(2030, 12, 2), Day(2030, 12, 8), week.client.client_id());
    sv1::ListVisitsRequest request;
    request.set_client_id(week.client.client_id());
    for (const sv1::Visit& visit :
         ListAll(request, Local(2030, 12, 1, 0), Local(2030, 12, 10, 0))) {
      (visit.pattern_id() == "morning" ? week.morning : week.bed)[visit.local_date().day()] = visit;
    }
    return week;
  }

  // A change of no consequence to `visit_id` (its length to 50 minutes), to mark a place in
  // the visit stream: what comes before it on a watch was written before it.
  void Mark(const std::string& visit_id) {
    sv1::UpdateVisitRequest marker;
    marker.mutable_visit()->set_visit_id(visit_id);
    marker.mutable_visit()->set_duration_minutes(50);
    marker.mutable_update_mask()->add_paths("duration_minutes");
    sv1::Visit marked;
    ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), marker, &marked), GrpcOk());
  }

  std::string Coordinator(const std::string& tenant = kSunrise) const {
    return secret_.Token(Role::kCoordinator, tenant);
  }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    return (stub_.get()->*method)(&context, request, response);
  }

  sv1::Client CreateClient(const sv1::Client& client, const std::string& tenant = kSunrise) {
    sv1::CreateClientRequest request;
    *request.mutable_client() = client;
    request.set_request_id(absl::StrCat("client-", client.display_name()));
    sv1::Client created;
    grpc::Status status = Call(&Stub::CreateClient, Coordinator(tenant), request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  sv1::CreateCarePlanResponse CreatePlan(const std::string& client_id,
                                         std::vector<sv1::VisitPattern> patterns,
                                         common::v1::Date effective, int budget = 600,
                                         const std::string& plan_id = "",
                                         const std::string& tenant = kSunrise) {
    sv1::CreateCarePlanRequest request;
    request.set_request_id(absl::StrCat("plan-", client_id, "-", plan_id, "-", effective.month(),
                                        "-", effective.day()));
    sv1::CarePlan& plan = *request.mutable_care_plan();
    plan.set_care_plan_id(plan_id);
    plan.set_client_id(client_id);
    *plan.mutable_effective_date() = effective;
    plan.set_weekly_budget_minutes(budget);
    plan.add_outcomes()->set_description("To stay safely at home");
    for (sv1::VisitPattern& pattern : patterns) *plan.add_patterns() = std::move(pattern);
    sv1::CreateCarePlanResponse response;
    grpc::Status status = Call(&Stub::CreateCarePlan, Coordinator(tenant), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  sv1::GenerateVisitsResponse Generate(common::v1::Date first, common::v1::Date last,
                                       const std::string& client_id = "") {
    sv1::GenerateVisitsRequest request;
    *request.mutable_start_date() = first;
    *request.mutable_end_date() = last;
    request.set_client_id(client_id);
    sv1::GenerateVisitsResponse response;
    grpc::Status status = Call(&Stub::GenerateVisits, Coordinator(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return response;
  }

  // Every visit planned to start in [from, before), following every page.
  std::vector<sv1::Visit> ListAll(sv1::ListVisitsRequest request, absl::Time from,
                                  absl::Time before, const std::string& token = "") {
    *request.mutable_start_time() = TimeToProto(from);
    *request.mutable_end_time() = TimeToProto(before);
    std::vector<sv1::Visit> visits;
    do {
      sv1::ListVisitsResponse page;
      grpc::Status status =
          Call(&Stub::ListVisits, token.empty() ? Coordinator() : token, request, &page);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      visits.insert(visits.end(), page.visits().begin(), page.visits().end());
      request.set_page_token(page.next_page_token());
    } while (!request.page_token().empty());
    return visits;
  }

  TestSecret secret_;
  // The services' "now": Monday 25 November 2030, 09:00 GMT, whatever the day of the run.
  TestClock clock_{absl::FromCivil(absl::CivilSecond(2030, 11, 25, 9, 0, 0), absl::UTCTimeZone())};
  std::unique_ptr<TestRedis> redis_;
  std::unique_ptr<ServiceProcess> roster_;
  std::unique_ptr<ServiceProcess> scheduling_;
  std::unique_ptr<Stub> stub_;
  std::unique_ptr<rv1::RosterService::Stub> roster_stub_;
  // Where carectl finds homecare-checkin, when a test runs one.
  std::string checkin_address_;
  absl::Mutex carectl_mutex_;
  std::string carectl_dir_ ABSL_GUARDED_BY(carectl_mutex_);
  int carectl_runs_ ABSL_GUARDED_BY(carectl_mutex_) = 0;
};

// A WatchVisits stream as a coordinator's or a service's client sees it.
class VisitWatch : public testing::WatchReader<sv1::VisitChange> {
 public:
  VisitWatch(Stub& stub, const std::string& token, const std::string& resume_token,
             const common::v1::Date* date = nullptr)
      : WatchReader([&](grpc::ClientContext& context) {
          PrepareContext(context, token, absl::Seconds(30));
          sv1::WatchVisitsRequest request;
          request.set_resume_token(resume_token);
          if (date != nullptr) *request.mutable_date() = *date;
          return stub.WatchVisits(&context, request);
        }) {}
};

}  // namespace homecare::testing

#endif  // HOMECARE_TESTS_SCHEDULING_FIXTURE_H_
