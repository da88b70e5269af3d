// Client channels and health checks, for services calling each other, the CLI and tests.
#ifndef HOMECARE_COMMON_CLIENT_CHANNEL_H_
#define HOMECARE_COMMON_CLIENT_CHANNEL_H_

#include <grpcpp/channel.h>
#include <grpcpp/client_context.h>

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace homecare {

struct ChannelOptions {
  // Short backoffs let a client find a restarted server quickly (tests, local stacks).
  absl::Duration initial_reconnect_backoff = absl::Milliseconds(100);
  absl::Duration max_reconnect_backoff = absl::Seconds(2);
  absl::Duration keepalive_time = absl::Seconds(30);
  int max_message_bytes = 4 << 20;
};

// The gRPC target of an address: "ip:port,ip:port" (several replicas) becomes "ipv4:ip:port,...";
// any other ("host:port", "unix:/path", "dns:///roster:50051") is a target already.
std::string ChannelTarget(const std::string& address);

// An insecure channel to "host:port", "unix:/path", any gRPC target ("dns:///roster:50051"), or
// several replicas' "ip:port,ip:port"; calls go round robin over every address.
std::shared_ptr<grpc::Channel> MakeChannel(const std::string& address,
                                           const ChannelOptions& options = {});

// Sets the deadline and the bearer token on a client context.
void PrepareContext(grpc::ClientContext& context, absl::string_view token, absl::Duration timeout);

enum class ServingStatus { kUnknown, kServing, kNotServing, kServiceUnknown };
absl::string_view ServingStatusName(ServingStatus status);

// grpc.health.v1.Health/Check for `service` ("" for the server as a whole).
absl::StatusOr<ServingStatus> CheckHealth(grpc::Channel& channel, const std::string& service,
                                          absl::Duration timeout);

// Watches health (grpc.health.v1.Health/Watch) until `service` reports `wanted`, waiting for a
// server that is not up yet; DEADLINE_EXCEEDED with the last answer after `timeout`.
absl::Status WaitForHealth(grpc::Channel& channel, const std::string& service, ServingStatus wanted,
                           absl::Duration timeout);
absl::Status WaitForServing(grpc::Channel& channel, const std::string& service,
                            absl::Duration timeout);

}  // namespace homecare

#endif  // HOMECARE_COMMON_CLIENT_CHANNEL_H_
