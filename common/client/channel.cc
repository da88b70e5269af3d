#include "common/client/channel.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/channel_arguments.h>

#include <memory>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"
#include "common/server/grpc_status.h"
#include "grpc/health/v1/health.grpc.pb.h"

namespace homecare {
namespace {

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

}  // namespace

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelOptions& options) {
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              Milliseconds(options.initial_reconnect_backoff));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, Milliseconds(options.initial_reconnect_backoff));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, Milliseconds(options.max_reconnect_backoff));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(options.keepalive_time));
  args.SetMaxReceiveMessageSize(options.max_message_bytes);
  // Round robin over every address the target resolves to: the replicas of a service listed
  // here, or every pod behind a headless Kubernetes Service ("dns:///roster:50051").
  args.SetServiceConfigJSON(R"({"loadBalancingConfig": [{"round_robin": {}}]})");
  return grpc::CreateCustomChannel(ChannelTarget(address), grpc::InsecureChannelCredentials(),
                                   args);
}

std::string ChannelTarget(const std::string& address) {
  return absl::StrContains(address, ',') ? absl::StrCat("ipv4:", address) : address;
}

void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Duration timeout) {
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  if (!token.empty()) context.AddMetadata("authorization", absl::StrCat("Bearer ", token));
  // A call made while working on another carries its request id on.
  if (!CurrentRequestId().empty()) context.AddMetadata("x-request-id", CurrentRequestId());
}

absl::string_view ServingStatusName(ServingStatus status) {
  switch (status) {
    case ServingStatus::kServing:
      return "SERVING";
    case ServingStatus::kNotServing:
      return "NOT_SERVING";
    case ServingStatus::kServiceUnknown:
      return "SERVICE_UNKNOWN";
    case ServingStatus::kUnknown:
      break;
  }
  return "UNKNOWN";
}

namespace {

ServingStatus FromHealthResponse(const grpc::health::v1::HealthCheckResponse& response) {
  switch (response.status()) {
    case grpc::health::v1::HealthCheckResponse::SERVING:
      return ServingStatus::kServing;
    case grpc::health::v1::HealthCheckResponse::NOT_SERVING:
      return ServingStatus::kNotServing;
    case grpc::health::v1::HealthCheckResponse::SERVICE_UNKNOWN:
      return ServingStatus::kServiceUnknown;
    default:
      return ServingStatus::kUnknown;
  }
}

std::unique_ptr<grpc::health::v1::Health::Stub> HealthStub(grpc::Channel& channel) {
  return grpc::health::v1::Health::NewStub(
      std::shared_ptr<grpc::Channel>(&channel, [](grpc::Channel*) {}));
}

}  // namespace

absl::StatusOr<ServingStatus> CheckHealth(grpc::Channel& channel, const std::string& service,
                                          absl::Duration timeout) {
  grpc::ClientContext context;
  PrepareContext(context, "", timeout);
  grpc::health::v1::HealthCheckRequest request;
  request.set_service(service);
  grpc::health::v1::HealthCheckResponse response;
  grpc::Status status = HealthStub(channel)->Check(&context, request, &response);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) return ServingStatus::kServiceUnknown;
  if (!status.ok()) return FromGrpcStatus(status);
  return FromHealthResponse(response);
}

absl::Status WaitForHealth(grpc::Channel& channel, const std::string& service, ServingStatus wanted,
                           absl::Duration timeout) {
  const absl::Time deadline = absl::Now() + timeout;
  std::string last = "no answer";
  // Health/Watch sends the status now and then each change: waiting needs no polling. A stream
  // that ends (the server restarting) is opened again until the deadline.
  while (absl::Now() < deadline) {
    grpc::ClientContext context;
    context.set_deadline(absl::ToChronoTime(deadline));
    context.set_wait_for_ready(true);  // a server still starting is waited for, not refused
    grpc::health::v1::HealthCheckRequest request;
    request.set_service(service);
    std::unique_ptr<grpc::ClientReader<grpc::health::v1::HealthCheckResponse>> watch =
        HealthStub(channel)->Watch(&context, request);
    grpc::health::v1::HealthCheckResponse response;
    while (watch->Read(&response)) {
      const ServingStatus status = FromHealthResponse(response);
      if (status == wanted) {
        context.TryCancel();
        watch->Finish();
        return absl::OkStatus();
      }
      last = std::string(ServingStatusName(status));
    }
    grpc::Status ended = watch->Finish();
    if (ended.error_code() == grpc::StatusCode::UNIMPLEMENTED) return FromGrpcStatus(ended);
    if (!ended.ok() && ended.error_code() != grpc::StatusCode::DEADLINE_EXCEEDED) {
      last = ended.error_message();
    }
  }
  return absl::DeadlineExceededError(absl::StrCat("not ", ServingStatusName(wanted), " after ",
                                                  absl::FormatDuration(timeout),
                                                  "; last answer: ", last));
}

absl::Status WaitForServing(grpc::Channel& channel, const std::string& service,
                            absl::Duration timeout) {
  return WaitForHealth(channel, service, ServingStatus::kServing, timeout);
}

}  // namespace homecare
