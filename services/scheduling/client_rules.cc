#include "services/scheduling/client_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/geo/geo.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::scheduling {
namespace {

constexpr size_t kMaxNameLength = 200;
constexpr size_t kMaxAddressLength = 500;
constexpr size_t kMaxNotesLength = 2000;
constexpr size_t kMaxPhoneLength = 40;
constexpr TextRule kNameText{kMaxNameLength, /*required=*/true};
constexpr TextRule kNotesText{kMaxNotesLength, /*required=*/false, TextLines::kMultiple};
constexpr int kMaxCarerIds = 50;
constexpr int kMaxContacts = 20;
constexpr int kMaxSuspensions = 200;

void CheckCarerIds(FieldViolations& violations,
                   const google::protobuf::RepeatedPtrField<std::string>& ids,
                   const std::string& field) {
  if (ids.size() > kMaxCarerIds) violations.Add(field, absl::StrCat("at most ", kMaxCarerIds));
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    std::string item = absl::StrCat(field, "[", i, "]");
    absl::Status valid = ValidateId(item, ids[i]);
    if (!valid.ok()) {
      violations.AddFrom(valid);
    } else if (!seen.insert(ids[i]).second) {
      violations.Add(item, absl::StrCat("duplicates \"", ids[i], "\""));
    }
  }
}

void CheckContacts(FieldViolations& violations, const v1::Client& client) {
  if (client.contacts_size() > kMaxContacts) {
    violations.Add("client.contacts", absl::StrCat("at most ", kMaxContacts));
  }
  for (int i = 0; i < client.contacts_size(); ++i) {
    const v1::Contact& contact = client.contacts(i);
    std::string field = absl::StrCat("client.contacts[", i, "]");
    CheckText(violations, field + ".name", contact.name(), kNameText);
    CheckText(violations, field + ".relationship", contact.relationship(), {kMaxNameLength});
    CheckText(violations, field + ".phone", contact.phone(), {kMaxPhoneLength});
  }
}

void CheckSuspensions(FieldViolations& violations, const v1::Client& client) {
  if (client.suspensions_size() > kMaxSuspensions) {
    violations.Add("client.suspensions", absl::StrCat("at most ", kMaxSuspensions));
  }
  std::set<std::string> ids;
  for (int i = 0; i < client.suspensions_size(); ++i) {
    const v1::Suspension& suspension = client.suspensions(i);
    std::string field = absl::StrCat("client.suspensions[", i, "]");
    if (!suspension.suspension_id().empty()) {
      absl::Status valid = ValidateId(field + ".suspension_id", suspension.suspension_id());
      if (!valid.ok()) {
        violations.AddFrom(valid);
      } else if (!ids.insert(suspension.suspension_id()).second) {
        violations.Add(field + ".suspension_id", "duplicates another suspension's id");
      }
    }
    if (suspension.reason() == v1::SUSPENSION_REASON_UNSPECIFIED ||
        !v1::SuspensionReason_IsValid(suspension.reason())) {
      violations.Add(field + ".reason",
                     "must be SUSPENSION_REASON_HOSPITAL, _RESPITE, _HOLIDAY or _OTHER");
    }
    absl::StatusOr<absl::CivilDay> start =
        DateFromProto(suspension.start_date(), field + ".start_date");
    violations.AddFrom(start.status());
    if (suspension.has_end_date()) {
      absl::StatusOr<absl::CivilDay> end =
          DateFromProto(suspension.end_date(), field + ".end_date");
      violations.AddFrom(end.status());
      if (start.ok() && end.ok() && *end < *start) {
        violations.Add(field + ".end_date", "must not be before start_date");
      }
    }
    CheckText(violations, field + ".note", suspension.note(), kNotesText);
  }
}

void GiveSuspensionIds(v1::Client& client) {
  for (v1::Suspension& suspension : *client.mutable_suspensions()) {
    if (suspension.suspension_id().empty()) suspension.set_suspension_id(RandomId("sus"));
  }
}

}  // namespace

absl::Status ValidateClient(const v1::Client& client, const TenantProfile& tenant) {
  FieldViolations violations;
  CheckText(violations, "client.display_name", client.display_name(), kNameText);
  if (!client.has_location()) {
    violations.Add("client.location", "must be set (where the visits happen)");
  } else {
    violations.AddFrom(ValidateGeoPoint(client.location(), "client.location"));
  }
  if (client.locality_id().empty()) {
    violations.Add("client.locality_id", "must be set");
  } else if (!tenant.HasLocality(client.locality_id())) {
    violations.Add("client.locality_id",
                   absl::StrCat("\"", client.locality_id(), "\" is not a locality of the tenant"));
  }
  if (!common::v1::Gender_IsValid(client.preferred_carer_gender()) ||
      client.preferred_carer_gender() == common::v1::GENDER_UNDISCLOSED) {
    violations.Add(
        "client.preferred_carer_gender",
        "must be GENDER_FEMALE, GENDER_MALE, GENDER_NON_BINARY or unset (no preference)");
  } else if (client.carer_gender_required() &&
             client.preferred_carer_gender() == common::v1::GENDER_UNSPECIFIED) {
    violations.Add("client.carer_gender_required", "needs a preferred_carer_gender");
  }
  CheckCarerIds(violations, client.preferred_carer_ids(), "client.preferred_carer_ids");
  CheckCarerIds(violations, client.excluded_carer_ids(), "client.excluded_carer_ids");
  std::set<std::string> preferred(client.preferred_carer_ids().begin(),
                                  client.preferred_carer_ids().end());
  for (int i = 0; i < client.excluded_carer_ids_size(); ++i) {
    if (preferred.count(client.excluded_carer_ids(i)) > 0) {
      violations.Add(absl::StrCat("client.excluded_carer_ids[", i, "]"),
                     "is also a preferred carer");
    }
  }
  CheckText(violations, "client.address_line", client.address_line(), {kMaxAddressLength});
  CheckText(violations, "client.access_notes", client.access_notes(), kNotesText);
  CheckContacts(violations, client);
  if (!v1::ClientStatus_IsValid(client.status())) {
    violations.Add("client.status", "must be CLIENT_STATUS_ACTIVE, _SUSPENDED or _ENDED");
  }
  CheckSuspensions(violations, client);
  return violations.ToStatus();
}

v1::Client NewClientRecord(const v1::Client& requested, const std::string& client_id,
                           absl::Time now) {
  v1::Client client = requested;
  client.set_client_id(client_id);
  if (client.status() == v1::CLIENT_STATUS_UNSPECIFIED) client.set_status(v1::CLIENT_STATUS_ACTIVE);
  GiveSuspensionIds(client);
  *client.mutable_create_time() = TimeToProto(now);
  *client.mutable_update_time() = TimeToProto(now);
  client.set_version(1);
  return client;
}

std::string CreateClientFingerprint(const v1::CreateClientRequest& request) {
  v1::Client asked = request.client();
  asked.clear_client_id();
  asked.clear_create_time();
  asked.clear_update_time();
  asked.clear_version();
  return RequestFingerprint(request.request_id(), asked);
}

const std::vector<std::string>& ClientUpdatePaths() {
  static const auto* const kPaths = new std::vector<std::string>{"display_name",
                                                                 "location",
                                                                 "locality_id",
                                                                 "preferred_carer_gender",
                                                                 "preferred_carer_ids",
                                                                 "excluded_carer_ids",
                                                                 "carer_gender_required",
                                                                 "address_line",
                                                                 "access_notes",
                                                                 "contacts",
                                                                 "status",
                                                                 "suspensions"};
  return *kPaths;
}

v1::Client ApplyClientUpdate(const v1::Client& stored, const v1::Client& changes,
                             const std::vector<std::string>& paths, absl::Time now) {
  v1::Client client = stored;
  ApplyUpdatePaths(changes, paths, client);
  if (client.status() == v1::CLIENT_STATUS_UNSPECIFIED) client.set_status(stored.status());
  GiveSuspensionIds(client);
  client.set_version(stored.version() + 1);
  *client.mutable_update_time() = TimeToProto(now);
  return client;
}

std::optional<NoVisitsDue> NoVisitsDueOn(const v1::Client& client, absl::CivilDay day) {
  if (client.status() == v1::CLIENT_STATUS_ENDED) {
    return NoVisitsDue{v1::CANCELLATION_REASON_OTHER, "care has ended"};
  }
  if (client.status() == v1::CLIENT_STATUS_SUSPENDED) {
    return NoVisitsDue{v1::CANCELLATION_REASON_OTHER, "client suspended until further notice"};
  }
  for (const v1::Suspension& suspension : client.suspensions()) {
    absl::StatusOr<absl::CivilDay> start = DateFromProto(suspension.start_date(), "start_date");
    if (!start.ok() || day < *start) continue;
    if (suspension.has_end_date()) {
      absl::StatusOr<absl::CivilDay> end = DateFromProto(suspension.end_date(), "end_date");
      if (end.ok() && day > *end) continue;
    }
    switch (suspension.reason()) {
      case v1::SUSPENSION_REASON_HOSPITAL:
        return NoVisitsDue{v1::CANCELLATION_REASON_CLIENT_IN_HOSPITAL, "client in hospital"};
      case v1::SUSPENSION_REASON_RESPITE:
        return NoVisitsDue{v1::CANCELLATION_REASON_OTHER, "client in respite care"};
      case v1::SUSPENSION_REASON_HOLIDAY:
        return NoVisitsDue{v1::CANCELLATION_REASON_CANCELLED_BY_CLIENT, "client on holiday"};
      default:
        return NoVisitsDue{v1::CANCELLATION_REASON_OTHER, "client suspended"};
    }
  }
  return std::nullopt;
}

std::string ClientFilter::QueryKey() const {
  return absl::StrCat("clients?locality=", locality_id, "&status=", static_cast<int>(status));
}

bool ClientFilter::Matches(const v1::Client& client) const {
  if (!locality_id.empty() && client.locality_id() != locality_id) return false;
  if (status != v1::CLIENT_STATUS_UNSPECIFIED && client.status() != status) return false;
  return true;
}

}  // namespace homecare::scheduling
