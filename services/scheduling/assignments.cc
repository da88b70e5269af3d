// Scheduling's assignment operations: putting carers on visits and taking them off, rotas, the
// scheduling settings, and following the roster's carer changes.
#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/request.h"
#include "common/api/write.h"
#include "common/ids/ids.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "services/scheduling/assignment_rules.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/settings_rules.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {

// What the rules know of the carers asked for; `carers` point into `details`.
struct Scheduling::CarerFacts {
  std::map<std::string, roster::v1::CarerDetails> details;
  std::vector<CarerToCheck> carers;
  std::vector<SchedulingRecords::CarerDayVersion> checked;
};

namespace {

// The longest rota one GetRota call covers.
constexpr int kMaxRotaDays = 31;
// Visits a list reads at a time while it gathers a carer's visits.
constexpr int kCarerVisitsBatch = 200;
constexpr size_t kMaxNoteLength = 2000;

bool IsOn(const v1::Visit& visit, const std::string& carer_id) {
  return std::find(visit.carer_ids().begin(), visit.carer_ids().end(), carer_id) !=
         visit.carer_ids().end();
}

bool IsAutoScheduled(const v1::Visit& visit, const std::string& carer_id) {
  return std::find(visit.auto_scheduled_carer_ids().begin(), visit.auto_scheduled_carer_ids().end(),
                   carer_id) != visit.auto_scheduled_carer_ids().end();
}

// `visit` with `carer_ids` taken off: needing a carer, with who took them off and why (the
// record names the first of them).
v1::Visit WithoutCarers(const v1::Visit& visit, const std::vector<std::string>& carer_ids,
                        v1::CarerRemovalReason reason, const std::string& note,
                        const std::string& removed_by, absl::Time now) {
  auto removed = [&](const std::string& id) {
    return std::find(carer_ids.begin(), carer_ids.end(), id) != carer_ids.end();
  };
  v1::Visit updated = visit;
  updated.clear_carer_ids();
  for (const std::string& id : visit.carer_ids()) {
    if (!removed(id)) updated.add_carer_ids(id);
  }
  updated.clear_auto_scheduled_carer_ids();
  for (const std::string& id : visit.auto_scheduled_carer_ids()) {
    if (!removed(id)) updated.add_auto_scheduled_carer_ids(id);
  }
  v1::CarerRemoval& removal = *updated.mutable_carer_removal();
  removal.set_carer_id(carer_ids.front());
  removal.set_reason(reason);
  removal.set_note(note);
  *removal.mutable_remove_time() = TimeToProto(now);
  removal.set_removed_by(removed_by);
  updated.set_status(PlanningStatus(updated));
  updated.set_version(visit.version() + 1);
  *updated.mutable_update_time() = TimeToProto(now);
  return updated;
}

std::string RemovalNote(v1::CarerRemovalReason reason) {
  switch (reason) {
    case v1::CARER_REMOVAL_REASON_CARER_ABSENT:
      return "the roster records the carer absent at the time of the visit";
    case v1::CARER_REMOVAL_REASON_CARER_INACTIVE:
      return "the carer is no longer active in the roster";
    case v1::CARER_REMOVAL_REASON_SKILL_LAPSED:
      return "the carer no longer holds a skill the visit needs, in date";
    case v1::CARER_REMOVAL_REASON_CARER_UNAVAILABLE:
      return "the carer's availability no longer covers the visit";
    default:
      return "";
  }
}

// A retried request: the first call's response when the fingerprints match, else
// ALREADY_EXISTS.
template <typename Response>
absl::StatusOr<Response> EarlierResponse(const SchedulingRecords::RequestRecord& earlier,
                                         const std::string& fingerprint) {
  if (earlier.fingerprint != fingerprint) {
    return absl::AlreadyExistsError("this request_id was used by another request");
  }
  Response response;
  if (!response.ParseFromString(earlier.response)) return CorruptRecord("visit request");
  return response;
}

// Validates a list of carer ids to add: 1 or 2, valid, no repeats.
absl::Status ValidateCarerIds(const google::protobuf::RepeatedPtrField<std::string>& ids) {
  FieldViolations violations;
  if (ids.empty()) violations.Add("carer_ids", "must name at least one carer");
  if (ids.size() > 2) violations.Add("carer_ids", "a visit takes at most 2 carers");
  std::set<std::string> seen;
  for (int i = 0; i < ids.size() && i < 2; ++i) {
    const std::string field = absl::StrCat("carer_ids[", i, "]");
    violations.AddFrom(ValidateId(field, ids[i]));
    if (!seen.insert(ids[i]).second) violations.Add(field, "is named twice");
  }
  return violations.ToStatus();
}

}  // namespace

absl::StatusOr<v1::SchedulingSettings> Scheduling::SettingsInForce(const std::string& tenant_id) {
  absl::StatusOr<Snapshot<v1::SchedulingSettings>> stored = store_.ReadSettings(tenant_id);
  if (!stored.ok()) return stored.status();
  return EffectiveSettings(stored->record);
}

absl::Status Scheduling::LoadCarerFacts(const std::string& tenant_id, const TenantProfile& tenant,
                                        const v1::Visit& visit,
                                        const std::vector<std::string>& carer_ids,
                                        CarerFacts& facts) {
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> details =
      tenants_.GetCarers(tenant_id, {.carer_ids = carer_ids,
                                     .with_availability = true,
                                     .absences_from = PlannedStart(visit),
                                     .absences_until = PlannedEnd(visit)});
  if (!details.ok()) return details.status();
  facts.details.insert(details->begin(), details->end());
  const absl::CivilDay day = LocalDate(visit);
  const absl::Time now = clock_.Now();
  for (const std::string& carer_id : carer_ids) {
    CarerToCheck& carer = facts.carers.emplace_back();
    carer.carer_id = carer_id;
    auto found = facts.details.find(carer_id);
    if (found == facts.details.end()) continue;  // CARER_NOT_FOUND: nothing more to read
    carer.details = &found->second;
    absl::StatusOr<SchedulingRecords::CarerSchedule> schedule = store_.ReadCarerSchedule(
        tenant_id, {.carer_id = carer_id,
                    .from = DayStart(day - kDaysReadBefore, tenant.zone),
                    .before = DayStart(day + kDaysReadAfter + 1, tenant.zone),
                    .first_day = day - kDaysCheckedBefore,
                    .last_day = day + kDaysCheckedAfter,
                    .client_id = visit.client_id(),
                    .visited_before = now});
    if (!schedule.ok()) return schedule.status();
    carer.around = std::move(schedule->visits);
    carer.has_visited_client = schedule->has_visited_client;
    facts.checked.insert(facts.checked.end(), schedule->versions.begin(), schedule->versions.end());
  }
  return absl::OkStatus();
}

absl::Status Scheduling::RecheckCarers(const std::string& tenant_id, const TenantProfile& tenant,
                                       const v1::Visit& updated,
                                       std::vector<SchedulingRecords::CarerDayVersion>& checked) {
  if (updated.carer_ids().empty()) return absl::OkStatus();
  absl::StatusOr<Snapshot<v1::Client>> client = store_.ReadClient(tenant_id, updated.client_id());
  if (!client.ok()) return client.status();
  absl::StatusOr<v1::SchedulingSettings> settings = SettingsInForce(tenant_id);
  if (!settings.ok()) return settings.status();
  CarerFacts facts;
  const std::vector<std::string> carer_ids(updated.carer_ids().begin(), updated.carer_ids().end());
  if (absl::Status loaded = LoadCarerFacts(tenant_id, tenant, updated, carer_ids, facts);
      !loaded.ok()) {
    return loaded;
  }
  const AssignmentContext context{.visit = updated,
                                  .client = client->record,
                                  .zone = tenant.zone,
                                  .now = clock_.Now(),
                                  .settings = *settings};
  PreconditionViolations refused;
  std::vector<v1::AssignmentWarning> ignored;  // preferences were weighed when they were assigned
  for (const CarerToCheck& carer : facts.carers) CheckCarer(context, carer, refused, ignored);
  if (!refused.empty()) {
    return refused.ToStatus(
        "the carers on this visit could not do it as changed; take them off first or choose "
        "another time");
  }
  checked = std::move(facts.checked);
  return absl::OkStatus();
}

absl::StatusOr<v1::AssignCarersResponse> Scheduling::AssignCarers(
    const std::string& tenant_id, const v1::AssignCarersRequest& request, AssignedBy by) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("visit_id", request.visit_id()));
  violations.AddFrom(ValidateCarerIds(request.carer_ids()));
  violations.AddFrom(ValidateRequestId(request.request_id()));
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint =
      RequestFingerprint(absl::StrCat("AssignCarers:", request.request_id()), request);
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> earlier =
        store_.ReadRequest(tenant_id, request.request_id());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value())
      return EarlierResponse<v1::AssignCarersResponse>(**earlier, fingerprint);
  }
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<v1::SchedulingSettings> settings = SettingsInForce(tenant_id);
  if (!settings.ok()) return settings.status();
  return RetryOnConflict<v1::AssignCarersResponse>(
      [&]() -> absl::StatusOr<v1::AssignCarersResponse> {
        absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, request.visit_id());
        if (!read.ok()) return read.status();
        const v1::Visit& visit = read->record;
        absl::StatusOr<Snapshot<v1::Client>> client =
            store_.ReadClient(tenant_id, visit.client_id());
        if (!client.ok()) return client.status();
        // A carer already on the visit stays as they are (a retry without a request_id).
        std::vector<std::string> adding;
        // A coordinator assigning a carer the scheduler placed makes the choice theirs.
        std::vector<std::string> confirming;
        for (const std::string& id : request.carer_ids()) {
          if (!IsOn(visit, id)) {
            adding.push_back(id);
          } else if (by == AssignedBy::kCoordinator && IsAutoScheduled(visit, id)) {
            confirming.push_back(id);
          }
        }
        const absl::Time now = clock_.Now();
        CarerFacts facts;
        if (absl::Status loaded = LoadCarerFacts(tenant_id, *tenant, visit, adding, facts);
            !loaded.ok()) {
          return loaded;
        }
        const AssignmentContext context{.visit = visit,
                                        .client = client->record,
                                        .zone = tenant->zone,
                                        .now = now,
                                        .settings = *settings};
        AssignmentVerdict verdict =
            AssessAssignment(context, facts.carers, request.override_preferences());
        if (!verdict.refused.empty()) {
          return verdict.refused.ToStatus("the carers cannot be assigned to this visit");
        }
        v1::AssignCarersResponse response;
        for (v1::AssignmentWarning& warning : verdict.warnings) {
          *response.add_warnings() = std::move(warning);
        }
        if (adding.empty() && confirming.empty()) {
          *response.mutable_visit() = visit;
          return response;
        }
        v1::Visit updated = visit;
        for (const std::string& id : adding) {
          updated.add_carer_ids(id);
          if (by == AssignedBy::kScheduler) updated.add_auto_scheduled_carer_ids(id);
        }
        if (!confirming.empty()) {
          updated.clear_auto_scheduled_carer_ids();
          for (const std::string& id : visit.auto_scheduled_carer_ids()) {
            if (std::find(confirming.begin(), confirming.end(), id) == confirming.end()) {
              updated.add_auto_scheduled_carer_ids(id);
            }
          }
        }
        updated.set_status(PlanningStatus(updated));
        if (updated.status() == v1::VISIT_STATUS_SCHEDULED) updated.clear_carer_removal();
        updated.set_version(visit.version() + 1);
        *updated.mutable_update_time() = TimeToProto(now);
        *response.mutable_visit() = updated;
        absl::StatusOr<SchedulingRecords::WriteOutcome> written =
            store_.WriteVisit(tenant_id, {.read = &*read,
                                          .updated = std::move(updated),
                                          .kind = v1::VisitChange::KIND_ASSIGNED,
                                          .checked = std::move(facts.checked),
                                          .request_id = request.request_id(),
                                          .request = {fingerprint, response.SerializeAsString()}});
        if (!written.ok()) return written.status();
        if (written->earlier.has_value()) {
          return EarlierResponse<v1::AssignCarersResponse>(*written->earlier, fingerprint);
        }
        return response;
      });
}

absl::StatusOr<v1::Visit> Scheduling::UnassignCarer(const std::string& tenant_id,
                                                    const std::string& actor,
                                                    const v1::UnassignCarerRequest& request) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("visit_id", request.visit_id()));
  violations.AddFrom(ValidateId("carer_id", request.carer_id()));
  violations.AddFrom(ValidateRequestId(request.request_id()));
  CheckText(violations, "note", request.note(),
            {kMaxNoteLength, /*required=*/false, TextLines::kMultiple});
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint =
      RequestFingerprint(absl::StrCat("UnassignCarer:", request.request_id()), request);
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> earlier =
        store_.ReadRequest(tenant_id, request.request_id());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) return EarlierResponse<v1::Visit>(**earlier, fingerprint);
  }
  return RetryOnConflict<v1::Visit>([&]() -> absl::StatusOr<v1::Visit> {
    absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, request.visit_id());
    if (!read.ok()) return read.status();
    const v1::Visit& visit = read->record;
    const absl::Time now = clock_.Now();
    PreconditionViolations refused;
    CheckVisitOpen(visit, now, refused);
    if (!IsOn(visit, request.carer_id())) {
      refused.Add("CARER_NOT_ON_VISIT", absl::StrCat("carers/", request.carer_id()),
                  "the carer is not on this visit");
    }
    if (!refused.empty()) return refused.ToStatus("the carer cannot be taken off this visit");
    v1::Visit updated =
        WithoutCarers(visit, {request.carer_id()}, v1::CARER_REMOVAL_REASON_UNASSIGNED,
                      request.note(), actor, now);
    absl::StatusOr<SchedulingRecords::WriteOutcome> written =
        store_.WriteVisit(tenant_id, {.read = &*read,
                                      .updated = updated,
                                      .kind = v1::VisitChange::KIND_UNASSIGNED,
                                      .request_id = request.request_id(),
                                      .request = {fingerprint, updated.SerializeAsString()}});
    if (!written.ok()) return written.status();
    if (written->earlier.has_value()) {
      return EarlierResponse<v1::Visit>(*written->earlier, fingerprint);
    }
    return updated;
  });
}

absl::StatusOr<int64_t> Scheduling::ReleaseScheduledCarers(
    const std::string& tenant_id, const std::string& visit_id, int64_t version,
    const std::vector<std::string>& carer_ids) {
  absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, visit_id);
  if (!read.ok()) return read.status();
  const v1::Visit& visit = read->record;
  if (visit.version() != version) {
    return absl::AbortedError("changed during the solve: kept as it was changed");
  }
  if (PlannedStart(visit) <= clock_.Now()) {
    return absl::FailedPreconditionError("started during the solve: kept as it is");
  }
  for (const std::string& id : carer_ids) {
    if (!IsAutoScheduled(visit, id)) {
      return absl::FailedPreconditionError(
          absl::StrCat(id, " on the visit is not the scheduler's to move"));
    }
  }
  if (carer_ids.empty()) return version;
  v1::Visit updated = WithoutCarers(visit, carer_ids, v1::CARER_REMOVAL_REASON_AUTO_SCHEDULED,
                                    absl::StrCat("AutoSchedule re-planned the visit: ",
                                                 absl::StrJoin(carer_ids, ", "), " taken off"),
                                    kScheduler, clock_.Now());
  const int64_t written_version = updated.version();
  absl::StatusOr<SchedulingRecords::WriteOutcome> written = store_.WriteVisit(
      tenant_id,
      {.read = &*read, .updated = std::move(updated), .kind = v1::VisitChange::KIND_UNASSIGNED});
  if (!written.ok()) return written.status();
  return written_version;
}

absl::Status Scheduling::ForEachVisit(const std::string& tenant_id,
                                      const SchedulingRecords::VisitIndex& index, absl::Time from,
                                      absl::Time before, int batch,
                                      const std::function<void(v1::Visit&)>& each) {
  std::string cursor;
  while (true) {
    absl::StatusOr<ScoredIdPage> page =
        store_.ListVisitIds(tenant_id, index, from, before, cursor, batch);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<v1::Visit>> visits = store_.ReadVisits(tenant_id, page->ids);
    if (!visits.ok()) return visits.status();
    for (v1::Visit& visit : *visits) each(visit);
    if (page->exhausted) return absl::OkStatus();
    cursor = page->last_cursor;
  }
}

absl::StatusOr<int> Scheduling::FollowCarerChange(const std::string& tenant_id,
                                                  const std::string& carer_id) {
  const auto since = std::chrono::steady_clock::now();
  const absl::Time now = clock_.Now();
  // The carer's visits not yet started; never the past, which is the check-in's record.
  std::vector<v1::Visit> upcoming;
  absl::Status read =
      ForEachVisit(tenant_id, {.carer_id = carer_id}, now + absl::Nanoseconds(1),
                   absl::InfiniteFuture(), kCarerVisitsBatch, [&](v1::Visit& visit) {
                     if (visit.status() != v1::VISIT_STATUS_CANCELLED && IsOn(visit, carer_id)) {
                       upcoming.push_back(std::move(visit));
                     }
                   });
  if (!read.ok()) return read;
  if (upcoming.empty()) return 0;
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  absl::Time last_end = now;
  for (const v1::Visit& visit : upcoming) last_end = std::max(last_end, PlannedEnd(visit));
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> details =
      tenants_.GetCarers(tenant_id, {.carer_ids = {carer_id},
                                     .with_availability = true,
                                     .absences_from = now,
                                     .absences_until = last_end});
  if (!details.ok()) return details.status();
  auto found = details->find(carer_id);
  const roster::v1::CarerDetails* carer = found == details->end() ? nullptr : &found->second;
  int taken_off = 0;
  std::map<absl::CivilDay, std::vector<std::string>> to_repair;  // today's and tomorrow's
  const absl::CivilDay today = LocalDay(now, tenant->zone);
  for (const v1::Visit& visit : upcoming) {
    if (!RosterRemovalReason(visit, carer, tenant->zone).has_value()) continue;
    // Written only if the visit is as read: a race with a coordinator, or with another
    // replica following the same change, is read again and decided again.
    absl::StatusOr<bool> removed = RetryOnConflict<bool>([&]() -> absl::StatusOr<bool> {
      absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, visit.visit_id());
      if (absl::IsNotFound(read.status())) return false;
      if (!read.ok()) return read.status();
      const v1::Visit& current = read->record;
      const absl::Time at = clock_.Now();
      if (current.status() == v1::VISIT_STATUS_CANCELLED || !IsOn(current, carer_id) ||
          PlannedStart(current) <= at) {
        return false;
      }
      std::optional<v1::CarerRemovalReason> reason =
          RosterRemovalReason(current, carer, tenant->zone);
      if (!reason.has_value()) return false;
      v1::Visit updated =
          WithoutCarers(current, {carer_id}, *reason, RemovalNote(*reason), kRosterFollower, at);
      absl::StatusOr<SchedulingRecords::WriteOutcome> written =
          store_.WriteVisit(tenant_id, {.read = &*read,
                                        .updated = std::move(updated),
                                        .kind = v1::VisitChange::KIND_UNASSIGNED});
      if (!written.ok()) return written.status();
      return true;
    });
    if (!removed.ok()) return removed.status();
    if (!*removed) continue;
    ++taken_off;
    const absl::CivilDay day = LocalDate(visit);
    if (day == today || day == today + 1) to_repair[day].push_back(visit.visit_id());
  }
  for (auto& [day, visit_ids] : to_repair) {
    // The carer is off either way; a repair that fails (or is not made because the server is
    // stopping) leaves the visits needing a carer, as they are on the board, for a coordinator.
    repairs_.Submit([this, tenant_id, tenant = *tenant, day = day, carer_id,
                     visit_ids = std::move(visit_ids), since] {
      absl::Status proposed = ProposeRepair(tenant_id, tenant, day, carer_id, visit_ids, since);
      if (!proposed.ok()) {
        LogWarning("no repair proposed for ", absl::FormatCivilTime(day), " of ", tenant_id, ": ",
                   proposed.message());
      }
    });
  }
  return taken_off;
}

absl::StatusOr<v1::Rota> Scheduling::GetRota(const std::string& tenant_id,
                                             const v1::GetRotaRequest& request,
                                             const std::string& only_carer) {
  if (!only_carer.empty() && !request.carer_id().empty() && request.carer_id() != only_carer) {
    return absl::PermissionDeniedError("a carer sees only their own rota");
  }
  const std::string carer_id = only_carer.empty() ? request.carer_id() : only_carer;
  FieldViolations violations;
  violations.AddFrom(ValidateId("carer_id", carer_id));
  absl::StatusOr<absl::CivilDay> first = DateFromProto(request.start_date(), "start_date");
  absl::StatusOr<absl::CivilDay> last = DateFromProto(request.end_date(), "end_date");
  violations.AddFrom(first.status());
  violations.AddFrom(last.status());
  if (first.ok() && last.ok()) {
    if (*last < *first) {
      violations.Add("end_date", "must not be before start_date");
    } else if (*last - *first >= kMaxRotaDays) {
      violations.Add("end_date", absl::StrCat("at most ", kMaxRotaDays, " days from start_date"));
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();

  // Visits dated in the range start at most a day after their date.
  std::vector<v1::Visit> visits;
  absl::Status read =
      ForEachVisit(tenant_id, {.carer_id = carer_id}, DayStart(*first, tenant->zone),
                   DayStart(*last + 2, tenant->zone), kCarerVisitsBatch, [&](v1::Visit& visit) {
                     const absl::CivilDay day = LocalDate(visit);
                     if (visit.status() != v1::VISIT_STATUS_CANCELLED && IsOn(visit, carer_id) &&
                         day >= *first && day <= *last) {
                       visits.push_back(std::move(visit));
                     }
                   });
  if (!read.ok()) return read;

  std::vector<std::string> carer_ids = {carer_id};
  std::set<std::string> client_ids;
  for (const v1::Visit& visit : visits) {
    carer_ids.insert(carer_ids.end(), visit.carer_ids().begin(), visit.carer_ids().end());
    client_ids.insert(visit.client_id());
  }
  absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> carers =
      tenants_.GetCarers(tenant_id, {.carer_ids = carer_ids});
  if (!carers.ok()) return carers.status();
  auto self = carers->find(carer_id);
  if (self == carers->end())
    return absl::NotFoundError(absl::StrCat("carer ", carer_id, " not found"));
  const roster::v1::Carer& carer = self->second.carer();
  absl::StatusOr<std::vector<v1::Client>> clients =
      store_.ReadClients(tenant_id, {client_ids.begin(), client_ids.end()});
  if (!clients.ok()) return clients.status();
  std::map<std::string, const v1::Client*> client_of;
  for (const v1::Client& client : *clients) client_of[client.client_id()] = &client;
  absl::StatusOr<v1::SchedulingSettings> settings = SettingsInForce(tenant_id);
  if (!settings.ok()) return settings.status();

  std::map<absl::CivilDay, std::vector<const v1::Visit*>> by_day;
  for (const v1::Visit& visit : visits) by_day[LocalDate(visit)].push_back(&visit);
  v1::Rota rota;
  rota.set_carer_id(carer_id);
  rota.set_carer_display_name(carer.display_name());
  for (auto& [date, of_day] : by_day) {
    const CarerDay day = PlanCarerDay(std::move(of_day), carer, *settings);
    v1::RotaDay& figures = *rota.add_days();
    *figures.mutable_date() = DateToProto(date);
    figures.set_visits(static_cast<int>(day.legs.size()));
    figures.set_visit_minutes(day.visit_minutes);
    figures.set_travel_minutes(day.travel_minutes);
    figures.set_home_travel_minutes(day.home_travel_minutes);
    rota.set_visit_minutes(rota.visit_minutes() + day.visit_minutes);
    rota.set_travel_minutes(rota.travel_minutes() + day.travel_minutes);
    rota.set_home_travel_minutes(rota.home_travel_minutes() + day.home_travel_minutes);
    for (const DayLeg& leg : day.legs) {
      v1::RotaEntry& entry = *rota.add_entries();
      *entry.mutable_visit() = *leg.visit;
      entry.set_travel_minutes_before(leg.travel_minutes_before);
      entry.set_travel_from_home(leg.from_home);
      entry.set_travel_meters_before(leg.travel_meters_before);
      if (auto client = client_of.find(leg.visit->client_id()); client != client_of.end()) {
        entry.set_client_display_name(client->second->display_name());
        entry.set_address_line(client->second->address_line());
        entry.set_access_notes(client->second->access_notes());
      }
      for (const std::string& other : leg.visit->carer_ids()) {
        if (other == carer_id) continue;
        v1::RotaCarer& named = *entry.add_other_carers();
        named.set_carer_id(other);
        if (auto found = carers->find(other); found != carers->end()) {
          named.set_display_name(found->second.carer().display_name());
        }
      }
    }
  }
  return rota;
}

absl::StatusOr<v1::SchedulingSettings> Scheduling::GetSettings(const std::string& tenant_id) {
  return SettingsInForce(tenant_id);
}

absl::StatusOr<v1::SchedulingSettings> Scheduling::UpdateSettings(
    const std::string& tenant_id, const v1::UpdateSchedulingSettingsRequest& request) {
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), SettingsUpdatePaths());
  if (!paths.ok()) return paths.status();
  return RetryOnConflict<v1::SchedulingSettings>([&]() -> absl::StatusOr<v1::SchedulingSettings> {
    absl::StatusOr<Snapshot<v1::SchedulingSettings>> read = store_.ReadSettings(tenant_id);
    if (!read.ok()) return read.status();
    if (absl::Status version =
            CheckExpectedVersion(request.expected_version(), read->record.version(),
                                 "the scheduling settings", kSchedulingErrorDomain);
        !version.ok()) {
      return version;
    }
    absl::StatusOr<v1::SchedulingSettings> updated =
        ApplySettingsUpdate(read->record, request.settings(), *paths, clock_.Now());
    if (!updated.ok()) return updated.status();
    if (absl::Status written = store_.WriteSettings(tenant_id, *read, *updated); !written.ok()) {
      return written;
    }
    return EffectiveSettings(*updated);
  });
}

}  // namespace homecare::scheduling
