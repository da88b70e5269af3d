#include "services/scheduling/scheduling_service.h"

#include <algorithm>
#include <functional>
#include <mutex>
#include <optional>
#include <utility>

#include "common/ids/ids.h"
#include "common/server/grpc_status.h"

namespace homecare::scheduling {
namespace {

// Who plans a tenant's care: its coordinators and its services. Commissioners see figures, not
// people's plans.
constexpr Role kPlanners[] = {Role::kCoordinator, Role::kSystem};
// Who reads visits and rotas: the planners, and carers for their own.
constexpr Role kVisitReaders[] = {Role::kCoordinator, Role::kSystem, Role::kCarer};

// The carer whose own visits a caller is limited to: the token's carer for a carer, "" (no
// limit) for everyone else. A carer token without a carer_id may see nothing.
absl::StatusOr<std::string> OnlyCarer(const Principal& principal) {
  if (principal.role != Role::kCarer) return std::string();
  if (principal.carer_id.empty()) {
    return absl::PermissionDeniedError("a carer token must name its carer_id");
  }
  return principal.carer_id;
}

// What a carer's watch may see of a change: changes to visits they are on or were on before
// it; of a visit taken off them, only enough to drop it from their rota.
bool ForCarer(const std::string& carer_id, v1::VisitChange& change) {
  auto names = [&](const google::protobuf::RepeatedPtrField<std::string>& ids) {
    return std::find(ids.begin(), ids.end(), carer_id) != ids.end();
  };
  if (names(change.visit().carer_ids())) return true;
  if (!names(change.previous_carer_ids())) return false;
  v1::Visit gone;
  gone.set_visit_id(change.visit().visit_id());
  *gone.mutable_local_date() = change.visit().local_date();
  *gone.mutable_planned_start() = change.visit().planned_start();
  gone.set_status(change.visit().status());
  gone.set_version(change.visit().version());
  *change.mutable_visit() = std::move(gone);
  change.clear_previous_carer_ids();
  return true;
}

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
      context, kVisitReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        absl::StatusOr<std::string> only_carer = OnlyCarer(principal);
        if (!only_carer.ok()) return only_carer.status();
        return Reply(scheduling_.GetVisit(tenant, request->visit_id(), *only_carer), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::ListVisits(grpc::CallbackServerContext* context,
                                                        const v1::ListVisitsRequest* request,
                                                        v1::ListVisitsResponse* response) {
  return calls_.OnTenant(
      context, kVisitReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        absl::StatusOr<std::string> only_carer = OnlyCarer(principal);
        if (!only_carer.ok()) return only_carer.status();
        return Reply(scheduling_.ListVisits(tenant, *request, *only_carer), response);
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

grpc::ServerUnaryReactor* SchedulingService::AssignCarers(grpc::CallbackServerContext* context,
                                                          const v1::AssignCarersRequest* request,
                                                          v1::AssignCarersResponse* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.AssignCarers(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::UnassignCarer(grpc::CallbackServerContext* context,
                                                           const v1::UnassignCarerRequest* request,
                                                           v1::Visit* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.UnassignCarer(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::GetRota(grpc::CallbackServerContext* context,
                                                     const v1::GetRotaRequest* request,
                                                     v1::Rota* response) {
  return calls_.OnTenant(
      context, kVisitReaders,
      [=, this](const Principal& principal, const std::string& tenant) -> absl::Status {
        absl::StatusOr<std::string> only_carer = OnlyCarer(principal);
        if (!only_carer.ok()) return only_carer.status();
        return Reply(scheduling_.GetRota(tenant, *request, *only_carer), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::GetSchedulingSettings(
    grpc::CallbackServerContext* context, const v1::GetSchedulingSettingsRequest* request,
    v1::SchedulingSettings* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.GetSettings(tenant), response);
                         });
}

grpc::ServerUnaryReactor* SchedulingService::UpdateSchedulingSettings(
    grpc::CallbackServerContext* context, const v1::UpdateSchedulingSettingsRequest* request,
    v1::SchedulingSettings* response) {
  return calls_.OnTenant(context, kPlanners,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(scheduling_.UpdateSettings(tenant, *request), response);
                         });
}

grpc::ServerWriteReactor<v1::VisitChange>* SchedulingService::WatchVisits(
    grpc::CallbackServerContext* context, const v1::WatchVisitsRequest* request) {
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kVisitReaders);
  if (!principal.ok()) return Watches::Refuse<v1::VisitChange>(principal.status());
  if (principal->tenant.empty()) {
    return Watches::Refuse<v1::VisitChange>(CallerTenant(*principal).status());
  }
  absl::StatusOr<std::string> only_carer = OnlyCarer(*principal);
  if (!only_carer.ok()) return Watches::Refuse<v1::VisitChange>(only_carer.status());
  std::optional<common::v1::Date> date;
  if (request->has_date()) {
    if (absl::Status valid = DateFromProto(request->date(), "date").status(); !valid.ok()) {
      return Watches::Refuse<v1::VisitChange>(valid);
    }
    date = request->date();
  }
  Watches::Filter<v1::VisitChange> keep;
  if (date.has_value() || !only_carer->empty()) {
    keep = [date, carer = *only_carer](v1::VisitChange& change) {
      if (date.has_value()) {
        const common::v1::Date& day = change.visit().local_date();
        if (day.year() != date->year() || day.month() != date->month() ||
            day.day() != date->day()) {
          return false;
        }
      }
      return carer.empty() || ForCarer(carer, change);
    };
  }
  return watches_.Start<v1::VisitChange>(*principal, request->resume_token(),
                                         &scheduling_.visit_changes(), std::move(keep));
}

// One AutoSchedule call: the solve on a solve thread, its progress written as it comes (only
// the latest while a write is in flight: a slow reader gets fewer updates, never an old one),
// then the plan and the status. A cancelled call or a draining server stops the solve, which
// then writes nothing.
class SchedulingService::AutoScheduleCall final
    : public grpc::ServerWriteReactor<v1::AutoScheduleUpdate> {
 public:
  AutoScheduleCall(SchedulingService* service, std::string tenant_id,
                   v1::AutoScheduleRequest request)
      : service_(*service), tenant_id_(std::move(tenant_id)), request_(std::move(request)) {}

  // Takes a solve slot and submits the solve, or finishes at once.
  void Begin() {
    if (!service_.solves_.TryAcquire()) {
      holds_slot_ = false;
      FinishNow(absl::ResourceExhaustedError(
          absl::StrCat("this server runs at most ", service_.solves_.limit(),
                       " AutoSchedule at once; try again shortly")));
      return;
    }
    tracker_id_ = service_.streams_.Add([this] {
      draining_ = true;
      stop_ = true;
    });
    if (tracker_id_ == 0) {
      FinishNow(absl::UnavailableError("the server is shutting down"));
      return;
    }
    const bool queued = service_.solve_threads_.Submit([this] { Solve(); });
    if (!queued) FinishNow(absl::UnavailableError("the server is shutting down"));
  }

  void OnCancel() override { stop_ = true; }

  void OnWriteDone(bool ok) override {
    std::lock_guard<std::mutex> lock(mutex_);
    writing_ = false;
    if (!ok) stop_ = true;
    SendNextLocked();
  }

  void OnDone() override {
    // The solve's last step (Finish) is under the lock: wait until it has let go.
    { std::lock_guard<std::mutex> lock(mutex_); }
    if (tracker_id_ != 0) service_.streams_.Remove(tracker_id_);
    delete this;
  }

 private:
  void Solve() {
    Scheduling::AutoScheduleRun run{.stop = &stop_,
                                    .on_progress =
                                        [this](const v1::AutoScheduleProgress& progress) {
                                          std::lock_guard<std::mutex> lock(mutex_);
                                          pending_progress_ = progress;
                                          SendNextLocked();
                                        },
                                    .lease_token = RandomId("solve"),
                                    .threads = service_.solve_threads_per_solve_};
    absl::StatusOr<v1::SchedulePlan> plan =
        service_.scheduling_.AutoSchedule(tenant_id_, request_, run);
    if (!plan.ok() && draining_) plan = absl::UnavailableError("the server is shutting down");
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = std::move(plan);
    SendNextLocked();
  }

  void FinishNow(const absl::Status& status) {
    std::lock_guard<std::mutex> lock(mutex_);
    result_ = status;
    SendNextLocked();
  }

  // What comes next on the stream, once nothing is being written: the latest progress, then
  // the plan, then the status.
  void SendNextLocked() {
    if (writing_ || finished_) return;
    if (pending_progress_.has_value() && !stop_) {
      *update_.mutable_progress() = *std::move(pending_progress_);
      pending_progress_.reset();
      writing_ = true;
      StartWrite(&update_);
      return;
    }
    if (!result_.has_value()) return;
    if (result_->ok() && !plan_sent_ && !stop_) {
      *update_.mutable_plan() = **result_;
      plan_sent_ = true;
      writing_ = true;
      StartWrite(&update_);
      return;
    }
    finished_ = true;
    // The solve is over: its slot is free before the caller hears so.
    if (holds_slot_) service_.solves_.Release();
    holds_slot_ = false;
    Finish(result_->ok() && plan_sent_ ? grpc::Status::OK : ToGrpcStatus(result_->status()));
  }

  SchedulingService& service_;
  const std::string tenant_id_;
  const v1::AutoScheduleRequest request_;
  std::atomic<bool> stop_{false};
  std::atomic<bool> draining_{false};
  bool holds_slot_ = true;
  StreamTracker::Id tracker_id_ = 0;
  std::mutex mutex_;
  v1::AutoScheduleUpdate update_;
  std::optional<v1::AutoScheduleProgress> pending_progress_;
  std::optional<absl::StatusOr<v1::SchedulePlan>> result_;
  bool writing_ = false;
  bool plan_sent_ = false;
  bool finished_ = false;
};

grpc::ServerUnaryReactor* SchedulingService::ListReplanProposals(
    grpc::CallbackServerContext* context, const v1::ListReplanProposalsRequest* request,
    v1::ListReplanProposalsResponse* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.ListReplanProposals(tenant, *request), response);
      });
}

grpc::ServerUnaryReactor* SchedulingService::ApplyReplanProposal(
    grpc::CallbackServerContext* context, const v1::ApplyReplanProposalRequest* request,
    v1::ReplanProposal* response) {
  return calls_.OnTenant(
      context, kPlanners, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(scheduling_.ApplyReplanProposal(tenant, principal.subject, *request),
                     response);
      });
}

grpc::ServerWriteReactor<v1::AutoScheduleUpdate>* SchedulingService::AutoSchedule(
    grpc::CallbackServerContext* context, const v1::AutoScheduleRequest* request) {
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kPlanners);
  absl::StatusOr<std::string> tenant =
      principal.ok() ? CallerTenant(*principal) : absl::StatusOr<std::string>(principal.status());
  if (!tenant.ok()) return Watches::Refuse<v1::AutoScheduleUpdate>(tenant.status());
  auto* call = new AutoScheduleCall(this, *tenant, *request);
  call->Begin();
  return call;
}

}  // namespace homecare::scheduling
