#include "common/geo/geo.h"

#include <cmath>

#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr double kSemiMajorAxis = 6378137.0;       // WGS84 a, metres
constexpr double kFlattening = 1 / 298.257223563;  // WGS84 f
constexpr double kSemiMinorAxis = kSemiMajorAxis * (1 - kFlattening);
constexpr double kMeanRadius = 6371008.8;

double Radians(double degrees) { return degrees * kPi / 180.0; }

}  // namespace

double HaversineMeters(LatLng a, LatLng b) {
  double phi1 = Radians(a.latitude), phi2 = Radians(b.latitude);
  double dphi = phi2 - phi1, dlambda = Radians(b.longitude - a.longitude);
  double h = std::sin(dphi / 2) * std::sin(dphi / 2) +
             std::cos(phi1) * std::cos(phi2) * std::sin(dlambda / 2) * std::sin(dlambda / 2);
  return 2 * kMeanRadius * std::asin(std::min(1.0, std::sqrt(h)));
}

double DistanceMeters(LatLng a, LatLng b) {
  const double f = kFlattening;
  double L = Radians(b.longitude - a.longitude);
  double U1 = std::atan((1 - f) * std::tan(Radians(a.latitude)));
  double U2 = std::atan((1 - f) * std::tan(Radians(b.latitude)));
  double sinU1 = std::sin(U1), cosU1 = std::cos(U1);
  double sinU2 = std::sin(U2), cosU2 = std::cos(U2);

  double lambda = L;
  double sin_sigma = 0, cos_sigma = 0, sigma = 0, cos_sq_alpha = 0, cos_2sigma_m = 0;
  for (int iteration = 0; iteration < 200; ++iteration) {
    double sin_lambda = std::sin(lambda), cos_lambda = std::cos(lambda);
    double t1 = cosU2 * sin_lambda;
    double t2 = cosU1 * sinU2 - sinU1 * cosU2 * cos_lambda;
    sin_sigma = std::sqrt(t1 * t1 + t2 * t2);
    if (sin_sigma == 0) return 0;  // the same point
    cos_sigma = sinU1 * sinU2 + cosU1 * cosU2 * cos_lambda;
    sigma = std::atan2(sin_sigma, cos_sigma);
    double sin_alpha = cosU1 * cosU2 * sin_lambda / sin_sigma;
    cos_sq_alpha = 1 - sin_alpha * sin_alpha;
    // On the equator cos²α is 0 and the term is irrelevant.
    cos_2sigma_m = cos_sq_alpha != 0 ? cos_sigma - 2 * sinU1 * sinU2 / cos_sq_alpha : 0;
    double C = f / 16 * cos_sq_alpha * (4 + f * (4 - 3 * cos_sq_alpha));
    double previous = lambda;
    lambda = L + (1 - C) * f * sin_alpha *
                     (sigma +
                      C * sin_sigma *
                          (cos_2sigma_m + C * cos_sigma * (-1 + 2 * cos_2sigma_m * cos_2sigma_m)));
    if (std::abs(lambda - previous) < 1e-12) {
      double u_sq = cos_sq_alpha *
                    (kSemiMajorAxis * kSemiMajorAxis - kSemiMinorAxis * kSemiMinorAxis) /
                    (kSemiMinorAxis * kSemiMinorAxis);
      double A = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)));
      double B = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)));
      double delta_sigma =
          B * sin_sigma *
          (cos_2sigma_m + B / 4 *
                              (cos_sigma * (-1 + 2 * cos_2sigma_m * cos_2sigma_m) -
                               B / 6 * cos_2sigma_m * (-3 + 4 * sin_sigma * sin_sigma) *
                                   (-3 + 4 * cos_2sigma_m * cos_2sigma_m)));
      return kSemiMinorAxis * A * (sigma - delta_sigma);
    }
  }
  return HaversineMeters(a, b);
}

LatLng DestinationPoint(LatLng from, double meters, double bearing_radians) {
  const double lat1 = Radians(from.latitude);
  const double angle = meters / kMeanRadius;
  const double lat2 = std::asin(std::sin(lat1) * std::cos(angle) +
                                std::cos(lat1) * std::sin(angle) * std::cos(bearing_radians));
  double longitude =
      from.longitude + std::atan2(std::sin(bearing_radians) * std::sin(angle) * std::cos(lat1),
                                  std::cos(angle) - std::sin(lat1) * std::sin(lat2)) *
                           180.0 / kPi;
  if (longitude > 180) longitude -= 360;
  if (longitude < -180) longitude += 360;
  return {lat2 * 180.0 / kPi, longitude};
}

LatLng FromProto(const common::v1::GeoPoint& point) {
  return LatLng{point.latitude(), point.longitude()};
}

absl::Status ValidateGeoPoint(const common::v1::GeoPoint& point, absl::string_view field) {
  FieldViolations violations;
  if (!std::isfinite(point.latitude()) || point.latitude() < -90 || point.latitude() > 90) {
    violations.Add(absl::StrCat(field, ".latitude"), "must be between -90 and 90 degrees");
  }
  if (!std::isfinite(point.longitude()) || point.longitude() < -180 || point.longitude() > 180) {
    violations.Add(absl::StrCat(field, ".longitude"), "must be between -180 and 180 degrees");
  }
  return violations.ToStatus();
}

}  // namespace homecare
