#include "services/checkin/policy_rules.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"

namespace homecare::checkin {
namespace {

using google::protobuf::util::TimeUtil;
using ::testing::UnorderedElementsAre;

TEST(PolicyRulesTest, ATenantThatSetNothingHasDesignMdsDefaults) {
  const v1::CheckInPolicy policy = EffectivePolicy({});
  EXPECT_EQ(policy.geofence_meters(), 150);
  EXPECT_EQ(TimeUtil::DurationToMinutes(policy.max_clock_skew()), 5);
  EXPECT_EQ(TimeUtil::DurationToMinutes(policy.standard().late_after()), 15);
  EXPECT_EQ(TimeUtil::DurationToMinutes(policy.time_critical().late_after()), 5);
  EXPECT_EQ(TimeUtil::DurationToMinutes(policy.standard().missed_after()), 60);
  EXPECT_EQ(TimeUtil::DurationToMinutes(policy.standard().overdue_check_out_after()), 30);
  EXPECT_EQ(policy.standard().short_visit_fraction(), 0.75);
  EXPECT_EQ(&ThresholdsFor(policy, true), &policy.time_critical());
}

TEST(PolicyRulesTest, AnUpdateChangesWhatItNamesAndIsVersioned) {
  v1::CheckInPolicy changes;
  changes.set_geofence_meters(250);
  changes.set_version(99);  // output-only: ignored
  absl::StatusOr<v1::CheckInPolicy> updated =
      ApplyPolicyUpdate({}, changes, {"geofence_meters"}, absl::FromUnixSeconds(7));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->geofence_meters(), 250);
  EXPECT_EQ(updated->version(), 1);
  EXPECT_EQ(updated->update_time().seconds(), 7);
  EXPECT_EQ(EffectivePolicy(*updated).standard().short_visit_fraction(), 0.75);
}

TEST(PolicyRulesTest, OutOfRangeValuesAreRefusedNamingEachField) {
  v1::CheckInPolicy changes;
  changes.set_geofence_meters(3);
  *changes.mutable_max_clock_skew() = TimeUtil::SecondsToDuration(0);
  *changes.mutable_standard()->mutable_late_after() = TimeUtil::MinutesToDuration(90);
  changes.mutable_standard()->set_short_visit_fraction(1.5);
  *changes.mutable_time_critical()->mutable_missed_after() = TimeUtil::HoursToDuration(30);
  absl::StatusOr<v1::CheckInPolicy> updated = ApplyPolicyUpdate(
      {}, changes, {"geofence_meters", "max_clock_skew", "standard", "time_critical"},
      absl::FromUnixSeconds(7));
  EXPECT_THAT(ViolatedFields(updated.status()),
              UnorderedElementsAre(
                  "policy.geofence_meters", "policy.max_clock_skew", "policy.standard.late_after",
                  "policy.standard.short_visit_fraction", "policy.time_critical.missed_after"));
}

}  // namespace
}  // namespace homecare::checkin
