#include "services/checkin/record_rules.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/geo/geo.h"
#include "common/time/time.h"
#include "services/checkin/event_rules.h"
#include "services/checkin/policy_rules.h"

namespace homecare::checkin {
namespace {

namespace sv1 = scheduling::v1;

absl::Duration ToDuration(const google::protobuf::Duration& duration) {
  return absl::Seconds(duration.seconds()) + absl::Nanoseconds(duration.nanos());
}

bool Contains(const google::protobuf::RepeatedPtrField<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The fields of a view that the visit itself gives.
v1::VisitView ViewFields(const sv1::Visit& visit) {
  v1::VisitView view;
  view.set_visit_id(visit.visit_id());
  view.set_client_id(visit.client_id());
  view.set_locality_id(visit.locality_id());
  *view.mutable_local_date() = visit.local_date();
  *view.mutable_window_start() = visit.window_start();
  *view.mutable_window_end() = visit.window_end();
  *view.mutable_planned_start() = visit.planned_start();
  view.set_duration_minutes(visit.duration_minutes());
  view.set_carers_required(visit.carers_required());
  *view.mutable_carer_ids() = visit.carer_ids();
  *view.mutable_location() = visit.location();
  for (const sv1::Task& task : visit.tasks()) {
    v1::PlannedTask& planned = *view.add_tasks();
    planned.set_task_id(task.task_id());
    planned.set_description(task.description());
  }
  view.set_time_critical(visit.time_critical());
  view.set_cancelled(visit.status() == sv1::VISIT_STATUS_CANCELLED);
  view.set_service_type(visit.pattern_id().empty() ? "one-off" : visit.pattern_id());
  view.set_scheduling_version(visit.version());
  return view;
}

}  // namespace

std::string CanonicalLandline(const std::string& number) {
  std::string digits;
  for (char c : number) {
    if (absl::ascii_isdigit(static_cast<unsigned char>(c))) digits.push_back(c);
  }
  if (digits.rfind("0044", 0) == 0) return "0" + digits.substr(4);
  if (digits.rfind("44", 0) == 0 && number.find('+') != std::string::npos) {
    return "0" + digits.substr(2);
  }
  return digits;
}

int64_t DateKey(const common::v1::Date& date) {
  return date.year() * 10000LL + date.month() * 100 + date.day();
}

namespace {

bool TagInUse(const v1::Tag& tag, absl::Time at) {
  return StoredTime(tag.register_time()) <= at &&
         (!tag.has_retire_time() || at < StoredTime(tag.retire_time()));
}

// Whether `carer` was on the visit at `at`, or is on it now (a carer put on a visit after the
// fact, by visit maintenance, is not an exception).
bool Assigned(const v1::VisitView& view, const std::string& carer, absl::Time at) {
  if (Contains(view.carer_ids(), carer)) return true;
  for (const v1::AssignmentSpan& span : view.assignments()) {
    if (span.carer_id() != carer) continue;
    const bool started = !span.has_from_time() || StoredTime(span.from_time()) <= at;
    const bool not_ended = !span.has_to_time() || at < StoredTime(span.to_time());
    if (started && not_ended) return true;
  }
  return false;
}

struct Raised {
  std::vector<v1::VisitException> exceptions;
  bool verified = false;
  double distance_meters = -1;  // -1: no location
};

v1::VisitException& Raise(Raised& raised, v1::ExceptionKind kind, std::string detail) {
  v1::VisitException& exception = raised.exceptions.emplace_back();
  exception.set_kind(kind);
  exception.set_detail(std::move(detail));
  return exception;
}

}  // namespace

bool UsesTags(const v1::StoredEvent& event) {
  switch (ViewOf(event.event()).method) {
    case v1::CHECK_IN_METHOD_NFC:
    case v1::CHECK_IN_METHOD_QR:
    case v1::CHECK_IN_METHOD_TELEPHONY:
      return true;
    default:
      return false;
  }
}

namespace {

// What one event shows by its method and location, against the view and tags.
void Verify(const RecordInputs& inputs, const v1::StoredEvent& stored, absl::Time at,
            Raised& raised) {
  const EventView event = ViewOf(stored.event());
  const v1::VisitView& view = *inputs.view;
  if (event.location != nullptr) {
    raised.distance_meters = DistanceMeters(FromProto(*event.location), FromProto(view.location()));
  }
  auto matches_tag = [&](v1::TagKind kind, const std::string& payload) {
    return std::any_of(inputs.tags.begin(), inputs.tags.end(), [&](const v1::Tag& tag) {
      if (tag.client_id() != view.client_id() || tag.kind() != kind || !TagInUse(tag, at)) {
        return false;
      }
      return kind == v1::TAG_KIND_LANDLINE
                 ? CanonicalLandline(tag.payload()) == CanonicalLandline(payload)
                 : tag.payload() == payload;
    });
  };
  switch (event.method) {
    case v1::CHECK_IN_METHOD_GPS: {
      if (event.location == nullptr) {
        Raise(raised, v1::EXCEPTION_KIND_NO_LOCATION, "a GPS event without a location");
        break;
      }
      const double geofence = inputs.policy.geofence_meters();
      // The phone's uncertainty counts in its favour, but never more than the geofence itself.
      const double allowance = std::min(event.accuracy_meters, geofence);
      if (raised.distance_meters - allowance <= geofence) {
        raised.verified = true;
      } else {
        Raise(raised, v1::EXCEPTION_KIND_LOCATION_MISMATCH,
              absl::StrCat(static_cast<int>(raised.distance_meters),
                           " m from the client's home "
                           "(geofence ",
                           static_cast<int>(geofence), " m, accuracy ",
                           static_cast<int>(event.accuracy_meters), " m)"))
            .set_distance_meters(raised.distance_meters);
      }
      break;
    }
    case v1::CHECK_IN_METHOD_NFC:
    case v1::CHECK_IN_METHOD_QR: {
      const v1::TagKind kind =
          event.method == v1::CHECK_IN_METHOD_NFC ? v1::TAG_KIND_NFC : v1::TAG_KIND_QR;
      if (matches_tag(kind, event.tag_payload)) {
        raised.verified = true;
      } else {
        Raise(raised, v1::EXCEPTION_KIND_TAG_MISMATCH,
              absl::StrCat("the ", event.method == v1::CHECK_IN_METHOD_NFC ? "NFC tag" : "QR code",
                           " read is not one of the client's in use"));
      }
      break;
    }
    case v1::CHECK_IN_METHOD_TELEPHONY:
      if (matches_tag(v1::TAG_KIND_LANDLINE, event.caller_number)) {
        raised.verified = true;
      } else {
        Raise(raised, v1::EXCEPTION_KIND_TAG_MISMATCH,
              "the call did not come from the client's registered landline");
      }
      break;
    case v1::CHECK_IN_METHOD_MANUAL:
    default:
      Raise(raised, v1::EXCEPTION_KIND_MANUAL_METHOD, "recorded by hand: to review");
      break;
  }
}

// The timing of a visit from its slots: when it started and ended, and its state.
struct Timing {
  v1::DeliveryState state = v1::DELIVERY_STATE_EXPECTED;
  std::optional<absl::Time> start;
  std::optional<absl::Time> end;
  int minutes = 0;
  bool short_visit = false;
};

Timing TimingOf(const std::vector<v1::CarerSlot>& slots, bool adjusted, int carers_required,
                int planned_minutes, double short_fraction, v1::VisitOutcome outcome,
                bool cancelled) {
  auto in_time = [adjusted](const v1::CarerSlot& slot) -> std::optional<absl::Time> {
    if (adjusted && slot.has_adjusted_check_in_time())
      return StoredTime(slot.adjusted_check_in_time());
    if (slot.has_check_in_time()) return StoredTime(slot.check_in_time());
    return std::nullopt;
  };
  auto out_time = [adjusted](const v1::CarerSlot& slot) -> std::optional<absl::Time> {
    if (adjusted && slot.has_adjusted_check_out_time()) {
      return StoredTime(slot.adjusted_check_out_time());
    }
    if (slot.has_check_out_time()) return StoredTime(slot.check_out_time());
    return std::nullopt;
  };
  Timing timing;
  std::vector<absl::Time> ins;
  bool all_out = true;
  absl::Time last_out = absl::InfinitePast();
  for (const v1::CarerSlot& slot : slots) {
    std::optional<absl::Time> in = in_time(slot);
    if (!in.has_value()) continue;
    ins.push_back(*in);
    std::optional<absl::Time> out = out_time(slot);
    if (out.has_value()) {
      last_out = std::max(last_out, *out);
    } else {
      all_out = false;
    }
  }
  std::sort(ins.begin(), ins.end());
  const size_t required = static_cast<size_t>(std::max(1, carers_required));
  if (ins.size() >= required) timing.start = ins[required - 1];
  if (timing.start.has_value() && all_out) {
    timing.end = last_out;
    timing.minutes =
        static_cast<int>(std::max<int64_t>(0, absl::ToInt64Minutes(*timing.end - *timing.start)));
  }
  switch (outcome) {
    case v1::VISIT_OUTCOME_NO_ACCESS:
      timing.state = v1::DELIVERY_STATE_NO_ACCESS;
      break;
    case v1::VISIT_OUTCOME_CLIENT_REFUSED:
      timing.state = v1::DELIVERY_STATE_REFUSED;
      break;
    case v1::VISIT_OUTCOME_CLIENT_NOT_AT_HOME:
      timing.state = v1::DELIVERY_STATE_CLIENT_NOT_AT_HOME;
      break;
    case v1::VISIT_OUTCOME_CLIENT_UNWELL_EMERGENCY:
      timing.state = v1::DELIVERY_STATE_EMERGENCY;
      break;
    default:
      if (ins.empty()) {
        timing.state = v1::DELIVERY_STATE_EXPECTED;
      } else if (timing.end.has_value()) {
        timing.short_visit =
            planned_minutes > 0 && timing.minutes < short_fraction * planned_minutes;
        timing.state = timing.short_visit ? v1::DELIVERY_STATE_SHORT : v1::DELIVERY_STATE_COMPLETED;
      } else {
        timing.state = v1::DELIVERY_STATE_IN_PROGRESS;
      }
  }
  if (cancelled) timing.state = v1::DELIVERY_STATE_CANCELLED;
  return timing;
}

}  // namespace

v1::VisitView ApplyVisitChange(const v1::VisitView* before, const sv1::VisitChange& change) {
  const sv1::Visit& visit = change.visit();
  if (before != nullptr && visit.version() <= before->scheduling_version()) return *before;
  v1::VisitView view = ViewFields(visit);
  if (before == nullptr) {
    // Seen first with carers already on it: they count as on it throughout.
    for (const std::string& carer : visit.carer_ids()) view.add_assignments()->set_carer_id(carer);
  } else {
    *view.mutable_assignments() = before->assignments();
    for (const std::string& carer : visit.carer_ids()) {
      if (Contains(before->carer_ids(), carer)) continue;
      v1::AssignmentSpan& span = *view.add_assignments();
      span.set_carer_id(carer);
      *span.mutable_from_time() = change.change_time();
    }
    for (const std::string& carer : before->carer_ids()) {
      if (Contains(visit.carer_ids(), carer)) continue;
      for (v1::AssignmentSpan& span : *view.mutable_assignments()) {
        if (span.carer_id() == carer && !span.has_to_time()) {
          *span.mutable_to_time() = change.change_time();
        }
      }
    }
  }
  if (view.cancelled()) {
    *view.mutable_cancel_time() =
        before != nullptr && before->cancelled() ? before->cancel_time() : change.change_time();
  }
  return view;
}

v1::VisitView ViewFromVisit(const sv1::Visit& visit) {
  v1::VisitView view = ViewFields(visit);
  for (const std::string& carer : visit.carer_ids()) view.add_assignments()->set_carer_id(carer);
  if (view.cancelled()) *view.mutable_cancel_time() = visit.update_time();
  return view;
}

v1::VisitRecord BuildRecord(const RecordInputs& inputs) {
  v1::VisitRecord record;
  record.set_visit_id(inputs.visit_id);
  const v1::VisitView* view = inputs.view;
  if (view != nullptr) {
    record.set_service_type(view->service_type());
    record.set_client_id(view->client_id());
    *record.mutable_service_date() = view->local_date();
    *record.mutable_location() = view->location();
    *record.mutable_planned_start() = view->planned_start();
    record.set_planned_duration_minutes(view->duration_minutes());
    record.set_carers_required(view->carers_required());
    record.set_time_critical(view->time_critical());
    record.set_locality_id(view->locality_id());
  } else {
    record.set_carers_required(1);
  }
  const v1::AlertThresholds& thresholds =
      ThresholdsFor(inputs.policy, view != nullptr && view->time_critical());
  const absl::Duration max_skew = ToDuration(inputs.policy.max_clock_skew());

  std::vector<v1::StoredEvent> events = inputs.events;
  std::sort(events.begin(), events.end(), [](const v1::StoredEvent& a, const v1::StoredEvent& b) {
    const absl::Time ta = StoredTime(a.estimated_time());
    const absl::Time tb = StoredTime(b.estimated_time());
    return ta != tb ? ta < tb : a.event_id() < b.event_id();
  });

  std::vector<v1::CarerSlot> slots;
  std::map<std::string, size_t> slot_of;
  auto slot_for = [&](const std::string& carer) -> v1::CarerSlot& {
    auto [found, added] = slot_of.emplace(carer, slots.size());
    if (added) {
      v1::CarerSlot& slot = slots.emplace_back();
      slot.set_carer_id(carer);
      slot.set_assigned(view != nullptr && Contains(view->carer_ids(), carer));
    }
    return slots[found->second];
  };
  if (view != nullptr) {
    for (const std::string& carer : view->carer_ids()) slot_for(carer);
  }

  std::vector<std::string> task_order;
  std::map<std::string, v1::TaskOutcome> tasks;
  std::vector<std::string> outcome_order;
  std::map<std::string, v1::OutcomeNote> outcomes;
  std::vector<std::string> notes;
  v1::VisitOutcome visit_outcome = v1::VISIT_OUTCOME_UNSPECIFIED;
  std::string last_check_out;
  for (v1::StoredEvent& stored : events) {
    stored.clear_exceptions();
    const absl::Time at = StoredTime(stored.estimated_time());
    const EventView event = ViewOf(stored.event());
    Raised raised;
    if (view == nullptr) {
      Raise(raised, v1::EXCEPTION_KIND_VISIT_UNKNOWN,
            "the visit was not known here yet: checked again once it is");
    } else {
      Verify(inputs, stored, at, raised);
      if (!Assigned(*view, stored.carer_id(), at)) {
        Raise(raised, v1::EXCEPTION_KIND_NOT_ASSIGNED, "the carer was not on this visit then");
      }
      if (view->cancelled() && StoredTime(view->cancel_time()) <= at) {
        Raise(raised, v1::EXCEPTION_KIND_VISIT_CANCELLED, "the visit had been cancelled");
      }
    }
    const absl::Duration skew = StoredTime(stored.received_time()) - StoredTime(stored.sent_time());
    if (absl::AbsDuration(skew) > max_skew) {
      Raise(
          raised, v1::EXCEPTION_KIND_CLOCK_SKEW,
          absl::StrCat("the phone's clock was ",
                       absl::FormatDuration(absl::Trunc(absl::AbsDuration(skew), absl::Minutes(1))),
                       skew > absl::ZeroDuration() ? " slow" : " fast"));
    }
    v1::CarerSlot& slot = slot_for(stored.carer_id());
    if (!event.is_check_out) {
      if (!slot.has_check_in_time()) {
        *slot.mutable_check_in_time() = stored.estimated_time();
        slot.set_check_in_method(event.method);
        slot.set_check_in_verified(raised.verified);
        if (event.location != nullptr) *slot.mutable_check_in_location() = *event.location;
        slot.set_check_in_distance_meters(std::max(0.0, raised.distance_meters));
        slot.set_check_in_event_id(stored.event_id());
        if (view != nullptr &&
            at > StoredTime(view->planned_start()) + ToDuration(thresholds.late_after())) {
          Raise(raised, v1::EXCEPTION_KIND_LATE_ARRIVAL,
                absl::StrCat(absl::ToInt64Minutes(at - StoredTime(view->planned_start())),
                             " minutes after the planned start"));
        }
      }
    } else {
      if (!slot.has_check_in_time()) {
        Raise(raised, v1::EXCEPTION_KIND_CHECK_OUT_WITHOUT_CHECK_IN,
              "no check-in by this carer before it");
      }
      *slot.mutable_check_out_time() = stored.estimated_time();
      slot.set_check_out_method(event.method);
      slot.set_check_out_verified(raised.verified);
      if (event.location != nullptr) *slot.mutable_check_out_location() = *event.location;
      slot.set_check_out_distance_meters(std::max(0.0, raised.distance_meters));
      slot.set_check_out_event_id(stored.event_id());
      last_check_out = stored.event_id();
      const v1::CheckOutRequest& check_out = stored.event().check_out();
      for (const v1::TaskOutcome& task : check_out.task_outcomes()) {
        if (!tasks.contains(task.task_id())) task_order.push_back(task.task_id());
        tasks[task.task_id()] = task;
      }
      for (const v1::OutcomeNote& note : check_out.outcomes()) {
        if (!outcomes.contains(note.outcome_id())) outcome_order.push_back(note.outcome_id());
        outcomes[note.outcome_id()] = note;
      }
      if (!check_out.note().empty()) notes.push_back(check_out.note());
      if (check_out.visit_outcome() != v1::VISIT_OUTCOME_UNSPECIFIED) {
        visit_outcome = check_out.visit_outcome();
      }
    }
    for (v1::VisitException& exception : raised.exceptions) {
      exception.set_event_id(stored.event_id());
      exception.set_carer_id(stored.carer_id());
      *record.add_exceptions() = exception;
      *stored.add_exceptions() = exception;
    }
  }

  std::optional<v1::DeliveryState> adjusted_state;
  for (const v1::AuditEntry& adjustment : inputs.adjustments) {
    if (adjustment.field() == "state") {
      adjusted_state = adjustment.state_value();
    } else if (adjustment.field() == "check_in_time") {
      *slot_for(adjustment.carer_id()).mutable_adjusted_check_in_time() = adjustment.time_value();
    } else if (adjustment.field() == "check_out_time") {
      *slot_for(adjustment.carer_id()).mutable_adjusted_check_out_time() = adjustment.time_value();
    }
    *record.add_audit() = adjustment;
  }

  const bool cancelled = view != nullptr && view->cancelled();
  const int planned = view != nullptr ? view->duration_minutes() : 0;
  const Timing recorded = TimingOf(slots, /*adjusted=*/false, record.carers_required(), planned,
                                   thresholds.short_visit_fraction(), visit_outcome, cancelled);
  const Timing effective = TimingOf(slots, /*adjusted=*/true, record.carers_required(), planned,
                                    thresholds.short_visit_fraction(), visit_outcome, cancelled);
  record.set_recorded_state(recorded.state);
  record.set_state(adjusted_state.value_or(effective.state));
  if (effective.start.has_value()) *record.mutable_start_time() = TimeToProto(*effective.start);
  if (effective.end.has_value()) *record.mutable_end_time() = TimeToProto(*effective.end);
  record.set_actual_minutes(effective.minutes);
  if (recorded.short_visit) {
    v1::VisitException& exception = *record.add_exceptions();
    exception.set_kind(v1::EXCEPTION_KIND_SHORT_VISIT);
    exception.set_event_id(last_check_out);
    exception.set_detail(absl::StrCat(recorded.minutes, " of ", planned, " planned minutes"));
  }
  for (v1::CarerSlot& slot : slots) *record.add_slots() = std::move(slot);
  for (const std::string& id : task_order) *record.add_task_outcomes() = tasks[id];
  for (const std::string& id : outcome_order) *record.add_outcomes() = outcomes[id];
  record.set_note(absl::StrJoin(notes, "\n\n"));
  record.set_visit_outcome(visit_outcome);
  if (view == nullptr && !events.empty()) {
    // Until the visit is known, its date is the first event's (in UTC), so that lists find it.
    *record.mutable_service_date() = DateToProto(
        absl::ToCivilDay(StoredTime(events.front().estimated_time()), absl::UTCTimeZone()));
  }
  for (v1::StoredEvent& stored : events) *record.add_events() = std::move(stored);
  return record;
}

}  // namespace homecare::checkin
