#include "services/scheduling/visit_rules.h"

#include <algorithm>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/api/request.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/scheduling/care_plan_rules.h"
#include "services/scheduling/client_rules.h"

namespace homecare::scheduling {
namespace {

constexpr size_t kMaxNoteLength = 2000;
constexpr size_t kMaxNameLength = 200;
constexpr absl::Duration kMaxOneOffWindow = absl::Hours(24);
// A request time a little ahead of ours is a phone's clock; far ahead is a mistake.
constexpr absl::Duration kClockSkewAllowance = absl::Minutes(5);

absl::Time PlannedEnd(const v1::Visit& visit) {
  return StoredTime(visit.planned_start()) + absl::Minutes(visit.duration_minutes());
}

bool OnDay(const v1::VisitPattern& pattern, common::v1::DayOfWeek day) {
  return std::find(pattern.days().begin(), pattern.days().end(), day) != pattern.days().end();
}

v1::Visit VisitFromPattern(const std::string& tenant_id, const v1::Client& client,
                           const v1::CarePlan& plan, const v1::VisitPattern& pattern,
                           const LocalRange& window, absl::CivilDay day, absl::TimeZone zone,
                           absl::Time now) {
  v1::Visit visit;
  visit.set_visit_id(GeneratedVisitId(tenant_id, plan.care_plan_id(), pattern.pattern_id(), day));
  visit.set_client_id(client.client_id());
  visit.set_care_plan_id(plan.care_plan_id());
  *visit.mutable_window_start() = TimeToProto(window.StartOn(day, zone));
  *visit.mutable_window_end() = TimeToProto(window.EndOn(day, zone));
  *visit.mutable_planned_start() = visit.window_start();
  visit.set_duration_minutes(pattern.duration_minutes());
  visit.set_carers_required(pattern.carers_required());
  *visit.mutable_required_skills() = pattern.required_skills();
  visit.set_status(v1::VISIT_STATUS_NEEDS_CARER);
  *visit.mutable_location() = client.location();
  visit.set_time_critical(pattern.time_critical());
  *visit.mutable_tasks() = pattern.tasks();
  visit.set_locality_id(client.locality_id());
  *visit.mutable_local_date() = DateToProto(day);
  visit.set_pattern_id(pattern.pattern_id());
  visit.set_care_plan_version(plan.version());
  *visit.mutable_create_time() = TimeToProto(now);
  *visit.mutable_update_time() = TimeToProto(now);
  visit.set_version(1);
  return visit;
}

v1::Visit Withdrawn(const v1::Visit& visit, const v1::Client& client, absl::Time now) {
  v1::Visit withdrawn = visit;
  v1::Cancellation& cancellation = *withdrawn.mutable_cancellation();
  absl::StatusOr<absl::CivilDay> day = DateFromProto(visit.local_date(), "local_date");
  std::optional<NoVisitsDue> suspended =
      day.ok() ? NoVisitsDueOn(client, *day) : std::optional<NoVisitsDue>();
  if (suspended.has_value()) {
    cancellation.set_reason(suspended->reason);
    cancellation.set_requested_by("client status");
    cancellation.set_note(suspended->note);
  } else {
    cancellation.set_reason(v1::CANCELLATION_REASON_CARE_PLAN_CHANGED);
    cancellation.set_requested_by("care plan");
    cancellation.set_note("the care plan version in force no longer has this visit");
  }
  *cancellation.mutable_request_time() = TimeToProto(now);
  cancellation.set_notice_minutes(
      std::max<int64_t>(0, absl::ToInt64Minutes(StoredTime(visit.planned_start()) - now)));
  cancellation.set_cancelled_by(std::string(kReconciliationActor));
  withdrawn.set_status(v1::VISIT_STATUS_CANCELLED);
  withdrawn.set_version(visit.version() + 1);
  *withdrawn.mutable_update_time() = TimeToProto(now);
  return withdrawn;
}

// The window, planned start and content rules of a visit, naming fields under "visit.".
void CheckVisit(FieldViolations& violations, const v1::Visit& visit) {
  absl::StatusOr<absl::Time> start = TimeFromProto(visit.window_start(), "visit.window_start");
  absl::StatusOr<absl::Time> end = TimeFromProto(visit.window_end(), "visit.window_end");
  absl::StatusOr<absl::Time> planned = TimeFromProto(visit.planned_start(), "visit.planned_start");
  if (!visit.has_window_start()) {
    violations.Add("visit.window_start", "must be set");
  } else {
    violations.AddFrom(start.status());
  }
  if (!visit.has_window_end()) {
    violations.Add("visit.window_end", "must be set");
  } else {
    violations.AddFrom(end.status());
  }
  violations.AddFrom(planned.status());
  if (visit.has_window_start() && visit.has_window_end() && start.ok() && end.ok()) {
    if (*end < *start) {
      violations.Add("visit.window_end", "must not be before window_start");
    } else if (*end - *start > kMaxOneOffWindow) {
      violations.Add("visit.window_end", "must be at most 24 hours after window_start");
    } else if (planned.ok() && (*planned < *start || *planned > *end)) {
      violations.Add("visit.planned_start", "must lie within the window");
    }
  }
  CheckVisitContent(violations, "visit", visit.duration_minutes(), visit.carers_required(),
                    visit.required_skills(), visit.tasks());
}

}  // namespace

std::string GeneratedVisitId(const std::string& tenant_id, const std::string& care_plan_id,
                             const std::string& pattern_id, absl::CivilDay day) {
  return DeterministicId("vis", {tenant_id, care_plan_id, pattern_id, absl::FormatCivilTime(day)});
}

DueVisits VisitsDue(const std::string& tenant_id, const v1::Client& client,
                    const std::vector<std::vector<v1::CarePlan>>& plans, absl::CivilDay first,
                    absl::CivilDay last, absl::TimeZone zone, absl::Time now) {
  DueVisits due;
  for (absl::CivilDay day = first; day <= last; ++day) {
    std::vector<const v1::CarePlan*> in_force;
    for (const std::vector<v1::CarePlan>& versions : plans) {
      if (const v1::CarePlan* version = VersionInForce(versions, day)) in_force.push_back(version);
    }
    if (in_force.empty()) continue;
    if (NoVisitsDueOn(client, day).has_value()) {
      ++due.days_suspended;
      continue;
    }
    const common::v1::DayOfWeek weekday = DayOfWeekOf(day);
    for (const v1::CarePlan* plan : in_force) {
      for (const v1::VisitPattern& pattern : plan->patterns()) {
        if (!OnDay(pattern, weekday)) continue;
        absl::StatusOr<LocalRange> window = LocalRangeFromProto(pattern.start_window(), "");
        if (!window.ok()) continue;  // validated when the plan was made
        due.visits.push_back(
            VisitFromPattern(tenant_id, client, *plan, pattern, *window, day, zone, now));
      }
    }
  }
  return due;
}

VisitReconciliation ReconcileVisits(const DueVisits& due, const std::vector<v1::Visit>& existing,
                                    const v1::Client& client, absl::Time now) {
  std::map<std::string, const v1::Visit*> made;
  for (const v1::Visit& visit : existing) made[visit.visit_id()] = &visit;
  std::set<std::string> due_ids;
  VisitReconciliation result;
  for (const v1::Visit& visit : due.visits) {
    due_ids.insert(visit.visit_id());
    auto found = made.find(visit.visit_id());
    if (found == made.end()) {
      result.to_create.push_back(visit);
      continue;
    }
    const v1::Visit& stored = *found->second;
    const bool cancelled = stored.status() == v1::VISIT_STATUS_CANCELLED;
    // A visit this reconciliation withdrew (a suspension since shortened, a plan change since
    // undone) is due again; one a person cancelled stays cancelled.
    const bool withdrawn =
        cancelled && stored.cancellation().cancelled_by() == kReconciliationActor;
    if (StoredTime(stored.planned_start()) <= now || (cancelled && !withdrawn) ||
        (!cancelled && stored.care_plan_version() == visit.care_plan_version())) {
      ++result.already_present;
      continue;
    }
    v1::Visit replanned = visit;
    // The carers stay when nothing they were checked against moved; otherwise (and for a
    // withdrawn visit, whose carers were freed meanwhile) they come off and the visit needs
    // carers again.
    const bool same_needs =
        !cancelled && StoredTime(stored.planned_start()) == StoredTime(visit.planned_start()) &&
        stored.duration_minutes() == visit.duration_minutes() &&
        std::set<std::string>(stored.required_skills().begin(), stored.required_skills().end()) ==
            std::set<std::string>(visit.required_skills().begin(), visit.required_skills().end()) &&
        stored.carer_ids_size() <= visit.carers_required();
    if (same_needs) {
      *replanned.mutable_carer_ids() = stored.carer_ids();
      *replanned.mutable_auto_scheduled_carer_ids() = stored.auto_scheduled_carer_ids();
      if (stored.has_carer_removal()) *replanned.mutable_carer_removal() = stored.carer_removal();
    } else if (!stored.carer_ids().empty()) {
      v1::CarerRemoval& removal = *replanned.mutable_carer_removal();
      removal.set_carer_id(stored.carer_ids(0));
      removal.set_reason(v1::CARER_REMOVAL_REASON_VISIT_REPLANNED);
      removal.set_note(absl::StrCat("re-planned from care plan version ", visit.care_plan_version(),
                                    ": ", absl::StrJoin(stored.carer_ids(), ", "), " taken off"));
      *removal.mutable_remove_time() = TimeToProto(now);
      removal.set_removed_by(std::string(kReconciliationActor));
    }
    replanned.set_status(PlanningStatus(replanned));
    *replanned.mutable_create_time() = stored.create_time();
    replanned.set_version(stored.version() + 1);
    result.to_replan.push_back(std::move(replanned));
  }
  for (const v1::Visit& stored : existing) {
    if (due_ids.count(stored.visit_id()) > 0 || stored.pattern_id().empty() ||
        stored.status() == v1::VISIT_STATUS_CANCELLED ||
        StoredTime(stored.planned_start()) <= now) {
      continue;
    }
    result.to_withdraw.push_back(Withdrawn(stored, client, now));
  }
  return result;
}

absl::StatusOr<v1::Visit> NewOneOffVisit(const v1::Visit& requested, const v1::Client& client,
                                         const std::string& visit_id, absl::TimeZone zone,
                                         absl::Time now) {
  if (client.status() == v1::CLIENT_STATUS_ENDED) {
    PreconditionViolations violations;
    violations.Add("CLIENT_ENDED", absl::StrCat("clients/", client.client_id()),
                   "the client's care has ended");
    return violations.ToStatus("no visit can be added for this client");
  }
  v1::Visit visit;
  visit.set_visit_id(visit_id);
  visit.set_client_id(client.client_id());
  // Copied only when set: a copy of an unset field would be present at 1970 and then be
  // reported as a fault of another field instead of as missing.
  if (requested.has_window_start()) *visit.mutable_window_start() = requested.window_start();
  if (requested.has_window_end()) *visit.mutable_window_end() = requested.window_end();
  if (requested.has_planned_start() || requested.has_window_start()) {
    *visit.mutable_planned_start() =
        requested.has_planned_start() ? requested.planned_start() : requested.window_start();
  }
  visit.set_duration_minutes(requested.duration_minutes());
  visit.set_carers_required(requested.carers_required() == 0 ? 1 : requested.carers_required());
  *visit.mutable_required_skills() = requested.required_skills();
  *visit.mutable_tasks() = requested.tasks();
  GiveTaskIds(*visit.mutable_tasks());
  visit.set_time_critical(requested.time_critical());
  visit.set_urgent(requested.urgent());
  FieldViolations violations;
  CheckVisit(violations, visit);
  if (violations.empty() && StoredTime(visit.window_end()) <= now) {
    violations.Add("visit.window_end", "must be in the future: a visit is planned ahead");
  }
  if (!violations.empty()) return violations.ToStatus();
  visit.set_status(v1::VISIT_STATUS_NEEDS_CARER);
  *visit.mutable_location() = client.location();
  visit.set_locality_id(client.locality_id());
  *visit.mutable_local_date() = DateToProto(LocalDay(StoredTime(visit.window_start()), zone));
  *visit.mutable_create_time() = TimeToProto(now);
  *visit.mutable_update_time() = TimeToProto(now);
  visit.set_version(1);
  return visit;
}

std::string CreateVisitFingerprint(const v1::CreateVisitRequest& request) {
  v1::Visit asked = request.visit();
  asked.clear_visit_id();
  asked.clear_create_time();
  asked.clear_update_time();
  asked.clear_version();
  asked.clear_status();
  return RequestFingerprint(request.request_id(), asked);
}

const std::vector<std::string>& VisitUpdatePaths() {
  static const auto* const kPaths = new std::vector<std::string>{
      "planned_start", "window_start",    "window_end",    "duration_minutes",
      "tasks",         "required_skills", "time_critical", "urgent"};
  return *kPaths;
}

absl::StatusOr<v1::Visit> ApplyVisitUpdate(const v1::Visit& stored, const v1::Visit& changes,
                                           const std::vector<std::string>& paths,
                                           absl::TimeZone zone, absl::Time now) {
  PreconditionViolations refused;
  const std::string subject = absl::StrCat("visits/", stored.visit_id());
  if (stored.status() == v1::VISIT_STATUS_CANCELLED) {
    refused.Add("VISIT_CANCELLED", subject, "a cancelled visit does not change");
  } else if (PlannedEnd(stored) <= now) {
    refused.Add("VISIT_ENDED", subject,
                "the visit's planned end has passed: what was delivered is the check-in "
                "service's record");
  }
  if (!refused.empty()) return refused.ToStatus("the visit cannot be changed");
  v1::Visit visit = stored;
  ApplyUpdatePaths(changes, paths, visit);
  const bool moves_window = std::find(paths.begin(), paths.end(), "window_start") != paths.end() ||
                            std::find(paths.begin(), paths.end(), "window_end") != paths.end();
  const bool sets_planned = std::find(paths.begin(), paths.end(), "planned_start") != paths.end();
  if (moves_window && !sets_planned) {
    // The window moved and the planned start was not named: keep it if it still fits.
    absl::Time planned = StoredTime(visit.planned_start());
    if (planned < StoredTime(visit.window_start()) || planned > StoredTime(visit.window_end())) {
      *visit.mutable_planned_start() = visit.window_start();
    }
  }
  GiveTaskIds(*visit.mutable_tasks());
  FieldViolations violations;
  CheckVisit(violations, visit);
  if (!violations.empty()) return violations.ToStatus();
  *visit.mutable_local_date() = DateToProto(LocalDay(StoredTime(visit.window_start()), zone));
  visit.set_status(PlanningStatus(visit));
  visit.set_version(stored.version() + 1);
  *visit.mutable_update_time() = TimeToProto(now);
  return visit;
}

bool AlreadyCancelledSo(const v1::Visit& stored, const v1::Cancellation& cancellation) {
  return stored.status() == v1::VISIT_STATUS_CANCELLED &&
         stored.cancellation().reason() == cancellation.reason() &&
         stored.cancellation().requested_by() == cancellation.requested_by();
}

absl::StatusOr<v1::Visit> CancelledVisit(const v1::Visit& stored,
                                         const v1::Cancellation& cancellation,
                                         const std::string& actor, absl::Time now) {
  FieldViolations violations;
  if (cancellation.reason() == v1::CANCELLATION_REASON_UNSPECIFIED ||
      !v1::CancellationReason_IsValid(cancellation.reason())) {
    violations.Add("cancellation.reason", "must say why (CANCELLATION_REASON_...)");
  }
  // Who asked: the client, a family member, a hospital ward.
  CheckText(violations, "cancellation.requested_by", cancellation.requested_by(),
            {kMaxNameLength, /*required=*/true});
  CheckText(violations, "cancellation.note", cancellation.note(),
            {kMaxNoteLength, /*required=*/false, TextLines::kMultiple});
  absl::Time requested = now;
  if (cancellation.has_request_time()) {
    absl::StatusOr<absl::Time> time =
        TimeFromProto(cancellation.request_time(), "cancellation.request_time");
    if (!time.ok()) {
      violations.AddFrom(time.status());
    } else if (*time > now + kClockSkewAllowance) {
      violations.Add("cancellation.request_time", "must not be in the future");
    } else {
      requested = *time;
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  if (AlreadyCancelledSo(stored, cancellation)) return stored;
  PreconditionViolations refused;
  const std::string subject = absl::StrCat("visits/", stored.visit_id());
  if (stored.status() == v1::VISIT_STATUS_CANCELLED) {
    refused.Add("ALREADY_CANCELLED", subject,
                absl::StrCat("already cancelled (",
                             v1::CancellationReason_Name(stored.cancellation().reason()),
                             ", asked by ", stored.cancellation().requested_by(), ")"));
  } else if (PlannedEnd(stored) <= now) {
    refused.Add("VISIT_ENDED", subject,
                "the visit's planned end has passed: a visit that did not happen is recorded "
                "by the check-in service as missed or refused");
  }
  if (!refused.empty()) return refused.ToStatus("the visit cannot be cancelled");
  v1::Visit visit = stored;
  v1::Cancellation& recorded = *visit.mutable_cancellation();
  recorded = cancellation;
  *recorded.mutable_request_time() = TimeToProto(requested);
  recorded.set_notice_minutes(
      std::max<int64_t>(0, absl::ToInt64Minutes(StoredTime(stored.planned_start()) - requested)));
  recorded.set_cancelled_by(actor);
  visit.set_status(v1::VISIT_STATUS_CANCELLED);
  visit.set_version(stored.version() + 1);
  *visit.mutable_update_time() = TimeToProto(now);
  return visit;
}

v1::VisitStatus PlanningStatus(const v1::Visit& visit) {
  if (visit.status() == v1::VISIT_STATUS_CANCELLED) return v1::VISIT_STATUS_CANCELLED;
  return visit.carer_ids_size() >= visit.carers_required() ? v1::VISIT_STATUS_SCHEDULED
                                                           : v1::VISIT_STATUS_NEEDS_CARER;
}

std::string VisitFilter::QueryKey() const {
  return absl::StrCat("visits?client=", client_id, "&locality=", locality_id,
                      "&status=", static_cast<int>(status), "&carer=", carer_id,
                      "&urgent=", urgent_only ? 1 : 0);
}

bool VisitFilter::Matches(const v1::Visit& visit) const {
  if (!client_id.empty() && visit.client_id() != client_id) return false;
  if (!locality_id.empty() && visit.locality_id() != locality_id) return false;
  if (status != v1::VISIT_STATUS_UNSPECIFIED && visit.status() != status) return false;
  if (urgent_only && !visit.urgent()) return false;
  if (!carer_id.empty() && std::find(visit.carer_ids().begin(), visit.carer_ids().end(),
                                     carer_id) == visit.carer_ids().end()) {
    return false;
  }
  return true;
}

v1::VisitChange VisitChangeOf(const std::string& tenant_id, const v1::Visit* before,
                              const v1::Visit& after, v1::VisitChange::Kind kind) {
  v1::VisitChange change;
  change.set_tenant_id(tenant_id);
  change.set_kind(kind);
  *change.mutable_visit() = after;
  *change.mutable_change_time() =
      after.has_update_time() ? after.update_time() : after.create_time();
  if (before != nullptr) *change.mutable_previous_carer_ids() = before->carer_ids();
  return change;
}

absl::Time DayStart(absl::CivilDay day, absl::TimeZone zone) {
  return LocalToInstant(absl::CivilSecond(day), zone);
}

absl::CivilDay LocalDate(const v1::Visit& visit) {
  absl::StatusOr<absl::CivilDay> day = DateFromProto(visit.local_date(), "local_date");
  return day.ok() ? *day : absl::CivilDay();
}

}  // namespace homecare::scheduling
