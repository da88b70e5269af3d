// Distances on the WGS84 ellipsoid, for geofences (is the carer at the client's home?) and for
// travel estimates.
#ifndef HOMECARE_COMMON_GEO_GEO_H_
#define HOMECARE_COMMON_GEO_GEO_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "homecare/common/v1/types.pb.h"

namespace homecare {

struct LatLng {
  double latitude = 0;   // degrees
  double longitude = 0;  // degrees
};

// The geodesic distance in metres on the WGS84 ellipsoid (Vincenty's inverse formula, accurate
// to well under a millimetre). For nearly antipodal points, where it does not converge, it falls
// back to the great-circle distance on a sphere of the mean radius (error under 0.5%).
double DistanceMeters(LatLng a, LatLng b);

// Great-circle distance on a sphere of the WGS84 mean radius (6,371,008.8 m).
double HaversineMeters(LatLng a, LatLng b);

// The point `meters` from `from` on the bearing `bearing_radians` (clockwise from north) on the
// same sphere: within centimetres of the ellipsoid for the tens of metres a GPS fix is off by.
LatLng DestinationPoint(LatLng from, double meters, double bearing_radians);

LatLng FromProto(const common::v1::GeoPoint& point);

// Latitude in [-90, 90] and longitude in [-180, 180], both finite. INVALID_ARGUMENT names
// `field`.latitude or `field`.longitude.
absl::Status ValidateGeoPoint(const common::v1::GeoPoint& point, absl::string_view field);

}  // namespace homecare

#endif  // HOMECARE_COMMON_GEO_GEO_H_
