// How every unary handler runs: authorise first, then the work on the worker pool (never on one
// of gRPC's two callback threads), then finish the reactor with the work's status.
//
//   grpc::ServerUnaryReactor* RosterService::GetTenant(grpc::CallbackServerContext* context,
//                                                      const GetTenantRequest* request,
//                                                      Tenant* response) {
//     return calls_.Unary(context, {Role::kOperator, Role::kCoordinator},
//                         [=](const Principal& principal) { ...return absl::Status; });
//   }
//
// gRPC 1.51's server interceptors cannot reject a call, so authorisation lives here, called at
// the top of each handler.
#ifndef HOMECARE_COMMON_SERVER_CALL_RUNNER_H_
#define HOMECARE_COMMON_SERVER_CALL_RUNNER_H_

#include <grpcpp/server_context.h>

#include <chrono>
#include <string>
#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "common/auth/jwt.h"
#include "common/auth/principal.h"
#include "common/concurrency/in_flight_limiter.h"
#include "common/concurrency/worker_pool.h"
#include "common/logging/log.h"
#include "common/server/grpc_status.h"

namespace homecare {

// The principal of an `authorization` metadata value ("Bearer <jwt>"; nullptr when absent).
// UNAUTHENTICATED for a missing or bad token, PERMISSION_DENIED for a role not in `allowed`.
absl::StatusOr<Principal> AuthorizeBearer(const absl::string_view* authorization,
                                          const JwtVerifier& verifier,
                                          absl::Span<const Role> allowed);

// A handler's last step: a domain result copied into the gRPC response, or its error.
template <typename Result, typename Response>
absl::Status Reply(absl::StatusOr<Result> result, Response* response) {
  if (!result.ok()) return result.status();
  *response = *std::move(result);
  return absl::OkStatus();
}

class CallRunner {
 public:
  // All three must outlive the runner.
  CallRunner(WorkerPool* pool, InFlightLimiter* limiter, const JwtVerifier* verifier)
      : pool_(pool), limiter_(limiter), verifier_(verifier) {}

  // The caller's principal from the call's `authorization` metadata (see AuthorizeBearer).
  absl::StatusOr<Principal> Authorize(const grpc::ServerContextBase& context,
                                      absl::Span<const Role> allowed) const;

  // Authorises, then runs `work(principal) -> absl::Status` on the worker pool and finishes the
  // call with its result. Past the in-flight limit the call is RESOURCE_EXHAUSTED at once; a
  // call cancelled or past its deadline before a worker picks it up is not started.
  template <typename Work>
  grpc::ServerUnaryReactor* Unary(grpc::CallbackServerContext* context,
                                  absl::Span<const Role> allowed, Work work) {
    grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
    absl::StatusOr<Principal> principal = Authorize(*context, allowed);
    if (!principal.ok()) {
      reactor->Finish(ToGrpcStatus(principal.status()));
      return reactor;
    }
    if (!limiter_->TryAcquire()) {
      reactor->Finish(ToGrpcStatus(Overloaded()));
      return reactor;
    }
    bool queued =
        pool_->Submit([this, context, reactor, principal = *std::move(principal),
                       request_id = RequestId(*context), work = std::move(work)]() mutable {
          ScopedRequestId scope(std::move(request_id));
          absl::Status status = NotStartable(*context);
          if (status.ok()) status = work(principal);
          limiter_->Release();
          LogIfServerFault(status);
          reactor->Finish(ToGrpcStatus(status));
        });
    if (!queued) {
      limiter_->Release();
      reactor->Finish(grpc::Status(grpc::StatusCode::UNAVAILABLE, "server is shutting down"));
    }
    return reactor;
  }

  // Unary for a caller who acts for one tenant: `work(principal, tenant_id) -> absl::Status`
  // with the tenant of the caller's token (see CallerTenant). Every tenant-scoped handler of
  // every service has this shape.
  template <typename Work>
  grpc::ServerUnaryReactor* OnTenant(grpc::CallbackServerContext* context,
                                     absl::Span<const Role> allowed, Work work) {
    return Unary(context, allowed,
                 [work = std::move(work)](const Principal& principal) -> absl::Status {
                   absl::StatusOr<std::string> tenant = CallerTenant(principal);
                   if (!tenant.ok()) return tenant.status();
                   return work(principal, *tenant);
                 });
  }

  WorkerPool& pool() const { return *pool_; }

  // The call's x-request-id (the RPC observer puts a sane one in every call's metadata).
  static std::string RequestId(const grpc::ServerContextBase& context);
  InFlightLimiter& limiter() const { return *limiter_; }

 private:
  absl::Status Overloaded() const;
  // Faults of ours (INTERNAL, UNKNOWN, DATA_LOSS) go to the log; callers' mistakes do not.
  static void LogIfServerFault(const absl::Status& status);
  // CANCELLED or DEADLINE_EXCEEDED when the call should not start; OK otherwise.
  static absl::Status NotStartable(const grpc::CallbackServerContext& context);

  WorkerPool* pool_;
  InFlightLimiter* limiter_;
  const JwtVerifier* verifier_;
};

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_CALL_RUNNER_H_
