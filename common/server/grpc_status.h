// absl::Status to grpc::Status, with rich details in the `grpc-status-details-bin` trailer.
#ifndef HOMECARE_COMMON_SERVER_GRPC_STATUS_H_
#define HOMECARE_COMMON_SERVER_GRPC_STATUS_H_

#include <grpcpp/support/status.h>

#include "absl/status/status.h"

namespace homecare {

// Same code and message; every payload the domain attached (BadRequest, PreconditionFailure,
// ErrorInfo; see common/status/errors.h) becomes an Any in a google.rpc.Status. The message is
// cut at kMaxMessageBytes.
grpc::Status ToGrpcStatus(const absl::Status& status);

// The reverse, for clients and tests: code, message and the details' payloads.
absl::Status FromGrpcStatus(const grpc::Status& status);

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_GRPC_STATUS_H_
