#include "services/roster/carer_rules.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roster/sample_carer.h"
#include "services/roster/tenant_rules.h"

namespace homecare::roster {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

v1::Tenant Tenant() {
  v1::Tenant tenant;
  tenant.set_tenant_id("sunrise-care");
  tenant.set_display_name("Sunrise Homecare");
  tenant.set_time_zone("Europe/London");
  tenant.add_localities()->set_locality_id("north");
  tenant.mutable_localities(0)->set_display_name("North");
  tenant.add_localities()->set_locality_id("south");
  tenant.mutable_localities(1)->set_display_name("South");
  tenant.add_sub_contractors()->set_employer_id("helping-hands");
  tenant.mutable_sub_contractors(0)->set_display_name("Helping Hands");
  tenant.set_minimum_hourly_pay_pence(1260);
  tenant.set_version(3);
  return tenant;
}

v1::Carer Carer() {
  v1::Carer carer = SampleCarer("Ann Lee");
  v1::CarerSkill& hoist = *carer.add_skills();
  hoist.set_skill("hoist");
  *hoist.mutable_expires_on() = DateToProto(absl::CivilDay(2027, 3, 31));
  return carer;
}

TEST(ValidateCarerTest, AcceptsAValidCarer) {
  EXPECT_THAT(ValidateCarer(Carer(), Tenant()), IsOk());
  v1::Carer subcontracted = Carer();
  subcontracted.set_employer_id("helping-hands");
  subcontracted.set_max_minutes_per_day(0);  // no daily limit
  EXPECT_THAT(ValidateCarer(subcontracted, Tenant()), IsOk());
}

TEST(ValidateCarerTest, NamesEveryBrokenFieldAtOnce) {
  v1::Carer carer;
  carer.set_gender(static_cast<common::v1::Gender>(42));
  carer.set_locality_id("west");
  carer.set_contracted_minutes_per_week(-5);
  carer.set_max_minutes_per_day(1441);
  carer.set_hourly_rate_pence(1000);
  carer.set_employer_id("nobody");
  absl::Status status = ValidateCarer(carer, Tenant());
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ViolatedFields(status),
      UnorderedElementsAre("carer.display_name", "carer.gender", "carer.locality_id", "carer.home",
                           "carer.contracted_minutes_per_week", "carer.max_minutes_per_day",
                           "carer.hourly_rate_pence", "carer.employer_id", "carer.travel_mode"));
}

TEST(ValidateCarerTest, RefusesUnsetEnumsAndMissingLocality) {
  v1::Carer carer = Carer();
  carer.set_gender(common::v1::GENDER_UNSPECIFIED);
  carer.set_travel_mode(v1::TRAVEL_MODE_UNSPECIFIED);
  carer.clear_locality_id();
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              UnorderedElementsAre("carer.gender", "carer.travel_mode", "carer.locality_id"));
}

TEST(ValidateCarerTest, RefusesHomeOffTheEarth) {
  v1::Carer carer = Carer();
  carer.mutable_home()->set_latitude(91);
  carer.mutable_home()->set_longitude(-181);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              UnorderedElementsAre("carer.home.latitude", "carer.home.longitude"));
}

TEST(ValidateCarerTest, RefusesWeeklyMinutesThatSevenDaysCannotHold) {
  v1::Carer carer = Carer();
  carer.set_max_minutes_per_day(60);
  carer.set_contracted_minutes_per_week(421);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              ElementsAre("carer.contracted_minutes_per_week"));
  carer.set_contracted_minutes_per_week(420);
  EXPECT_THAT(ValidateCarer(carer, Tenant()), IsOk());
  carer.set_max_minutes_per_day(0);
  carer.set_contracted_minutes_per_week(kMinutesPerWeek + 1);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              ElementsAre("carer.contracted_minutes_per_week"));
}

TEST(ValidateCarerTest, PayMustMeetTheTenantsMinimum) {
  v1::Carer carer = Carer();
  carer.set_hourly_rate_pence(1259);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              ElementsAre("carer.hourly_rate_pence"));
  carer.set_hourly_rate_pence(1260);
  EXPECT_THAT(ValidateCarer(carer, Tenant()), IsOk());
  v1::Tenant no_minimum = Tenant();
  no_minimum.set_minimum_hourly_pay_pence(0);
  carer.set_hourly_rate_pence(0);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, no_minimum)),
              ElementsAre("carer.hourly_rate_pence"));
}

TEST(ValidateCarerTest, SkillsNeedValidUniqueNamesAndDates) {
  v1::Carer carer = Carer();
  carer.mutable_skills(1)->set_skill("medication");
  carer.add_skills()->set_skill("peg feeding");
  carer.add_skills()->set_skill("catheter");
  *carer.mutable_skills(3)->mutable_expires_on() = DateToProto(absl::CivilDay(2027, 1, 1));
  carer.mutable_skills(3)->mutable_expires_on()->set_month(13);
  EXPECT_THAT(ViolatedFields(ValidateCarer(carer, Tenant())),
              UnorderedElementsAre("carer.skills[1].skill", "carer.skills[2].skill",
                                   "carer.skills[3].expires_on"));
}

TEST(NewCarerRecordTest, StartsActiveAtVersionOne) {
  v1::Carer asked = Carer();
  asked.set_active(false);
  asked.set_version(99);
  absl::Time now = absl::FromUnixSeconds(1'800'000'000);
  v1::Carer carer = NewCarerRecord(asked, "car_1", now);
  EXPECT_EQ(carer.carer_id(), "car_1");
  EXPECT_TRUE(carer.active());
  EXPECT_EQ(carer.version(), 1);
  EXPECT_EQ(carer.create_time().seconds(), 1'800'000'000);
  EXPECT_EQ(carer.update_time().seconds(), 1'800'000'000);
}

TEST(CreateCarerFingerprintTest, IgnoresOutputOnlyFields) {
  v1::CreateCarerRequest request;
  request.set_request_id("r1");
  *request.mutable_carer() = Carer();
  v1::CreateCarerRequest same = request;
  same.mutable_carer()->set_carer_id("car_whatever");
  same.mutable_carer()->set_version(7);
  EXPECT_EQ(CreateCarerFingerprint(request), CreateCarerFingerprint(same));
  v1::CreateCarerRequest other = request;
  other.mutable_carer()->set_display_name("Bob");
  EXPECT_NE(CreateCarerFingerprint(request), CreateCarerFingerprint(other));
}

TEST(ApplyCarerUpdateTest, ReplacesOnlyTheNamedFields) {
  v1::Carer stored = NewCarerRecord(Carer(), "car_1", absl::UnixEpoch());
  v1::Carer changes;
  changes.set_display_name("Ann Smith");
  changes.add_skills()->set_skill("dementia");
  changes.set_hourly_rate_pence(1);  // not named: ignored
  changes.set_active(false);
  absl::Time now = absl::FromUnixSeconds(100);
  v1::Carer updated = ApplyCarerUpdate(stored, changes, {"display_name", "skills", "active"}, now);
  EXPECT_EQ(updated.display_name(), "Ann Smith");
  ASSERT_EQ(updated.skills_size(), 1);  // replaced, not appended to
  EXPECT_EQ(updated.skills(0).skill(), "dementia");
  EXPECT_FALSE(updated.active());
  EXPECT_EQ(updated.hourly_rate_pence(), 1300);
  EXPECT_EQ(updated.carer_id(), "car_1");
  EXPECT_EQ(updated.version(), 2);
  EXPECT_EQ(updated.update_time().seconds(), 100);
}

TEST(ApplyCarerUpdateTest, ANamedMessageLeftUnsetIsCleared) {
  v1::Carer stored = NewCarerRecord(Carer(), "car_1", absl::UnixEpoch());
  v1::Carer updated = ApplyCarerUpdate(stored, v1::Carer(), {"home"}, absl::UnixEpoch());
  EXPECT_FALSE(updated.has_home());
  EXPECT_THAT(ViolatedFields(ValidateCarer(updated, Tenant())), ElementsAre("carer.home"));
}

TEST(CallerTenantTest, RefusesTokensThatNameNoSingleTenant) {
  Principal coordinator{.subject = "u", .role = Role::kCoordinator, .tenant = "sunrise-care"};
  EXPECT_EQ(*CallerTenant(coordinator), "sunrise-care");
  Principal everyone{.subject = "s", .role = Role::kSystem, .tenant = "*"};
  EXPECT_THAT(CallerTenant(everyone).status(), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(CheckOwnRecordTest, ACarerReadsOnlyTheirOwn) {
  Principal carer{.subject = "u", .role = Role::kCarer, .tenant = "t", .carer_id = "car_1"};
  EXPECT_THAT(CheckOwnRecord(carer, "car_1"), IsOk());
  EXPECT_THAT(CheckOwnRecord(carer, "car_2"), StatusIs(absl::StatusCode::kPermissionDenied));
  EXPECT_THAT(CheckOwnRecord(carer, ""), StatusIs(absl::StatusCode::kPermissionDenied));
  Principal coordinator{.subject = "u", .role = Role::kCoordinator, .tenant = "t"};
  EXPECT_THAT(CheckOwnRecord(coordinator, "car_2"), IsOk());
}

TEST(CarerFilterTest, MatchesEachFilter) {
  v1::Carer carer = NewCarerRecord(Carer(), "car_1", absl::UnixEpoch());
  const absl::CivilDay today(2027, 3, 31);
  EXPECT_TRUE((CarerFilter{.today = today}.Matches(carer)));
  EXPECT_TRUE((CarerFilter{.locality_id = "north", .today = today}.Matches(carer)));
  EXPECT_FALSE((CarerFilter{.locality_id = "south", .today = today}.Matches(carer)));
  EXPECT_TRUE((CarerFilter{.employer_id = kLeadEmployer, .today = today}.Matches(carer)));
  EXPECT_FALSE((CarerFilter{.employer_id = "helping-hands", .today = today}.Matches(carer)));
  EXPECT_TRUE((CarerFilter{.active = true, .today = today}.Matches(carer)));
  EXPECT_FALSE((CarerFilter{.active = false, .today = today}.Matches(carer)));
  // The hoist skill lapses after 31 March 2027.
  EXPECT_TRUE((CarerFilter{.skill = "hoist", .today = today}.Matches(carer)));
  EXPECT_FALSE((CarerFilter{.skill = "hoist", .today = today + 1}.Matches(carer)));
  EXPECT_FALSE((CarerFilter{.skill = "dementia", .today = today}.Matches(carer)));
  EXPECT_NE(CarerFilter{.skill = "hoist"}.QueryKey(), CarerFilter{.skill = "hois"}.QueryKey());
}

// ---- Tenant updates against the carers they would leave invalid.

TEST(ApplyTenantUpdateTest, ReplacesNamedFieldsAndDefaultsTheZone) {
  v1::Tenant changes;
  changes.set_minimum_hourly_pay_pence(1300);
  v1::Tenant updated = ApplyTenantUpdate(
      Tenant(), changes, {"minimum_hourly_pay_pence", "time_zone"}, absl::FromUnixSeconds(5));
  EXPECT_EQ(updated.minimum_hourly_pay_pence(), 1300);
  EXPECT_EQ(updated.time_zone(), kDefaultTimeZone);
  EXPECT_EQ(updated.localities_size(), 2);
  EXPECT_EQ(updated.version(), 4);
  EXPECT_THAT(ValidateNewTenant(updated), IsOk());
}

TEST(CheckCarersStillValidTest, ListsEveryCarerAChangeWouldStrand) {
  v1::Carer north = NewCarerRecord(Carer(), "car_north", absl::UnixEpoch());
  v1::Carer subcontracted = north;
  subcontracted.set_carer_id("car_sub");
  subcontracted.set_locality_id("south");
  subcontracted.set_employer_id("helping-hands");
  subcontracted.set_hourly_rate_pence(1400);
  v1::Carer inactive_low_pay = north;
  inactive_low_pay.set_carer_id("car_gone");
  inactive_low_pay.set_locality_id("south");
  inactive_low_pay.set_active(false);

  v1::Tenant updated = Tenant();
  updated.mutable_localities()->DeleteSubrange(0, 1);  // north removed
  updated.clear_sub_contractors();
  updated.set_minimum_hourly_pay_pence(1350);
  absl::Status status = CheckCarersStillValid(updated, {north, subcontracted, inactive_low_pay});
  EXPECT_THAT(status, StatusIs(absl::StatusCode::kFailedPrecondition));
  std::vector<std::string> found;
  for (const auto& violation : PreconditionViolationsOf(status)) {
    found.push_back(violation.type() + " " + violation.subject());
  }
  EXPECT_THAT(found, UnorderedElementsAre("LOCALITY_IN_USE carers/car_north",
                                          "PAY_BELOW_MINIMUM carers/car_north",
                                          "EMPLOYER_IN_USE carers/car_sub"));
  EXPECT_THAT(CheckCarersStillValid(Tenant(), {north, subcontracted, inactive_low_pay}), IsOk());
}

}  // namespace
}  // namespace homecare::roster
