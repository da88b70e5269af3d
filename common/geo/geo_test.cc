#include "common/geo/geo.h"

#include <limits>
#include <numbers>

#include "common/status/errors.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::SizeIs;

TEST(DistanceMetersTest, VincentysOwnExample) {
  // Flinders Peak to Buninyong (Vincenty 1975; Geoscience Australia): 54,972.271 m.
  LatLng flinders{-(37 + 57 / 60.0 + 3.72030 / 3600), 144 + 25 / 60.0 + 29.52440 / 3600};
  LatLng buninyong{-(37 + 39 / 60.0 + 10.15610 / 3600), 143 + 55 / 60.0 + 35.38390 / 3600};
  EXPECT_NEAR(DistanceMeters(flinders, buninyong), 54972.271, 0.01);
}

TEST(DistanceMetersTest, GeofenceScaleAndSymmetry) {
  LatLng home{51.5007, -0.1246};
  LatLng across_road{51.5010, -0.1246};  // 0.0003 degrees of latitude: about 33 m
  EXPECT_NEAR(DistanceMeters(home, across_road), 33.4, 0.2);
  EXPECT_DOUBLE_EQ(DistanceMeters(home, home), 0);
  EXPECT_NEAR(DistanceMeters(home, across_road), DistanceMeters(across_road, home), 1e-9);
  // London to Manchester, about 262 km; the sphere agrees within 0.5%.
  LatLng manchester{53.4808, -2.2426};
  double ellipsoid = DistanceMeters(home, manchester);
  EXPECT_NEAR(ellipsoid, 262000, 3000);
  EXPECT_NEAR(HaversineMeters(home, manchester) / ellipsoid, 1.0, 0.005);
}

TEST(DistanceMetersTest, NearlyAntipodalFallsBackInsteadOfFailing) {
  double d = DistanceMeters({0, 0}, {0.5, 179.7});
  EXPECT_GT(d, 19900000);
  EXPECT_LT(d, 20040000);
}

TEST(DestinationPointTest, LandsTheDistanceAwayOnTheBearing) {
  LatLng home{51.515, -0.105};
  for (double bearing : {0.0, 1.0, 2.5, 4.0, 6.0}) {
    for (double meters : {10.0, 60.0, 400.0}) {
      LatLng there = DestinationPoint(home, meters, bearing);
      EXPECT_NEAR(DistanceMeters(home, there), meters, meters * 0.005) << bearing;
    }
  }
  // North raises the latitude only; east the longitude only; across the antimeridian it wraps.
  EXPECT_GT(DestinationPoint(home, 100, 0).latitude, home.latitude);
  EXPECT_NEAR(DestinationPoint(home, 100, 0).longitude, home.longitude, 1e-9);
  EXPECT_GT(DestinationPoint(home, 100, std::numbers::pi / 2).longitude, home.longitude);
  EXPECT_LT(DestinationPoint({0, 179.9999}, 100, std::numbers::pi / 2).longitude, -179.9);
}

TEST(ValidateGeoPointTest, NamesTheBadCoordinate) {
  common::v1::GeoPoint point;
  point.set_latitude(51.5);
  point.set_longitude(-0.12);
  EXPECT_TRUE(ValidateGeoPoint(point, "home").ok());
  point.set_latitude(91);
  point.set_longitude(std::numeric_limits<double>::quiet_NaN());
  absl::Status status = ValidateGeoPoint(point, "carer.home");
  auto violations = FieldViolationsOf(status);
  ASSERT_THAT(violations, SizeIs(2));
  EXPECT_EQ(violations[0].field(), "carer.home.latitude");
  EXPECT_EQ(violations[1].field(), "carer.home.longitude");
}

}  // namespace
}  // namespace homecare
