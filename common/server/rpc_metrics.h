// The RPC figures every service exports, recorded by a gRPC server interceptor so that no handler
// has to: calls finished by method and status code, their latency by method and code, and the
// calls in flight by method. gRPC 1.51's interceptors cannot reject a call (authorisation stays
// in each handler), but they see every call start and its status go out.
//
//   homecare_rpc_server_handled_total{method, code}        counter
//   homecare_rpc_server_handling_seconds{method, code}     histogram (a stream: its lifetime)
//   homecare_rpc_server_in_flight{method}                  gauge
//
// `method` is gRPC's full name ("/homecare.roster.v1.RosterService/GetCarer"); `code` is the
// status code's name ("OK", "NOT_FOUND"); a call that ends without a status sent (the client
// went away first) counts as CANCELLED.
#ifndef HOMECARE_COMMON_SERVER_RPC_METRICS_H_
#define HOMECARE_COMMON_SERVER_RPC_METRICS_H_

#include <grpcpp/support/server_interceptor.h>

#include <memory>

#include "common/metrics/metrics.h"

namespace homecare {

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewRpcMetricsInterceptor(
    MetricsRegistry* registry);

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_RPC_METRICS_H_
