// The tenant's check-in policy: the geofence, the phone clock skew tolerated, and the alert
// thresholds for standard and time-critical visits. Defaults, validation, and how an update
// applies. No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_CHECKIN_POLICY_RULES_H_
#define HOMECARE_SERVICES_CHECKIN_POLICY_RULES_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"

namespace homecare::checkin {

// DESIGN.md's defaults.
inline constexpr double kDefaultGeofenceMeters = 150;
inline constexpr absl::Duration kDefaultMaxClockSkew = absl::Minutes(5);
inline constexpr absl::Duration kDefaultLateAfter = absl::Minutes(15);
inline constexpr absl::Duration kDefaultCriticalLateAfter = absl::Minutes(5);
inline constexpr absl::Duration kDefaultMissedAfter = absl::Minutes(60);
inline constexpr absl::Duration kDefaultOverdueCheckOutAfter = absl::Minutes(30);
inline constexpr double kDefaultShortVisitFraction = 0.75;

// The policy in force: `stored` (empty for a tenant that never changed it) with every unset
// field given its default.
v1::CheckInPolicy EffectivePolicy(const v1::CheckInPolicy& stored);

// The thresholds of a visit's priority, from an effective policy.
const v1::AlertThresholds& ThresholdsFor(const v1::CheckInPolicy& policy, bool time_critical);

// The update_mask paths UpdatePolicy accepts.
const std::vector<std::string>& PolicyUpdatePaths();

// `stored` with the `paths` of `changes` copied in, validated, each violation naming its field
// under "policy.": a geofence of 10 to 5,000 m; a skew of 1 second to 24 hours; thresholds of
// 0 to 24 hours, late before missed; a short-visit share of 0 to 1. Unset fields keep their
// defaults. The version is bumped and update_time set; the result is what to store.
absl::StatusOr<v1::CheckInPolicy> ApplyPolicyUpdate(const v1::CheckInPolicy& stored,
                                                    const v1::CheckInPolicy& changes,
                                                    const std::vector<std::string>& paths,
                                                    absl::Time now);

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_POLICY_RULES_H_
