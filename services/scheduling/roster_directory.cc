#include "services/scheduling/roster_directory.h"

#include <utility>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::scheduling {

RosterDirectory::RosterDirectory(std::shared_ptr<grpc::Channel> roster, const ServiceTokens* tokens,
                                 const Clock* clock, Options options)
    : stub_(roster::v1::RosterService::NewStub(std::move(roster))),
      tokens_(*tokens),
      clock_(*clock),
      options_(options) {}

absl::Status RosterDirectory::RosterFailure(const char* rpc, const grpc::Status& status) {
  switch (status.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
    case grpc::StatusCode::DEADLINE_EXCEEDED:
    case grpc::StatusCode::RESOURCE_EXHAUSTED:
      return WithErrorInfo(absl::UnavailableError(absl::StrCat(
                               "the roster service cannot be reached: ", status.error_message())),
                           "ROSTER_UNAVAILABLE", "homecare.scheduling");
    default:
      return absl::InternalError(absl::StrCat("the roster service refused ", rpc, ": ",
                                              FromGrpcStatus(status).ToString()));
  }
}

absl::StatusOr<TenantProfile> RosterDirectory::Get(const std::string& tenant_id) {
  const absl::Time now = clock_.Now();
  if (options_.cache_ttl > absl::ZeroDuration()) {
    absl::MutexLock lock(&mutex_);
    auto found = cache_.find(tenant_id);
    if (found != cache_.end() && now - found->second.fetched < options_.cache_ttl) {
      return found->second.profile;
    }
  }
  grpc::ClientContext context;
  PrepareContext(context, tokens_.ForTenant(tenant_id), options_.timeout);
  roster::v1::GetTenantRequest request;
  request.set_tenant_id(tenant_id);
  roster::v1::Tenant tenant;
  grpc::Status status = stub_->GetTenant(&context, request, &tenant);
  if (status.error_code() == grpc::StatusCode::NOT_FOUND) {
    return absl::NotFoundError(absl::StrCat("tenant ", tenant_id, " not found"));
  }
  if (!status.ok()) return RosterFailure("GetTenant", status);
  absl::StatusOr<absl::TimeZone> zone = LoadTimeZone(tenant.time_zone());
  if (!zone.ok()) {
    return absl::InternalError(absl::StrCat("the tenant's time zone \"", tenant.time_zone(),
                                            "\" does not load on this server"));
  }
  TenantProfile profile{tenant_id, *zone, {}};
  for (const roster::v1::Locality& locality : tenant.localities()) {
    profile.locality_ids.push_back(locality.locality_id());
  }
  if (options_.cache_ttl > absl::ZeroDuration()) {
    absl::MutexLock lock(&mutex_);
    cache_[tenant_id] = Cached{profile, now};
  }
  return profile;
}

absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>>
RosterDirectory::GetCarers(const std::string& tenant_id, const CarerQuery& query) {
  absl::flat_hash_map<std::string, roster::v1::CarerDetails> found;
  if (query.carer_ids.empty()) return found;
  roster::v1::BatchGetCarersRequest request;
  absl::flat_hash_set<std::string> asked;
  for (const std::string& id : query.carer_ids) {
    if (asked.insert(id).second) request.add_carer_ids(id);
  }
  request.set_include_availability(query.with_availability);
  if (query.absences_until > query.absences_from) {
    *request.mutable_absences_start_time() = TimeToProto(query.absences_from);
    *request.mutable_absences_end_time() = TimeToProto(query.absences_until);
  }
  grpc::ClientContext context;
  PrepareContext(context, tokens_.ForTenant(tenant_id), options_.timeout);
  roster::v1::BatchGetCarersResponse response;
  grpc::Status status = stub_->BatchGetCarers(&context, request, &response);
  if (!status.ok()) return RosterFailure("BatchGetCarers", status);
  for (roster::v1::CarerDetails& details : *response.mutable_carers()) {
    std::string id = details.carer().carer_id();
    found.emplace(std::move(id), std::move(details));
  }
  return found;
}

absl::StatusOr<std::vector<std::string>> RosterDirectory::ActiveCarerIds(
    const std::string& tenant_id) {
  std::vector<std::string> ids;
  roster::v1::ListCarersRequest request;
  request.set_active(true);
  request.set_page_size(200);
  do {
    grpc::ClientContext context;
    PrepareContext(context, tokens_.ForTenant(tenant_id), options_.timeout);
    roster::v1::ListCarersResponse page;
    grpc::Status status = stub_->ListCarers(&context, request, &page);
    if (!status.ok()) return RosterFailure("ListCarers", status);
    for (const roster::v1::Carer& carer : page.carers()) ids.push_back(carer.carer_id());
    if (page.next_page_token() == request.page_token()) break;  // a roster repeating itself
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return ids;
}

absl::StatusOr<std::vector<std::string>> RosterDirectory::UnknownCarers(
    const std::string& tenant_id, const std::vector<std::string>& carer_ids) {
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> found =
      GetCarers(tenant_id, {.carer_ids = carer_ids});
  if (!found.ok()) return found.status();
  std::vector<std::string> unknown;
  for (const std::string& id : carer_ids) {
    if (!found->contains(id)) unknown.push_back(id);
  }
  return unknown;
}

}  // namespace homecare::scheduling
