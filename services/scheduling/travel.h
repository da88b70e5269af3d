// The one estimate of travel between two places: assignment rules, rotas, the scheduler and pay
// all call EstimateTravel, so that a figure never disagrees between them. Until a routing
// engine (OSRM, Valhalla) is wired in behind this same function, the road distance is the
// great-circle distance times the tenant's road-distance factor, travelled at the speed of the
// carer's mode; speeds and factor are the tenant's data (SchedulingSettings.travel). No gRPC,
// no Redis.
#ifndef HOMECARE_SERVICES_SCHEDULING_TRAVEL_H_
#define HOMECARE_SERVICES_SCHEDULING_TRAVEL_H_

#include "homecare/common/v1/types.pb.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::scheduling {

// Defaults for a tenant that has set none: a UK town's door-to-door figures.
inline constexpr double kDefaultRoadDistanceFactor = 1.3;
inline constexpr double kDefaultDrivingSpeedKmh = 30;  // parking and walking to the door included
inline constexpr double kDefaultWalkingSpeedKmh = 4.8;
inline constexpr double kDefaultCyclingSpeedKmh = 15;
inline constexpr double kDefaultPublicTransportSpeedKmh = 12;  // waits included

// `stored` with each unset (zero) field replaced by its default.
v1::TravelSettings EffectiveTravelSettings(const v1::TravelSettings& stored);

struct Travel {
  int minutes = 0;  // rounded up: a carer cannot arrive in part of a minute
  int meters = 0;   // estimated road distance
};

// From `from` to `to` by `mode` (unspecified: driving), with `settings` in force (see
// EffectiveTravelSettings). The same place is 0 minutes.
Travel EstimateTravel(const common::v1::GeoPoint& from, const common::v1::GeoPoint& to,
                      roster::v1::TravelMode mode, const v1::TravelSettings& settings);

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_TRAVEL_H_
