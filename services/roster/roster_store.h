// The roster service's Redis side.
//
// Keys (DESIGN.md layout; T is the tenant id):
//   hc:{T}:roster:tenant          STRING  serialized homecare.roster.v1.Tenant: the profile.
//                                         Written by create_tenant.lua.
//   hc:{T}:roster:tenant-create   STRING  SHA-256 fingerprint of the CreateTenant request that
//                                         made the tenant, so a retry returns the stored tenant
//                                         and a different request is ALREADY_EXISTS. Written by
//                                         create_tenant.lua.
//   hc:roster:tenants             ZSET    the registry of tenants: member tenant id, score the
//                                         creation time in ms. The only key outside a tenant.
//                                         Written by CreateTenant after the profile, in its own
//                                         command (it lives in another cluster slot); a create
//                                         interrupted between the two is completed by its retry.
//
// Consistency: a write returns only after Redis has replied, and Redis (appendfsync always)
// replies only after the AOF write: an acknowledged tenant survives a Redis crash.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/redis/lua_script.h"
#include "common/redis/redis_client.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

class RosterStore {
 public:
  // `redis` must outlive the store.
  explicit RosterStore(RedisClient* redis);

  // SCRIPT LOAD of the store's scripts at start-up (best effort: they load on demand too).
  absl::Status LoadScripts();

  struct CreateTenantResult {
    v1::Tenant tenant;       // as stored
    bool duplicate = false;  // a retry of the request that created it
  };
  // Stores a new tenant. ALREADY_EXISTS when the id is taken by another request.
  absl::StatusOr<CreateTenantResult> CreateTenant(const v1::Tenant& tenant,
                                                  const std::string& fingerprint);

  // NOT_FOUND when there is no such tenant.
  absl::StatusOr<v1::Tenant> GetTenant(absl::string_view tenant_id);

 private:
  RedisClient* redis_;
  LuaScript create_tenant_;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_
