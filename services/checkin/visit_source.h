// What the check-in service asks the scheduling service, which owns visits and clients: a visit
// it has not seen on the stream yet, and whether a client is the tenant's. Domain code asks this
// interface; the gRPC client of scheduling (scheduling_visits.h) implements it.
#ifndef HOMECARE_SERVICES_CHECKIN_VISIT_SOURCE_H_
#define HOMECARE_SERVICES_CHECKIN_VISIT_SOURCE_H_

#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::checkin {

class VisitSource {
 public:
  virtual ~VisitSource() = default;
  // NOT_FOUND for a visit the tenant does not have; UNAVAILABLE when scheduling cannot be
  // reached within its timeout.
  virtual absl::StatusOr<scheduling::v1::Visit> GetVisit(const std::string& tenant_id,
                                                         const std::string& visit_id) = 0;
  // NOT_FOUND for a client the tenant does not have; UNAVAILABLE as above.
  virtual absl::Status CheckClient(const std::string& tenant_id, const std::string& client_id) = 0;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_VISIT_SOURCE_H_
