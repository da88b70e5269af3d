// The tenant's scheduling settings: travel speeds and road factor (EstimateTravel's data) and
// whether soft rules refuse an assignment. What is valid, and how an update applies. No gRPC,
// no Redis.
#ifndef HOMECARE_SERVICES_SCHEDULING_SETTINGS_RULES_H_
#define HOMECARE_SERVICES_SCHEDULING_SETTINGS_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::scheduling {

inline constexpr double kMinRoadDistanceFactor = 1.0;
inline constexpr double kMaxRoadDistanceFactor = 3.0;
inline constexpr double kMaxSpeedKmh = 150;
// The automatic scheduler's weights, in minutes of travel: defaults and the most allowed.
inline constexpr int kDefaultContinuityMinutes = 60;
inline constexpr int kDefaultPreferredCarerMinutes = 30;
inline constexpr int kDefaultPreferredGenderMinutes = 60;
inline constexpr int kDefaultCarerInDayMinutes = 60;
inline constexpr int kDefaultUsualCarerMinutes = 720;
inline constexpr int kMaxWeightMinutes = 24 * 60;
// A client who has met this many carers in the fortnight up to the day: new faces cost more
// (autoschedule_model.h, bench/provider_day/README.md for what it gave).
inline constexpr int kDefaultFortnightCarersThreshold = 5;
inline constexpr int kMaxFortnightCarersThreshold = 50;

// The settings in force: `stored` (empty for a tenant that never changed them) with travel
// and scheduler weight defaults filled in.
v1::SchedulingSettings EffectiveSettings(const v1::SchedulingSettings& stored);

// The update_mask paths UpdateSchedulingSettings accepts.
const std::vector<std::string>& SettingsUpdatePaths();

// `stored` with the `paths` of `changes` copied in, validated: a road-distance factor of 1 to
// 3, speeds above 0 and at most kMaxSpeedKmh and weights of 0 to kMaxWeightMinutes, each
// naming its field under "settings."; 0
// is unset (the default). The version is bumped and update_time set. The result is what to
// store; EffectiveSettings of it is what is in force.
absl::StatusOr<v1::SchedulingSettings> ApplySettingsUpdate(const v1::SchedulingSettings& stored,
                                                           const v1::SchedulingSettings& changes,
                                                           const std::vector<std::string>& paths,
                                                           absl::Time now);

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SETTINGS_RULES_H_
