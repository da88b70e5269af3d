#include "services/roster/tenant_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::roster {
namespace {

constexpr size_t kMaxNameLength = 200;
constexpr int kMaxLocalities = 200;

void CheckName(FieldViolations& violations, const std::string& field, const std::string& name) {
  CheckText(violations, field, name, {kMaxNameLength, /*required=*/true});
}

void CheckSlug(FieldViolations& violations, const std::string& field, const std::string& id,
               std::set<std::string>& seen) {
  absl::Status status = ValidateSlug(field, id);
  if (!status.ok()) {
    for (const auto& violation : FieldViolationsOf(status)) {
      violations.Add(violation.field(), violation.description());
    }
  } else if (!seen.insert(id).second) {
    violations.Add(field, absl::StrCat("duplicates \"", id, "\""));
  }
}

}  // namespace

absl::Status ValidateNewTenant(const v1::Tenant& tenant) {
  FieldViolations violations;
  std::set<std::string> unused;
  CheckSlug(violations, "tenant.tenant_id", tenant.tenant_id(), unused);
  CheckName(violations, "tenant.display_name", tenant.display_name());
  if (!tenant.time_zone().empty() && !LoadTimeZone(tenant.time_zone()).ok()) {
    violations.Add("tenant.time_zone",
                   absl::StrCat("\"", tenant.time_zone(), "\" is not an IANA time zone"));
  }
  if (tenant.localities().empty()) {
    // Every carer and every client belongs to a locality: a tenant without one could hold
    // neither.
    violations.Add("tenant.localities",
                   "must have at least one locality (every carer and client belongs to one)");
  } else if (tenant.localities_size() > kMaxLocalities) {
    violations.Add("tenant.localities", absl::StrCat("at most ", kMaxLocalities));
  }
  std::set<std::string> locality_ids;
  for (int i = 0; i < tenant.localities_size(); ++i) {
    std::string field = absl::StrCat("tenant.localities[", i, "]");
    CheckSlug(violations, field + ".locality_id", tenant.localities(i).locality_id(), locality_ids);
    CheckName(violations, field + ".display_name", tenant.localities(i).display_name());
  }
  std::set<std::string> employer_ids;
  for (int i = 0; i < tenant.sub_contractors_size(); ++i) {
    std::string field = absl::StrCat("tenant.sub_contractors[", i, "]");
    CheckSlug(violations, field + ".employer_id", tenant.sub_contractors(i).employer_id(),
              employer_ids);
    CheckName(violations, field + ".display_name", tenant.sub_contractors(i).display_name());
  }
  if (tenant.minimum_hourly_pay_pence() < 0) {
    violations.Add("tenant.minimum_hourly_pay_pence", "must not be negative");
  }
  return violations.ToStatus();
}

v1::Tenant NewTenantRecord(const v1::Tenant& requested, absl::Time now) {
  v1::Tenant tenant = requested;
  if (tenant.time_zone().empty()) tenant.set_time_zone(std::string(kDefaultTimeZone));
  *tenant.mutable_create_time() = TimeToProto(now);
  *tenant.mutable_update_time() = TimeToProto(now);
  tenant.set_version(1);
  return tenant;
}

std::string CreateTenantFingerprint(const v1::CreateTenantRequest& request) {
  v1::Tenant asked = request.tenant();
  // Output-only fields do not make a request different.
  asked.clear_create_time();
  asked.clear_update_time();
  asked.clear_version();
  return RequestFingerprint(request.request_id(), asked);
}

absl::StatusOr<std::string> TenantToRead(const Principal& principal, const std::string& requested) {
  if (principal.role == Role::kOperator || principal.acts_for_all_tenants()) {
    if (requested.empty()) {
      return InvalidArgumentError("tenant_id", "must name the tenant for this role");
    }
    if (absl::Status status = ValidateSlug("tenant_id", requested); !status.ok()) return status;
    return requested;
  }
  if (!requested.empty() && requested != principal.tenant) {
    return absl::NotFoundError(absl::StrCat("tenant ", requested, " not found"));
  }
  return principal.tenant;
}

const std::vector<std::string>& TenantUpdatePaths() {
  static const auto* const kPaths = new std::vector<std::string>{
      "display_name", "time_zone", "localities", "minimum_hourly_pay_pence", "sub_contractors"};
  return *kPaths;
}

v1::Tenant ApplyTenantUpdate(const v1::Tenant& stored, const v1::Tenant& changes,
                             const std::vector<std::string>& paths, absl::Time now) {
  v1::Tenant tenant = stored;
  ApplyUpdatePaths(changes, paths, tenant);
  if (tenant.time_zone().empty()) tenant.set_time_zone(std::string(kDefaultTimeZone));
  tenant.set_version(stored.version() + 1);
  *tenant.mutable_update_time() = TimeToProto(now);
  return tenant;
}

absl::Status CheckCarersStillValid(const v1::Tenant& updated, absl::Span<const v1::Carer> carers) {
  std::set<std::string> localities;
  for (const auto& locality : updated.localities()) localities.insert(locality.locality_id());
  std::set<std::string> employers;
  for (const auto& employer : updated.sub_contractors()) employers.insert(employer.employer_id());
  PreconditionViolations violations;
  for (const v1::Carer& carer : carers) {
    std::string subject = absl::StrCat("carers/", carer.carer_id());
    if (!localities.contains(carer.locality_id())) {
      violations.Add("LOCALITY_IN_USE", subject,
                     absl::StrCat("the carer works in locality \"", carer.locality_id(),
                                  "\"; move them first"));
    }
    if (!carer.employer_id().empty() && !employers.contains(carer.employer_id())) {
      violations.Add("EMPLOYER_IN_USE", subject,
                     absl::StrCat("the carer is employed by \"", carer.employer_id(),
                                  "\"; change their employer first"));
    }
    if (carer.active() && carer.hourly_rate_pence() < updated.minimum_hourly_pay_pence()) {
      violations.Add("PAY_BELOW_MINIMUM", subject,
                     absl::StrCat("the carer is paid ", carer.hourly_rate_pence(),
                                  " pence an hour; raise their pay first"));
    }
  }
  return violations.ToStatus("the change would leave carers invalid");
}

}  // namespace homecare::roster
