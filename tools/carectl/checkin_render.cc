#include "tools/carectl/checkin_render.h"

#include <cmath>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "common/time/time.h"
#include "tools/carectl/format.h"

namespace homecare::carectl {
namespace {

namespace cv1 = checkin::v1;

// "07:02" on the record's own day, the whole local time on another (past midnight).
std::string Clock(const google::protobuf::Timestamp& time, const cv1::VisitRecord& record,
                  absl::TimeZone zone) {
  if (!IsSet(time)) return "";
  const absl::Time instant = StoredTime(time);
  absl::StatusOr<absl::CivilDay> service_day = DateFromProto(record.service_date(), "");
  if (service_day.ok() && absl::ToCivilDay(instant, zone) == *service_day) {
    return absl::FormatTime("%H:%M", instant, zone);
  }
  return FormatLocalTime(time, zone);
}

std::string Meters(double meters) { return absl::StrCat(std::lround(meters), " m"); }

// "gps 12 m, verified"; "manual, to review".
std::string How(cv1::CheckInMethod method, bool verified, double distance, bool has_location) {
  if (method == cv1::CHECK_IN_METHOD_UNSPECIFIED) return "";
  std::string how = EnumName(method);
  if (has_location) absl::StrAppend(&how, " ", Meters(distance));
  return absl::StrCat(how, verified ? ", verified" : ", to review");
}

std::string Slots(const cv1::VisitRecord& record, const Directory& directory) {
  Table table({"CARER", "IN", "HOW", "OUT", "HOW", "ADJUSTED", "ON VISIT"});
  for (const cv1::CarerSlot& slot : record.slots()) {
    std::vector<std::string> adjusted;
    if (slot.has_adjusted_check_in_time()) {
      adjusted.push_back("in " + Clock(slot.adjusted_check_in_time(), record, directory.zone));
    }
    if (slot.has_adjusted_check_out_time()) {
      adjusted.push_back("out " + Clock(slot.adjusted_check_out_time(), record, directory.zone));
    }
    table.AddRow(
        {slot.carer_id().empty() ? "(nobody yet)" : NameOf(directory.carers, slot.carer_id()),
         Clock(slot.check_in_time(), record, directory.zone),
         How(slot.check_in_method(), slot.check_in_verified(), slot.check_in_distance_meters(),
             slot.has_check_in_location()),
         Clock(slot.check_out_time(), record, directory.zone),
         How(slot.check_out_method(), slot.check_out_verified(), slot.check_out_distance_meters(),
             slot.has_check_out_location()),
         absl::StrJoin(adjusted, ", "), slot.carer_id().empty() ? "" : YesNo(slot.assigned())});
  }
  return table.Render();
}

// "location-mismatch: Ann Lee, 412 m from the client's home (event e-1)".
std::string Exception(const cv1::VisitException& exception, const Directory& directory) {
  std::vector<std::string> parts;
  if (!exception.carer_id().empty())
    parts.push_back(NameOf(directory.carers, exception.carer_id()));
  if (!exception.detail().empty()) parts.push_back(exception.detail());
  std::string line = EnumName(exception.kind());
  if (!parts.empty()) absl::StrAppend(&line, ": ", absl::StrJoin(parts, ", "));
  if (!exception.event_id().empty()) absl::StrAppend(&line, " (event ", exception.event_id(), ")");
  return line;
}

std::string Exceptions(const Repeated<cv1::VisitException>& exceptions,
                       const Directory& directory) {
  return absl::StrJoin(exceptions, "\n", [&directory](std::string* out, const auto& exception) {
    out->append(Exception(exception, directory));
  });
}

// "check_in_time of Ann Lee: 07:02 -> 07:00, carer-forgot, confirmed-with-carer: said so".
std::string Audit(const cv1::AuditEntry& entry, const cv1::VisitRecord& record,
                  const Directory& directory) {
  std::string what = entry.field();
  std::string before = entry.old_value();
  std::string after = entry.new_value();
  if (entry.field() == "state") {
    cv1::DeliveryState old_state = cv1::DELIVERY_STATE_UNSPECIFIED;
    if (cv1::DeliveryState_Parse(entry.old_value(), &old_state)) before = EnumName(old_state);
    after = EnumName(entry.state_value());
  } else if (entry.has_time_value()) {
    absl::StrAppend(&what, " of ", NameOf(directory.carers, entry.carer_id()));
    absl::Time old_time;
    std::string error;
    if (absl::ParseTime(absl::RFC3339_full, entry.old_value(), &old_time, &error)) {
      before = Clock(TimeToProto(old_time), record, directory.zone);
    }
    after = Clock(entry.time_value(), record, directory.zone);
  }
  std::string line = absl::StrCat(FormatLocalTime(entry.time(), directory.zone), "  ",
                                  entry.actor(), "  ", entry.action(), " ", what, ": ",
                                  before.empty() ? "(none)" : before, " -> ", after);
  if (entry.reason() != cv1::ADJUSTMENT_REASON_UNSPECIFIED) {
    absl::StrAppend(&line, ", ", EnumName(entry.reason()));
  }
  if (entry.resolution() != cv1::ADJUSTMENT_RESOLUTION_UNSPECIFIED) {
    absl::StrAppend(&line, ", ", EnumName(entry.resolution()));
  }
  if (!entry.note().empty()) absl::StrAppend(&line, ": ", entry.note());
  return line;
}

// "07:02 in Ann Lee by gps", with when it came when that was well after (a phone offline).
std::string Event(const cv1::StoredEvent& event, const cv1::VisitRecord& record,
                  const Directory& directory) {
  const cv1::CheckInMethod method = event.event().has_check_in()
                                        ? event.event().check_in().method()
                                        : event.event().check_out().method();
  std::string line =
      absl::StrCat(Clock(event.estimated_time(), record, directory.zone),
                   event.is_check_out() ? " out " : " in ",
                   NameOf(directory.carers, event.carer_id()), " by ", EnumName(method));
  const absl::Duration late =
      StoredTime(event.received_time()) - StoredTime(event.estimated_time());
  if (late > absl::Minutes(5)) {
    absl::StrAppend(&line, " (came ", FormatMinutes(absl::ToInt64Minutes(late)), " later, ",
                    FormatLocalTime(event.received_time(), directory.zone), ")");
  }
  return line;
}

std::string Tasks(const cv1::VisitRecord& record) {
  return absl::StrJoin(record.task_outcomes(), "\n", [](std::string* out, const auto& task) {
    absl::StrAppend(out, task.task_id(), " ", EnumName(task.status()),
                    task.note().empty() ? "" : ": " + task.note());
  });
}

std::string Outcomes(const cv1::VisitRecord& record) {
  return absl::StrJoin(record.outcomes(), "\n", [](std::string* out, const auto& outcome) {
    absl::StrAppend(out, outcome.outcome_id(), " ", EnumName(outcome.progress()),
                    outcome.note().empty() ? "" : ": " + outcome.note());
  });
}

std::string State(const cv1::VisitRecord& record) {
  std::string state = EnumName(record.state());
  if (record.recorded_state() != cv1::DELIVERY_STATE_UNSPECIFIED &&
      record.recorded_state() != record.state()) {
    absl::StrAppend(&state, " (adjusted; the events say ", EnumName(record.recorded_state()), ")");
  }
  return state;
}

std::string Thresholds(const cv1::AlertThresholds& thresholds) {
  auto minutes = [](const google::protobuf::Duration& duration) {
    return FormatMinutes(duration.seconds() / 60);
  };
  return absl::StrCat("late after ", minutes(thresholds.late_after()), ", missed after ",
                      minutes(thresholds.missed_after()), ", check-out overdue after ",
                      minutes(thresholds.overdue_check_out_after()), " past the end, short under ",
                      std::lround(thresholds.short_visit_fraction() * 100), "% of the length");
}

}  // namespace

std::string RenderVisitRecord(const cv1::VisitRecord& record, const Directory& directory) {
  std::vector<std::string> audit;
  for (const cv1::AuditEntry& entry : record.audit()) {
    audit.push_back(Audit(entry, record, directory));
  }
  std::vector<std::string> events;
  for (const cv1::StoredEvent& event : record.events()) {
    events.push_back(Event(event, record, directory));
  }
  std::string planned = FormatLocalTime(record.planned_start(), directory.zone);
  if (record.planned_duration_minutes() > 0) {
    absl::StrAppend(&planned, " for ", FormatMinutes(record.planned_duration_minutes()));
  }
  if (record.time_critical()) absl::StrAppend(&planned, ", time-critical");
  std::string delivered;
  if (IsSet(record.start_time())) {
    delivered = absl::StrCat(Clock(record.start_time(), record, directory.zone), "-",
                             Clock(record.end_time(), record, directory.zone));
    if (IsSet(record.end_time())) {
      absl::StrAppend(&delivered, ", ", FormatMinutes(record.actual_minutes()));
    }
  }
  Details details;
  details.Add("visit", record.visit_id());
  details.Add("client", WithId(directory.clients, record.client_id()));
  details.Add("service", record.service_type());
  details.Add("date", FormatDate(record.service_date()));
  details.Add("planned", planned);
  details.Add("state", State(record));
  details.Add("delivered", delivered);
  if (record.visit_outcome() != cv1::VISIT_OUTCOME_UNSPECIFIED) {
    details.Add("outcome", EnumName(record.visit_outcome()));
  }
  details.Add("home", record.has_location() ? FormatGeoPoint(record.location()) : "");
  details.Add("tasks", Tasks(record));
  details.Add("outcomes", Outcomes(record));
  details.Add("note", record.note());
  details.Add("to review", Exceptions(record.exceptions(), directory));
  details.Add("events", absl::StrJoin(events, "\n"));
  details.Add("adjusted", absl::StrJoin(audit, "\n"));
  details.Add("version", Version(record.version(), record.update_time(), directory.zone));
  std::string out = details.Render();
  if (!record.slots().empty()) absl::StrAppend(&out, "\n", Slots(record, directory));
  return out;
}

std::string RenderVisitRecords(const cv1::ListVisitRecordsResponse& response,
                               const Directory& directory, const std::string& empty) {
  Table table({"PLANNED", "CLIENT", "STATE", "CARERS", "IN-OUT", "MINUTES", "TO REVIEW", "VISIT"});
  for (const cv1::VisitRecord& record : response.records()) {
    std::vector<std::string> carers;
    for (const cv1::CarerSlot& slot : record.slots()) {
      if (!slot.carer_id().empty()) carers.push_back(NameOf(directory.carers, slot.carer_id()));
    }
    std::string in_out;
    if (IsSet(record.start_time())) {
      in_out = absl::StrCat(Clock(record.start_time(), record, directory.zone), "-",
                            Clock(record.end_time(), record, directory.zone));
    }
    table.AddRow({FormatLocalTime(record.planned_start(), directory.zone),
                  NameOf(directory.clients, record.client_id()), EnumName(record.state()),
                  absl::StrCat(carers.size(), "/", record.carers_required(),
                               carers.empty() ? "" : " " + absl::StrJoin(carers, ", ")),
                  in_out, IsSet(record.end_time()) ? absl::StrCat(record.actual_minutes()) : "",
                  record.exceptions().empty() ? "" : absl::StrCat(record.exceptions_size()),
                  record.visit_id()});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string EmptyVisitRecordsMessage(const cv1::ListVisitRecordsRequest& request) {
  std::string what =
      request.exceptions_only() ? "no records with exceptions to review" : "no visit records";
  if (!request.carer_id().empty()) absl::StrAppend(&what, " for that carer");
  if (!request.client_id().empty()) absl::StrAppend(&what, " for that client");
  if (request.state() != cv1::DELIVERY_STATE_UNSPECIFIED) {
    absl::StrAppend(&what, " ", EnumName(request.state()));
  }
  return absl::StrCat(what, request.has_date() ? " that day" : " in that period");
}

std::string RenderEventResult(bool duplicate, const Repeated<cv1::VisitException>& exceptions,
                              const cv1::VisitRecord& record, const Directory& directory) {
  std::string out =
      duplicate ? "already recorded (a repeat of that event): nothing changed\n" : "recorded\n";
  if (!exceptions.empty()) {
    absl::StrAppend(&out, "to review:\n");
    for (const cv1::VisitException& exception : exceptions) {
      absl::StrAppend(&out, "  ", Exception(exception, directory), "\n");
    }
  }
  return absl::StrCat(out, "\n", RenderVisitRecord(record, directory));
}

std::string RenderAlert(const cv1::Alert& alert, const Directory& directory) {
  std::string acknowledged;
  if (alert.has_acknowledge_time()) {
    acknowledged = absl::StrCat(
        FormatLocalTime(alert.acknowledge_time(), directory.zone), " by ", alert.acknowledged_by(),
        alert.acknowledge_note().empty() ? "" : ": " + alert.acknowledge_note());
  }
  std::string resolved;
  if (alert.has_resolve_time()) {
    resolved = absl::StrCat(FormatLocalTime(alert.resolve_time(), directory.zone), " by ",
                            alert.resolved_by(), ", ", EnumName(alert.resolution()));
    if (!alert.resolution_note().empty()) absl::StrAppend(&resolved, ": ", alert.resolution_note());
    if (!alert.evidence_event_id().empty()) {
      absl::StrAppend(&resolved, " (event ", alert.evidence_event_id(), ")");
    }
  }
  Details details;
  details.Add("alert", alert.alert_id());
  details.Add("kind", EnumName(alert.kind()));
  details.Add("state", EnumName(alert.state()));
  details.Add("visit", alert.visit_id());
  details.Add("client", WithId(directory.clients, alert.client_id()));
  details.Add("carers", alert.carer_ids().empty() ? "nobody on the visit"
                                                  : NamesOf(directory.carers, alert.carer_ids()));
  details.Add("locality", WithId(directory.localities, alert.locality_id()));
  details.Add("planned", absl::StrCat(FormatLocalTime(alert.planned_start(), directory.zone),
                                      alert.time_critical() ? ", time-critical" : ""));
  details.Add("due", FormatLocalTime(alert.due_time(), directory.zone));
  details.Add("raised", FormatLocalTime(alert.raise_time(), directory.zone));
  details.Add("acknowledged", acknowledged);
  details.Add("resolved", resolved);
  return details.Render();
}

std::string RenderAlerts(const cv1::ListAlertsResponse& response, const Directory& directory,
                         const std::string& empty) {
  Table table({"DUE", "KIND", "STATE", "CLIENT", "CARERS", "LOCALITY", "VISIT", "ALERT"});
  for (const cv1::Alert& alert : response.alerts()) {
    table.AddRow({FormatLocalTime(alert.due_time(), directory.zone), EnumName(alert.kind()),
                  EnumName(alert.state()), NameOf(directory.clients, alert.client_id()),
                  NamesOf(directory.carers, alert.carer_ids()),
                  NameOf(directory.localities, alert.locality_id()), alert.visit_id(),
                  alert.alert_id()});
  }
  return Listing(table, response.next_page_token(), empty);
}

std::string RenderAlertEvent(const cv1::AlertEvent& event, const Directory& directory) {
  const cv1::Alert& alert = event.alert();
  std::vector<std::string> parts = {FormatLocalTime(alert.due_time(), directory.zone),
                                    EnumName(alert.kind()), EnumName(alert.state()),
                                    NameOf(directory.clients, alert.client_id())};
  if (!alert.carer_ids().empty()) parts.push_back(NamesOf(directory.carers, alert.carer_ids()));
  if (alert.state() == cv1::ALERT_STATE_RESOLVED) {
    parts.push_back(
        absl::StrCat("(", EnumName(alert.resolution()), " by ", alert.resolved_by(), ")"));
  } else if (alert.state() == cv1::ALERT_STATE_ACKNOWLEDGED) {
    parts.push_back(absl::StrCat("(by ", alert.acknowledged_by(), ")"));
  }
  parts.push_back(alert.alert_id());
  return absl::StrJoin(parts, "  ") + "\n";
}

namespace {

// "Ann Lee, Bob Hale" or "1/2 Ann Lee": who is on it, and how many of how many when short.
std::string BoardCarers(const cv1::BoardEntry& entry, const Directory& directory) {
  std::string names = NamesOf(directory.carers, entry.carer_ids());
  if (entry.carer_ids_size() >= entry.carers_required()) return names;
  return absl::StrCat(entry.carer_ids_size(), "/", entry.carers_required(),
                      names.empty() ? "" : " " + names);
}

std::string OpenAlerts(const cv1::BoardEntry& entry) {
  return absl::StrJoin(entry.open_alerts(), ", ", [](std::string* out, int kind) {
    out->append(EnumName(static_cast<cv1::AlertKind>(kind)));
  });
}

std::string Planned(const cv1::BoardEntry& entry, absl::TimeZone zone) {
  return absl::StrCat(absl::FormatTime("%H:%M", StoredTime(entry.planned_start()), zone),
                      entry.time_critical() ? "*" : "");
}

}  // namespace

std::string RenderBoard(const cv1::Board& board, const Directory& directory, bool table) {
  std::string out;
  if (!table) {
    std::map<std::string, std::vector<std::string>> by_locality;
    for (const cv1::BoardCount& count : board.counts()) {
      by_locality[count.locality_id()].push_back(
          absl::StrCat(count.visits(), " ", EnumName(count.state())));
    }
    absl::StrAppend(&out, "board of ", FormatDate(board.date()), " as of ",
                    FormatLocalTimeWithZone(board.as_of(), directory.zone), "\n");
    for (const auto& [locality, counts] : by_locality) {
      absl::StrAppend(&out, WithId(directory.localities, locality), ": ",
                      absl::StrJoin(counts, ", "), "\n");
    }
    if (board.entries().empty()) return out + "no visits that day\n";
    out += "\n";
  }
  Table lines({"PLANNED", "STATE", "CLIENT", "CARERS", "IN-OUT", "ALERTS", "LOCALITY", "VISIT"});
  for (const cv1::BoardEntry& entry : board.entries()) {
    std::string in_out;
    if (IsSet(entry.start_time())) {
      in_out = absl::StrCat(
          absl::FormatTime("%H:%M", StoredTime(entry.start_time()), directory.zone), "-");
      if (IsSet(entry.end_time())) {
        absl::StrAppend(&in_out,
                        absl::FormatTime("%H:%M", StoredTime(entry.end_time()), directory.zone));
      }
    }
    lines.AddRow({Planned(entry, directory.zone), EnumName(entry.state()),
                  NameOf(directory.clients, entry.client_id()), BoardCarers(entry, directory),
                  in_out, OpenAlerts(entry), NameOf(directory.localities, entry.locality_id()),
                  entry.visit_id()});
  }
  return out + Listing(lines, "", "no visits that day");
}

std::string RenderBoardChange(const cv1::BoardChange& change, const Directory& directory) {
  const cv1::BoardEntry& entry = change.entry();
  std::vector<std::string> parts = {FormatDate(entry.local_date()), Planned(entry, directory.zone),
                                    EnumName(entry.state()),
                                    NameOf(directory.clients, entry.client_id())};
  if (std::string carers = BoardCarers(entry, directory); !carers.empty()) {
    parts.push_back(carers);
  }
  if (!entry.open_alerts().empty()) parts.push_back("alerts: " + OpenAlerts(entry));
  parts.push_back(entry.visit_id());
  return absl::StrJoin(parts, "  ") + "\n";
}

std::string RenderCheckInPolicy(const cv1::CheckInPolicy& policy, const Directory& directory) {
  Details details;
  details.Add("geofence", Meters(policy.geofence_meters()) + " from the client's home");
  details.Add("phone clock", absl::StrCat("trusted within ",
                                          FormatMinutes(policy.max_clock_skew().seconds() / 60)));
  details.Add("standard visits", Thresholds(policy.standard()));
  details.Add("time-critical", Thresholds(policy.time_critical()));
  details.Add("version", Version(policy.version(), policy.update_time(), directory.zone));
  return details.Render();
}

std::string RenderTag(const cv1::Tag& tag, const Directory& directory) {
  std::string retired;
  if (tag.has_retire_time()) {
    retired = absl::StrCat(FormatLocalTimeWithZone(tag.retire_time(), directory.zone), " by ",
                           tag.retired_by());
  }
  Details details;
  details.Add("tag", tag.tag_id());
  details.Add("client", WithId(directory.clients, tag.client_id()));
  details.Add("kind", EnumName(tag.kind()));
  details.Add(tag.kind() == cv1::TAG_KIND_LANDLINE ? "number" : "payload", tag.payload());
  details.Add("where", tag.label());
  details.Add("registered",
              absl::StrCat(FormatLocalTimeWithZone(tag.register_time(), directory.zone), " by ",
                           tag.registered_by()));
  details.Add("retired", retired);
  return details.Render();
}

std::string RenderTags(const cv1::ListTagsResponse& response, const Directory& directory,
                       const std::string& empty) {
  Table table({"KIND", "PAYLOAD", "WHERE", "REGISTERED", "RETIRED", "ID"});
  for (const cv1::Tag& tag : response.tags()) {
    table.AddRow({EnumName(tag.kind()), tag.payload(), tag.label(),
                  FormatLocalTime(tag.register_time(), directory.zone),
                  FormatLocalTime(tag.retire_time(), directory.zone), tag.tag_id()});
  }
  return Listing(table, "", empty);
}

}  // namespace homecare::carectl
