#include "services/scheduling/travel.h"

#include <cmath>

#include "common/geo/geo.h"

namespace homecare::scheduling {
namespace {

double OrDefault(double value, double fallback) { return value > 0 ? value : fallback; }

double SpeedKmh(roster::v1::TravelMode mode, const v1::TravelSettings& settings) {
  switch (mode) {
    case roster::v1::TRAVEL_MODE_WALKS:
      return settings.walking_speed_kmh();
    case roster::v1::TRAVEL_MODE_CYCLES:
      return settings.cycling_speed_kmh();
    case roster::v1::TRAVEL_MODE_PUBLIC_TRANSPORT:
      return settings.public_transport_speed_kmh();
    case roster::v1::TRAVEL_MODE_DRIVES:
    default:
      return settings.driving_speed_kmh();
  }
}

}  // namespace

v1::TravelSettings EffectiveTravelSettings(const v1::TravelSettings& stored) {
  v1::TravelSettings settings;
  settings.set_road_distance_factor(
      OrDefault(stored.road_distance_factor(), kDefaultRoadDistanceFactor));
  settings.set_driving_speed_kmh(OrDefault(stored.driving_speed_kmh(), kDefaultDrivingSpeedKmh));
  settings.set_walking_speed_kmh(OrDefault(stored.walking_speed_kmh(), kDefaultWalkingSpeedKmh));
  settings.set_cycling_speed_kmh(OrDefault(stored.cycling_speed_kmh(), kDefaultCyclingSpeedKmh));
  settings.set_public_transport_speed_kmh(
      OrDefault(stored.public_transport_speed_kmh(), kDefaultPublicTransportSpeedKmh));
  return settings;
}

Travel EstimateTravel(const common::v1::GeoPoint& from, const common::v1::GeoPoint& to,
                      roster::v1::TravelMode mode, const v1::TravelSettings& settings) {
  const v1::TravelSettings effective = EffectiveTravelSettings(settings);
  const double meters =
      HaversineMeters(FromProto(from), FromProto(to)) * effective.road_distance_factor();
  const double meters_per_minute = SpeedKmh(mode, effective) * 1000.0 / 60.0;
  Travel travel;
  travel.meters = static_cast<int>(std::lround(meters));
  // A metre's rounding must not turn the same street into a minute's drive.
  travel.minutes = meters < 1 ? 0 : static_cast<int>(std::ceil(meters / meters_per_minute - 1e-9));
  return travel;
}

}  // namespace homecare::scheduling
