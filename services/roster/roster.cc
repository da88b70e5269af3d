#include "services/roster/roster.h"

#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/request.h"
#include "common/api/write.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/roster/availability_rules.h"
#include "services/roster/carer_rules.h"
#include "services/roster/tenant_rules.h"

namespace homecare::roster {
namespace {

// How many carer ids a list reads from Redis at a time while it filters.
constexpr int kScanBatch = 200;
// A visit's window; longer windows are not visits.
constexpr absl::Duration kMaxEligibilityWindow = absl::Hours(24);
constexpr size_t kMaxReasonLength = 500;

absl::Status CheckExpectedVersion(int64_t expected, int64_t stored, absl::string_view what) {
  return homecare::CheckExpectedVersion(expected, stored, what, kRosterErrorDomain);
}

absl::StatusOr<absl::TimeZone> TenantZone(const v1::Tenant& tenant) {
  absl::StatusOr<absl::TimeZone> zone = LoadTimeZone(tenant.time_zone());
  if (!zone.ok()) {
    return absl::InternalError(absl::StrCat("the tenant's time zone \"", tenant.time_zone(),
                                            "\" does not load on this server"));
  }
  return zone;
}

bool HasLocality(const v1::Tenant& tenant, const std::string& locality_id) {
  for (const v1::Locality& locality : tenant.localities()) {
    if (locality.locality_id() == locality_id) return true;
  }
  return false;
}

}  // namespace

v1::CarerChange Roster::NewChange(const std::string& tenant_id, const std::string& carer_id,
                                  v1::CarerChange::Kind kind) const {
  v1::CarerChange change;
  change.set_tenant_id(tenant_id);
  change.set_carer_id(carer_id);
  change.set_kind(kind);
  *change.mutable_change_time() = TimeToProto(clock_.Now());
  return change;
}

// ---------------------------------------------------------------------------------------------
// Tenants

absl::StatusOr<v1::Tenant> Roster::CreateTenant(const v1::CreateTenantRequest& request) {
  if (absl::Status status = ValidateNewTenant(request.tenant()); !status.ok()) return status;
  absl::StatusOr<Created<v1::Tenant>> created = store_.CreateTenant(
      NewTenantRecord(request.tenant(), clock_.Now()), CreateTenantFingerprint(request));
  if (!created.ok()) return created.status();
  return std::move(created->record);
}

absl::StatusOr<v1::Tenant> Roster::GetTenant(const std::string& tenant_id) {
  return store_.GetTenant(tenant_id);
}

absl::StatusOr<v1::Tenant> Roster::UpdateTenant(const std::string& tenant_id,
                                                const v1::UpdateTenantRequest& request) {
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), TenantUpdatePaths());
  if (!paths.ok()) return paths.status();
  return RetryOnConflict<v1::Tenant>([&]() -> absl::StatusOr<v1::Tenant> {
    absl::StatusOr<Snapshot<v1::Tenant>> read = store_.ReadTenant(tenant_id);
    if (!read.ok()) return read.status();
    if (absl::Status version =
            CheckExpectedVersion(request.expected_version(), read->record.version(), "the tenant");
        !version.ok()) {
      return version;
    }
    v1::Tenant updated = ApplyTenantUpdate(read->record, request.tenant(), *paths, clock_.Now());
    if (absl::Status valid = ValidateNewTenant(updated); !valid.ok()) return valid;
    absl::StatusOr<RosterRecords::AllCarers> carers = store_.ReadAllCarers(tenant_id);
    if (!carers.ok()) return carers.status();
    if (absl::Status still_valid = CheckCarersStillValid(updated, carers->carers);
        !still_valid.ok()) {
      return still_valid;
    }
    if (absl::Status written = store_.UpdateTenant(*read, updated, carers->revision);
        !written.ok()) {
      return written;
    }
    return updated;
  });
}

absl::StatusOr<v1::ListTenantsResponse> Roster::ListTenants(const v1::ListTenantsRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  constexpr absl::string_view kQuery = "tenants";
  absl::StatusOr<std::string> after = ReadPageToken(request.page_token(), kQuery);
  if (!after.ok()) return after.status();
  absl::StatusOr<std::vector<v1::Tenant>> tenants = store_.ListTenants(*after, *page_size + 1);
  if (!tenants.ok()) return tenants.status();
  v1::ListTenantsResponse response;
  const bool more = static_cast<int>(tenants->size()) > *page_size;
  if (more) tenants->resize(*page_size);
  for (v1::Tenant& tenant : *tenants) *response.add_tenants() = std::move(tenant);
  if (more) {
    response.set_next_page_token(MakePageToken(response.tenants().rbegin()->tenant_id(), kQuery));
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Carers

absl::StatusOr<v1::Carer> Roster::CreateCarer(const std::string& tenant_id,
                                              const v1::CreateCarerRequest& request) {
  if (absl::Status valid = ValidateRequestId(request.request_id()); !valid.ok()) return valid;
  const std::string carer_id = IdForRequest("car", tenant_id, request.request_id());
  const std::string fingerprint = CreateCarerFingerprint(request);
  return RetryOnConflict<v1::Carer>([&]() -> absl::StatusOr<v1::Carer> {
    absl::StatusOr<Snapshot<v1::Tenant>> tenant = store_.ReadTenant(tenant_id);
    if (!tenant.ok()) return tenant.status();
    if (absl::Status valid = ValidateCarer(request.carer(), tenant->record); !valid.ok()) {
      return valid;
    }
    v1::Carer carer = NewCarerRecord(request.carer(), carer_id, clock_.Now());
    v1::CarerChange change = NewChange(tenant_id, carer_id, v1::CarerChange::KIND_CARER_CREATED);
    *change.mutable_carer() = carer;
    absl::StatusOr<Created<v1::Carer>> created =
        store_.CreateCarer(*tenant, carer, fingerprint, change);
    if (!created.ok()) return created.status();
    return std::move(created->record);
  });
}

absl::StatusOr<v1::Carer> Roster::GetCarer(const std::string& tenant_id,
                                           const std::string& carer_id) {
  if (absl::Status valid = ValidateId("carer_id", carer_id); !valid.ok()) return valid;
  absl::StatusOr<Snapshot<v1::Carer>> read = store_.ReadCarer(tenant_id, carer_id);
  if (!read.ok()) return read.status();
  return std::move(read->record);
}

absl::StatusOr<v1::Carer> Roster::UpdateCarer(const std::string& tenant_id,
                                              const v1::UpdateCarerRequest& request) {
  const std::string& carer_id = request.carer().carer_id();
  if (absl::Status valid = ValidateId("carer.carer_id", carer_id); !valid.ok()) return valid;
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), CarerUpdatePaths());
  if (!paths.ok()) return paths.status();
  return RetryOnConflict<v1::Carer>([&]() -> absl::StatusOr<v1::Carer> {
    absl::StatusOr<Snapshot<v1::Tenant>> tenant = store_.ReadTenant(tenant_id);
    if (!tenant.ok()) return tenant.status();
    absl::StatusOr<Snapshot<v1::Carer>> read = store_.ReadCarer(tenant_id, carer_id);
    if (!read.ok()) return read.status();
    if (absl::Status version =
            CheckExpectedVersion(request.expected_version(), read->record.version(), "the carer");
        !version.ok()) {
      return version;
    }
    v1::Carer updated = ApplyCarerUpdate(read->record, request.carer(), *paths, clock_.Now());
    if (absl::Status valid = ValidateCarer(updated, tenant->record); !valid.ok()) return valid;
    v1::CarerChange change = NewChange(tenant_id, carer_id, v1::CarerChange::KIND_CARER_UPDATED);
    *change.mutable_carer() = updated;
    if (absl::Status written = store_.UpdateCarer(*tenant, *read, updated, change); !written.ok()) {
      return written;
    }
    return updated;
  });
}

absl::StatusOr<v1::ListCarersResponse> Roster::ListCarers(const std::string& tenant_id,
                                                          const v1::ListCarersRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  absl::StatusOr<v1::Tenant> tenant = store_.GetTenant(tenant_id);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<absl::TimeZone> zone = TenantZone(*tenant);
  if (!zone.ok()) return zone.status();
  CarerFilter filter{
      .locality_id = request.locality_id(),
      .skill = request.skill(),
      .employer_id = request.employer_id(),
      .active = request.has_active() ? std::optional<bool>(request.active()) : std::nullopt,
      .today = LocalDay(clock_.Now(), *zone)};
  if (!filter.locality_id.empty()) {
    if (absl::Status valid = ValidateSlug("locality_id", filter.locality_id); !valid.ok()) {
      return valid;
    }
  }
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), filter.QueryKey());
  if (!cursor.ok()) return cursor.status();
  v1::ListCarersResponse response;
  while (true) {
    absl::StatusOr<std::vector<std::string>> ids =
        store_.ListCarerIds(tenant_id, filter.locality_id, *cursor, kScanBatch);
    if (!ids.ok()) return ids.status();
    absl::StatusOr<std::vector<v1::Carer>> carers = store_.ReadCarers(tenant_id, *ids);
    if (!carers.ok()) return carers.status();
    for (v1::Carer& carer : *carers) {
      *cursor = carer.carer_id();
      if (!filter.Matches(carer)) continue;
      *response.add_carers() = std::move(carer);
      if (response.carers_size() == *page_size) {
        response.set_next_page_token(MakePageToken(*cursor, filter.QueryKey()));
        return response;
      }
    }
    if (static_cast<int>(ids->size()) < kScanBatch) return response;
    *cursor = ids->back();
  }
}

absl::StatusOr<v1::BatchGetCarersResponse> Roster::BatchGetCarers(
    const std::string& tenant_id, const v1::BatchGetCarersRequest& request) {
  FieldViolations violations;
  if (request.carer_ids().empty()) violations.Add("carer_ids", "must name at least one carer");
  if (request.carer_ids_size() > kMaxPageSize) {
    violations.Add("carer_ids", absl::StrCat("at most ", kMaxPageSize));
  }
  std::set<std::string> seen;
  for (int i = 0; i < request.carer_ids_size() && i < kMaxPageSize; ++i) {
    const std::string field = absl::StrCat("carer_ids[", i, "]");
    violations.AddFrom(ValidateId(field, request.carer_ids(i)));
    if (!seen.insert(request.carer_ids(i)).second) violations.Add(field, "is named twice");
  }
  const bool with_absences = request.has_absences_start_time() || request.has_absences_end_time();
  absl::Time absences_start;
  absl::Time absences_end;
  if (with_absences) {
    absl::StatusOr<absl::Time> start =
        TimeFromProto(request.absences_start_time(), "absences_start_time");
    absl::StatusOr<absl::Time> end =
        TimeFromProto(request.absences_end_time(), "absences_end_time");
    if (!request.has_absences_start_time()) violations.Add("absences_start_time", "must be set");
    if (!request.has_absences_end_time()) violations.Add("absences_end_time", "must be set");
    violations.AddFrom(start.status());
    violations.AddFrom(end.status());
    if (start.ok() && end.ok()) {
      absences_start = *start;
      absences_end = *end;
      if (request.has_absences_end_time() && absences_end <= absences_start) {
        violations.Add("absences_end_time", "must be after absences_start_time");
      }
    }
  }
  if (!violations.empty()) return violations.ToStatus();

  const std::vector<std::string> ids(request.carer_ids().begin(), request.carer_ids().end());
  absl::StatusOr<std::vector<v1::Carer>> carers = store_.ReadCarers(tenant_id, ids);
  if (!carers.ok()) return carers.status();
  std::vector<std::string> found_ids;
  for (const v1::Carer& carer : *carers) found_ids.push_back(carer.carer_id());
  std::vector<std::optional<v1::Availability>> availabilities(carers->size());
  if (request.include_availability() && !found_ids.empty()) {
    absl::StatusOr<std::vector<std::optional<v1::Availability>>> read =
        store_.ReadAvailabilities(tenant_id, found_ids);
    if (!read.ok()) return read.status();
    availabilities = *std::move(read);
  }
  // Absences that have not ended by the start, grouped by carer: usually a handful in all.
  std::map<std::string, std::vector<v1::Absence>> absences;
  if (with_absences && !found_ids.empty()) {
    absl::StatusOr<std::vector<v1::Absence>> current =
        store_.ReadCurrentAbsences(tenant_id, absences_start);
    if (!current.ok()) return current.status();
    for (v1::Absence& absence : *current) {
      if (seen.contains(absence.carer_id()) &&
          AbsenceOverlaps(absence, absences_start, absences_end)) {
        absences[absence.carer_id()].push_back(std::move(absence));
      }
    }
  }
  v1::BatchGetCarersResponse response;
  std::set<std::string> found(found_ids.begin(), found_ids.end());
  for (size_t i = 0; i < carers->size(); ++i) {
    v1::CarerDetails& details = *response.add_carers();
    *details.mutable_carer() = std::move((*carers)[i]);
    if (availabilities[i].has_value()) *details.mutable_availability() = *availabilities[i];
    for (v1::Absence& absence : absences[found_ids[i]]) *details.add_absences() = absence;
  }
  for (const std::string& id : ids) {
    if (!found.contains(id)) response.add_missing_carer_ids(id);
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Availability and absences

absl::StatusOr<v1::Availability> Roster::SetAvailability(
    const std::string& tenant_id, const v1::SetAvailabilityRequest& request) {
  if (absl::Status valid = ValidateAvailability(request.availability()); !valid.ok()) {
    return valid;
  }
  const std::string& carer_id = request.availability().carer_id();
  return RetryOnConflict<v1::Availability>([&]() -> absl::StatusOr<v1::Availability> {
    absl::StatusOr<Snapshot<v1::Availability>> read = store_.ReadAvailability(tenant_id, carer_id);
    if (!read.ok()) return read.status();
    if (absl::Status version = CheckExpectedVersion(request.expected_version(),
                                                    read->record.version(), "the availability");
        !version.ok()) {
      return version;
    }
    v1::Availability updated = request.availability();
    updated.set_version(read->record.version() + 1);
    *updated.mutable_update_time() = TimeToProto(clock_.Now());
    v1::CarerChange change = NewChange(tenant_id, carer_id, v1::CarerChange::KIND_AVAILABILITY_SET);
    *change.mutable_availability() = updated;
    if (absl::Status written = store_.SetAvailability(tenant_id, *read, updated, change);
        !written.ok()) {
      return written;
    }
    return updated;
  });
}

absl::StatusOr<v1::Availability> Roster::GetAvailability(const std::string& tenant_id,
                                                         const std::string& carer_id) {
  if (absl::Status valid = ValidateId("carer_id", carer_id); !valid.ok()) return valid;
  if (absl::StatusOr<Snapshot<v1::Carer>> carer = store_.ReadCarer(tenant_id, carer_id);
      !carer.ok()) {
    return carer.status();
  }
  absl::StatusOr<Snapshot<v1::Availability>> read = store_.ReadAvailability(tenant_id, carer_id);
  if (!read.ok()) return read.status();
  read->record.set_carer_id(carer_id);
  return std::move(read->record);
}

absl::StatusOr<v1::Absence> Roster::RecordAbsence(const std::string& tenant_id,
                                                  const v1::RecordAbsenceRequest& request) {
  if (absl::Status valid = ValidateRequestId(request.request_id()); !valid.ok()) return valid;
  if (absl::Status valid = ValidateNewAbsence(request.absence()); !valid.ok()) return valid;
  v1::Absence absence = request.absence();
  v1::Absence asked = absence;
  asked.clear_absence_id();
  asked.clear_state();
  asked.clear_create_time();
  asked.clear_update_time();
  const absl::Time now = clock_.Now();
  absence.set_absence_id(IdForRequest("abs", tenant_id, request.request_id()));
  absence.set_state(v1::ABSENCE_STATE_ACTIVE);
  *absence.mutable_create_time() = TimeToProto(now);
  *absence.mutable_update_time() = TimeToProto(now);
  v1::CarerChange change =
      NewChange(tenant_id, absence.carer_id(), v1::CarerChange::KIND_ABSENCE_RECORDED);
  *change.mutable_absence() = absence;
  absl::StatusOr<Created<v1::Absence>> recorded = store_.RecordAbsence(
      tenant_id, absence, RequestFingerprint(request.request_id(), asked), change);
  if (!recorded.ok()) return recorded.status();
  return std::move(recorded->record);
}

absl::StatusOr<v1::Absence> Roster::EndAbsence(const std::string& tenant_id,
                                               const v1::EndAbsenceRequest& request) {
  if (absl::Status valid = ValidateId("absence_id", request.absence_id()); !valid.ok()) {
    return valid;
  }
  absl::Time end = clock_.Now();
  if (request.has_end_time()) {
    absl::StatusOr<absl::Time> asked = TimeFromProto(request.end_time(), "end_time");
    if (!asked.ok()) return asked.status();
    end = *asked;
  }
  return RetryOnConflict<v1::Absence>([&]() -> absl::StatusOr<v1::Absence> {
    absl::StatusOr<Snapshot<v1::Absence>> read =
        store_.ReadAbsence(tenant_id, request.absence_id());
    if (!read.ok()) return read.status();
    const v1::Absence& stored = read->record;
    if (stored.state() == v1::ABSENCE_STATE_CANCELLED) {
      PreconditionViolations violations;
      violations.Add("ABSENCE_CANCELLED", absl::StrCat("absences/", stored.absence_id()),
                     "a cancelled absence cannot be ended");
      return violations.ToStatus("the absence was cancelled");
    }
    absl::StatusOr<absl::Time> start = TimeFromProto(stored.start_time(), "start_time");
    if (!start.ok()) return absl::DataLossError("stored absence has an invalid start");
    if (end <= *start) {
      return InvalidArgumentError("end_time", "must be after the absence's start_time");
    }
    v1::Absence updated = stored;
    *updated.mutable_end_time() = TimeToProto(end);
    *updated.mutable_update_time() = TimeToProto(clock_.Now());
    v1::CarerChange change =
        NewChange(tenant_id, updated.carer_id(), v1::CarerChange::KIND_ABSENCE_ENDED);
    *change.mutable_absence() = updated;
    if (absl::Status written = store_.UpdateAbsence(tenant_id, *read, updated, change);
        !written.ok()) {
      return written;
    }
    return updated;
  });
}

absl::StatusOr<v1::Absence> Roster::CancelAbsence(const std::string& tenant_id,
                                                  const v1::CancelAbsenceRequest& request) {
  if (absl::Status valid = ValidateId("absence_id", request.absence_id()); !valid.ok()) {
    return valid;
  }
  FieldViolations reason;
  CheckText(reason, "reason", request.reason(), {kMaxReasonLength});
  if (!reason.empty()) return reason.ToStatus();
  return RetryOnConflict<v1::Absence>([&]() -> absl::StatusOr<v1::Absence> {
    absl::StatusOr<Snapshot<v1::Absence>> read =
        store_.ReadAbsence(tenant_id, request.absence_id());
    if (!read.ok()) return read.status();
    if (read->record.state() == v1::ABSENCE_STATE_CANCELLED) return std::move(read->record);
    v1::Absence updated = read->record;
    updated.set_state(v1::ABSENCE_STATE_CANCELLED);
    if (!request.reason().empty()) {
      updated.set_note(updated.note().empty()
                           ? absl::StrCat("Cancelled: ", request.reason())
                           : absl::StrCat(updated.note(), "\nCancelled: ", request.reason()));
    }
    *updated.mutable_update_time() = TimeToProto(clock_.Now());
    v1::CarerChange change =
        NewChange(tenant_id, updated.carer_id(), v1::CarerChange::KIND_ABSENCE_CANCELLED);
    *change.mutable_absence() = updated;
    if (absl::Status written = store_.UpdateAbsence(tenant_id, *read, updated, change);
        !written.ok()) {
      return written;
    }
    return updated;
  });
}

absl::StatusOr<v1::ListAbsencesResponse> Roster::ListAbsences(
    const std::string& tenant_id, const v1::ListAbsencesRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  if (!request.carer_id().empty()) {
    if (absl::Status valid = ValidateId("carer_id", request.carer_id()); !valid.ok()) return valid;
  }
  absl::Time from = absl::InfinitePast();
  absl::Time to = absl::InfiniteFuture();
  if (request.has_start_time()) {
    absl::StatusOr<absl::Time> start = TimeFromProto(request.start_time(), "start_time");
    if (!start.ok()) return start.status();
    from = *start;
  }
  if (request.has_end_time()) {
    absl::StatusOr<absl::Time> end = TimeFromProto(request.end_time(), "end_time");
    if (!end.ok()) return end.status();
    to = *end;
  }
  if (from >= to) return InvalidArgumentError("end_time", "must be after start_time");
  const std::string query = absl::StrCat(
      "carer=", request.carer_id(), "&from=", absl::FormatTime(from), "&to=", absl::FormatTime(to));
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  v1::ListAbsencesResponse response;
  while (true) {
    absl::StatusOr<RosterRecords::AbsencePage> page = store_.ListAbsences(
        tenant_id, request.carer_id(), *cursor, to, *page_size - response.absences_size());
    if (!page.ok()) return page.status();
    for (v1::Absence& absence : page->absences) {
      // Those starting before `to` came from the store; keep the ones not ended by `from`.
      absl::StatusOr<absl::Time> end = TimeFromProto(absence.end_time(), "end_time");
      if (absence.has_end_time() && end.ok() && *end <= from) continue;
      *response.add_absences() = std::move(absence);
    }
    *cursor = page->last_cursor;
    if (page->exhausted) return response;
    if (response.absences_size() >= *page_size) {
      response.set_next_page_token(MakePageToken(*cursor, query));
      return response;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Eligibility

absl::StatusOr<v1::ListEligibleCarersResponse> Roster::ListEligibleCarers(
    const std::string& tenant_id, const v1::ListEligibleCarersRequest& request) {
  FieldViolations violations;
  absl::StatusOr<absl::Time> start = TimeFromProto(request.window_start(), "window_start");
  absl::StatusOr<absl::Time> end = TimeFromProto(request.window_end(), "window_end");
  if (!request.has_window_start()) violations.Add("window_start", "must be set");
  if (!request.has_window_end()) violations.Add("window_end", "must be set");
  if (request.has_window_start() && !start.ok()) violations.Add("window_start", "is not a time");
  if (request.has_window_end() && !end.ok()) violations.Add("window_end", "is not a time");
  if (start.ok() && end.ok() && request.has_window_start() && request.has_window_end()) {
    if (*end <= *start) {
      violations.Add("window_end", "must be after window_start");
    } else if (*end - *start > kMaxEligibilityWindow) {
      violations.Add("window_end", "the window must be at most 24 hours");
    }
  }
  for (int i = 0; i < request.required_skills_size(); ++i) {
    absl::Status valid =
        ValidateId(absl::StrCat("required_skills[", i, "]"), request.required_skills(i));
    for (const auto& violation : FieldViolationsOf(valid)) {
      violations.Add(violation.field(), violation.description());
    }
  }
  if (!common::v1::Gender_IsValid(request.gender())) {
    violations.Add("gender", "is not a known gender");
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) violations.Add("page_size", "must not be negative");
  if (!violations.empty()) return violations.ToStatus();

  absl::StatusOr<v1::Tenant> tenant = store_.GetTenant(tenant_id);
  if (!tenant.ok()) return tenant.status();
  if (!request.locality_id().empty() && !HasLocality(*tenant, request.locality_id())) {
    return InvalidArgumentError("locality_id", absl::StrCat("\"", request.locality_id(),
                                                            "\" is not a locality of the tenant"));
  }
  absl::StatusOr<absl::TimeZone> zone = TenantZone(*tenant);
  if (!zone.ok()) return zone.status();
  EligibilityQuery query{
      .window_start = *start,
      .window_end = *end,
      .zone = *zone,
      .locality_id = request.locality_id(),
      .skills = {request.required_skills().begin(), request.required_skills().end()},
      .gender = request.gender()};
  const std::string query_key = absl::StrCat(
      absl::ToUnixMillis(*start), "/", absl::ToUnixMillis(*end), "/", request.locality_id(), "/",
      absl::StrJoin(query.skills, ","), "/", request.gender());
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query_key);
  if (!cursor.ok()) return cursor.status();

  // Absences that have not ended by the window's start, grouped by carer: usually a handful.
  absl::StatusOr<std::vector<v1::Absence>> current = store_.ReadCurrentAbsences(tenant_id, *start);
  if (!current.ok()) return current.status();
  std::map<std::string, std::vector<v1::Absence>> absences;
  for (v1::Absence& absence : *current) {
    absences[absence.carer_id()].push_back(std::move(absence));
  }

  v1::ListEligibleCarersResponse response;
  while (true) {
    absl::StatusOr<std::vector<std::string>> ids =
        store_.ListCarerIds(tenant_id, request.locality_id(), *cursor, kScanBatch);
    if (!ids.ok()) return ids.status();
    absl::StatusOr<std::vector<v1::Carer>> carers = store_.ReadCarers(tenant_id, *ids);
    if (!carers.ok()) return carers.status();
    // Availability is the costly part to read and to work out, so only for the carers who pass
    // everything before it (CheckEligibility checks in the order of Ineligibility).
    std::vector<v1::Carer> candidates;
    std::vector<std::string> candidate_ids;
    for (v1::Carer& carer : *carers) {
      if (CheckEligibility(carer, nullptr, {}, query) != Ineligibility::kUnavailable) continue;
      candidate_ids.push_back(carer.carer_id());
      candidates.push_back(std::move(carer));
    }
    absl::StatusOr<std::vector<std::optional<v1::Availability>>> availabilities =
        store_.ReadAvailabilities(tenant_id, candidate_ids);
    if (!availabilities.ok()) return availabilities.status();
    for (size_t i = 0; i < candidates.size(); ++i) {
      v1::Carer& carer = candidates[i];
      const std::optional<v1::Availability>& availability = (*availabilities)[i];
      auto carer_absences = absences.find(carer.carer_id());
      absl::Span<const v1::Absence> own = carer_absences == absences.end()
                                              ? absl::Span<const v1::Absence>()
                                              : absl::MakeConstSpan(carer_absences->second);
      if (CheckEligibility(carer, availability ? &*availability : nullptr, own, query) !=
          Ineligibility::kNone) {
        continue;
      }
      *response.add_carers() = std::move(carer);
      if (response.carers_size() == *page_size) {
        response.set_next_page_token(
            MakePageToken(response.carers().rbegin()->carer_id(), query_key));
        return response;
      }
    }
    if (static_cast<int>(ids->size()) < kScanBatch) return response;
    *cursor = ids->back();
  }
}

}  // namespace homecare::roster
