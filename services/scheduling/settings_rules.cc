#include "services/scheduling/settings_rules.h"

#include <cmath>
#include <tuple>
#include <utility>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/scheduling/travel.h"

namespace homecare::scheduling {
namespace {

// 0 is unset: the default.
void CheckSpeed(FieldViolations& violations, const char* field, double kmh) {
  if (kmh == 0) return;
  if (!std::isfinite(kmh) || kmh < 0 || kmh > kMaxSpeedKmh) {
    violations.Add(absl::StrCat("settings.travel.", field),
                   absl::StrCat("must be above 0 and at most ", kMaxSpeedKmh, " km/h"));
  }
}

}  // namespace

v1::SchedulingSettings EffectiveSettings(const v1::SchedulingSettings& stored) {
  v1::SchedulingSettings settings = stored;
  *settings.mutable_travel() = EffectiveTravelSettings(stored.travel());
  v1::AutoScheduleWeights& weights = *settings.mutable_auto_schedule();
  for (auto [value, set, fallback] :
       {std::tuple{weights.continuity_minutes(), &v1::AutoScheduleWeights::set_continuity_minutes,
                   kDefaultContinuityMinutes},
        std::tuple{weights.preferred_carer_minutes(),
                   &v1::AutoScheduleWeights::set_preferred_carer_minutes,
                   kDefaultPreferredCarerMinutes},
        std::tuple{weights.preferred_gender_minutes(),
                   &v1::AutoScheduleWeights::set_preferred_gender_minutes,
                   kDefaultPreferredGenderMinutes},
        std::tuple{weights.carer_in_day_minutes(),
                   &v1::AutoScheduleWeights::set_carer_in_day_minutes, kDefaultCarerInDayMinutes},
        std::tuple{weights.usual_carer_minutes(), &v1::AutoScheduleWeights::set_usual_carer_minutes,
                   kDefaultUsualCarerMinutes},
        std::tuple{weights.fortnight_carers_threshold(),
                   &v1::AutoScheduleWeights::set_fortnight_carers_threshold,
                   kDefaultFortnightCarersThreshold}}) {
    if (value == 0) (weights.*set)(fallback);
  }
  return settings;
}

const std::vector<std::string>& SettingsUpdatePaths() {
  static const auto* const kPaths =
      new std::vector<std::string>{"travel",
                                   "travel.road_distance_factor",
                                   "travel.driving_speed_kmh",
                                   "travel.walking_speed_kmh",
                                   "travel.cycling_speed_kmh",
                                   "travel.public_transport_speed_kmh",
                                   "refuse_on_preferences",
                                   "auto_schedule",
                                   "auto_schedule.continuity_minutes",
                                   "auto_schedule.preferred_carer_minutes",
                                   "auto_schedule.preferred_gender_minutes",
                                   "auto_schedule.carer_in_day_minutes",
                                   "auto_schedule.usual_carer_minutes",
                                   "auto_schedule.fortnight_carers_threshold",
                                   "apply_repairs_at_once"};
  return *kPaths;
}

absl::StatusOr<v1::SchedulingSettings> ApplySettingsUpdate(const v1::SchedulingSettings& stored,
                                                           const v1::SchedulingSettings& changes,
                                                           const std::vector<std::string>& paths,
                                                           absl::Time now) {
  // Kept as given, zeros included, so that a tenant on the defaults follows them if they change.
  v1::SchedulingSettings updated = stored;
  ApplyUpdatePaths(changes, paths, updated);
  const v1::TravelSettings& travel = updated.travel();
  FieldViolations violations;
  const double factor = travel.road_distance_factor();
  if (factor != 0 && (!std::isfinite(factor) || factor < kMinRoadDistanceFactor ||
                      factor > kMaxRoadDistanceFactor)) {
    violations.Add(
        "settings.travel.road_distance_factor",
        absl::StrCat("must be from ", kMinRoadDistanceFactor, " to ", kMaxRoadDistanceFactor));
  }
  CheckSpeed(violations, "driving_speed_kmh", travel.driving_speed_kmh());
  CheckSpeed(violations, "walking_speed_kmh", travel.walking_speed_kmh());
  CheckSpeed(violations, "cycling_speed_kmh", travel.cycling_speed_kmh());
  CheckSpeed(violations, "public_transport_speed_kmh", travel.public_transport_speed_kmh());
  const v1::AutoScheduleWeights& weights = updated.auto_schedule();
  for (auto [field, minutes] :
       {std::pair{"continuity_minutes", weights.continuity_minutes()},
        std::pair{"preferred_carer_minutes", weights.preferred_carer_minutes()},
        std::pair{"preferred_gender_minutes", weights.preferred_gender_minutes()},
        std::pair{"carer_in_day_minutes", weights.carer_in_day_minutes()},
        std::pair{"usual_carer_minutes", weights.usual_carer_minutes()}}) {
    if (minutes < 0 || minutes > kMaxWeightMinutes) {
      violations.Add(absl::StrCat("settings.auto_schedule.", field),
                     absl::StrCat("must be from 0 (the default) to ", kMaxWeightMinutes));
    }
  }
  if (const int threshold = weights.fortnight_carers_threshold();
      threshold < 0 || threshold > kMaxFortnightCarersThreshold) {
    violations.Add("settings.auto_schedule.fortnight_carers_threshold",
                   absl::StrCat("must be from 0 (the default, ", kDefaultFortnightCarersThreshold,
                                ") to ", kMaxFortnightCarersThreshold));
  }
  if (!violations.empty()) return violations.ToStatus();
  updated.set_version(stored.version() + 1);
  *updated.mutable_update_time() = TimeToProto(now);
  return updated;  // as stored: EffectiveSettings for what is in force
}

}  // namespace homecare::scheduling
