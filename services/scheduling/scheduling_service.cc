#include "services/scheduling/scheduling_service.h"

#include <functional>
#include <utility>

namespace homecare::scheduling {
namespace {

// Who plans a tenant's care: its coordinators and its services. Carers see their rota through
// later RPCs; commissioners see figures, not people's plans.
constexpr Role kPlanners[] = {Role::kCoordinator, Role::kSystem};

}  // namespace

grpc::ServerUnaryReactor* SchedulingService::CreateClient(grpc::CallbackServerContext* context,
                                                          const v1::CreateClientRequest* request,
                                                          v1::Client* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.CreateClient(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::GetClient(grpc::CallbackServerContext* context,
                                                       const v1::GetClientRequest* request,
                                                       v1::Client* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.GetClient(tenant, request->client_id()), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::UpdateClient(grpc::CallbackServerContext* context,
                                                          const v1::UpdateClientRequest* request,
                                                          v1::Client* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.UpdateClient(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::ListClients(grpc::CallbackServerContext* context,
                                                         const v1::ListClientsRequest* request,
                                                         v1::ListClientsResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.ListClients(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::CreateCarePlan(
    grpc::CallbackServerContext* context, const v1::CreateCarePlanRequest* request,
    v1::CreateCarePlanResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.CreateCarePlan(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::GetCarePlan(grpc::CallbackServerContext* context,
                                                         const v1::GetCarePlanRequest* request,
                                                         v1::CarePlan* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.GetCarePlan(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::ListCarePlans(grpc::CallbackServerContext* context,
                                                           const v1::ListCarePlansRequest* request,
                                                           v1::ListCarePlansResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.ListCarePlans(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::GenerateVisits(
    grpc::CallbackServerContext* context, const v1::GenerateVisitsRequest* request,
    v1::GenerateVisitsResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.GenerateVisits(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::CreateVisit(grpc::CallbackServerContext* context,
                                                         const v1::CreateVisitRequest* request,
                                                         v1::Visit* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.CreateVisit(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::GetVisit(grpc::CallbackServerContext* context,
                                                      const v1::GetVisitRequest* request,
                                                      v1::Visit* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.GetVisit(tenant, request->visit_id()), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::ListVisits(grpc::CallbackServerContext* context,
                                                        const v1::ListVisitsRequest* request,
                                                        v1::ListVisitsResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.ListVisits(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::UpdateVisit(grpc::CallbackServerContext* context,
                                                         const v1::UpdateVisitRequest* request,
                                                         v1::Visit* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.UpdateVisit(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::CancelVisit(grpc::CallbackServerContext* context,
                                                         const v1::CancelVisitRequest* request,
                                                         v1::Visit* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.CancelVisit(tenant, principal.subject, *request), response);
      });
}

grpc::ServerWriteReactor<v1::VisitChange>* SchedulingService::WatchVisits(
    grpc::CallbackServerContext* context, const v1::WatchVisitsRequest* request) {
  // Carers will watch their own visits once visits have carers (the assignment work); until
  // then only the back office and services watch.
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kPlanners);
  if (!principal.ok()) return Watches::Refuse<v1::VisitChange>(principal.status());
  if (principal->tenant.empty()) {
    return Watches::Refuse<v1::VisitChange>(CallerTenant(*principal).status());
  }
  std::function<bool(const v1::VisitChange&)> on_date;
  if (request->has_date()) {
    if (absl::Status valid = DateFromProto(request->date(), "date").status(); !valid.ok()) {
      return Watches::Refuse<v1::VisitChange>(valid);
    }
    on_date = [date = request->date()](const v1::VisitChange& change) {
      const common::v1::Date& day = change.visit().local_date();
      return day.year() == date.year() && day.month() == date.month() && day.day() == date.day();
    };
  }
  return watches_.Start<v1::VisitChange>(*principal, request->resume_token(),
                                         &scheduling_.visit_changes(), std::move(on_date));
}

}  // namespace homecare::scheduling
