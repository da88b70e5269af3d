#include "common/auth/principal.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace homecare {

absl::string_view RoleName(Role role) {
  switch (role) {
    case Role::kOperator:
      return "operator";
    case Role::kCoordinator:
      return "coordinator";
    case Role::kCarer:
      return "carer";
    case Role::kCommissioner:
      return "commissioner";
    case Role::kSystem:
      return "system";
  }
  return "unknown";
}

std::optional<Role> ParseRole(absl::string_view name) {
  for (Role role :
       {Role::kOperator, Role::kCoordinator, Role::kCarer, Role::kCommissioner, Role::kSystem}) {
    if (RoleName(role) == name) return role;
  }
  return std::nullopt;
}

absl::Status RequireRole(const Principal& principal, absl::Span<const Role> allowed) {
  std::vector<absl::string_view> names;
  for (Role role : allowed) {
    if (role == principal.role) return absl::OkStatus();
    names.push_back(RoleName(role));
  }
  return absl::PermissionDeniedError(
      absl::StrCat("role \"", RoleName(principal.role),
                   "\" may not call this; allowed: ", absl::StrJoin(names, ", ")));
}

absl::StatusOr<std::string> CallerTenant(const Principal& principal) {
  if (principal.acts_for_all_tenants() || principal.tenant.empty()) {
    return absl::PermissionDeniedError(
        "this call works on one tenant's records: use a token for that tenant");
  }
  return principal.tenant;
}

}  // namespace homecare
