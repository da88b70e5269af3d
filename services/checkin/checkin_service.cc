#include "services/checkin/checkin_service.h"

#include <set>
#include <utility>

#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/checkin/record_rules.h"

namespace homecare::checkin {
namespace {

// Who sends evidence: carers for themselves, coordinators recording for a carer, the tenant's
// systems (the telephony gateway).
constexpr Role kSenders[] = {Role::kCoordinator, Role::kSystem, Role::kCarer};
// Who reads records: the same; a carer only their own.
constexpr Role kReaders[] = {Role::kCoordinator, Role::kSystem, Role::kCarer};
// Who keeps the tenant's policy and tags: its coordinators and its services.
constexpr Role kManagers[] = {Role::kCoordinator, Role::kSystem};
// Who watches and handles alerts, and sees the live board: the back office and the tenant's
// systems (an on-call pager, a wallboard), never a carer.
constexpr Role kAlertHandlers[] = {Role::kCoordinator, Role::kSystem};
// Who corrects records (visit maintenance): coordinators, a person accountable for it.
constexpr Role kMaintainers[] = {Role::kCoordinator};

Sender SenderOf(const Principal& principal) {
  return Sender{.actor = principal.subject,
                .carer_id = principal.role == Role::kCarer ? principal.carer_id : "",
                .system = principal.role == Role::kSystem};
}

// The carer a caller is limited to: theirs for a carer's token, "" for everyone else.
std::string OnlyCarer(const Principal& principal) {
  return principal.role == Role::kCarer ? principal.carer_id : "";
}

template <typename Response>
absl::Status ReplySubmitted(absl::StatusOr<CheckIns::Submitted> submitted, Response* response) {
  if (!submitted.ok()) return submitted.status();
  *response->mutable_record() = std::move(submitted->record);
  for (v1::VisitException& exception : submitted->exceptions) {
    *response->add_exceptions() = std::move(exception);
  }
  response->set_duplicate(submitted->duplicate);
  return absl::OkStatus();
}

}  // namespace

grpc::ServerUnaryReactor* CheckInService::CheckIn(grpc::CallbackServerContext* context,
                                                  const v1::CheckInRequest* request,
                                                  v1::CheckInResponse* response) {
  return calls_.OnTenant(
      context, kSenders, [=, this](const Principal& principal, const std::string& tenant) {
        v1::QueuedEvent event;
        *event.mutable_check_in() = *request;
        return ReplySubmitted(checkins_.Submit(tenant, SenderOf(principal), event), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::CheckOut(grpc::CallbackServerContext* context,
                                                   const v1::CheckOutRequest* request,
                                                   v1::CheckOutResponse* response) {
  return calls_.OnTenant(
      context, kSenders, [=, this](const Principal& principal, const std::string& tenant) {
        v1::QueuedEvent event;
        *event.mutable_check_out() = *request;
        return ReplySubmitted(checkins_.Submit(tenant, SenderOf(principal), event), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::SyncEvents(grpc::CallbackServerContext* context,
                                                     const v1::SyncEventsRequest* request,
                                                     v1::SyncEventsResponse* response) {
  return calls_.OnTenant(
      context, kSenders, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.Sync(tenant, SenderOf(principal), *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::GetVisitRecord(grpc::CallbackServerContext* context,
                                                         const v1::GetVisitRecordRequest* request,
                                                         v1::VisitRecord* response) {
  return calls_.OnTenant(
      context, kReaders, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.GetVisitRecord(tenant, request->visit_id(), OnlyCarer(principal)),
                     response);
      });
}

grpc::ServerUnaryReactor* CheckInService::ListVisitRecords(
    grpc::CallbackServerContext* context, const v1::ListVisitRecordsRequest* request,
    v1::ListVisitRecordsResponse* response) {
  return calls_.OnTenant(
      context, kReaders, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.ListVisitRecords(tenant, *request, OnlyCarer(principal)), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::AdjustVisitRecord(
    grpc::CallbackServerContext* context, const v1::AdjustVisitRecordRequest* request,
    v1::VisitRecord* response) {
  return calls_.OnTenant(
      context, kMaintainers, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.AdjustVisitRecord(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::GetPolicy(grpc::CallbackServerContext* context,
                                                    const v1::GetPolicyRequest* request,
                                                    v1::CheckInPolicy* response) {
  return calls_.OnTenant(context, kManagers,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(checkins_.GetPolicy(tenant), response);
                         });
}

grpc::ServerUnaryReactor* CheckInService::UpdatePolicy(grpc::CallbackServerContext* context,
                                                       const v1::UpdatePolicyRequest* request,
                                                       v1::CheckInPolicy* response) {
  return calls_.OnTenant(context, kManagers,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(checkins_.UpdatePolicy(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* CheckInService::RegisterTag(grpc::CallbackServerContext* context,
                                                      const v1::RegisterTagRequest* request,
                                                      v1::Tag* response) {
  return calls_.OnTenant(
      context, kManagers, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.RegisterTag(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::RetireTag(grpc::CallbackServerContext* context,
                                                    const v1::RetireTagRequest* request,
                                                    v1::Tag* response) {
  return calls_.OnTenant(
      context, kManagers, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.RetireTag(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::ListTags(grpc::CallbackServerContext* context,
                                                   const v1::ListTagsRequest* request,
                                                   v1::ListTagsResponse* response) {
  return calls_.OnTenant(context, kManagers,
                         [=, this](const Principal& principal, const std::string& tenant) {
                           return Reply(checkins_.ListTags(tenant, *request), response);
                         });
}

grpc::ServerWriteReactor<v1::AlertEvent>* CheckInService::WatchAlerts(
    grpc::CallbackServerContext* context, const v1::WatchAlertsRequest* request) {
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kAlertHandlers);
  if (!principal.ok()) return Watches::Refuse<v1::AlertEvent>(principal.status());
  FieldViolations violations;
  if (!request->locality_id().empty()) {
    violations.AddFrom(ValidateSlug("locality_id", request->locality_id()));
  }
  std::set<int> kinds;
  for (int kind : request->kinds()) {
    if (!v1::AlertKind_IsValid(kind) || kind == v1::ALERT_KIND_UNSPECIFIED) {
      violations.Add("kinds", "must be AlertKinds");
      break;
    }
    kinds.insert(kind);
  }
  if (!violations.empty()) return Watches::Refuse<v1::AlertEvent>(violations.ToStatus());
  Watches::Filter<v1::AlertEvent> keep;
  if (!request->locality_id().empty() || !kinds.empty()) {
    keep = [locality = request->locality_id(), kinds](v1::AlertEvent& event) {
      return (locality.empty() || event.alert().locality_id() == locality) &&
             (kinds.empty() || kinds.contains(event.alert().kind()));
    };
  }
  return watches_.Start<v1::AlertEvent>(*principal, request->resume_token(), &store_.alert_log(),
                                        std::move(keep));
}

grpc::ServerUnaryReactor* CheckInService::ListAlerts(grpc::CallbackServerContext* context,
                                                     const v1::ListAlertsRequest* request,
                                                     v1::ListAlertsResponse* response) {
  return calls_.OnTenant(context, kAlertHandlers,
                         [=, this](const Principal&, const std::string& tenant) {
                           return Reply(checkins_.ListAlerts(tenant, *request), response);
                         });
}

grpc::ServerUnaryReactor* CheckInService::AcknowledgeAlert(
    grpc::CallbackServerContext* context, const v1::AcknowledgeAlertRequest* request,
    v1::Alert* response) {
  return calls_.OnTenant(
      context, kAlertHandlers, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.AcknowledgeAlert(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::ResolveAlert(grpc::CallbackServerContext* context,
                                                       const v1::ResolveAlertRequest* request,
                                                       v1::Alert* response) {
  return calls_.OnTenant(
      context, kAlertHandlers, [=, this](const Principal& principal, const std::string& tenant) {
        return Reply(checkins_.ResolveAlert(tenant, principal.subject, *request), response);
      });
}

grpc::ServerUnaryReactor* CheckInService::GetBoard(grpc::CallbackServerContext* context,
                                                   const v1::GetBoardRequest* request,
                                                   v1::Board* response) {
  return calls_.OnTenant(context, kAlertHandlers,
                         [=, this](const Principal&, const std::string& tenant) {
                           return Reply(checkins_.GetBoard(tenant, *request), response);
                         });
}

grpc::ServerWriteReactor<v1::BoardChange>* CheckInService::WatchBoard(
    grpc::CallbackServerContext* context, const v1::WatchBoardRequest* request) {
  absl::StatusOr<Principal> principal = calls_.Authorize(*context, kAlertHandlers);
  if (!principal.ok()) return Watches::Refuse<v1::BoardChange>(principal.status());
  FieldViolations violations;
  if (request->has_date()) {
    violations.AddFrom(DateFromProto(request->date(), "date").status());
  }
  if (!request->locality_id().empty()) {
    violations.AddFrom(ValidateSlug("locality_id", request->locality_id()));
  }
  if (!violations.empty()) return Watches::Refuse<v1::BoardChange>(violations.ToStatus());
  Watches::Filter<v1::BoardChange> keep;
  if (request->has_date() || !request->locality_id().empty()) {
    keep = [date = request->has_date() ? DateKey(request->date()) : 0,
            locality = request->locality_id()](v1::BoardChange& change) {
      return (date == 0 || DateKey(change.entry().local_date()) == date) &&
             (locality.empty() || change.entry().locality_id() == locality);
    };
  }
  return watches_.Start<v1::BoardChange>(*principal, request->resume_token(), &store_.board_log(),
                                         std::move(keep));
}

}  // namespace homecare::checkin
