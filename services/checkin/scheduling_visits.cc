#include "services/checkin/scheduling_visits.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "services/checkin/checkin_records.h"

namespace homecare::checkin {

SchedulingVisits::SchedulingVisits(std::shared_ptr<grpc::Channel> scheduling,
                                   const ServiceTokens* tokens, absl::Duration timeout)
    : stub_(scheduling::v1::SchedulingService::NewStub(std::move(scheduling))),
      tokens_(*tokens),
      timeout_(timeout) {}

absl::Status SchedulingVisits::Failure(const char* rpc, const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::NOT_FOUND:
      return FromGrpcStatus(status);
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return WithErrorInfo(
          absl::UnavailableError(
              absl::StrCat("the scheduling service cannot be reached: ", status.error_message())),
          "SCHEDULING_UNAVAILABLE", kCheckInErrorDomain);
    default:
      return absl::InternalError(absl::StrCat("the scheduling service refused ", rpc, ": ",
                                              FromGrpcStatus(status).ToString()));
  }
}

absl::StatusOr<scheduling::v1::Visit> SchedulingVisits::GetVisit(const std::string& tenant_id,
                                                                 const std::string& visit_id) {
  grpc::ClientContext context;
  PrepareContext(context, tokens_.ForTenant(tenant_id), timeout_);
  scheduling::v1::GetVisitRequest request;
  request.set_visit_id(visit_id);
  scheduling::v1::Visit visit;
  grpc::Status status = stub_->GetVisit(&context, request, &visit);
  if (!status.ok()) return Failure("GetVisit", status);
  return visit;
}

absl::Status SchedulingVisits::CheckClient(const std::string& tenant_id,
                                           const std::string& client_id) {
  grpc::ClientContext context;
  PrepareContext(context, tokens_.ForTenant(tenant_id), timeout_);
  scheduling::v1::GetClientRequest request;
  request.set_client_id(client_id);
  scheduling::v1::Client client;
  grpc::Status status = stub_->GetClient(&context, request, &client);
  if (!status.ok()) return Failure("GetClient", status);
  return absl::OkStatus();
}

}  // namespace homecare::checkin
