// What scheduling needs to know of a tenant, which the roster service owns: its time zone (every
// local date and time of plans and visits is in it), its localities, and its carers (records,
// availability, absences) for the assignment rules and rotas.
// Domain code asks this interface; the gRPC client of the roster (roster_directory.h)
// implements it.
#ifndef HOMECARE_SERVICES_SCHEDULING_TENANT_DIRECTORY_H_
#define HOMECARE_SERVICES_SCHEDULING_TENANT_DIRECTORY_H_

#include <algorithm>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::scheduling {

struct TenantProfile {
  std::string tenant_id;
  absl::TimeZone zone;
  std::vector<std::string> locality_ids;

  bool HasLocality(const std::string& id) const {
    return std::find(locality_ids.begin(), locality_ids.end(), id) != locality_ids.end();
  }
};

class TenantDirectory {
 public:
  virtual ~TenantDirectory() = default;
  // NOT_FOUND for a tenant the roster does not know; UNAVAILABLE when the roster cannot be
  // reached within its timeout; INTERNAL for a time zone that does not load here (never UTC
  // instead).
  virtual absl::StatusOr<TenantProfile> Get(const std::string& tenant_id) = 0;
  // Those of `carer_ids` that are not carers of the tenant (in their order); empty when all
  // are. UNAVAILABLE when the roster cannot be reached within its timeout.
  virtual absl::StatusOr<std::vector<std::string>> UnknownCarers(
      const std::string& tenant_id, const std::vector<std::string>& carer_ids) = 0;

  // What the roster says of some carers, asked together (at most 200 ids).
  struct CarerQuery {
    std::vector<std::string> carer_ids;
    bool with_availability = false;
    // When `absences_until` is after `absences_from`: the absences overlapping that span.
    absl::Time absences_from = absl::InfinitePast();
    absl::Time absences_until = absl::InfinitePast();
  };
  // The ids of the tenant's active carers, in the roster's order. UNAVAILABLE when the roster
  // cannot be reached within its timeout.
  virtual absl::StatusOr<std::vector<std::string>> ActiveCarerIds(const std::string& tenant_id) = 0;
  // Carer id -> details, for each id that is a carer of the tenant (the others are left out).
  // UNAVAILABLE when the roster cannot be reached within its timeout. Never cached: an
  // absence just recorded must count.
  virtual absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> GetCarers(
      const std::string& tenant_id, const CarerQuery& query) = 0;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_TENANT_DIRECTORY_H_
