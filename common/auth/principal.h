// Who is calling: the identity a verified token carries, and the role checks every handler makes.
#ifndef HOMECARE_COMMON_AUTH_PRINCIPAL_H_
#define HOMECARE_COMMON_AUTH_PRINCIPAL_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace homecare {

enum class Role { kOperator, kCoordinator, kCarer, kCommissioner, kSystem };

// "operator", "coordinator", "carer", "commissioner", "system": the token's `role` claim.
absl::string_view RoleName(Role role);
std::optional<Role> ParseRole(absl::string_view name);

// The tenant claim of a system token that acts for every tenant in background work.
inline constexpr absl::string_view kAllTenants = "*";

struct Principal {
  std::string subject;  // `sub`: the person or service
  Role role = Role::kCarer;
  // `tenant`: the provider the caller belongs to; "*" only for system tokens acting for every
  // tenant; empty for operators, who belong to none.
  std::string tenant;
  std::string carer_id = "";  // `carer_id`, for carers only

  bool acts_for_all_tenants() const { return tenant == kAllTenants; }
};

// PERMISSION_DENIED unless the principal's role is one of `allowed`.
absl::Status RequireRole(const Principal& principal, absl::Span<const Role> allowed);

// The one tenant the caller works on: a system token for every tenant ("*") and an operator
// (no tenant) name none, so they are PERMISSION_DENIED.
absl::StatusOr<std::string> CallerTenant(const Principal& principal);

}  // namespace homecare

#endif  // HOMECARE_COMMON_AUTH_PRINCIPAL_H_
