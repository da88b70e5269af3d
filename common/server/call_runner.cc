#include "common/server/call_runner.h"

#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "common/logging/log.h"

namespace homecare {

absl::StatusOr<Principal> AuthorizeBearer(const absl::string_view* authorization,
                                          const JwtVerifier& verifier,
                                          absl::Span<const Role> allowed) {
  if (authorization == nullptr) {
    return absl::UnauthenticatedError("missing authorization metadata (Bearer token)");
  }
  absl::string_view value = *authorization;
  constexpr absl::string_view kScheme = "bearer ";
  if (value.size() <= kScheme.size() ||
      !absl::EqualsIgnoreCase(value.substr(0, kScheme.size()), kScheme)) {
    return absl::UnauthenticatedError("authorization metadata must be \"Bearer <token>\"");
  }
  absl::StatusOr<Principal> principal =
      verifier.Verify(absl::StripAsciiWhitespace(value.substr(kScheme.size())));
  if (!principal.ok()) return principal.status();
  if (absl::Status status = RequireRole(*principal, allowed); !status.ok()) return status;
  return principal;
}

absl::StatusOr<Principal> CallRunner::Authorize(const grpc::ServerContextBase& context,
                                                absl::Span<const Role> allowed) const {
  const auto& metadata = context.client_metadata();
  auto it = metadata.find("authorization");
  if (it == metadata.end()) return AuthorizeBearer(nullptr, *verifier_, allowed);
  absl::string_view value(it->second.data(), it->second.size());
  return AuthorizeBearer(&value, *verifier_, allowed);
}

absl::Status CallRunner::Overloaded() const {
  return absl::ResourceExhaustedError(
      absl::StrCat("server busy: ", limiter_->limit(), " requests in flight; retry later"));
}

std::string CallRunner::RequestId(const grpc::ServerContextBase& context) {
  auto found = context.client_metadata().find("x-request-id");
  if (found == context.client_metadata().end()) return "";
  return std::string(found->second.data(), found->second.size());
}

void CallRunner::LogIfServerFault(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kDataLoss:
      LogError("call failed: ", status.ToString());
      break;
    default:
      break;
  }
}

absl::Status CallRunner::NotStartable(const grpc::CallbackServerContext& context) {
  if (context.IsCancelled()) {
    return absl::CancelledError("call cancelled before it started");
  }
  if (context.deadline() <= std::chrono::system_clock::now()) {
    return absl::DeadlineExceededError("deadline passed before the call started");
  }
  return absl::OkStatus();
}

}  // namespace homecare
