#include "services/scheduling/travel.h"

#include "gtest/gtest.h"

namespace homecare::scheduling {
namespace {

common::v1::GeoPoint Point(double latitude, double longitude) {
  common::v1::GeoPoint point;
  point.set_latitude(latitude);
  point.set_longitude(longitude);
  return point;
}

// 0.09 degrees of latitude: about 10.0 km on the ground.
const common::v1::GeoPoint kFrom = Point(51.50, -0.10);
const common::v1::GeoPoint kTo = Point(51.59, -0.10);

TEST(TravelTest, TheSamePlaceIsNoTravel) {
  const Travel travel = EstimateTravel(kFrom, kFrom, roster::v1::TRAVEL_MODE_DRIVES, {});
  EXPECT_EQ(travel.minutes, 0);
  EXPECT_EQ(travel.meters, 0);
}

TEST(TravelTest, RoadDistanceAtTheSpeedOfTheCarersMode) {
  // 10.0 km x 1.3 = 13.0 km of road.
  const Travel driving = EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_DRIVES, {});
  EXPECT_NEAR(driving.meters, 13013, 20);
  EXPECT_EQ(driving.minutes, 27);  // 13.0 km at 30 km/h: 26.03 minutes, rounded up
  EXPECT_EQ(EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_UNSPECIFIED, {}).minutes, 27)
      << "no mode: driving";
  EXPECT_EQ(EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_WALKS, {}).minutes, 163);
  EXPECT_EQ(EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_CYCLES, {}).minutes, 53);
  EXPECT_EQ(EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_PUBLIC_TRANSPORT, {}).minutes, 66);
}

TEST(TravelTest, TheTenantsSettingsAreUsedAndZerosAreDefaults) {
  v1::TravelSettings settings;
  settings.set_road_distance_factor(1.0);
  settings.set_driving_speed_kmh(60);
  const Travel fast = EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_DRIVES, settings);
  EXPECT_NEAR(fast.meters, 10010, 20);
  EXPECT_EQ(fast.minutes, 11);  // 10.0 km at 60 km/h: 10.01 minutes
  // Walking speed was not set: 4.8 km/h, on 10 km of road.
  EXPECT_EQ(EstimateTravel(kFrom, kTo, roster::v1::TRAVEL_MODE_WALKS, settings).minutes, 126);
  const v1::TravelSettings effective = EffectiveTravelSettings({});
  EXPECT_EQ(effective.road_distance_factor(), kDefaultRoadDistanceFactor);
  EXPECT_EQ(effective.public_transport_speed_kmh(), kDefaultPublicTransportSpeedKmh);
}

}  // namespace
}  // namespace homecare::scheduling
