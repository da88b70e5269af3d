#include "services/checkin/policy_rules.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "google/protobuf/util/time_util.h"

namespace homecare::checkin {
namespace {

using google::protobuf::util::TimeUtil;

constexpr double kMinGeofenceMeters = 10;
constexpr double kMaxGeofenceMeters = 5000;
constexpr absl::Duration kMaxThreshold = absl::Hours(24);

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

google::protobuf::Duration FromDuration(absl::Duration duration) {
  return TimeUtil::NanosecondsToDuration(absl::ToInt64Nanoseconds(duration));
}

void FillThresholds(v1::AlertThresholds& thresholds, absl::Duration late) {
  if (!thresholds.has_late_after()) *thresholds.mutable_late_after() = FromDuration(late);
  if (!thresholds.has_missed_after()) {
    *thresholds.mutable_missed_after() = FromDuration(kDefaultMissedAfter);
  }
  if (!thresholds.has_overdue_check_out_after()) {
    *thresholds.mutable_overdue_check_out_after() = FromDuration(kDefaultOverdueCheckOutAfter);
  }
  if (thresholds.short_visit_fraction() == 0) {
    thresholds.set_short_visit_fraction(kDefaultShortVisitFraction);
  }
}

void CheckThresholds(FieldViolations& violations, const std::string& field,
                     const v1::AlertThresholds& thresholds) {
  const std::pair<const char*, const google::protobuf::Duration*> durations[] = {
      {"late_after", &thresholds.late_after()},
      {"missed_after", &thresholds.missed_after()},
      {"overdue_check_out_after", &thresholds.overdue_check_out_after()}};
  for (const auto& [name, value] : durations) {
    const absl::Duration duration = ToDuration(*value);
    if (duration < absl::ZeroDuration() || duration > kMaxThreshold) {
      violations.Add(absl::StrCat(field, ".", name), "must be from 0 to 24 hours");
    }
  }
  if (ToDuration(thresholds.late_after()) > ToDuration(thresholds.missed_after())) {
    violations.Add(absl::StrCat(field, ".late_after"), "must not be after missed_after");
  }
  const double fraction = thresholds.short_visit_fraction();
  if (!std::isfinite(fraction) || fraction < 0 || fraction > 1) {
    violations.Add(absl::StrCat(field, ".short_visit_fraction"), "must be from 0 to 1");
  }
}

}  // namespace

v1::CheckInPolicy EffectivePolicy(const v1::CheckInPolicy& stored) {
  v1::CheckInPolicy policy = stored;
  if (policy.geofence_meters() == 0) policy.set_geofence_meters(kDefaultGeofenceMeters);
  if (!policy.has_max_clock_skew()) {
    *policy.mutable_max_clock_skew() = FromDuration(kDefaultMaxClockSkew);
  }
  FillThresholds(*policy.mutable_standard(), kDefaultLateAfter);
  FillThresholds(*policy.mutable_time_critical(), kDefaultCriticalLateAfter);
  return policy;
}

const v1::AlertThresholds& ThresholdsFor(const v1::CheckInPolicy& policy, bool time_critical) {
  return time_critical ? policy.time_critical() : policy.standard();
}

const std::vector<std::string>& PolicyUpdatePaths() {
  static const auto* const kPaths = new std::vector<std::string>{
      "geofence_meters", "max_clock_skew", "standard", "time_critical"};
  return *kPaths;
}

absl::StatusOr<v1::CheckInPolicy> ApplyPolicyUpdate(const v1::CheckInPolicy& stored,
                                                    const v1::CheckInPolicy& changes,
                                                    const std::vector<std::string>& paths,
                                                    absl::Time now) {
  v1::CheckInPolicy updated = stored;
  ApplyUpdatePaths(changes, paths, updated);
  const v1::CheckInPolicy effective = EffectivePolicy(updated);
  FieldViolations violations;
  const double geofence = effective.geofence_meters();
  if (!std::isfinite(geofence) || geofence < kMinGeofenceMeters || geofence > kMaxGeofenceMeters) {
    violations.Add("policy.geofence_meters", absl::StrCat("must be from ", kMinGeofenceMeters,
                                                          " to ", kMaxGeofenceMeters, " metres"));
  }
  const absl::Duration skew = ToDuration(effective.max_clock_skew());
  if (skew < absl::Seconds(1) || skew > kMaxThreshold) {
    violations.Add("policy.max_clock_skew", "must be from 1 second to 24 hours");
  }
  CheckThresholds(violations, "policy.standard", effective.standard());
  CheckThresholds(violations, "policy.time_critical", effective.time_critical());
  if (!violations.empty()) return violations.ToStatus();
  updated.set_version(stored.version() + 1);
  *updated.mutable_update_time() = TimeToProto(now);
  return updated;
}

}  // namespace homecare::checkin
