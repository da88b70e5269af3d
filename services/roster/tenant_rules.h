// The rules for tenants (provider organisations): what a valid profile is and who may read which
// tenant. No gRPC, no Redis: the service adapter calls these and the store.
#ifndef HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_
#define HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
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

// The update_mask paths UpdateTenant accepts.
const std::vector<std::string>& TenantUpdatePaths();

// `stored` with the `paths` of `changes` copied in (an emptied time zone is the default), the
// version bumped and update_time set. Validate the result with ValidateNewTenant.
v1::Tenant ApplyTenantUpdate(const v1::Tenant& stored, const v1::Tenant& changes,
                             const std::vector<std::string>& paths, absl::Time now);

// Every carer a changed profile would leave invalid, so that the change is refused instead:
// a carer in a locality or of a sub-contractor that is gone (LOCALITY_IN_USE, EMPLOYER_IN_USE),
// an active carer paid below a raised minimum (PAY_BELOW_MINIMUM). FAILED_PRECONDITION listing
// each; OK when there is none.
absl::Status CheckCarersStillValid(const v1::Tenant& updated, absl::Span<const v1::Carer> carers);

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_TENANT_RULES_H_
