#include "services/scheduling/settings_rules.h"

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/travel.h"

namespace homecare::scheduling {
namespace {

using ::testing::UnorderedElementsAre;

TEST(SettingsRulesTest, ATenantThatSetNothingHasTheDefaults) {
  const v1::SchedulingSettings settings = EffectiveSettings({});
  EXPECT_EQ(settings.travel().road_distance_factor(), kDefaultRoadDistanceFactor);
  EXPECT_EQ(settings.travel().driving_speed_kmh(), kDefaultDrivingSpeedKmh);
  EXPECT_FALSE(settings.refuse_on_preferences());
  EXPECT_EQ(settings.auto_schedule().continuity_minutes(), kDefaultContinuityMinutes);
  EXPECT_EQ(settings.auto_schedule().preferred_carer_minutes(), kDefaultPreferredCarerMinutes);
  EXPECT_EQ(settings.auto_schedule().preferred_gender_minutes(), kDefaultPreferredGenderMinutes);
  EXPECT_EQ(settings.auto_schedule().carer_in_day_minutes(), kDefaultCarerInDayMinutes);
  EXPECT_EQ(settings.auto_schedule().usual_carer_minutes(), kDefaultUsualCarerMinutes);
  EXPECT_EQ(settings.auto_schedule().fortnight_carers_threshold(),
            kDefaultFortnightCarersThreshold);
  EXPECT_EQ(settings.version(), 0);
}

TEST(SettingsRulesTest, TheSchedulersWeightsAreTheTenantsToSet) {
  v1::SchedulingSettings changes;
  changes.mutable_auto_schedule()->set_continuity_minutes(240);
  absl::StatusOr<v1::SchedulingSettings> updated = ApplySettingsUpdate(
      {}, changes, {"auto_schedule.continuity_minutes"}, absl::FromUnixSeconds(9));
  ASSERT_TRUE(updated.ok()) << updated.status();
  const v1::SchedulingSettings in_force = EffectiveSettings(*updated);
  EXPECT_EQ(in_force.auto_schedule().continuity_minutes(), 240);
  EXPECT_EQ(in_force.auto_schedule().preferred_carer_minutes(), kDefaultPreferredCarerMinutes);
  changes.mutable_auto_schedule()->set_continuity_minutes(-1);
  changes.mutable_auto_schedule()->set_preferred_gender_minutes(kMaxWeightMinutes + 1);
  changes.mutable_auto_schedule()->set_carer_in_day_minutes(-5);
  changes.mutable_auto_schedule()->set_usual_carer_minutes(kMaxWeightMinutes + 1);
  changes.mutable_auto_schedule()->set_fortnight_carers_threshold(kMaxFortnightCarersThreshold + 1);
  updated = ApplySettingsUpdate({}, changes, {"auto_schedule"}, absl::FromUnixSeconds(9));
  EXPECT_THAT(ViolatedFields(updated.status()),
              UnorderedElementsAre("settings.auto_schedule.continuity_minutes",
                                   "settings.auto_schedule.preferred_gender_minutes",
                                   "settings.auto_schedule.carer_in_day_minutes",
                                   "settings.auto_schedule.usual_carer_minutes",
                                   "settings.auto_schedule.fortnight_carers_threshold"));
  changes.mutable_auto_schedule()->set_fortnight_carers_threshold(-1);
  updated = ApplySettingsUpdate({}, changes, {"auto_schedule.fortnight_carers_threshold"},
                                absl::FromUnixSeconds(9));
  EXPECT_THAT(ViolatedFields(updated.status()),
              UnorderedElementsAre("settings.auto_schedule.fortnight_carers_threshold"));
  changes.mutable_auto_schedule()->set_fortnight_carers_threshold(8);
  updated = ApplySettingsUpdate({}, changes, {"auto_schedule.fortnight_carers_threshold"},
                                absl::FromUnixSeconds(9));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(EffectiveSettings(*updated).auto_schedule().fortnight_carers_threshold(), 8);
  changes.mutable_auto_schedule()->set_usual_carer_minutes(kMaxWeightMinutes);
  updated = ApplySettingsUpdate({}, changes, {"auto_schedule.usual_carer_minutes"},
                                absl::FromUnixSeconds(9));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(EffectiveSettings(*updated).auto_schedule().usual_carer_minutes(), kMaxWeightMinutes);
  changes.mutable_auto_schedule()->set_continuity_minutes(0);
  changes.mutable_auto_schedule()->set_preferred_gender_minutes(0);
  changes.mutable_auto_schedule()->set_carer_in_day_minutes(90);
  updated = ApplySettingsUpdate({}, changes, {"auto_schedule.carer_in_day_minutes"},
                                absl::FromUnixSeconds(9));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(EffectiveSettings(*updated).auto_schedule().carer_in_day_minutes(), 90);
}

TEST(SettingsRulesTest, AnUpdateChangesTheNamedFieldsAndKeepsZerosAsDefaults) {
  v1::SchedulingSettings changes;
  changes.mutable_travel()->set_walking_speed_kmh(4);
  changes.mutable_travel()->set_driving_speed_kmh(99);  // not named: ignored
  changes.set_refuse_on_preferences(true);
  absl::StatusOr<v1::SchedulingSettings> updated = ApplySettingsUpdate(
      {}, changes, {"travel.walking_speed_kmh", "refuse_on_preferences"}, absl::FromUnixSeconds(9));
  ASSERT_TRUE(updated.ok()) << updated.status();
  EXPECT_EQ(updated->travel().walking_speed_kmh(), 4);
  EXPECT_EQ(updated->travel().driving_speed_kmh(), 0) << "stored unset: the default";
  EXPECT_EQ(EffectiveSettings(*updated).travel().driving_speed_kmh(), kDefaultDrivingSpeedKmh);
  EXPECT_TRUE(updated->refuse_on_preferences());
  EXPECT_EQ(updated->version(), 1);
  EXPECT_EQ(updated->update_time().seconds(), 9);
}

TEST(SettingsRulesTest, OutOfRangeValuesAreRefusedNamingEachField) {
  v1::SchedulingSettings changes;
  changes.mutable_travel()->set_road_distance_factor(0.5);
  changes.mutable_travel()->set_driving_speed_kmh(-3);
  changes.mutable_travel()->set_cycling_speed_kmh(400);
  absl::StatusOr<v1::SchedulingSettings> updated =
      ApplySettingsUpdate({}, changes, {"travel"}, absl::FromUnixSeconds(9));
  EXPECT_THAT(ViolatedFields(updated.status()),
              UnorderedElementsAre("settings.travel.road_distance_factor",
                                   "settings.travel.driving_speed_kmh",
                                   "settings.travel.cycling_speed_kmh"));
}

}  // namespace
}  // namespace homecare::scheduling
