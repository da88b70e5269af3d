#include "services/roster/roster_store.h"

#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/redis/keys.h"
#include "common/time/time.h"
#include "services/roster/roster_lua.h"

namespace homecare::roster {
namespace {

constexpr absl::string_view kService = "roster";
constexpr absl::string_view kTenantRegistry = "hc:roster:tenants";

std::string TenantProfileKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "tenant");
}

absl::Status Corrupt(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("stored ", what, " does not parse"));
}

}  // namespace

RosterStore::RosterStore(RedisClient* redis)
    : redis_(redis),
      create_tenant_(std::string(lua::kCreateTenantLuaName), std::string(lua::kCreateTenantLua),
                     lua::kCreateTenantLuaKeys) {}

absl::Status RosterStore::LoadScripts() { return redis_->LoadScripts({&create_tenant_}); }

absl::StatusOr<RosterStore::CreateTenantResult> RosterStore::CreateTenant(
    const v1::Tenant& tenant, const std::string& fingerprint) {
  const std::string& id = tenant.tenant_id();
  absl::StatusOr<RedisReply> reply = redis_->RunScript(
      create_tenant_, {TenantProfileKey(id), TenantKey(id, kService, "tenant-create")},
      {tenant.SerializeAsString(), fingerprint});
  if (!reply.ok()) return reply.status();
  if (reply->elements.empty()) return absl::InternalError("create_tenant: empty reply");
  const std::string& outcome = reply->elements[0].str;
  CreateTenantResult result;
  if (outcome == "exists") {
    return absl::AlreadyExistsError(absl::StrCat("tenant ", id, " already exists"));
  } else if (outcome == "duplicate") {
    if (reply->elements.size() < 2 || !result.tenant.ParseFromString(reply->elements[1].str)) {
      return Corrupt("tenant");
    }
    result.duplicate = true;
  } else if (outcome == "created") {
    result.tenant = tenant;
  } else {
    return absl::InternalError(absl::StrCat("create_tenant: unexpected reply ", outcome));
  }
  // Also on a duplicate: the retry completes a create interrupted before this step.
  absl::Time created = absl::FromUnixSeconds(result.tenant.create_time().seconds());
  absl::StatusOr<RedisReply> registered = redis_->Command(
      {"ZADD", std::string(kTenantRegistry), "NX", absl::StrCat(absl::ToUnixMillis(created)), id});
  if (!registered.ok()) return registered.status();
  return result;
}

absl::StatusOr<v1::Tenant> RosterStore::GetTenant(absl::string_view tenant_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", TenantProfileKey(tenant_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("tenant ", tenant_id, " not found"));
  v1::Tenant tenant;
  if (!tenant.ParseFromString(reply->str)) return Corrupt("tenant");
  return tenant;
}

}  // namespace homecare::roster
