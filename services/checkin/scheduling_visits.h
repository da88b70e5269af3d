// The VisitSource of a running system: GetVisit and GetClient on the scheduling service over
// gRPC, with a system token for the tenant and a deadline on every call. Calls block: make them
// from the worker pool.
#ifndef HOMECARE_SERVICES_CHECKIN_SCHEDULING_VISITS_H_
#define HOMECARE_SERVICES_CHECKIN_SCHEDULING_VISITS_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "services/checkin/visit_source.h"

namespace homecare::checkin {

class SchedulingVisits final : public VisitSource {
 public:
  // `tokens` must outlive this.
  SchedulingVisits(std::shared_ptr<grpc::Channel> scheduling, const ServiceTokens* tokens,
                   absl::Duration timeout);

  absl::StatusOr<scheduling::v1::Visit> GetVisit(const std::string& tenant_id,
                                                 const std::string& visit_id) override;
  absl::Status CheckClient(const std::string& tenant_id, const std::string& client_id) override;

 private:
  // What a failed call means here: NOT_FOUND as it is; UNAVAILABLE when scheduling cannot be
  // reached; INTERNAL otherwise (a refused system token is a deployment fault).
  static absl::Status Failure(const char* rpc, const grpc::Status& status);

  std::unique_ptr<scheduling::v1::SchedulingService::Stub> stub_;
  const ServiceTokens& tokens_;
  const absl::Duration timeout_;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_SCHEDULING_VISITS_H_
