// The TenantDirectory of a running system: GetTenant and BatchGetCarers on the roster over gRPC,
// with a system token for the tenant and a deadline on every call, and the profiles kept for a
// short while (time zones and localities change rarely; a new locality shows within `cache_ttl`).
// Calls block: make them from the worker pool.
#ifndef HOMECARE_SERVICES_SCHEDULING_ROSTER_DIRECTORY_H_
#define HOMECARE_SERVICES_SCHEDULING_ROSTER_DIRECTORY_H_

#include <grpcpp/channel.h>

#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/time/time.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "services/scheduling/tenant_directory.h"

namespace homecare::scheduling {

class RosterDirectory final : public TenantDirectory {
 public:
  struct Options {
    absl::Duration timeout = absl::Seconds(2);
    absl::Duration cache_ttl = absl::Seconds(30);  // 0: ask the roster every time
  };
  // `tokens` and `clock` must outlive the directory.
  RosterDirectory(std::shared_ptr<grpc::Channel> roster, const ServiceTokens* tokens,
                  const Clock* clock, Options options);

  absl::StatusOr<TenantProfile> Get(const std::string& tenant_id) override;
  // Both through BatchGetCarers, one call for up to 200 carers.
  absl::StatusOr<std::vector<std::string>> UnknownCarers(
      const std::string& tenant_id, const std::vector<std::string>& carer_ids) override;
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> GetCarers(
      const std::string& tenant_id, const CarerQuery& query) override;
  // ListCarers, 200 a page.
  absl::StatusOr<std::vector<std::string>> ActiveCarerIds(const std::string& tenant_id) override;

 private:
  // What a failed roster call means here: UNAVAILABLE when the roster cannot be reached,
  // INTERNAL otherwise (a refused system token is a deployment fault, not the caller's).
  static absl::Status RosterFailure(const char* rpc, const grpc::Status& status);

  struct Cached {
    TenantProfile profile;
    absl::Time fetched;
  };

  std::unique_ptr<roster::v1::RosterService::Stub> stub_;
  const ServiceTokens& tokens_;
  const Clock& clock_;
  const Options options_;
  absl::Mutex mutex_;
  absl::flat_hash_map<std::string, Cached> cache_ ABSL_GUARDED_BY(mutex_);
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_ROSTER_DIRECTORY_H_
