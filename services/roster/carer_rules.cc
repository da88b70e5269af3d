#include "services/roster/carer_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/geo/geo.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/roster/availability_rules.h"

namespace homecare::roster {
namespace {

constexpr size_t kMaxNameLength = 200;
constexpr int kMaxSkills = 100;

bool HasLocality(const v1::Tenant& tenant, const std::string& id) {
  return std::any_of(tenant.localities().begin(), tenant.localities().end(),
                     [&](const v1::Locality& locality) { return locality.locality_id() == id; });
}

bool HasEmployer(const v1::Tenant& tenant, const std::string& id) {
  return std::any_of(
      tenant.sub_contractors().begin(), tenant.sub_contractors().end(),
      [&](const v1::SubContractor& employer) { return employer.employer_id() == id; });
}

void CheckSkills(FieldViolations& violations, const v1::Carer& carer) {
  if (carer.skills_size() > kMaxSkills) {
    violations.Add("carer.skills", absl::StrCat("at most ", kMaxSkills));
  }
  std::set<std::string> seen;
  for (int i = 0; i < carer.skills_size(); ++i) {
    const v1::CarerSkill& skill = carer.skills(i);
    std::string field = absl::StrCat("carer.skills[", i, "]");
    absl::Status valid = ValidateId(field + ".skill", skill.skill());
    if (!valid.ok()) {
      violations.AddFrom(valid);
    } else if (!seen.insert(skill.skill()).second) {
      violations.Add(field + ".skill", absl::StrCat("duplicates \"", skill.skill(), "\""));
    }
    if (skill.has_expires_on()) {
      violations.AddFrom(DateFromProto(skill.expires_on(), field + ".expires_on").status());
    }
  }
}

void CheckMinutes(FieldViolations& violations, const v1::Carer& carer) {
  const int weekly = carer.contracted_minutes_per_week();
  const int daily = carer.max_minutes_per_day();
  if (weekly < 0 || weekly > kMinutesPerWeek) {
    violations.Add("carer.contracted_minutes_per_week",
                   absl::StrCat("must be from 0 to ", kMinutesPerWeek, " (a whole week)"));
  }
  if (daily < 0 || daily > kMinutesPerDay) {
    violations.Add("carer.max_minutes_per_day",
                   absl::StrCat("must be from 0 (no daily limit) to ", kMinutesPerDay));
  } else if (daily > 0 && weekly <= kMinutesPerWeek && weekly > 7 * daily) {
    violations.Add(
        "carer.contracted_minutes_per_week",
        absl::StrCat("cannot be worked within max_minutes_per_day (", daily, ") on seven days"));
  }
}

}  // namespace

absl::Status ValidateCarer(const v1::Carer& carer, const v1::Tenant& tenant) {
  FieldViolations violations;
  CheckText(violations, "carer.display_name", carer.display_name(),
            {kMaxNameLength, /*required=*/true});
  if (carer.gender() == common::v1::GENDER_UNSPECIFIED ||
      !common::v1::Gender_IsValid(carer.gender())) {
    violations.Add("carer.gender",
                   "must be GENDER_FEMALE, GENDER_MALE, GENDER_NON_BINARY or GENDER_UNDISCLOSED");
  }
  CheckSkills(violations, carer);
  if (carer.locality_id().empty()) {
    violations.Add("carer.locality_id", "must be set");
  } else if (!HasLocality(tenant, carer.locality_id())) {
    violations.Add("carer.locality_id",
                   absl::StrCat("\"", carer.locality_id(), "\" is not a locality of the tenant"));
  }
  if (!carer.has_home()) {
    violations.Add("carer.home", "must be set (where the carer's day starts and ends)");
  } else {
    violations.AddFrom(ValidateGeoPoint(carer.home(), "carer.home"));
  }
  CheckMinutes(violations, carer);
  if (carer.hourly_rate_pence() <= 0) {
    violations.Add("carer.hourly_rate_pence", "must be more than 0");
  } else if (carer.hourly_rate_pence() < tenant.minimum_hourly_pay_pence()) {
    violations.Add("carer.hourly_rate_pence",
                   absl::StrCat("must be at least the tenant's minimum hourly pay (",
                                tenant.minimum_hourly_pay_pence(), " pence)"));
  }
  if (!carer.employer_id().empty() && !HasEmployer(tenant, carer.employer_id())) {
    violations.Add("carer.employer_id",
                   absl::StrCat("\"", carer.employer_id(),
                                "\" is not a sub-contractor of the tenant (empty: the lead "
                                "provider)"));
  }
  if (carer.travel_mode() == v1::TRAVEL_MODE_UNSPECIFIED ||
      !v1::TravelMode_IsValid(carer.travel_mode())) {
    violations.Add("carer.travel_mode",
                   "must be TRAVEL_MODE_DRIVES, _WALKS, _PUBLIC_TRANSPORT or _CYCLES");
  }
  return violations.ToStatus();
}

v1::Carer NewCarerRecord(const v1::Carer& requested, const std::string& carer_id, absl::Time now) {
  v1::Carer carer = requested;
  carer.set_carer_id(carer_id);
  carer.set_active(true);
  *carer.mutable_create_time() = TimeToProto(now);
  *carer.mutable_update_time() = TimeToProto(now);
  carer.set_version(1);
  return carer;
}

std::string CreateCarerFingerprint(const v1::CreateCarerRequest& request) {
  v1::Carer asked = request.carer();
  // Output-only fields, and `active`, which create ignores, do not make a request different.
  asked.clear_carer_id();
  asked.clear_active();
  asked.clear_create_time();
  asked.clear_update_time();
  asked.clear_version();
  return RequestFingerprint(request.request_id(), asked);
}

const std::vector<std::string>& CarerUpdatePaths() {
  static const auto* const kPaths = new std::vector<std::string>{"display_name",
                                                                 "gender",
                                                                 "skills",
                                                                 "locality_id",
                                                                 "home",
                                                                 "contracted_minutes_per_week",
                                                                 "max_minutes_per_day",
                                                                 "hourly_rate_pence",
                                                                 "employer_id",
                                                                 "active",
                                                                 "travel_mode"};
  return *kPaths;
}

v1::Carer ApplyCarerUpdate(const v1::Carer& stored, const v1::Carer& changes,
                           const std::vector<std::string>& paths, absl::Time now) {
  v1::Carer carer = stored;
  ApplyUpdatePaths(changes, paths, carer);
  carer.set_version(stored.version() + 1);
  *carer.mutable_update_time() = TimeToProto(now);
  return carer;
}

absl::Status CheckOwnRecord(const Principal& principal, const std::string& carer_id) {
  if (principal.role == Role::kCarer && principal.carer_id != carer_id) {
    return absl::PermissionDeniedError("a carer may read only their own record");
  }
  return absl::OkStatus();
}

std::string CarerFilter::QueryKey() const {
  return absl::StrCat("locality=", locality_id, "&skill=", skill, "&employer=", employer_id,
                      "&active=", active.has_value() ? (*active ? "1" : "0") : "");
}

bool CarerFilter::Matches(const v1::Carer& carer) const {
  if (!locality_id.empty() && carer.locality_id() != locality_id) return false;
  if (!employer_id.empty()) {
    const std::string& wanted = employer_id == kLeadEmployer ? std::string() : employer_id;
    if (carer.employer_id() != wanted) return false;
  }
  if (active.has_value() && carer.active() != *active) return false;
  if (!skill.empty() && !HoldsSkill(carer, skill, today, today)) return false;
  return true;
}

}  // namespace homecare::roster
