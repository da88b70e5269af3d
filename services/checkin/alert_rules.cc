#include "services/checkin/alert_rules.h"

#include <algorithm>
#include <set>

#include "absl/strings/str_join.h"
#include "common/ids/ids.h"
#include "common/time/time.h"
#include "services/checkin/policy_rules.h"

namespace homecare::checkin {
namespace {

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

// A slot's arrival and departure as the record stands: a coordinator's correction over what
// was recorded.
std::optional<absl::Time> In(const v1::CarerSlot& slot) {
  if (slot.has_adjusted_check_in_time()) return StoredTime(slot.adjusted_check_in_time());
  if (slot.has_check_in_time()) return StoredTime(slot.check_in_time());
  return std::nullopt;
}

std::optional<absl::Time> Out(const v1::CarerSlot& slot) {
  if (slot.has_adjusted_check_out_time()) return StoredTime(slot.adjusted_check_out_time());
  if (slot.has_check_out_time()) return StoredTime(slot.check_out_time());
  return std::nullopt;
}

bool InBy(const v1::CarerSlot& slot, absl::Time by) {
  std::optional<absl::Time> in = In(slot);
  return in.has_value() && *in <= by;
}

bool OutBy(const v1::CarerSlot& slot, absl::Time by) {
  std::optional<absl::Time> out = Out(slot);
  return out.has_value() && *out <= by;
}

const v1::CarerSlot* SlotOf(const v1::VisitRecord& record, const std::string& carer_id) {
  for (const v1::CarerSlot& slot : record.slots()) {
    if (slot.carer_id() == carer_id) return &slot;
  }
  return nullptr;
}

absl::Time PlannedEnd(const v1::VisitView& view) {
  return StoredTime(view.planned_start()) + absl::Minutes(view.duration_minutes());
}

v1::Alert NewAlert(v1::AlertKind kind, absl::Time due, const v1::VisitView& view,
                   std::vector<std::string> carer_ids, absl::Time now) {
  std::sort(carer_ids.begin(), carer_ids.end());
  const std::string carers = absl::StrJoin(carer_ids, ",");
  v1::Alert alert;
  alert.set_alert_id(DeterministicId("alt", {view.visit_id(), v1::AlertKind_Name(kind), carers}));
  alert.set_visit_id(view.visit_id());
  alert.set_kind(kind);
  alert.set_state(v1::ALERT_STATE_OPEN);
  *alert.mutable_raise_time() = TimeToProto(now);
  for (std::string& carer : carer_ids) alert.add_carer_ids(std::move(carer));
  alert.set_client_id(view.client_id());
  alert.set_locality_id(view.locality_id());
  *alert.mutable_due_time() = TimeToProto(due);
  *alert.mutable_planned_start() = view.planned_start();
  *alert.mutable_service_date() = view.local_date();
  alert.set_time_critical(view.time_critical());
  alert.set_version(1);
  *alert.mutable_update_time() = TimeToProto(now);
  return alert;
}

std::vector<std::string> OnVisit(const v1::VisitView& view) {
  return {view.carer_ids().begin(), view.carer_ids().end()};
}

// The first check-in (or check-out) at or before `by`, as evidence.
std::string EvidenceIn(const v1::VisitRecord& record, absl::Time by) {
  std::optional<absl::Time> first;
  std::string event_id;
  for (const v1::CarerSlot& slot : record.slots()) {
    std::optional<absl::Time> in = In(slot);
    if (in.has_value() && *in <= by && (!first.has_value() || *in < *first)) {
      first = in;
      event_id = slot.check_in_event_id();
    }
  }
  return event_id;
}

}  // namespace

absl::string_view DueRuleName(DueRule rule) {
  switch (rule) {
    case DueRule::kStart:
      return "start";
    case DueRule::kLate:
      return "late";
    case DueRule::kMissed:
      return "missed";
    case DueRule::kOverdue:
      return "overdue";
  }
  return "";
}

std::optional<DueRule> DueRuleNamed(absl::string_view name) {
  for (DueRule rule : {DueRule::kStart, DueRule::kLate, DueRule::kMissed, DueRule::kOverdue}) {
    if (DueRuleName(rule) == name) return rule;
  }
  return std::nullopt;
}

std::vector<DueCheck> DueChecks(const v1::VisitView& view, const v1::CheckInPolicy& policy) {
  if (view.cancelled() || !view.has_planned_start()) return {};
  const v1::AlertThresholds& thresholds = ThresholdsFor(policy, view.time_critical());
  const absl::Time start = StoredTime(view.planned_start());
  absl::Time missed = start + ToDuration(thresholds.missed_after());
  if (view.has_window_end()) missed = std::max(missed, StoredTime(view.window_end()));
  std::vector<DueCheck> checks = {
      {DueRule::kStart, start},
      {DueRule::kLate, start + ToDuration(thresholds.late_after())},
      {DueRule::kMissed, missed},
      {DueRule::kOverdue, PlannedEnd(view) + ToDuration(thresholds.overdue_check_out_after())}};
  std::stable_sort(checks.begin(), checks.end(),
                   [](const DueCheck& a, const DueCheck& b) { return a.at < b.at; });
  return checks;
}

std::vector<v1::Alert> AlertsDue(DueRule rule, absl::Time due, const v1::VisitView& view,
                                 const v1::VisitRecord& record, absl::Time now) {
  if (view.cancelled()) return {};
  const bool anyone_in = std::any_of(record.slots().begin(), record.slots().end(),
                                     [&](const v1::CarerSlot& slot) { return InBy(slot, due); });
  std::vector<v1::Alert> alerts;
  switch (rule) {
    case DueRule::kStart:
      break;
    case DueRule::kLate:
    case DueRule::kMissed: {
      if (!anyone_in) {
        alerts.push_back(
            NewAlert(rule == DueRule::kLate ? v1::ALERT_KIND_LATE : v1::ALERT_KIND_MISSED, due,
                     view, OnVisit(view), now));
        break;
      }
      if (rule != DueRule::kLate || view.carers_required() < 2) break;
      // A double-up with some of its carers in: those on it who are not.
      int in = 0;
      for (const v1::CarerSlot& slot : record.slots()) in += InBy(slot, due) ? 1 : 0;
      if (in >= view.carers_required()) break;
      std::vector<std::string> missing;
      for (const std::string& carer : view.carer_ids()) {
        const v1::CarerSlot* slot = SlotOf(record, carer);
        if (slot == nullptr || !InBy(*slot, due)) missing.push_back(carer);
      }
      alerts.push_back(NewAlert(v1::ALERT_KIND_CARER_MISSING, due, view, std::move(missing), now));
      break;
    }
    case DueRule::kOverdue: {
      std::vector<std::string> still_in;
      for (const v1::CarerSlot& slot : record.slots()) {
        if (InBy(slot, due) && !OutBy(slot, due)) still_in.push_back(slot.carer_id());
      }
      if (!still_in.empty()) {
        alerts.push_back(
            NewAlert(v1::ALERT_KIND_OVERDUE_CHECK_OUT, due, view, std::move(still_in), now));
      }
      break;
    }
  }
  return alerts;
}

std::optional<v1::Alert> ShortVisitAlert(const v1::VisitView& view, const v1::VisitRecord& record,
                                         absl::Time now) {
  if (view.cancelled() || record.state() != v1::DELIVERY_STATE_SHORT) return std::nullopt;
  std::vector<std::string> carers;
  for (const v1::CarerSlot& slot : record.slots()) {
    if (In(slot).has_value()) carers.push_back(slot.carer_id());
  }
  return NewAlert(v1::ALERT_KIND_SHORT_VISIT, StoredTime(record.end_time()), view,
                  std::move(carers), now);
}

std::optional<Settlement> SettlementOf(const v1::Alert& alert, const v1::VisitView& view,
                                       const v1::VisitRecord& record) {
  if (alert.state() == v1::ALERT_STATE_RESOLVED) return std::nullopt;
  if (view.cancelled()) return Settlement{v1::ALERT_RESOLUTION_VISIT_CANCELLED, ""};
  const absl::Time due = StoredTime(alert.due_time());
  const std::set<std::string> now_on(view.carer_ids().begin(), view.carer_ids().end());
  const std::set<std::string> about(alert.carer_ids().begin(), alert.carer_ids().end());
  switch (alert.kind()) {
    case v1::ALERT_KIND_LATE:
    case v1::ALERT_KIND_MISSED: {
      std::string evidence = EvidenceIn(record, due);
      if (!evidence.empty()) return Settlement{v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED, evidence};
      // Whoever was expected is no longer: the coordinator has acted.
      if (about != now_on) return Settlement{v1::ALERT_RESOLUTION_VISIT_REASSIGNED, ""};
      break;
    }
    case v1::ALERT_KIND_CARER_MISSING: {
      bool all_in = true;
      std::string evidence;
      for (const std::string& carer : alert.carer_ids()) {
        const v1::CarerSlot* slot = SlotOf(record, carer);
        if (slot == nullptr || !InBy(*slot, due)) {
          all_in = false;
          break;
        }
        evidence = slot->check_in_event_id();
      }
      if (all_in) return Settlement{v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED, evidence};
      if (std::none_of(about.begin(), about.end(),
                       [&](const std::string& carer) { return now_on.contains(carer); })) {
        return Settlement{v1::ALERT_RESOLUTION_VISIT_REASSIGNED, ""};
      }
      break;
    }
    case v1::ALERT_KIND_OVERDUE_CHECK_OUT: {
      bool all_out = true;
      std::string evidence;
      for (const std::string& carer : alert.carer_ids()) {
        const v1::CarerSlot* slot = SlotOf(record, carer);
        if (slot == nullptr || !OutBy(*slot, due)) {
          all_out = false;
          break;
        }
        evidence = slot->check_out_event_id();
      }
      if (all_out) return Settlement{v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED, evidence};
      break;
    }
    case v1::ALERT_KIND_SHORT_VISIT:
      if (record.state() != v1::DELIVERY_STATE_SHORT) {
        // Later events lengthened it, or a coordinator corrected the record.
        return Settlement{record.recorded_state() == v1::DELIVERY_STATE_SHORT
                              ? v1::ALERT_RESOLUTION_RECORD_CORRECTED
                              : v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED,
                          ""};
      }
      break;
    default:
      break;
  }
  return std::nullopt;
}

v1::Alert Settled(const v1::Alert& alert, const Settlement& settlement, absl::Time now) {
  v1::Alert settled = alert;
  settled.set_state(v1::ALERT_STATE_RESOLVED);
  settled.set_resolved_by("system");
  *settled.mutable_resolve_time() = TimeToProto(now);
  settled.set_resolution(settlement.resolution);
  settled.set_evidence_event_id(settlement.evidence_event_id);
  settled.set_version(alert.version() + 1);
  *settled.mutable_update_time() = TimeToProto(now);
  return settled;
}

v1::BoardEntry BoardEntryOf(const v1::VisitView& view, const v1::VisitRecord& record,
                            const v1::CheckInPolicy& policy, const std::vector<v1::Alert>& alerts,
                            absl::Time now) {
  v1::BoardEntry entry;
  entry.set_visit_id(view.visit_id());
  entry.set_client_id(view.client_id());
  entry.set_locality_id(view.locality_id());
  *entry.mutable_planned_start() = view.planned_start();
  entry.set_duration_minutes(view.duration_minutes());
  entry.set_time_critical(view.time_critical());
  *entry.mutable_carer_ids() = view.carer_ids();
  entry.set_carers_required(view.carers_required());
  *entry.mutable_local_date() = view.local_date();
  entry.set_delivery_state(record.state() == v1::DELIVERY_STATE_UNSPECIFIED
                               ? v1::DELIVERY_STATE_EXPECTED
                               : record.state());
  if (record.has_start_time()) *entry.mutable_start_time() = record.start_time();
  if (record.has_end_time()) *entry.mutable_end_time() = record.end_time();
  for (const v1::Alert& alert : alerts) {
    if (alert.state() != v1::ALERT_STATE_RESOLVED) entry.add_open_alerts(alert.kind());
  }
  switch (entry.delivery_state()) {
    case v1::DELIVERY_STATE_IN_PROGRESS:
      entry.set_state(v1::BOARD_STATE_IN_PROGRESS);
      break;
    case v1::DELIVERY_STATE_MISSED:
      entry.set_state(v1::BOARD_STATE_MISSED);
      break;
    case v1::DELIVERY_STATE_CANCELLED:
      entry.set_state(v1::BOARD_STATE_CANCELLED);
      break;
    case v1::DELIVERY_STATE_EXPECTED: {
      // Nobody in yet: where the clock stands against the thresholds.
      entry.set_state(v1::BOARD_STATE_NOT_DUE);
      for (const DueCheck& check : DueChecks(view, policy)) {
        if (check.at > now) continue;
        if (check.rule == DueRule::kStart && entry.state() == v1::BOARD_STATE_NOT_DUE) {
          entry.set_state(v1::BOARD_STATE_DUE);
        } else if (check.rule == DueRule::kLate && entry.state() != v1::BOARD_STATE_MISSED) {
          entry.set_state(v1::BOARD_STATE_LATE);
        } else if (check.rule == DueRule::kMissed) {
          entry.set_state(v1::BOARD_STATE_MISSED);
        }
      }
      break;
    }
    default:
      // Completed, short, or ended with an outcome such as no access.
      entry.set_state(v1::BOARD_STATE_COMPLETED);
      break;
  }
  if (view.cancelled()) entry.set_state(v1::BOARD_STATE_CANCELLED);
  return entry;
}

}  // namespace homecare::checkin
