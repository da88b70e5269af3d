// The rules for tenants (provider organisations): what a valid profile is and who may read which
// tenant. No gRPC, no Redis: the service adapter calls these and the store.
#ifndef HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_
#define HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

// Every rule a new tenant breaks, each naming its field ("tenant.localities[1].locality_id"):
// the id is a slug; a display name; a time zone that loads (empty means Europe/London);
// localities and sub-contractors with unique slug ids and names; a pay floor that is not
// negative. Output-only fields (times, version) are ignored.
absl::Status ValidateNewTenant(const v1::Tenant& tenant);

// The tenant as it is stored: defaults filled in, server-set fields set.
v1::Tenant NewTenantRecord(const v1::Tenant& requested, absl::Time now);

// What identifies a CreateTenant request for idempotency: its request_id and the tenant asked
// for. Same request, same fingerprint.
std::string CreateTenantFingerprint(const v1::CreateTenantRequest& request);

// Which tenant a GetTenant-style request may read. Operators must name one (INVALID_ARGUMENT
// otherwise), as must a system token acting for every tenant. Everyone else reads their own
// tenant; naming another is NOT_FOUND (never a hint that it exists).
absl::StatusOr<std::string> TenantToRead(const Principal& principal, const std::string& requested);

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_
