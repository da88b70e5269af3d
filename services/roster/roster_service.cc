#include "services/roster/roster_service.h"

#include "services/roster/tenant_rules.h"

namespace homecare::roster {

grpc::ServerUnaryReactor* RosterService::CreateTenant(grpc::CallbackServerContext* context,
                                                      const v1::CreateTenantRequest* request,
                                                      v1::Tenant* response) {
  return calls_.Unary(context, {Role::kOperator}, [=, this](const Principal&) -> absl::Status {
    if (absl::Status status = ValidateNewTenant(request->tenant()); !status.ok()) return status;
    absl::StatusOr<RosterStore::CreateTenantResult> created = store_.CreateTenant(
        NewTenantRecord(request->tenant(), clock_.Now()), CreateTenantFingerprint(*request));
    if (!created.ok()) return created.status();
    *response = std::move(created->tenant);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* RosterService::GetTenant(grpc::CallbackServerContext* context,
                                                   const v1::GetTenantRequest* request,
                                                   v1::Tenant* response) {
  return calls_.Unary(
      context,
      {Role::kOperator, Role::kCoordinator, Role::kCarer, Role::kCommissioner, Role::kSystem},
      [=, this](const Principal& principal) -> absl::Status {
        absl::StatusOr<std::string> tenant_id = TenantToRead(principal, request->tenant_id());
        if (!tenant_id.ok()) return tenant_id.status();
        absl::StatusOr<v1::Tenant> tenant = store_.GetTenant(*tenant_id);
        if (!tenant.ok()) return tenant.status();
        *response = *std::move(tenant);
        return absl::OkStatus();
      });
}

}  // namespace homecare::roster
