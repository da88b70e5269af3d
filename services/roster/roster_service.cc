#include "services/roster/roster_service.h"

#include <utility>

#include "services/roster/carer_rules.h"
#include "services/roster/tenant_rules.h"

namespace homecare::roster {
namespace {

// Who works on a tenant's carers: its coordinators and its services. Carers read their own
// record through the RPCs that allow kCarerReaders.
constexpr Role kCarerManagers[] = {Role::kCoordinator, Role::kSystem};
constexpr Role kCarerReaders[] = {Role::kCoordinator, Role::kSystem, Role::kCarer};

}  // namespace

grpc::ServerUnaryReactor* RosterService::CreateTenant(grpc::CallbackServerContext* context,
                                                      const v1::CreateTenantRequest* request,
                                                      v1::Tenant* response) {
  return calls_.Unary(context, {Role::kOperator}, [=, this](const Principal&) {
    return Reply(roster_.CreateTenant(*request), response);
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
        return Reply(roster_.GetTenant(*tenant_id), response);
      });
}

grpc::ServerUnaryReactor* RosterService::UpdateTenant(grpc::CallbackServerContext* context,
                                                      const v1::UpdateTenantRequest* request,
                                                      v1::Tenant* response) {
  return calls_.Unary(context, {Role::kOperator, Role::kCoordinator, Role::kSystem},
                      [=, this](const Principal& principal) -> absl::Status {
                        absl::StatusOr<std::string> tenant_id =
                            TenantToRead(principal, request->tenant().tenant_id());
                        if (!tenant_id.ok()) return tenant_id.status();
                        return Reply(roster_.UpdateTenant(*tenant_id, *request), response);
                      });
}

grpc::ServerUnaryReactor* RosterService::ListTenants(grpc::CallbackServerContext* context,
                                                     const v1::ListTenantsRequest* request,
                                                     v1::ListTenantsResponse* response) {
  return calls_.Unary(context, {Role::kOperator}, [=, this](const Principal&) {
    return Reply(roster_.ListTenants(*request), response);
  });
}

grpc::ServerUnaryReactor* RosterService::CreateCarer(grpc::CallbackServerContext* context,
                                                     const v1::CreateCarerRequest* request,
                                                     v1::Carer* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.CreateCarer(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::GetCarer(grpc::CallbackServerContext* context,
                                                  const v1::GetCarerRequest* request,
                                                  v1::Carer* response) {
  return calls_.OnTenant(
      context, kCarerReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        if (absl::Status own = CheckOwnRecord(principal, request->carer_id()); !own.ok()) {
          return own;
        }
        return Reply(roster_.GetCarer(tenant, request->carer_id()), response);
      });
}

grpc::ServerUnaryReactor* RosterService::UpdateCarer(grpc::CallbackServerContext* context,
                                                     const v1::UpdateCarerRequest* request,
                                                     v1::Carer* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.UpdateCarer(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::ListCarers(grpc::CallbackServerContext* context,
                                                    const v1::ListCarersRequest* request,
                                                    v1::ListCarersResponse* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.ListCarers(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::BatchGetCarers(grpc::CallbackServerContext* context,
                                                        const v1::BatchGetCarersRequest* request,
                                                        v1::BatchGetCarersResponse* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.BatchGetCarers(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::SetAvailability(grpc::CallbackServerContext* context,
                                                         const v1::SetAvailabilityRequest* request,
                                                         v1::Availability* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.SetAvailability(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::GetAvailability(grpc::CallbackServerContext* context,
                                                         const v1::GetAvailabilityRequest* request,
                                                         v1::Availability* response) {
  return calls_.OnTenant(
      context, kCarerReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        if (absl::Status own = CheckOwnRecord(principal, request->carer_id()); !own.ok()) {
          return own;
        }
        return Reply(roster_.GetAvailability(tenant, request->carer_id()), response);
      });
}

grpc::ServerUnaryReactor* RosterService::RecordAbsence(grpc::CallbackServerContext* context,
                                                       const v1::RecordAbsenceRequest* request,
                                                       v1::Absence* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.RecordAbsence(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::EndAbsence(grpc::CallbackServerContext* context,
                                                    const v1::EndAbsenceRequest* request,
                                                    v1::Absence* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.EndAbsence(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::CancelAbsence(grpc::CallbackServerContext* context,
                                                       const v1::CancelAbsenceRequest* request,
                                                       v1::Absence* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.CancelAbsence(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::ListAbsences(grpc::CallbackServerContext* context,
                                                      const v1::ListAbsencesRequest* request,
                                                      v1::ListAbsencesResponse* response) {
  return calls_.OnTenant(
      context, kCarerReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        if (absl::Status own = CheckOwnRecord(principal, request->carer_id()); !own.ok()) {
          return own;
        }
        return Reply(roster_.ListAbsences(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* RosterService::ListEligibleCarers(
    grpc::CallbackServerContext* context, const v1::ListEligibleCarersRequest* request,
    v1::ListEligibleCarersResponse* response) {
  return calls_.OnTenant(
      context, kCarerManagers,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        return Reply(roster_.ListEligibleCarers(tenant, *request), response);
      });
}

grpc::ServerWriteReactor<v1::CarerChange>* RosterService::WatchCarerChanges(
    grpc::CallbackServerContext* context, const v1::WatchCarerChangesRequest* request) {
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kCarerManagers);
  if (!principal.ok()) return Watches::Refuse<v1::CarerChange>(principal.status());
  if (principal->tenant.empty()) {
    return Watches::Refuse<v1::CarerChange>(CallerTenant(*principal).status());
  }
  return watches_.Start<v1::CarerChange>(*principal, request->resume_token(), &roster_.changes());
}

}  // namespace homecare::roster
