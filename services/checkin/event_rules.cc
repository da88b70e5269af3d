#include "services/checkin/event_rules.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/api/write.h"
#include "common/geo/geo.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::checkin {
namespace {

template <typename Request>
EventView ViewOfRequest(const Request& request, bool is_check_out) {
  return EventView{request.event_id(),
                   request.visit_id(),
                   request.method(),
                   request.has_location() ? &request.location() : nullptr,
                   request.accuracy_meters(),
                   request.device_time(),
                   request.sent_time(),
                   request.tag_payload(),
                   request.carer_id(),
                   request.caller_number(),
                   is_check_out};
}

void CheckTime(FieldViolations& violations, const std::string& field, bool set,
               const google::protobuf::Timestamp& timestamp) {
  if (!set) {
    violations.Add(field, "must be set");
    return;
  }
  absl::StatusOr<absl::Time> time = TimeFromProto(timestamp, field);
  if (!time.ok()) {
    violations.AddFrom(time.status());
    return;
  }
  const int year = static_cast<int>(absl::ToCivilYear(*time, absl::UTCTimeZone()).year());
  if (year < kFirstEventYear || year > kLastEventYear) {
    violations.Add(field, absl::StrCat("must be in the years ", kFirstEventYear, " to ",
                                       kLastEventYear, " (is the phone's clock right?)"));
  }
}

void CheckCheckOut(FieldViolations& violations, const std::string& prefix,
                   const v1::CheckOutRequest& request) {
  if (request.task_outcomes_size() > kMaxTaskOutcomes) {
    violations.Add(prefix + "task_outcomes", absl::StrCat("at most ", kMaxTaskOutcomes));
  } else {
    std::set<std::string> seen;
    for (int i = 0; i < request.task_outcomes_size(); ++i) {
      const v1::TaskOutcome& outcome = request.task_outcomes(i);
      const std::string field = absl::StrCat(prefix, "task_outcomes[", i, "]");
      violations.AddFrom(ValidateId(field + ".task_id", outcome.task_id()));
      if (!seen.insert(outcome.task_id()).second) {
        violations.Add(field + ".task_id", "is given twice");
      }
      if (outcome.status() == v1::TASK_STATUS_UNSPECIFIED ||
          !v1::TaskStatus_IsValid(outcome.status())) {
        violations.Add(field + ".status",
                       "must be TASK_STATUS_DONE, _REFUSED, _NOT_DONE or "
                       "_PARTIALLY_DONE");
      }
      CheckText(violations, field + ".note", outcome.note(),
                {kMaxTaskNoteBytes, /*required=*/false, TextLines::kMultiple});
    }
  }
  if (request.outcomes_size() > kMaxOutcomeNotes) {
    violations.Add(prefix + "outcomes", absl::StrCat("at most ", kMaxOutcomeNotes));
  } else {
    for (int i = 0; i < request.outcomes_size(); ++i) {
      const v1::OutcomeNote& note = request.outcomes(i);
      const std::string field = absl::StrCat(prefix, "outcomes[", i, "]");
      violations.AddFrom(ValidateId(field + ".outcome_id", note.outcome_id()));
      if (!v1::OutcomeProgress_IsValid(note.progress())) {
        violations.Add(field + ".progress", "is not a known progress");
      }
      CheckText(violations, field + ".note", note.note(),
                {kMaxTaskNoteBytes, /*required=*/false, TextLines::kMultiple});
    }
  }
  CheckText(violations, prefix + "note", request.note(),
            {kMaxNoteBytes, /*required=*/false, TextLines::kMultiple});
  if (!v1::VisitOutcome_IsValid(request.visit_outcome())) {
    violations.Add(prefix + "visit_outcome", "is not a known visit outcome");
  }
}

}  // namespace

EventView ViewOf(const v1::QueuedEvent& event) {
  return event.has_check_out() ? ViewOfRequest(event.check_out(), true)
                               : ViewOfRequest(event.check_in(), false);
}

absl::Status ValidateEvent(const v1::QueuedEvent& event, absl::string_view prefix_view) {
  const std::string prefix(prefix_view);
  FieldViolations violations;
  if (event.event_case() == v1::QueuedEvent::EVENT_NOT_SET) {
    violations.Add(prefix.empty() ? "event" : prefix.substr(0, prefix.size() - 1),
                   "must be a check_in or a check_out");
    return violations.ToStatus();
  }
  const EventView view = ViewOf(event);
  if (view.event_id.empty()) {
    violations.Add(prefix + "event_id", "must be set (a UUID the phone makes)");
  } else {
    violations.AddFrom(ValidateRequestId(view.event_id, prefix + "event_id"));
  }
  violations.AddFrom(ValidateId(prefix + "visit_id", view.visit_id));
  if (view.method == v1::CHECK_IN_METHOD_UNSPECIFIED || !v1::CheckInMethod_IsValid(view.method)) {
    violations.Add(prefix + "method", "must be GPS, NFC, QR, TELEPHONY or MANUAL");
  }
  if (view.location != nullptr) {
    violations.AddFrom(ValidateGeoPoint(*view.location, prefix + "location"));
  }
  if (!std::isfinite(view.accuracy_meters) || view.accuracy_meters < 0 ||
      view.accuracy_meters > kMaxAccuracyMeters) {
    violations.Add(prefix + "accuracy_meters", "must be from 0 to 100,000 metres");
  }
  const bool is_check_out = view.is_check_out;
  CheckTime(violations, prefix + "device_time",
            is_check_out ? event.check_out().has_device_time() : event.check_in().has_device_time(),
            view.device_time);
  CheckTime(violations, prefix + "sent_time",
            is_check_out ? event.check_out().has_sent_time() : event.check_in().has_sent_time(),
            view.sent_time);
  CheckText(violations, prefix + "tag_payload", view.tag_payload, {kMaxTagPayloadBytes});
  if (!view.carer_id.empty()) violations.AddFrom(ValidateId(prefix + "carer_id", view.carer_id));
  if (!view.caller_number.empty()) {
    absl::string_view digits = view.caller_number;
    if (digits.front() == '+') digits.remove_prefix(1);
    if (digits.empty() || digits.size() > 20 ||
        !std::all_of(digits.begin(), digits.end(), absl::ascii_isdigit)) {
      violations.Add(prefix + "caller_number", "must be digits, with an optional leading +");
    }
  }
  if (is_check_out) CheckCheckOut(violations, prefix, event.check_out());
  return violations.ToStatus();
}

std::string EventFingerprint(const v1::QueuedEvent& event, absl::string_view carer_id) {
  v1::QueuedEvent payload = event;
  if (payload.has_check_in()) payload.mutable_check_in()->clear_sent_time();
  if (payload.has_check_out()) payload.mutable_check_out()->clear_sent_time();
  return RequestFingerprint(absl::StrCat(ViewOf(event).event_id, "|", carer_id), payload);
}

v1::StoredEvent NewStoredEvent(const v1::QueuedEvent& event, const std::string& carer_id,
                               absl::Time received) {
  const EventView view = ViewOf(event);
  v1::StoredEvent stored;
  stored.set_event_id(view.event_id);
  stored.set_carer_id(carer_id);
  stored.set_is_check_out(view.is_check_out);
  *stored.mutable_device_time() = view.device_time;
  *stored.mutable_sent_time() = view.sent_time;
  *stored.mutable_received_time() = TimeToProto(received);
  const absl::Time device = *TimeFromProto(view.device_time, "device_time");
  const absl::Time sent = *TimeFromProto(view.sent_time, "sent_time");
  *stored.mutable_estimated_time() = TimeToProto(received - (sent - device));
  *stored.mutable_event() = event;
  return stored;
}

}  // namespace homecare::checkin
