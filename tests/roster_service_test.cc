// homecare-roster's carer, availability, absence, eligibility and watch RPCs as a real process
// against a real redis-server: happy paths, validation, idempotent retries, role and tenant
// isolation for every RPC, and resuming a watch after a disconnect.
#include <sys/wait.h>

#include <cstdio>
#include <functional>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/resume_token.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "common/testing/test_redis.h"
#include "common/testing/tokens.h"
#include "common/testing/watch_reader.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/roster/sample_carer.h"

namespace homecare {
namespace {

using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::TestRedis;
using ::homecare::testing::TestSecret;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::IsSupersetOf;
using ::testing::Not;
using ::testing::UnorderedElementsAre;
namespace rv1 = roster::v1;
using Stub = rv1::RosterService::Stub;

constexpr char kSunrise[] = "sunrise-care";
constexpr char kOak[] = "oak-care";

std::vector<std::string> ViolatedFields(const grpc::Status& status) {
  return homecare::ViolatedFields(FromGrpcStatus(status));
}

rv1::Carer NewCarer(const std::string& name, const std::string& locality = "north") {
  return roster::SampleCarer(name, locality);
}

common::v1::LocalTimeRange Range(int start_hour, int end_hour) {
  common::v1::LocalTimeRange range;
  *range.mutable_start() = TimeOfDayFromMinutes(start_hour * 60);
  *range.mutable_end() = TimeOfDayFromMinutes(end_hour * 60);
  return range;
}

absl::Time London(int y, int m, int d, int hh, int mm = 0) {
  return LocalToInstant(absl::CivilSecond(y, m, d, hh, mm), *LoadTimeZone("Europe/London"));
}

class ChangeReader;

class RosterServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = TestRedis::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
    auto service = ServiceProcess::Start(
        {.binary = HOMECARE_ROSTER_BINARY,
         .args = WithRedis({"--secret-file", secret_.path(), "--redis-timeout", "500ms",
                            "--redis-breaker-open", "200ms", "--shutdown-grace", "4s"})});
    ASSERT_TRUE(service.ok()) << service.status();
    roster_ = *std::move(service);
    stub_ = rv1::RosterService::NewStub(roster_->NewChannel());
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
      tenant.add_sub_contractors()->set_employer_id("helping-hands");
      tenant.mutable_sub_contractors(0)->set_display_name("Helping Hands");
      tenant.set_minimum_hourly_pay_pence(1260);
      rv1::Tenant created;
      ASSERT_THAT(Call(&Stub::CreateTenant, Operator(), request, &created), GrpcOk());
    }
  }

  std::string Operator() const { return secret_.Token(Role::kOperator, ""); }
  std::string Coordinator(const std::string& tenant = kSunrise) const {
    return secret_.Token(Role::kCoordinator, tenant);
  }
  std::string System(const std::string& tenant = kSunrise) const {
    return secret_.Token(Role::kSystem, tenant);
  }
  std::string CarerToken(const std::string& carer_id) const {
    return secret_.Token(Role::kCarer, kSunrise, carer_id);
  }
  std::string Commissioner() const { return secret_.Token(Role::kCommissioner, kSunrise); }

  template <typename Request, typename Response>
  grpc::Status Call(grpc::Status (Stub::*method)(grpc::ClientContext*, const Request&, Response*),
                    const std::string& token, const Request& request, Response* response) {
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    return (stub_.get()->*method)(&context, request, response);
  }

  rv1::Carer CreateCarer(const rv1::Carer& carer, const std::string& token = "") {
    rv1::CreateCarerRequest request;
    *request.mutable_carer() = carer;
    rv1::Carer created;
    grpc::Status status =
        Call(&Stub::CreateCarer, token.empty() ? Coordinator() : token, request, &created);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return created;
  }

  // Weekday split shifts, 07:00-10:00 and 16:00-20:00.
  rv1::Availability SetSplitShifts(const std::string& carer_id) {
    rv1::SetAvailabilityRequest request;
    request.mutable_availability()->set_carer_id(carer_id);
    for (int day = 1; day <= 5; ++day) {
      for (auto [from, to] : {std::pair{7, 10}, std::pair{16, 20}}) {
        rv1::WeeklyBlock& block = *request.mutable_availability()->add_weekly();
        block.set_day(static_cast<common::v1::DayOfWeek>(day));
        *block.mutable_time() = Range(from, to);
      }
    }
    rv1::Availability stored;
    grpc::Status status = Call(&Stub::SetAvailability, Coordinator(), request, &stored);
    EXPECT_TRUE(status.ok()) << status.error_message();
    return stored;
  }

  std::vector<std::string> ListCarerIds(rv1::ListCarersRequest request,
                                        const std::string& token = "") {
    std::vector<std::string> ids;
    do {
      rv1::ListCarersResponse response;
      grpc::Status status =
          Call(&Stub::ListCarers, token.empty() ? Coordinator() : token, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      if (!status.ok()) break;
      for (const rv1::Carer& carer : response.carers()) ids.push_back(carer.carer_id());
      request.set_page_token(response.next_page_token());
    } while (!request.page_token().empty());
    return ids;
  }

  std::vector<std::string> EligibleIds(absl::Time start, absl::Time end,
                                       const std::string& locality = "",
                                       std::vector<std::string> skills = {},
                                       common::v1::Gender gender = common::v1::GENDER_UNSPECIFIED) {
    rv1::ListEligibleCarersRequest request;
    *request.mutable_window_start() = TimeToProto(start);
    *request.mutable_window_end() = TimeToProto(end);
    request.set_locality_id(locality);
    for (const std::string& skill : skills) request.add_required_skills(skill);
    request.set_gender(gender);
    rv1::ListEligibleCarersResponse response;
    grpc::Status status = Call(&Stub::ListEligibleCarers, Coordinator(), request, &response);
    EXPECT_TRUE(status.ok()) << status.error_message();
    std::vector<std::string> ids;
    for (const rv1::Carer& carer : response.carers()) ids.push_back(carer.carer_id());
    return ids;
  }

  // A resume token before every change of `tenants`, so that a watch sees every change made
  // after it opens without racing the server for where "now" is.
  static std::string FromTheStart(const std::vector<std::string>& tenants) {
    StreamPositions positions;
    for (const std::string& tenant : tenants) positions[tenant] = kStreamStart;
    return EncodeResumeToken(positions);
  }

  TestSecret secret_;
  std::vector<std::string> WithRedis(std::vector<std::string> args) const {
    std::vector<std::string> all = redis_->ServiceArgs();
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }

  std::unique_ptr<TestRedis> redis_;
  std::unique_ptr<ServiceProcess> roster_;
  std::unique_ptr<Stub> stub_;
};

// ---- Tenants

TEST_F(RosterServiceTest, UpdateTenantChangesNamedFieldsWithOptimisticConcurrency) {
  rv1::UpdateTenantRequest request;
  request.mutable_tenant()->set_display_name("Sunrise Homecare Ltd");
  request.mutable_tenant()->set_minimum_hourly_pay_pence(1200);  // not in the mask
  request.mutable_update_mask()->add_paths("display_name");
  rv1::Tenant updated;
  ASSERT_THAT(Call(&Stub::UpdateTenant, Coordinator(), request, &updated), GrpcOk());
  EXPECT_EQ(updated.display_name(), "Sunrise Homecare Ltd");
  EXPECT_EQ(updated.minimum_hourly_pay_pence(), 1260);
  EXPECT_EQ(updated.version(), 2);

  request.set_expected_version(1);
  EXPECT_THAT(Call(&Stub::UpdateTenant, Coordinator(), request, &updated),
              GrpcStatusIs(grpc::StatusCode::ABORTED));
  request.set_expected_version(2);
  EXPECT_THAT(Call(&Stub::UpdateTenant, Coordinator(), request, &updated), GrpcOk());

  rv1::UpdateTenantRequest bad;
  bad.mutable_update_mask()->add_paths("tenant_id");
  grpc::Status status = Call(&Stub::UpdateTenant, Coordinator(), bad, &updated);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("update_mask.paths[0]"));

  // Operators name the tenant; another tenant's coordinator cannot reach it.
  rv1::UpdateTenantRequest by_operator;
  by_operator.mutable_tenant()->set_tenant_id(kOak);
  by_operator.mutable_tenant()->set_time_zone("Europe/Dublin");
  by_operator.mutable_update_mask()->add_paths("time_zone");
  ASSERT_THAT(Call(&Stub::UpdateTenant, Operator(), by_operator, &updated), GrpcOk());
  EXPECT_EQ(updated.time_zone(), "Europe/Dublin");
  EXPECT_THAT(Call(&Stub::UpdateTenant, Coordinator(kSunrise), by_operator, &updated),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Call(&Stub::UpdateTenant, CarerToken("car_x"), request, &updated),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

TEST_F(RosterServiceTest, UpdateTenantRefusesToStrandCarers) {
  rv1::Carer carer = CreateCarer(NewCarer("Ann"));
  rv1::UpdateTenantRequest request;
  request.mutable_tenant()->add_localities()->set_locality_id("south");
  request.mutable_tenant()->mutable_localities(0)->set_display_name("South");
  request.mutable_tenant()->set_minimum_hourly_pay_pence(1400);
  request.mutable_update_mask()->add_paths("localities");
  request.mutable_update_mask()->add_paths("minimum_hourly_pay_pence");
  rv1::Tenant updated;
  grpc::Status status = Call(&Stub::UpdateTenant, Coordinator(), request, &updated);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  std::vector<std::string> rules;
  for (const auto& violation : PreconditionViolationsOf(FromGrpcStatus(status))) {
    rules.push_back(violation.type() + " " + violation.subject());
  }
  EXPECT_THAT(rules, UnorderedElementsAre("LOCALITY_IN_USE carers/" + carer.carer_id(),
                                          "PAY_BELOW_MINIMUM carers/" + carer.carer_id()));
  rv1::GetTenantRequest get;
  rv1::Tenant tenant;
  ASSERT_THAT(Call(&Stub::GetTenant, Coordinator(), get, &tenant), GrpcOk());
  EXPECT_EQ(tenant.version(), 1);  // nothing written
}

TEST_F(RosterServiceTest, ListTenantsPagesForOperatorsOnly) {
  rv1::ListTenantsRequest request;
  request.set_page_size(1);
  std::vector<std::string> ids;
  do {
    rv1::ListTenantsResponse response;
    ASSERT_THAT(Call(&Stub::ListTenants, Operator(), request, &response), GrpcOk());
    for (const rv1::Tenant& tenant : response.tenants()) ids.push_back(tenant.tenant_id());
    request.set_page_token(response.next_page_token());
  } while (!request.page_token().empty());
  EXPECT_THAT(ids, ElementsAre(kOak, kSunrise));
  rv1::ListTenantsResponse response;
  EXPECT_THAT(Call(&Stub::ListTenants, Coordinator(), rv1::ListTenantsRequest(), &response),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

// ---- Carers

TEST_F(RosterServiceTest, CarerLifecycle) {
  rv1::Carer created = CreateCarer(NewCarer("Ann Lee"));
  EXPECT_THAT(created.carer_id(), ::testing::StartsWith("car_"));
  EXPECT_TRUE(created.active());
  EXPECT_EQ(created.version(), 1);

  rv1::GetCarerRequest get;
  get.set_carer_id(created.carer_id());
  rv1::Carer read;
  ASSERT_THAT(Call(&Stub::GetCarer, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.display_name(), "Ann Lee");

  rv1::UpdateCarerRequest update;
  update.mutable_carer()->set_carer_id(created.carer_id());
  update.mutable_carer()->set_locality_id("south");
  update.mutable_carer()->set_employer_id("helping-hands");
  update.mutable_carer()->set_display_name("ignored: not in the mask");
  update.mutable_update_mask()->add_paths("locality_id");
  update.mutable_update_mask()->add_paths("employer_id");
  update.set_expected_version(1);
  rv1::Carer updated;
  ASSERT_THAT(Call(&Stub::UpdateCarer, Coordinator(), update, &updated), GrpcOk());
  EXPECT_EQ(updated.locality_id(), "south");
  EXPECT_EQ(updated.employer_id(), "helping-hands");
  EXPECT_EQ(updated.display_name(), "Ann Lee");
  EXPECT_EQ(updated.version(), 2);
  // The same expected version again is a lost update.
  EXPECT_THAT(Call(&Stub::UpdateCarer, Coordinator(), update, &updated),
              GrpcStatusIs(grpc::StatusCode::ABORTED));

  rv1::ListCarersRequest south;
  south.set_locality_id("south");
  EXPECT_THAT(ListCarerIds(south), ElementsAre(created.carer_id()));
  rv1::ListCarersRequest north;
  north.set_locality_id("north");
  EXPECT_THAT(ListCarerIds(north), IsEmpty());

  rv1::UpdateCarerRequest invalid = update;
  invalid.set_expected_version(0);
  invalid.mutable_carer()->set_hourly_rate_pence(100);
  invalid.mutable_update_mask()->add_paths("hourly_rate_pence");
  grpc::Status status = Call(&Stub::UpdateCarer, Coordinator(), invalid, &updated);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("carer.hourly_rate_pence"));
  ASSERT_THAT(Call(&Stub::GetCarer, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.version(), 2);

  rv1::UpdateCarerRequest missing = update;
  missing.mutable_carer()->set_carer_id("car_nobody");
  missing.set_expected_version(0);
  EXPECT_THAT(Call(&Stub::UpdateCarer, Coordinator(), missing, &updated),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(RosterServiceTest, CreateCarerNamesEveryInvalidFieldAndWritesNothing) {
  rv1::Carer carer;
  carer.set_gender(static_cast<common::v1::Gender>(9));
  carer.set_locality_id("atlantis");
  carer.mutable_home()->set_latitude(95);
  carer.set_contracted_minutes_per_week(-1);
  carer.set_max_minutes_per_day(2000);
  carer.set_hourly_rate_pence(900);
  carer.set_employer_id("unknown-agency");
  carer.add_skills()->set_skill("bad skill");
  rv1::CreateCarerRequest request;
  *request.mutable_carer() = carer;
  rv1::Carer created;
  grpc::Status status = Call(&Stub::CreateCarer, Coordinator(), request, &created);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre("carer.display_name", "carer.gender", "carer.skills[0].skill",
                           "carer.locality_id", "carer.home.latitude",
                           "carer.contracted_minutes_per_week", "carer.max_minutes_per_day",
                           "carer.hourly_rate_pence", "carer.employer_id", "carer.travel_mode"));
  EXPECT_THAT(ListCarerIds(rv1::ListCarersRequest()), IsEmpty());

  // Each rule on its own, against an otherwise valid carer.
  struct Case {
    std::function<void(rv1::Carer&)> breaks;
    std::string field;
  };
  const std::vector<Case> cases = {
      {[](rv1::Carer& c) { c.clear_display_name(); }, "carer.display_name"},
      {[](rv1::Carer& c) { c.set_gender(common::v1::GENDER_UNSPECIFIED); }, "carer.gender"},
      {[](rv1::Carer& c) { c.set_max_minutes_per_day(-5); }, "carer.max_minutes_per_day"},
      {[](rv1::Carer& c) { c.set_contracted_minutes_per_week(10081); },
       "carer.contracted_minutes_per_week"},
      {[](rv1::Carer& c) { c.set_hourly_rate_pence(1259); }, "carer.hourly_rate_pence"},
      {[](rv1::Carer& c) { c.mutable_home()->set_longitude(181); }, "carer.home.longitude"},
      {[](rv1::Carer& c) { c.clear_home(); }, "carer.home"},
      {[](rv1::Carer& c) { c.set_locality_id("west"); }, "carer.locality_id"},
      {[](rv1::Carer& c) { c.add_skills()->set_skill("medication"); }, "carer.skills[1].skill"},
  };
  for (const Case& test : cases) {
    rv1::CreateCarerRequest one;
    *one.mutable_carer() = NewCarer("Ann");
    test.breaks(*one.mutable_carer());
    status = Call(&Stub::CreateCarer, Coordinator(), one, &created);
    EXPECT_THAT(ViolatedFields(status), ElementsAre(test.field));
  }
  EXPECT_THAT(ListCarerIds(rv1::ListCarersRequest()), IsEmpty());
}

TEST_F(RosterServiceTest, CreateCarerIsIdempotentOnRequestId) {
  rv1::CreateCarerRequest request;
  request.set_request_id("0b6c1f1e-5a57-4c1e-9f55-0d35a7f3f2a1");
  *request.mutable_carer() = NewCarer("Ann Lee");
  rv1::Carer first;
  rv1::Carer second;
  ASSERT_THAT(Call(&Stub::CreateCarer, Coordinator(), request, &first), GrpcOk());
  ASSERT_THAT(Call(&Stub::CreateCarer, Coordinator(), request, &second), GrpcOk());
  EXPECT_EQ(first.carer_id(), second.carer_id());
  EXPECT_THAT(ListCarerIds(rv1::ListCarersRequest()), ElementsAre(first.carer_id()));

  request.mutable_carer()->set_display_name("Someone else");
  EXPECT_THAT(Call(&Stub::CreateCarer, Coordinator(), request, &second),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  // Another tenant's request with the same id is another request.
  ASSERT_THAT(Call(&Stub::CreateCarer, Coordinator(kOak), request, &second), GrpcOk());
  EXPECT_NE(first.carer_id(), second.carer_id());
}

TEST_F(RosterServiceTest, ListCarersFiltersAndPagesWithoutGapsOrRepeats) {
  std::set<std::string> all;
  for (int i = 0; i < 23; ++i) {
    rv1::Carer carer = NewCarer(absl::StrCat("Carer ", i), i % 2 == 0 ? "north" : "south");
    if (i % 3 == 0) carer.set_employer_id("helping-hands");
    if (i % 4 == 0) {
      rv1::CarerSkill& hoist = *carer.add_skills();
      hoist.set_skill("hoist");
      // Lapsed for half of them.
      *hoist.mutable_expires_on() = DateToProto(absl::CivilDay(i % 8 == 0 ? 2020 : 2099, 1, 1));
    }
    all.insert(CreateCarer(carer).carer_id());
  }
  rv1::ListCarersRequest paged;
  paged.set_page_size(5);
  std::vector<std::string> ids = ListCarerIds(paged);
  EXPECT_EQ(ids.size(), 23u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), all);
  EXPECT_TRUE(std::is_sorted(ids.begin(), ids.end()));

  rv1::ListCarersRequest north;
  north.set_locality_id("north");
  north.set_page_size(4);
  EXPECT_EQ(ListCarerIds(north).size(), 12u);
  rv1::ListCarersRequest lead;
  lead.set_employer_id("lead");
  EXPECT_EQ(ListCarerIds(lead).size(), 15u);
  rv1::ListCarersRequest sub;
  sub.set_employer_id("helping-hands");
  EXPECT_EQ(ListCarerIds(sub).size(), 8u);
  rv1::ListCarersRequest hoist;
  hoist.set_skill("hoist");
  EXPECT_EQ(ListCarerIds(hoist).size(), 3u);  // i = 4, 12, 20 in date

  // Deactivate one; the active filter sees it.
  rv1::UpdateCarerRequest deactivate;
  deactivate.mutable_carer()->set_carer_id(*all.begin());
  deactivate.mutable_update_mask()->add_paths("active");
  rv1::Carer updated;
  ASSERT_THAT(Call(&Stub::UpdateCarer, Coordinator(), deactivate, &updated), GrpcOk());
  rv1::ListCarersRequest inactive;
  inactive.set_active(false);
  EXPECT_THAT(ListCarerIds(inactive), ElementsAre(*all.begin()));
  rv1::ListCarersRequest active;
  active.set_active(true);
  EXPECT_EQ(ListCarerIds(active).size(), 22u);

  // A token from another query, or garbage, is refused.
  rv1::ListCarersResponse response;
  ASSERT_THAT(Call(&Stub::ListCarers, Coordinator(), paged, &response), GrpcOk());
  rv1::ListCarersRequest other = north;
  other.set_page_token(response.next_page_token());
  grpc::Status status = Call(&Stub::ListCarers, Coordinator(), other, &response);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("page_token"));
  rv1::ListCarersRequest negative;
  negative.set_page_size(-1);
  EXPECT_THAT(ViolatedFields(Call(&Stub::ListCarers, Coordinator(), negative, &response)),
              ElementsAre("page_size"));
}

// ---- Availability, absences and eligibility

TEST_F(RosterServiceTest, AvailabilityIsReplacedWholeAndVersioned) {
  rv1::Carer carer = CreateCarer(NewCarer("Ann"));
  rv1::GetAvailabilityRequest get;
  get.set_carer_id(carer.carer_id());
  rv1::Availability read;
  ASSERT_THAT(Call(&Stub::GetAvailability, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.version(), 0);
  EXPECT_THAT(read.weekly(), IsEmpty());

  rv1::Availability set = SetSplitShifts(carer.carer_id());
  EXPECT_EQ(set.version(), 1);
  EXPECT_EQ(set.weekly_size(), 10);
  ASSERT_THAT(Call(&Stub::GetAvailability, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.weekly_size(), 10);

  rv1::SetAvailabilityRequest stale;
  stale.mutable_availability()->set_carer_id(carer.carer_id());
  stale.set_expected_version(7);
  EXPECT_THAT(Call(&Stub::SetAvailability, Coordinator(), stale, &read),
              GrpcStatusIs(grpc::StatusCode::ABORTED));

  rv1::SetAvailabilityRequest invalid;
  invalid.mutable_availability()->set_carer_id(carer.carer_id());
  rv1::WeeklyBlock& block = *invalid.mutable_availability()->add_weekly();
  block.set_day(common::v1::DAY_OF_WEEK_MONDAY);
  *block.mutable_time() = Range(9, 9);
  rv1::WeeklyBlock& overlapping = *invalid.mutable_availability()->add_weekly();
  overlapping.set_day(common::v1::DAY_OF_WEEK_TUESDAY);
  *overlapping.mutable_time() = Range(7, 12);
  *invalid.mutable_availability()->add_weekly() = overlapping;
  grpc::Status status = Call(&Stub::SetAvailability, Coordinator(), invalid, &read);
  EXPECT_THAT(ViolatedFields(status),
              UnorderedElementsAre("availability.weekly[0].time", "availability.weekly[2]"));
  ASSERT_THAT(Call(&Stub::GetAvailability, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.version(), 1);  // nothing written

  rv1::SetAvailabilityRequest unknown;
  unknown.mutable_availability()->set_carer_id("car_nobody");
  EXPECT_THAT(Call(&Stub::SetAvailability, Coordinator(), unknown, &read),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(RosterServiceTest, AbsencesAreRecordedEndedCancelledAndListed) {
  rv1::Carer carer = CreateCarer(NewCarer("Ann"));
  rv1::RecordAbsenceRequest record;
  record.set_request_id("sick-1");
  record.mutable_absence()->set_carer_id(carer.carer_id());
  record.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
  *record.mutable_absence()->mutable_start_time() = TimeToProto(London(2026, 11, 16, 7));
  rv1::Absence sick;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), record, &sick), GrpcOk());
  EXPECT_EQ(sick.state(), rv1::ABSENCE_STATE_ACTIVE);
  EXPECT_FALSE(sick.has_end_time());
  rv1::Absence again;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), record, &again), GrpcOk());
  EXPECT_EQ(again.absence_id(), sick.absence_id());
  record.mutable_absence()->set_kind(rv1::ABSENCE_KIND_TRAINING);
  EXPECT_THAT(Call(&Stub::RecordAbsence, Coordinator(), record, &again),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));

  rv1::RecordAbsenceRequest leave;
  leave.mutable_absence()->set_carer_id(carer.carer_id());
  leave.mutable_absence()->set_kind(rv1::ABSENCE_KIND_ANNUAL_LEAVE);
  *leave.mutable_absence()->mutable_start_time() = TimeToProto(London(2026, 12, 21, 0));
  *leave.mutable_absence()->mutable_end_time() = TimeToProto(London(2026, 12, 28, 0));
  rv1::Absence holiday;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), leave, &holiday), GrpcOk());

  rv1::EndAbsenceRequest end;
  end.set_absence_id(sick.absence_id());
  *end.mutable_end_time() = TimeToProto(London(2026, 11, 19, 0));
  rv1::Absence ended;
  ASSERT_THAT(Call(&Stub::EndAbsence, Coordinator(), end, &ended), GrpcOk());
  EXPECT_EQ(ended.end_time().seconds(), absl::ToUnixSeconds(London(2026, 11, 19, 0)));
  rv1::EndAbsenceRequest before_start = end;
  *before_start.mutable_end_time() = TimeToProto(London(2026, 11, 1, 0));
  EXPECT_THAT(ViolatedFields(Call(&Stub::EndAbsence, Coordinator(), before_start, &ended)),
              ElementsAre("end_time"));

  rv1::CancelAbsenceRequest cancel;
  cancel.set_absence_id(holiday.absence_id());
  cancel.set_reason("holiday moved");
  rv1::Absence cancelled;
  ASSERT_THAT(Call(&Stub::CancelAbsence, Coordinator(), cancel, &cancelled), GrpcOk());
  EXPECT_EQ(cancelled.state(), rv1::ABSENCE_STATE_CANCELLED);
  ASSERT_THAT(Call(&Stub::CancelAbsence, Coordinator(), cancel, &cancelled), GrpcOk());
  rv1::EndAbsenceRequest end_cancelled;
  end_cancelled.set_absence_id(holiday.absence_id());
  EXPECT_THAT(Call(&Stub::EndAbsence, Coordinator(), end_cancelled, &ended),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));

  rv1::ListAbsencesRequest list;
  list.set_carer_id(carer.carer_id());
  list.set_page_size(1);
  std::vector<std::string> ids;
  do {
    rv1::ListAbsencesResponse response;
    ASSERT_THAT(Call(&Stub::ListAbsences, Coordinator(), list, &response), GrpcOk());
    for (const rv1::Absence& absence : response.absences()) ids.push_back(absence.absence_id());
    list.set_page_token(response.next_page_token());
  } while (!list.page_token().empty());
  EXPECT_THAT(ids, ElementsAre(sick.absence_id(), holiday.absence_id()));

  rv1::ListAbsencesRequest december;
  *december.mutable_start_time() = TimeToProto(London(2026, 12, 1, 0));
  *december.mutable_end_time() = TimeToProto(London(2027, 1, 1, 0));
  rv1::ListAbsencesResponse response;
  ASSERT_THAT(Call(&Stub::ListAbsences, Coordinator(), december, &response), GrpcOk());
  ASSERT_EQ(response.absences_size(), 1);
  EXPECT_EQ(response.absences(0).absence_id(), holiday.absence_id());

  rv1::RecordAbsenceRequest invalid;
  invalid.mutable_absence()->set_carer_id(carer.carer_id());
  *invalid.mutable_absence()->mutable_start_time() = TimeToProto(London(2026, 12, 2, 0));
  *invalid.mutable_absence()->mutable_end_time() = TimeToProto(London(2026, 12, 1, 0));
  EXPECT_THAT(ViolatedFields(Call(&Stub::RecordAbsence, Coordinator(), invalid, &again)),
              UnorderedElementsAre("absence.kind", "absence.end_time"));
  invalid.mutable_absence()->set_carer_id("car_nobody");
  invalid.mutable_absence()->set_kind(rv1::ABSENCE_KIND_OTHER);
  invalid.mutable_absence()->clear_end_time();
  EXPECT_THAT(Call(&Stub::RecordAbsence, Coordinator(), invalid, &again),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(RosterServiceTest, EligibilityFollowsAvailabilityAbsencesSkillsGenderAndLocality) {
  rv1::Carer ann = CreateCarer(NewCarer("Ann"));
  rv1::Carer bob_carer = NewCarer("Bob");
  bob_carer.set_gender(common::v1::GENDER_MALE);
  rv1::CarerSkill& hoist = *bob_carer.add_skills();
  hoist.set_skill("hoist");
  *hoist.mutable_expires_on() = DateToProto(absl::CivilDay(2026, 11, 17));
  rv1::Carer bob = CreateCarer(bob_carer);
  rv1::Carer cat = CreateCarer(NewCarer("Cat", "south"));
  rv1::Carer dan = CreateCarer(NewCarer("Dan"));  // no availability set
  for (const rv1::Carer* carer : {&ann, &bob, &cat}) SetSplitShifts(carer->carer_id());

  // Tuesday 17 November 2026, 08:00 to 08:30.
  const absl::Time start = London(2026, 11, 17, 8);
  const absl::Time end = start + absl::Minutes(30);
  EXPECT_THAT(EligibleIds(start, end),
              UnorderedElementsAre(ann.carer_id(), bob.carer_id(), cat.carer_id()));
  EXPECT_THAT(EligibleIds(start, end, "north"),
              UnorderedElementsAre(ann.carer_id(), bob.carer_id()));
  EXPECT_THAT(EligibleIds(start, end, "", {"hoist"}), ElementsAre(bob.carer_id()));
  EXPECT_THAT(EligibleIds(start + absl::Hours(24), end + absl::Hours(24), "", {"hoist"}),
              IsEmpty());  // lapsed the next day
  EXPECT_THAT(EligibleIds(start, end, "", {}, common::v1::GENDER_MALE),
              ElementsAre(bob.carer_id()));
  EXPECT_THAT(EligibleIds(London(2026, 11, 17, 12), London(2026, 11, 17, 13)), IsEmpty());

  // Ann goes off sick at 07:00; cancelled, she is back.
  rv1::RecordAbsenceRequest sick;
  sick.mutable_absence()->set_carer_id(ann.carer_id());
  sick.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
  *sick.mutable_absence()->mutable_start_time() = TimeToProto(London(2026, 11, 17, 7));
  rv1::Absence absence;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), sick, &absence), GrpcOk());
  EXPECT_THAT(EligibleIds(start, end, "north"), ElementsAre(bob.carer_id()));
  EXPECT_THAT(EligibleIds(London(2026, 11, 24, 8), London(2026, 11, 24, 9), "north"),
              ElementsAre(bob.carer_id()));  // open-ended
  rv1::EndAbsenceRequest back;
  back.set_absence_id(absence.absence_id());
  *back.mutable_end_time() = TimeToProto(London(2026, 11, 20, 0));
  ASSERT_THAT(Call(&Stub::EndAbsence, Coordinator(), back, &absence), GrpcOk());
  EXPECT_THAT(EligibleIds(London(2026, 11, 24, 8), London(2026, 11, 24, 9), "north"),
              UnorderedElementsAre(ann.carer_id(), bob.carer_id()));

  // Deactivated carers are never eligible.
  rv1::UpdateCarerRequest deactivate;
  deactivate.mutable_carer()->set_carer_id(bob.carer_id());
  deactivate.mutable_update_mask()->add_paths("active");
  rv1::Carer updated;
  ASSERT_THAT(Call(&Stub::UpdateCarer, Coordinator(), deactivate, &updated), GrpcOk());
  EXPECT_THAT(EligibleIds(start, end, "north"), IsEmpty());
  (void)dan;

  rv1::ListEligibleCarersRequest bad;
  *bad.mutable_window_start() = TimeToProto(end);
  *bad.mutable_window_end() = TimeToProto(start);
  bad.set_locality_id("atlantis");
  bad.add_required_skills("no such skill!");
  rv1::ListEligibleCarersResponse response;
  EXPECT_THAT(ViolatedFields(Call(&Stub::ListEligibleCarers, Coordinator(), bad, &response)),
              UnorderedElementsAre("window_end", "required_skills[0]"));
  bad.clear_required_skills();
  *bad.mutable_window_end() = TimeToProto(end + absl::Hours(1));
  EXPECT_THAT(ViolatedFields(Call(&Stub::ListEligibleCarers, Coordinator(), bad, &response)),
              ElementsAre("locality_id"));
}

// ---- Roles and tenants, for every RPC

TEST_F(RosterServiceTest, BatchGetCarersGivesEachCarerWithAvailabilityAndAbsencesAsked) {
  rv1::Carer ann = CreateCarer(NewCarer("Ann"));
  rv1::Carer bob = CreateCarer(NewCarer("Bob"));
  SetSplitShifts(ann.carer_id());
  // Ann: sick from Tuesday 17 November 2026 07:00 to Thursday; a training day the week after;
  // a cancelled absence over the same Tuesday.
  auto record = [&](const std::string& id, absl::Time start, absl::Time end) {
    rv1::RecordAbsenceRequest request;
    request.set_request_id(id);
    request.mutable_absence()->set_carer_id(ann.carer_id());
    request.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
    *request.mutable_absence()->mutable_start_time() = TimeToProto(start);
    *request.mutable_absence()->mutable_end_time() = TimeToProto(end);
    rv1::Absence absence;
    EXPECT_THAT(Call(&Stub::RecordAbsence, Coordinator(), request, &absence), GrpcOk());
    return absence;
  };
  rv1::Absence sick = record("sick", London(2026, 11, 17, 7), London(2026, 11, 19, 0));
  record("training", London(2026, 11, 24, 9), London(2026, 11, 24, 17));
  rv1::Absence mistaken = record("mistake", London(2026, 11, 17, 8), London(2026, 11, 17, 9));
  rv1::CancelAbsenceRequest cancel;
  cancel.set_absence_id(mistaken.absence_id());
  rv1::Absence cancelled;
  ASSERT_THAT(Call(&Stub::CancelAbsence, Coordinator(), cancel, &cancelled), GrpcOk());

  rv1::BatchGetCarersRequest request;
  request.add_carer_ids(bob.carer_id());
  request.add_carer_ids("car_nobody");
  request.add_carer_ids(ann.carer_id());
  request.set_include_availability(true);
  *request.mutable_absences_start_time() = TimeToProto(London(2026, 11, 18, 8));
  *request.mutable_absences_end_time() = TimeToProto(London(2026, 11, 18, 9));
  rv1::BatchGetCarersResponse response;
  ASSERT_THAT(Call(&Stub::BatchGetCarers, System(), request, &response), GrpcOk());
  ASSERT_EQ(response.carers_size(), 2);
  EXPECT_EQ(response.carers(0).carer().carer_id(), bob.carer_id());
  EXPECT_FALSE(response.carers(0).has_availability()) << "Bob's was never set";
  EXPECT_THAT(response.carers(0).absences(), IsEmpty());
  EXPECT_EQ(response.carers(1).carer().carer_id(), ann.carer_id());
  EXPECT_EQ(response.carers(1).availability().weekly_size(), 10);
  ASSERT_EQ(response.carers(1).absences_size(), 1) << "only the sickness overlaps";
  EXPECT_EQ(response.carers(1).absences(0).absence_id(), sick.absence_id());
  EXPECT_THAT(response.missing_carer_ids(), ElementsAre("car_nobody"));

  // Without the options: the records alone.
  rv1::BatchGetCarersRequest plain;
  plain.add_carer_ids(ann.carer_id());
  ASSERT_THAT(Call(&Stub::BatchGetCarers, Coordinator(), plain, &response), GrpcOk());
  ASSERT_EQ(response.carers_size(), 1);
  EXPECT_FALSE(response.carers(0).has_availability());
  EXPECT_THAT(response.carers(0).absences(), IsEmpty());

  rv1::BatchGetCarersRequest bad;
  bad.add_carer_ids(ann.carer_id());
  bad.add_carer_ids(ann.carer_id());
  bad.add_carer_ids("not an id!");
  *bad.mutable_absences_start_time() = TimeToProto(London(2026, 11, 18, 9));
  EXPECT_THAT(ViolatedFields(Call(&Stub::BatchGetCarers, Coordinator(), bad, &response)),
              UnorderedElementsAre("carer_ids[1]", "carer_ids[2]", "absences_end_time"));
  EXPECT_THAT(ViolatedFields(Call(&Stub::BatchGetCarers, Coordinator(),
                                  rv1::BatchGetCarersRequest(), &response)),
              ElementsAre("carer_ids"));
}

TEST_F(RosterServiceTest, EveryCarerRpcKeepsRolesAndTenantsApart) {
  rv1::Carer ann = CreateCarer(NewCarer("Ann"));
  rv1::Carer bob = CreateCarer(NewCarer("Bob"));
  SetSplitShifts(ann.carer_id());
  rv1::RecordAbsenceRequest record;
  record.mutable_absence()->set_carer_id(ann.carer_id());
  record.mutable_absence()->set_kind(rv1::ABSENCE_KIND_TRAINING);
  *record.mutable_absence()->mutable_start_time() = TimeToProto(London(2027, 1, 4, 9));
  rv1::Absence absence;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), record, &absence), GrpcOk());

  // Each RPC on Ann's records, as a function of the token.
  rv1::GetCarerRequest get;
  get.set_carer_id(ann.carer_id());
  rv1::UpdateCarerRequest update;
  update.mutable_carer()->set_carer_id(ann.carer_id());
  update.mutable_carer()->set_display_name("Ann B");
  update.mutable_update_mask()->add_paths("display_name");
  rv1::CreateCarerRequest create;
  *create.mutable_carer() = NewCarer("Eve");
  rv1::SetAvailabilityRequest set;
  set.mutable_availability()->set_carer_id(ann.carer_id());
  rv1::GetAvailabilityRequest get_availability;
  get_availability.set_carer_id(ann.carer_id());
  rv1::EndAbsenceRequest end;
  end.set_absence_id(absence.absence_id());
  *end.mutable_end_time() = TimeToProto(London(2027, 1, 4, 17));
  rv1::CancelAbsenceRequest cancel;
  cancel.set_absence_id(absence.absence_id());
  rv1::ListAbsencesRequest list_absences;
  list_absences.set_carer_id(ann.carer_id());
  rv1::ListEligibleCarersRequest eligible;
  *eligible.mutable_window_start() = TimeToProto(London(2026, 11, 17, 8));
  *eligible.mutable_window_end() = TimeToProto(London(2026, 11, 17, 9));
  rv1::BatchGetCarersRequest batch;
  batch.add_carer_ids(ann.carer_id());
  batch.set_include_availability(true);

  struct Rpc {
    std::string name;
    std::function<grpc::Status(const std::string&)> call;
    bool by_id;           // names one of Ann's records
    bool carer_may_read;  // Ann may call it on her own records
  };
  rv1::Carer carer;
  rv1::Availability availability;
  rv1::Absence out;
  rv1::ListCarersResponse carers;
  rv1::ListAbsencesResponse absences;
  rv1::ListEligibleCarersResponse eligible_carers;
  rv1::BatchGetCarersResponse batch_carers;
  const std::vector<Rpc> rpcs = {
      {"BatchGetCarers",
       [&](auto t) { return Call(&Stub::BatchGetCarers, t, batch, &batch_carers); }, false, false},
      {"CreateCarer", [&](auto t) { return Call(&Stub::CreateCarer, t, create, &carer); }, false,
       false},
      {"GetCarer", [&](auto t) { return Call(&Stub::GetCarer, t, get, &carer); }, true, true},
      {"UpdateCarer", [&](auto t) { return Call(&Stub::UpdateCarer, t, update, &carer); }, true,
       false},
      {"ListCarers",
       [&](auto t) { return Call(&Stub::ListCarers, t, rv1::ListCarersRequest(), &carers); }, false,
       false},
      {"SetAvailability",
       [&](auto t) { return Call(&Stub::SetAvailability, t, set, &availability); }, true, false},
      {"GetAvailability",
       [&](auto t) { return Call(&Stub::GetAvailability, t, get_availability, &availability); },
       true, true},
      {"RecordAbsence", [&](auto t) { return Call(&Stub::RecordAbsence, t, record, &out); }, true,
       false},
      {"EndAbsence", [&](auto t) { return Call(&Stub::EndAbsence, t, end, &out); }, true, false},
      {"CancelAbsence", [&](auto t) { return Call(&Stub::CancelAbsence, t, cancel, &out); }, true,
       false},
      {"ListAbsences",
       [&](auto t) { return Call(&Stub::ListAbsences, t, list_absences, &absences); }, true, true},
      {"ListEligibleCarers",
       [&](auto t) { return Call(&Stub::ListEligibleCarers, t, eligible, &eligible_carers); },
       false, false},
  };
  for (const Rpc& rpc : rpcs) {
    SCOPED_TRACE(rpc.name);
    EXPECT_THAT(rpc.call(""), GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
    EXPECT_THAT(rpc.call(Commissioner()), GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(rpc.call(Operator()), GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(rpc.call(secret_.Token(Role::kSystem, "*")),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    // Bob may not touch Ann's records; Ann reads her own but changes nothing.
    EXPECT_THAT(rpc.call(CarerToken(bob.carer_id())),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    if (rpc.carer_may_read) {
      EXPECT_THAT(rpc.call(CarerToken(ann.carer_id())), GrpcOk());
    } else {
      EXPECT_THAT(rpc.call(CarerToken(ann.carer_id())),
                  GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    }
    // Another tenant's coordinator: Ann's ids do not exist there.
    if (rpc.by_id) {
      EXPECT_THAT(rpc.call(Coordinator(kOak)),
                  GrpcStatusIs(rpc.name == "ListAbsences" ? grpc::StatusCode::OK
                                                          : grpc::StatusCode::NOT_FOUND));
    }
    EXPECT_THAT(rpc.call(System()), GrpcOk());
  }
  // Oak's batch finds no Ann, and its list of Ann's absences is empty: nothing of Sunrise's
  // leaks.
  ASSERT_THAT(Call(&Stub::BatchGetCarers, Coordinator(kOak), batch, &batch_carers), GrpcOk());
  EXPECT_THAT(batch_carers.carers(), IsEmpty());
  EXPECT_THAT(batch_carers.missing_carer_ids(), ElementsAre(ann.carer_id()));
  ASSERT_THAT(Call(&Stub::ListAbsences, Coordinator(kOak), list_absences, &absences), GrpcOk());
  EXPECT_THAT(absences.absences(), IsEmpty());
  rv1::ListCarersResponse oak_carers;
  ASSERT_THAT(Call(&Stub::ListCarers, Coordinator(kOak), rv1::ListCarersRequest(), &oak_carers),
              GrpcOk());
  EXPECT_THAT(oak_carers.carers(), IsEmpty());
}

// ---- The change stream

// A WatchCarerChanges stream as a coordinator's or a service's client sees it.
class ChangeReader : public testing::WatchReader<rv1::CarerChange> {
 public:
  ChangeReader(Stub& stub, const std::string& token, const std::string& resume_token)
      : WatchReader([&](grpc::ClientContext& context) {
          PrepareContext(context, token, absl::Seconds(30));
          rv1::WatchCarerChangesRequest request;
          request.set_resume_token(resume_token);
          return stub.WatchCarerChanges(&context, request);
        }) {}
};

TEST_F(RosterServiceTest, WatchResumesAfterADisconnectWithNothingLostOrRepeated) {
  auto watch = std::make_unique<ChangeReader>(*stub_, System(), FromTheStart({kSunrise}));
  rv1::Carer ann = CreateCarer(NewCarer("Ann"));
  SetSplitShifts(ann.carer_id());
  std::optional<rv1::CarerChange> created = watch->Next();
  ASSERT_TRUE(created.has_value());
  EXPECT_EQ(created->kind(), rv1::CarerChange::KIND_CARER_CREATED);
  EXPECT_EQ(created->carer().carer_id(), ann.carer_id());
  EXPECT_EQ(created->tenant_id(), kSunrise);
  std::optional<rv1::CarerChange> availability = watch->Next();
  ASSERT_TRUE(availability.has_value());
  EXPECT_EQ(availability->kind(), rv1::CarerChange::KIND_AVAILABILITY_SET);
  EXPECT_EQ(availability->availability().carer_id(), ann.carer_id());
  const std::string token = availability->resume_token();
  watch.reset();  // the disconnect

  // While nobody watches: an update, a retried create (no change), an absence.
  rv1::UpdateCarerRequest update;
  update.mutable_carer()->set_carer_id(ann.carer_id());
  update.mutable_carer()->set_max_minutes_per_day(300);
  update.mutable_update_mask()->add_paths("max_minutes_per_day");
  rv1::Carer updated;
  ASSERT_THAT(Call(&Stub::UpdateCarer, Coordinator(), update, &updated), GrpcOk());
  rv1::CreateCarerRequest retried;
  retried.set_request_id("bob-1");
  *retried.mutable_carer() = NewCarer("Bob");
  rv1::Carer bob;
  ASSERT_THAT(Call(&Stub::CreateCarer, Coordinator(), retried, &bob), GrpcOk());
  ASSERT_THAT(Call(&Stub::CreateCarer, Coordinator(), retried, &bob), GrpcOk());
  rv1::RecordAbsenceRequest sick;
  sick.mutable_absence()->set_carer_id(ann.carer_id());
  sick.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
  *sick.mutable_absence()->mutable_start_time() = TimeToProto(London(2026, 11, 23, 7));
  rv1::Absence absence;
  ASSERT_THAT(Call(&Stub::RecordAbsence, Coordinator(), sick, &absence), GrpcOk());
  // Another tenant's change must not reach a Sunrise watcher.
  CreateCarer(NewCarer("Olive"), Coordinator(kOak));

  ChangeReader resumed(*stub_, Coordinator(), token);
  std::vector<rv1::CarerChange::Kind> kinds;
  std::set<std::string> tokens;
  for (int i = 0; i < 3; ++i) {
    std::optional<rv1::CarerChange> change = resumed.Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->tenant_id(), kSunrise);
    kinds.push_back(change->kind());
    EXPECT_TRUE(tokens.insert(change->resume_token()).second);
  }
  EXPECT_THAT(
      kinds, ElementsAre(rv1::CarerChange::KIND_CARER_UPDATED, rv1::CarerChange::KIND_CARER_CREATED,
                         rv1::CarerChange::KIND_ABSENCE_RECORDED));
  // Then nothing more until the next change, which follows at once.
  rv1::CancelAbsenceRequest cancel;
  cancel.set_absence_id(absence.absence_id());
  ASSERT_THAT(Call(&Stub::CancelAbsence, Coordinator(), cancel, &absence), GrpcOk());
  std::optional<rv1::CarerChange> next = resumed.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->kind(), rv1::CarerChange::KIND_ABSENCE_CANCELLED);
  EXPECT_EQ(next->absence().state(), rv1::ABSENCE_STATE_CANCELLED);
}

TEST_F(RosterServiceTest, WatchRefusesBadTokensAndWrongRoles) {
  for (const std::string& token : {std::string("garbage!"), std::string("MXxvYWstY2FyZT0xLTA")}) {
    // The second is a well-formed token of another tenant.
    ChangeReader watch(*stub_, Coordinator(), token);
    EXPECT_FALSE(watch.Next().has_value());
    grpc::Status status = watch.Finish();
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_THAT(ViolatedFields(status), ElementsAre("resume_token"));
  }
  for (const std::string& token :
       {CarerToken("car_1"), Commissioner(), Operator(), std::string("")}) {
    ChangeReader watch(*stub_, token, "");
    EXPECT_FALSE(watch.Next().has_value());
    EXPECT_THAT(watch.Finish(), GrpcStatusIs(token.empty() ? grpc::StatusCode::UNAUTHENTICATED
                                                           : grpc::StatusCode::PERMISSION_DENIED));
  }
}

TEST_F(RosterServiceTest, AResumeTokenOlderThanTheKeptChangesIsOutOfRange) {
  auto watch = std::make_unique<ChangeReader>(*stub_, Coordinator(), FromTheStart({kSunrise}));
  CreateCarer(NewCarer("Ann"));
  std::optional<rv1::CarerChange> change = watch->Next();
  ASSERT_TRUE(change.has_value());
  const std::string token = change->resume_token();
  watch.reset();
  CreateCarer(NewCarer("Bob"));
  // What trimming to the stream's length does to a tenant with a long history: the changes
  // after the token are gone, so resuming there would silently miss them.
  ASSERT_TRUE(redis_->Command({"XTRIM", "hc:{sunrise-care}:roster:changes", "MAXLEN", "0"}).ok());
  ChangeReader resumed(*stub_, Coordinator(), token);
  EXPECT_FALSE(resumed.Next().has_value());
  EXPECT_THAT(resumed.Finish(), GrpcStatusIs(grpc::StatusCode::OUT_OF_RANGE));
  // So is one from the very start; watching from now on still works.
  ChangeReader from_start(*stub_, Coordinator(), FromTheStart({kSunrise}));
  EXPECT_FALSE(from_start.Next().has_value());
  EXPECT_THAT(from_start.Finish(), GrpcStatusIs(grpc::StatusCode::OUT_OF_RANGE));
  ChangeReader fresh(*stub_, Coordinator(), "");
  fresh.WaitUntilWatching();
  rv1::Carer cat = CreateCarer(NewCarer("Cat"));
  std::optional<rv1::CarerChange> next = fresh.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->carer_id(), cat.carer_id());
}

TEST_F(RosterServiceTest, WatchingFromNowSkipsEarlierChanges) {
  rv1::Carer before = CreateCarer(NewCarer("Ann"));
  SetSplitShifts(before.carer_id());
  ChangeReader watch(*stub_, Coordinator(), "");
  watch.WaitUntilWatching();
  rv1::Carer after = CreateCarer(NewCarer("Bob"));
  std::optional<rv1::CarerChange> first = watch.Next();
  ASSERT_TRUE(first.has_value());
  EXPECT_EQ(first->carer_id(), after.carer_id());
  EXPECT_EQ(first->kind(), rv1::CarerChange::KIND_CARER_CREATED);
}

TEST_F(RosterServiceTest, ASystemWatcherOfEveryTenantSeesEachAndResumes) {
  auto watch = std::make_unique<ChangeReader>(*stub_, secret_.Token(Role::kSystem, "*"),
                                              FromTheStart({kSunrise, kOak}));
  CreateCarer(NewCarer("Ann"), Coordinator(kSunrise));
  CreateCarer(NewCarer("Olive"), Coordinator(kOak));
  std::set<std::string> tenants;
  std::string token;
  for (int i = 0; i < 2; ++i) {
    std::optional<rv1::CarerChange> change = watch->Next();
    ASSERT_TRUE(change.has_value());
    tenants.insert(change->tenant_id());
    token = change->resume_token();
  }
  EXPECT_THAT(tenants, UnorderedElementsAre(kSunrise, kOak));
  watch.reset();
  rv1::Carer later = CreateCarer(NewCarer("Pat"), Coordinator(kOak));
  ChangeReader resumed(*stub_, secret_.Token(Role::kSystem, "*"), token);
  std::optional<rv1::CarerChange> change = resumed.Next();
  ASSERT_TRUE(change.has_value());
  EXPECT_EQ(change->carer().carer_id(), later.carer_id());
}

// ---- carectl, the back-office command line, against the real service

TEST_F(RosterServiceTest, CarectlCreatesListsAndChecksEligibility) {
  const std::string dir = testing::MakeTempDir("carectl");
  const std::string log = dir + "/carectl.log";
  // Runs carectl with `args` and then `connection`; the exit code and stdout with stderr.
  auto run = [&](std::vector<std::string> args, std::vector<std::string> connection) {
    std::vector<std::string> argv = {HOMECARE_CARECTL_BINARY};
    argv.insert(argv.end(), args.begin(), args.end());
    argv.insert(argv.end(), connection.begin(), connection.end());
    std::remove(log.c_str());
    auto process = testing::Subprocess::Spawn(argv, log);
    EXPECT_TRUE(process.ok()) << process.status();
    absl::StatusOr<int> status = process->Wait(absl::Seconds(30));
    EXPECT_TRUE(status.ok()) << status.status();
    return std::make_pair(status.ok() && WIFEXITED(*status) ? WEXITSTATUS(*status) : -1,
                          testing::ReadFileOrEmpty(log));
  };
  auto carectl = [&](std::vector<std::string> args) {
    return run(args, {"--roster", roster_->address(), "--token", Coordinator()});
  };
  auto rpc = [&](std::vector<std::string> args) {
    return run(args, {"--addr", roster_->address(), "--token", Coordinator()});
  };
  // Names for the localities, which tables show instead of their ids.
  auto [renamed, renamed_output] =
      carectl({"tenant", "update", "--localities", "north=North,south=South",
               "--minimum-hourly-pay-pence", "1260"});
  ASSERT_EQ(renamed, 0) << renamed_output;
  EXPECT_THAT(renamed_output, HasSubstr("localities:      North (north), South (south)\n"));
  EXPECT_THAT(renamed_output, HasSubstr("minimum pay:     £12.60 an hour\n"));
  auto [created, created_output] =
      carectl({"carer", "create", "--name", "Ann Lee", "--gender", "female", "--locality", "north",
               "--home", "51.5,-0.12", "--skills", "medication,hoist:2099-01-01", "--rate", "1300",
               "--contracted", "1800", "--max-day", "480"});
  ASSERT_EQ(created, 0) << created_output;
  // One carer as "label: value" lines in words.
  EXPECT_THAT(created_output, HasSubstr("carer:       Ann Lee (car_"));
  EXPECT_THAT(created_output, HasSubstr("pay:         £13.00 an hour"));
  EXPECT_THAT(created_output, HasSubstr("locality:    North (north)"));
  std::vector<std::string> ids = ListCarerIds(rv1::ListCarersRequest());
  ASSERT_EQ(ids.size(), 1u);

  auto [set, set_output] = carectl({"availability", "set", "--carer", ids[0], "--weekly",
                                    "tue 07:00-10:00,tue 16:00-20:00", "--off", "2026-11-24"});
  ASSERT_EQ(set, 0) << set_output;
  EXPECT_THAT(set_output, HasSubstr("weekly:     Tue 07:00-10:00, 16:00-20:00"));
  EXPECT_THAT(set_output, HasSubstr("2026-11-24 off all day"));
  auto [listed, listed_output] = carectl({"carer", "list", "--locality", "north"});
  ASSERT_EQ(listed, 0) << listed_output;
  // A table with the locality's name, pounds and the id to use in other commands.
  EXPECT_THAT(listed_output, HasSubstr("NAME     GENDER  LOCALITY  SKILLS"));
  EXPECT_THAT(listed_output, ::testing::ContainsRegex("Ann Lee +female +North +medication, hoist "
                                                      "\\(to 2099-01-01\\) +£13.00 +30h"));
  EXPECT_THAT(listed_output, HasSubstr(ids[0]));
  EXPECT_THAT(listed_output, Not(HasSubstr("\"carer_id\"")));
  auto [eligible, eligible_output] =
      carectl({"carer", "eligible", "--at", "2026-11-17T08:00", "--skills", "hoist"});
  ASSERT_EQ(eligible, 0) << eligible_output;
  EXPECT_THAT(eligible_output, HasSubstr(ids[0]));
  auto [day_off, day_off_output] = carectl({"carer", "eligible", "--at", "2026-11-24T08:00"});
  ASSERT_EQ(day_off, 0) << day_off_output;
  EXPECT_EQ(day_off_output, "no carers are free at that time\n");

  // --json is the proto JSON, as scripts read it: the same carer the service returns.
  auto [json, json_output] = carectl({"carer", "get", "--id", ids[0], "--json"});
  ASSERT_EQ(json, 0) << json_output;
  rv1::Carer from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json_output, &from_json).ok())
      << json_output;
  rv1::GetCarerRequest get;
  get.set_carer_id(ids[0]);
  rv1::Carer direct;
  ASSERT_THAT(Call(&Stub::GetCarer, Coordinator(), get, &direct), GrpcOk());
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_json, direct)) << json_output;
  EXPECT_THAT(json_output, HasSubstr("\"hourly_rate_pence\": \"1300\""));
  auto [empty_json, empty_json_output] =
      carectl({"carer", "eligible", "--at", "2026-11-24T08:00", "--json"});
  EXPECT_EQ(empty_json_output, "{}\n");

  // A mistake is reported once, by the flag that set the field, with a failing exit code.
  auto [refused, refused_output] =
      carectl({"carer", "create", "--name", "Bob", "--gender", "male", "--locality", "atlantis",
               "--home", "1,1", "--rate", "1300"});
  EXPECT_NE(refused, 0);
  EXPECT_THAT(refused_output, ::testing::StartsWith("error: --locality: "));
  EXPECT_THAT(refused_output, Not(HasSubstr("carer.locality_id")));
  auto [bad_value, bad_value_output] =
      carectl({"carer", "create", "--name", "Bob", "--gender", "man"});
  EXPECT_NE(bad_value, 0);
  EXPECT_THAT(bad_value_output, HasSubstr("--gender: gender \"man\" is not valid"));

  // Typos get the nearest command or flag.
  auto [typo, typo_output] = carectl({"carer", "lst"});
  EXPECT_EQ(typo, 2);
  EXPECT_THAT(typo_output,
              HasSubstr("unknown command \"carer lst\"; did you mean \"carer list\"?"));
  auto [flag_typo, flag_typo_output] = carectl({"carer", "list", "--localty", "north"});
  EXPECT_EQ(flag_typo, 2);
  EXPECT_THAT(flag_typo_output, HasSubstr("unknown flag --localty; did you mean --locality?"));

  // carectl rpc: what grpcurl does, through the server's reflection.
  auto [services, services_output] = rpc({"rpc", "list"});
  ASSERT_EQ(services, 0) << services_output;
  EXPECT_THAT(services_output, HasSubstr("homecare.roster.v1.RosterService\n"));
  EXPECT_THAT(services_output, HasSubstr("grpc.health.v1.Health\n"));
  auto [methods, methods_output] = rpc({"rpc", "list", "homecare.roster.v1.RosterService"});
  EXPECT_THAT(methods_output, HasSubstr("homecare.roster.v1.RosterService.ListEligibleCarers\n"));
  auto [described, described_output] =
      rpc({"rpc", "describe", "homecare.roster.v1.RosterService/GetCarer"});
  ASSERT_EQ(described, 0) << described_output;
  EXPECT_THAT(described_output,
              HasSubstr("rpc GetCarer(.homecare.roster.v1.GetCarerRequest) returns "
                        "(.homecare.roster.v1.Carer);"));
  EXPECT_THAT(described_output, HasSubstr("int64 hourly_rate_pence = 9;"));
  auto [called, called_output] = rpc({"rpc", "call", "homecare.roster.v1.RosterService/GetCarer",
                                      "--data", absl::StrCat("{\"carer_id\": \"", ids[0], "\"}")});
  ASSERT_EQ(called, 0) << called_output;
  rv1::Carer from_rpc;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(called_output, &from_rpc).ok())
      << called_output;
  EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_rpc, direct));
  // A refused call: the code, the message and the details the server sent.
  auto [failed, failed_output] = rpc({"rpc", "call", "homecare.roster.v1.RosterService/CreateCarer",
                                      "--data", "{\"carer\": {\"display_name\": \"\"}}"});
  EXPECT_EQ(failed, 1);
  EXPECT_THAT(failed_output, ::testing::StartsWith("error: INVALID_ARGUMENT: "));
  EXPECT_THAT(failed_output, HasSubstr("\"@type\": \"type.googleapis.com/google.rpc.BadRequest\""));
  EXPECT_THAT(failed_output, HasSubstr("\"field\": \"carer.display_name\""));
  auto [unknown, unknown_output] = rpc({"rpc", "call", "homecare.roster.v1.RosterService/Nope"});
  EXPECT_EQ(unknown, 1);
  EXPECT_THAT(unknown_output,
              HasSubstr("NOT_FOUND: homecare.roster.v1.RosterService has no method Nope"));
  testing::RemoveTree(dir);
}

// ---- Redis going away

TEST_F(RosterServiceTest, RedisDownFailsWritesAndWatchesWithUnavailable) {
  rv1::Carer ann = CreateCarer(NewCarer("Ann"));
  ChangeReader watch(*stub_, Coordinator(), "");
  watch.WaitUntilWatching();
  ASSERT_THAT(redis_->Stop(), IsOk());
  rv1::CreateCarerRequest create;
  *create.mutable_carer() = NewCarer("Bob");
  rv1::Carer carer;
  EXPECT_THAT(Call(&Stub::CreateCarer, Coordinator(), create, &carer),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_FALSE(watch.Next().has_value());
  EXPECT_THAT(watch.Finish(), GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  // Health shows the outage, for the service and for the background task that checks Redis.
  auto channel = roster_->NewChannel();
  const std::string readiness = "homecare.roster.v1.RosterService/background/redis-readiness";
  EXPECT_THAT(WaitForHealth(*channel, "", ServingStatus::kNotServing, absl::Seconds(20)), IsOk());
  EXPECT_THAT(WaitForHealth(*channel, readiness, ServingStatus::kNotServing, absl::Seconds(20)),
              IsOk());
  ASSERT_THAT(redis_->Restart(), IsOk());
  // Back without restarting the service; nothing half-written.
  EXPECT_THAT(WaitForHealth(*channel, "", ServingStatus::kServing, absl::Seconds(20)), IsOk());
  EXPECT_THAT(WaitForHealth(*channel, readiness, ServingStatus::kServing, absl::Seconds(20)),
              IsOk());
  rv1::ListCarersResponse response;
  ASSERT_THAT(Call(&Stub::ListCarers, Coordinator(), rv1::ListCarersRequest(), &response),
              GrpcOk());
  ASSERT_EQ(response.carers_size(), 1);
  EXPECT_EQ(response.carers(0).carer_id(), ann.carer_id());
}

}  // namespace
}  // namespace homecare
