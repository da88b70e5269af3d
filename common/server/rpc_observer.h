// What every call does besides its handler, in one gRPC server interceptor (gRPC 1.51's
// interceptors cannot reject a call, but they see every call start, its metadata and its status
// go out):
//
// - Metrics:
//     homecare_rpc_server_handled_total{method, code}      counter
//     homecare_rpc_server_handling_seconds{method, code}   histogram (a stream: its lifetime)
//     homecare_rpc_server_in_flight{method}                gauge
//   `method` is gRPC's full name ("/homecare.roster.v1.RosterService/GetCarer"); `code` the
//   status code's name; a call whose client went away before a status was sent counts as
//   CANCELLED.
// - A request id: the caller's x-request-id when it is a sane one (1 to 64 of [A-Za-z0-9._:-]),
//   else a new random one, put in the call's metadata for the handler (CallRunner sets it as
//   the worker's ScopedRequestId, so that log lines and the calls the handler makes carry it)
//   and sent back in the response's initial metadata.
// - With `access_log`, one log line a call: method, code, milliseconds, request id.
#ifndef HOMECARE_COMMON_SERVER_RPC_OBSERVER_H_
#define HOMECARE_COMMON_SERVER_RPC_OBSERVER_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>
#include <string>

#include "absl/strings/string_view.h"
#include "common/metrics/metrics.h"

namespace homecare {

inline constexpr char kRequestIdMetadata[] = "x-request-id";

// Whether a caller's x-request-id is kept as it is.
bool IsSaneRequestId(absl::string_view id);
// A new random request id (32 hex digits).
std::string NewRequestId();

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewRpcObserver(
    MetricsRegistry* registry, bool access_log);

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_RPC_OBSERVER_H_
