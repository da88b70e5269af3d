// carectl's check-in commands: a check-in or check-out recorded from the command line (to try
// the service, and for a coordinator recording on a carer's behalf), visit records and their
// corrections, the check-in policy, and the tags in clients' homes.
#include <iostream>
#include <tuple>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "common/ids/ids.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "tools/carectl/checkin_parsing.h"
#include "tools/carectl/checkin_render.h"
#include "tools/carectl/cli.h"
#include "tools/carectl/roster_parsing.h"

namespace homecare::carectl {
namespace {

namespace cv1 = checkin::v1;
using Stub = cv1::CheckInService::Stub;

// The names a record, a list of records or a tag shows.
Wanted WantedBy(const cv1::VisitRecord& record) {
  Wanted wanted{.clients = {record.client_id()}};
  for (const cv1::CarerSlot& slot : record.slots()) wanted.carers.insert(slot.carer_id());
  for (const cv1::StoredEvent& event : record.events()) wanted.carers.insert(event.carer_id());
  for (const cv1::AuditEntry& entry : record.audit()) {
    if (!entry.carer_id().empty()) wanted.carers.insert(entry.carer_id());
  }
  return wanted;
}

auto RecordView(const ClientFlags& connection) {
  return [&connection](const cv1::VisitRecord& record) {
    return RenderVisitRecord(record, LoadDirectory(connection, WantedBy(record)));
  };
}

auto TagView(const ClientFlags& connection) {
  return [&connection](const cv1::Tag& tag) {
    return RenderTag(tag, LoadDirectory(connection, {.clients = {tag.client_id()}}));
  };
}

// What a check-in and a check-out share: the visit, who, how, where and when the carer tapped.
struct EventFlags {
  std::string event_id = RandomUuid();
  std::string visit, carer, method = "manual", location, tag, caller, at, now;
  double accuracy = 0;

  void Register(FlagSet& flags, const std::string& what) {
    flags.AddString("visit", &visit, "Visit id");
    flags.AddString("carer", &carer,
                    "The carer " + what +
                        " (a coordinator's or a gateway's token); a carer's "
                        "own token implies it");
    flags.AddString("method", &method,
                    "gps, nfc, qr, telephony (a system token) or manual (always reviewed)");
    flags.AddString("location", &location, "Where, as latitude,longitude (gps)");
    flags.AddDouble("accuracy", &accuracy, "The location's accuracy in metres");
    flags.AddString("tag", &tag, "What the phone read (nfc, qr)");
    flags.AddString("caller", &caller, "The number the call came from (telephony)");
    flags.AddString("at", &at,
                    "When the carer tapped: YYYY-MM-DDTHH:MM local, or RFC 3339; default now");
    flags.AddString("event-id", &event_id, "The event's id; repeat it to retry safely");
    flags.AddString("now", &now,
                    "The sender's clock now, RFC 3339, for a service on a test clock; default "
                    "this machine's clock");
  }

  // Fills the fields CheckInRequest and CheckOutRequest share.
  template <typename Request>
  absl::Status Fill(const ClientFlags& connection, Request& request) const {
    request.set_event_id(event_id);
    request.set_visit_id(visit);
    request.set_carer_id(carer);
    absl::StatusOr<cv1::CheckInMethod> parsed = ParseCheckInMethod(method);
    if (!parsed.ok()) return ForFlag("method", parsed.status());
    request.set_method(*parsed);
    if (!location.empty()) {
      absl::StatusOr<common::v1::GeoPoint> point = ParseGeoPoint(location);
      if (!point.ok()) return ForFlag("location", point.status());
      *request.mutable_location() = *point;
    }
    request.set_accuracy_meters(accuracy);
    request.set_tag_payload(tag);
    request.set_caller_number(caller);
    // The service trusts the gap between when the event was sent and when it came, not the
    // sender's clock: a time given in --at is kept as the sender's clock would have read it.
    absl::TimeZone zone = absl::UTCTimeZone();
    if (!at.empty() || !now.empty()) {
      absl::StatusOr<absl::TimeZone> tenant_zone = TenantZone(connection);
      if (!tenant_zone.ok()) return tenant_zone.status();
      zone = *tenant_zone;
    }
    *request.mutable_sent_time() = TimeToProto(absl::Now());
    if (!now.empty()) {
      if (absl::Status ok = ParseTimeFlag("now", now, zone, *request.mutable_sent_time());
          !ok.ok()) {
        return ok;
      }
    }
    *request.mutable_device_time() = request.sent_time();
    if (at.empty()) return absl::OkStatus();
    return ParseTimeFlag("at", at, zone, *request.mutable_device_time());
  }
};

template <typename Response>
auto EventView(const ClientFlags& connection) {
  return [&connection](const Response& response) {
    return RenderEventResult(response.duplicate(), response.exceptions(), response.record(),
                             LoadDirectory(connection, WantedBy(response.record())));
  };
}

int RunCheckIn(const std::vector<std::string>& args) {
  ClientFlags connection;
  EventFlags event;
  FlagSet flags("carectl check-in");
  connection.Register(flags);
  event.Register(flags, "arriving");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  cv1::CheckInRequest request;
  if (absl::Status ok = event.Fill(connection, request); !ok.ok()) return PrintError(ok);
  return CallAndShow(connection, connection.checkin, &Stub::CheckIn, request,
                     EventView<cv1::CheckInResponse>(connection));
}

int RunCheckOut(const std::vector<std::string>& args) {
  ClientFlags connection;
  EventFlags event;
  std::string tasks, outcomes, outcome = "completed", note;
  FlagSet flags("carectl check-out");
  connection.Register(flags);
  event.Register(flags, "leaving");
  flags.AddString("tasks", &tasks,
                  "The care plan's tasks, ';'-separated <task id>=<done|refused|not-done|"
                  "partially-done>[: note]: \"t1=done; t2=refused: had eaten\"");
  flags.AddString("outcomes", &outcomes,
                  "Progress on the client's outcomes, ';'-separated <outcome id>=<worse|"
                  "no-change|better|achieved>[: note]");
  flags.AddString("outcome", &outcome,
                  "completed, no-access, client-refused, client-not-at-home or "
                  "client-unwell-emergency");
  flags.AddString("note", &note, "What the carer noted");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  cv1::CheckOutRequest request;
  if (absl::Status ok = event.Fill(connection, request); !ok.ok()) return PrintError(ok);
  absl::StatusOr<std::vector<cv1::TaskOutcome>> task_outcomes = ParseTaskOutcomes(tasks);
  if (!task_outcomes.ok()) return PrintError(ForFlag("tasks", task_outcomes.status()));
  for (cv1::TaskOutcome& task : *task_outcomes) *request.add_task_outcomes() = std::move(task);
  absl::StatusOr<std::vector<cv1::OutcomeNote>> notes = ParseOutcomeNotes(outcomes);
  if (!notes.ok()) return PrintError(ForFlag("outcomes", notes.status()));
  for (cv1::OutcomeNote& progress : *notes) *request.add_outcomes() = std::move(progress);
  absl::StatusOr<cv1::VisitOutcome> visit_outcome = ParseVisitOutcome(outcome);
  if (!visit_outcome.ok()) return PrintError(ForFlag("outcome", visit_outcome.status()));
  request.set_visit_outcome(*visit_outcome);
  request.set_note(note);
  return CallAndShow(connection, connection.checkin, &Stub::CheckOut, request,
                     EventView<cv1::CheckOutResponse>(connection));
}

int RunRecordGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::GetVisitRecordRequest request;
  FlagSet flags("carectl record get");
  connection.Register(flags);
  flags.AddString("visit", request.mutable_visit_id(), "Visit id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.checkin, &Stub::GetVisitRecord, request,
                     RecordView(connection));
}

int RunRecordList(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::ListVisitRecordsRequest request;
  DayRangeFlags days;
  std::string state;
  bool exceptions_only = false, all = false;
  int64_t page_size = 0;
  FlagSet flags("carectl record list");
  connection.Register(flags);
  days.Register(flags, "One local day: YYYY-MM-DD");
  flags.AddString("carer", request.mutable_carer_id(), "Only this carer's");
  flags.AddString("client", request.mutable_client_id(), "Only this client's");
  flags.AddString("state", &state,
                  "Only records in this state: expected, in-progress, completed, short, missed, "
                  "no-access, refused, client-not-at-home, emergency or cancelled");
  flags.AddBool("exceptions-only", &exceptions_only, "Only records with something to review");
  flags.AddInt("page-size", &page_size, "At most this many a page (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  flags.AddBool("all", &all, "Every page, to the end");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (absl::Status ok = days.Fill(request); !ok.ok()) return PrintError(ok);
  if (!state.empty()) {
    absl::StatusOr<cv1::DeliveryState> parsed = ParseDeliveryState(state);
    if (!parsed.ok()) return PrintError(ForFlag("state", parsed.status()));
    request.set_state(*parsed);
  }
  request.set_exceptions_only(exceptions_only);
  request.set_page_size(static_cast<int32_t>(page_size));
  absl::StatusOr<cv1::ListVisitRecordsResponse> records =
      CallPages(connection, connection.checkin, &Stub::ListVisitRecords, request, all,
                &cv1::ListVisitRecordsResponse::mutable_records);
  if (!records.ok()) return PrintError(records.status(), connection.FlagNames());
  return Show(connection, *records, [&](const cv1::ListVisitRecordsResponse& response) {
    Wanted wanted;
    for (const cv1::VisitRecord& record : response.records()) {
      wanted.clients.insert(record.client_id());
      for (const cv1::CarerSlot& slot : record.slots()) wanted.carers.insert(slot.carer_id());
    }
    return RenderVisitRecords(response, LoadDirectory(connection, wanted),
                              EmptyVisitRecordsMessage(request));
  });
}

int RunRecordAdjust(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::AdjustVisitRecordRequest request;
  std::string check_in, check_out, state, reason, resolution;
  std::string request_id = RandomUuid();
  FlagSet flags("carectl record adjust");
  connection.Register(flags);
  flags.AddString("visit", request.mutable_visit_id(), "Visit id");
  flags.AddString("carer", request.mutable_carer_id(), "Whose times to correct");
  flags.AddString("check-in", &check_in,
                  "The carer's true arrival: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("check-out", &check_out, "The carer's true departure");
  flags.AddString("state", &state, "The visit's true state (as `record list --state` takes)");
  flags.AddString("reason", &reason,
                  "Why: carer-forgot, phone-fault, no-signal, wrong-visit, client-request or "
                  "other");
  flags.AddString("resolution", &resolution,
                  "How it was confirmed: confirmed-with-carer, confirmed-with-client, "
                  "confirmed-from-timesheet or other");
  flags.AddString("note", request.mutable_note(), "What was found");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_request_id(request_id);
  for (auto [flag, text, path, field] :
       {std::tuple{"check-in", &check_in, "check_in_time",
                   &cv1::AdjustVisitRecordRequest::mutable_check_in_time},
        std::tuple{"check-out", &check_out, "check_out_time",
                   &cv1::AdjustVisitRecordRequest::mutable_check_out_time}}) {
    if (text->empty()) continue;
    absl::StatusOr<absl::TimeZone> zone = TenantZone(connection);
    if (!zone.ok()) return PrintError(zone.status());
    if (absl::Status ok = ParseTimeFlag(flag, *text, *zone, *(request.*field)()); !ok.ok()) {
      return PrintError(ok);
    }
    request.mutable_update_mask()->add_paths(path);
  }
  if (!state.empty()) {
    absl::StatusOr<cv1::DeliveryState> parsed = ParseDeliveryState(state);
    if (!parsed.ok()) return PrintError(ForFlag("state", parsed.status()));
    request.set_state(*parsed);
    request.mutable_update_mask()->add_paths("state");
  }
  if (!reason.empty()) {
    absl::StatusOr<cv1::AdjustmentReason> parsed = ParseAdjustmentReason(reason);
    if (!parsed.ok()) return PrintError(ForFlag("reason", parsed.status()));
    request.set_reason(*parsed);
  }
  if (!resolution.empty()) {
    absl::StatusOr<cv1::AdjustmentResolution> parsed = ParseAdjustmentResolution(resolution);
    if (!parsed.ok()) return PrintError(ForFlag("resolution", parsed.status()));
    request.set_resolution(*parsed);
  }
  return CallAndShow(connection, connection.checkin, &Stub::AdjustVisitRecord, request,
                     RecordView(connection));
}

Wanted WantedBy(const cv1::Alert& alert) {
  return Wanted{.carers = {alert.carer_ids().begin(), alert.carer_ids().end()},
                .clients = {alert.client_id()}};
}

auto AlertView(const ClientFlags& connection) {
  return [&connection](const cv1::Alert& alert) {
    return RenderAlert(alert, LoadDirectory(connection, WantedBy(alert)));
  };
}

int RunAlertsWatch(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::WatchAlertsRequest request;
  std::string kinds;
  int64_t count = 0;
  FlagSet flags("carectl alerts watch");
  connection.Register(flags);
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality's alerts");
  flags.AddString("kinds", &kinds,
                  "Only these kinds, comma-separated: late, missed, overdue-check-out, "
                  "short-visit, carer-missing");
  flags.AddString("resume-token", request.mutable_resume_token(),
                  "Resume after the alert that carried this token (printed with --json)");
  flags.AddInt("count", &count, "Stop after this many (0: until Ctrl-C)");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  for (absl::string_view kind : absl::StrSplit(kinds, ',', absl::SkipWhitespace())) {
    absl::StatusOr<cv1::AlertKind> parsed = ParseAlertKind(kind);
    if (!parsed.ok()) return PrintError(ForFlag("kinds", parsed.status()));
    request.add_kinds(*parsed);
  }
  Stub stub(connection.Channel(connection.checkin));
  std::unique_ptr<grpc::ClientContext> context = connection.StreamContext();
  std::unique_ptr<grpc::ClientReader<cv1::AlertEvent>> stream =
      stub.WatchAlerts(context.get(), request);
  return ShowWatch(
      connection, *context, *stream, count,
      [](const cv1::AlertEvent& event) { return WantedBy(event.alert()); }, RenderAlertEvent);
}

int RunAlertsList(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::ListAlertsRequest request;
  DayRangeFlags days;
  std::string kind, state;
  bool all = false;
  int64_t page_size = 0;
  FlagSet flags("carectl alerts list");
  connection.Register(flags);
  days.Register(flags, "The visits' local day: YYYY-MM-DD");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality's");
  flags.AddString("kind", &kind, "Only this kind: late, missed, overdue-check-out...");
  flags.AddString("state", &state, "Only open, acknowledged or resolved alerts");
  flags.AddString("visit", request.mutable_visit_id(), "Only this visit's");
  flags.AddInt("page-size", &page_size, "At most this many a page (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  flags.AddBool("all", &all, "Every page, to the end");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (absl::Status ok = days.Fill(request); !ok.ok()) return PrintError(ok);
  if (!kind.empty()) {
    absl::StatusOr<cv1::AlertKind> parsed = ParseAlertKind(kind);
    if (!parsed.ok()) return PrintError(ForFlag("kind", parsed.status()));
    request.set_kind(*parsed);
  }
  if (!state.empty()) {
    absl::StatusOr<cv1::AlertState> parsed = ParseAlertState(state);
    if (!parsed.ok()) return PrintError(ForFlag("state", parsed.status()));
    request.set_state(*parsed);
  }
  request.set_page_size(static_cast<int32_t>(page_size));
  absl::StatusOr<cv1::ListAlertsResponse> alerts =
      CallPages(connection, connection.checkin, &Stub::ListAlerts, request, all,
                &cv1::ListAlertsResponse::mutable_alerts);
  if (!alerts.ok()) return PrintError(alerts.status(), connection.FlagNames());
  return Show(connection, *alerts, [&](const cv1::ListAlertsResponse& response) {
    Wanted wanted;
    for (const cv1::Alert& alert : response.alerts()) {
      wanted.clients.insert(alert.client_id());
      wanted.carers.insert(alert.carer_ids().begin(), alert.carer_ids().end());
    }
    return RenderAlerts(
        response, LoadDirectory(connection, wanted),
        request.state() == cv1::ALERT_STATE_UNSPECIFIED ? "no alerts" : "no alerts in that state");
  });
}

int RunAlertAcknowledge(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::AcknowledgeAlertRequest request;
  FlagSet flags("carectl alert ack");
  connection.Register(flags);
  flags.AddString("id", request.mutable_alert_id(), "Alert id");
  flags.AddString("note", request.mutable_note(), "What is being done");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.checkin, &Stub::AcknowledgeAlert, request,
                     AlertView(connection));
}

int RunAlertResolve(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::ResolveAlertRequest request;
  std::string resolution;
  FlagSet flags("carectl alert resolve");
  connection.Register(flags);
  flags.AddString("id", request.mutable_alert_id(), "Alert id");
  flags.AddString("resolution", &resolution,
                  "carer-arrived-late, another-carer-sent, client-not-home, family-covered, "
                  "visit-not-needed, record-corrected or other");
  flags.AddString("note", request.mutable_note(), "What happened");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  absl::StatusOr<cv1::AlertResolution> parsed = ParseAlertResolution(resolution);
  if (!parsed.ok()) return PrintError(ForFlag("resolution", parsed.status()));
  request.set_resolution(*parsed);
  return CallAndShow(connection, connection.checkin, &Stub::ResolveAlert, request,
                     AlertView(connection));
}

Wanted WantedBy(const cv1::BoardEntry& entry) {
  return Wanted{.carers = {entry.carer_ids().begin(), entry.carer_ids().end()},
                .clients = {entry.client_id()}};
}

int RunBoard(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::GetBoardRequest request;
  std::string date;
  bool table = false;
  FlagSet flags("carectl board");
  connection.Register(flags);
  flags.AddString("date", &date, "The local day: YYYY-MM-DD (required)");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality's visits");
  flags.AddBool("table", &table, "The visits' lines only, without the counts");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!date.empty()) {
    if (absl::Status ok = ParseDayFlag("date", date, *request.mutable_date()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  return CallAndShow(connection, connection.checkin, &Stub::GetBoard, request,
                     [&](const cv1::Board& board) {
                       Wanted wanted;
                       for (const cv1::BoardEntry& entry : board.entries()) {
                         Wanted one = WantedBy(entry);
                         wanted.carers.insert(one.carers.begin(), one.carers.end());
                         wanted.clients.insert(one.clients.begin(), one.clients.end());
                       }
                       return RenderBoard(board, LoadDirectory(connection, wanted), table);
                     });
}

int RunBoardWatch(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::WatchBoardRequest request;
  std::string date;
  int64_t count = 0;
  FlagSet flags("carectl board watch");
  connection.Register(flags);
  flags.AddString("date", &date, "Only this local day's visits: YYYY-MM-DD");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality's visits");
  flags.AddString("resume-token", request.mutable_resume_token(),
                  "Resume after a board or change that carried this token (printed with --json)");
  flags.AddInt("count", &count, "Stop after this many changes (0: until Ctrl-C)");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!date.empty()) {
    if (absl::Status ok = ParseDayFlag("date", date, *request.mutable_date()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  Stub stub(connection.Channel(connection.checkin));
  std::unique_ptr<grpc::ClientContext> context = connection.StreamContext();
  std::unique_ptr<grpc::ClientReader<cv1::BoardChange>> stream =
      stub.WatchBoard(context.get(), request);
  return ShowWatch(
      connection, *context, *stream, count,
      [](const cv1::BoardChange& change) { return WantedBy(change.entry()); }, RenderBoardChange);
}

auto PolicyView(const ClientFlags& connection) {
  return [&connection](const cv1::CheckInPolicy& policy) {
    return RenderCheckInPolicy(policy, LoadDirectory(connection));
  };
}

int RunPolicyGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  FlagSet flags("carectl policy get");
  connection.Register(flags);
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.checkin, &Stub::GetPolicy, cv1::GetPolicyRequest(),
                     PolicyView(connection));
}

// The flags of one visit priority's thresholds; `prefix` is "" or "critical-".
struct ThresholdFlags {
  std::string late, missed, overdue, short_fraction;

  void Register(FlagSet& flags, const std::string& prefix, const std::string& which) {
    flags.AddString(prefix + "late-after", &late,
                    which + ": late this long after the planned start (15m)");
    flags.AddString(prefix + "missed-after", &missed,
                    which + ": missed this long after the planned start (1h)");
    flags.AddString(prefix + "overdue-after", &overdue,
                    which + ": check-out overdue this long after the planned end (30m)");
    flags.AddString(prefix + "short-fraction", &short_fraction,
                    which + ": short under this share of the planned length, 0 to 1 (0.75)");
  }

  // Sets the thresholds given into `thresholds`; whether any was.
  absl::StatusOr<bool> Apply(const std::string& prefix, cv1::AlertThresholds& thresholds) const {
    bool given = false;
    for (auto [name, text, field] :
         {std::tuple{"late-after", &late, thresholds.mutable_late_after()},
          std::tuple{"missed-after", &missed, thresholds.mutable_missed_after()},
          std::tuple{"overdue-after", &overdue, thresholds.mutable_overdue_check_out_after()}}) {
      if (text->empty()) continue;
      absl::Duration duration;
      if (!absl::ParseDuration(*text, &duration) || duration < absl::ZeroDuration()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", prefix, name, " must be a length like 15m or 1h30m"));
      }
      field->set_seconds(absl::ToInt64Seconds(duration));
      given = true;
    }
    if (!short_fraction.empty()) {
      double fraction = 0;
      if (!absl::SimpleAtod(short_fraction, &fraction)) {
        return absl::InvalidArgumentError(
            absl::StrCat("--", prefix, "short-fraction must be a number from 0 to 1"));
      }
      thresholds.set_short_visit_fraction(fraction);
      given = true;
    }
    return given;
  }
};

int RunPolicySet(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string geofence, skew;
  ThresholdFlags standard, critical;
  int64_t expected_version = -1;
  FlagSet flags("carectl policy set");
  connection.Register(flags);
  flags.AddString("geofence", &geofence, "Metres from the client's home a GPS event may be (150)");
  flags.AddString("max-clock-skew", &skew, "How far a phone's clock may be off (5m)");
  standard.Register(flags, "", "Standard visits");
  critical.Register(flags, "critical-", "Time-critical visits");
  flags.AddInt("expected-version", &expected_version,
               "Apply only to this version; default the version read just before");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  // The thresholds go as whole messages, so the policy in force is read and changed.
  absl::StatusOr<cv1::CheckInPolicy> current =
      Call(connection, connection.checkin, &Stub::GetPolicy, cv1::GetPolicyRequest());
  if (!current.ok()) return PrintError(current.status(), connection.FlagNames());
  cv1::UpdatePolicyRequest request;
  request.set_expected_version(expected_version >= 0 ? expected_version : current->version());
  cv1::CheckInPolicy& policy = *request.mutable_policy();
  policy = *current;
  if (!geofence.empty()) {
    double meters = 0;
    if (!absl::SimpleAtod(geofence, &meters)) {
      return PrintError(absl::InvalidArgumentError("--geofence must be a number of metres"));
    }
    policy.set_geofence_meters(meters);
    request.mutable_update_mask()->add_paths("geofence_meters");
  }
  if (!skew.empty()) {
    absl::Duration duration;
    if (!absl::ParseDuration(skew, &duration) || duration < absl::ZeroDuration()) {
      return PrintError(
          absl::InvalidArgumentError("--max-clock-skew must be a length like 5m or 90s"));
    }
    policy.mutable_max_clock_skew()->set_seconds(absl::ToInt64Seconds(duration));
    request.mutable_update_mask()->add_paths("max_clock_skew");
  }
  for (auto [prefix, given, path, thresholds] :
       {std::tuple{"", &standard, "standard", policy.mutable_standard()},
        std::tuple{"critical-", &critical, "time_critical", policy.mutable_time_critical()}}) {
    absl::StatusOr<bool> changed = given->Apply(prefix, *thresholds);
    if (!changed.ok()) return PrintError(changed.status());
    if (*changed) request.mutable_update_mask()->add_paths(path);
  }
  if (request.update_mask().paths().empty()) {
    return PrintError(absl::InvalidArgumentError(
        "nothing to change: give --geofence, --max-clock-skew or a threshold"));
  }
  return CallAndShow(connection, connection.checkin, &Stub::UpdatePolicy, request,
                     PolicyView(connection));
}

int RunTagRegister(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::RegisterTagRequest request;
  std::string kind;
  std::string request_id = RandomUuid();
  cv1::Tag& tag = *request.mutable_tag();
  FlagSet flags("carectl tag register");
  connection.Register(flags);
  flags.AddString("client", tag.mutable_client_id(), "Client id");
  flags.AddString("kind", &kind, "nfc, qr or landline");
  flags.AddString("payload", tag.mutable_payload(),
                  "What the phone reads (nfc, qr), or the landline's number");
  flags.AddString("label", tag.mutable_label(), "Where it is: \"inside the kitchen cupboard\"");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_request_id(request_id);
  absl::StatusOr<cv1::TagKind> parsed = ParseTagKind(kind);
  if (!parsed.ok()) return PrintError(ForFlag("kind", parsed.status()));
  tag.set_kind(*parsed);
  return CallAndShow(connection, connection.checkin, &Stub::RegisterTag, request,
                     TagView(connection));
}

int RunTagList(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::ListTagsRequest request;
  bool retired = false;
  FlagSet flags("carectl tag list");
  connection.Register(flags);
  flags.AddString("client", request.mutable_client_id(), "Client id");
  flags.AddBool("retired", &retired, "Retired tags too");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_include_retired(retired);
  return CallAndShow(connection, connection.checkin, &Stub::ListTags, request,
                     [&](const cv1::ListTagsResponse& response) {
                       return RenderTags(
                           response, LoadDirectory(connection, {.clients = {request.client_id()}}),
                           retired ? "the client has no tags" : "the client has no tags in use");
                     });
}

int RunTagRetire(const std::vector<std::string>& args) {
  ClientFlags connection;
  cv1::RetireTagRequest request;
  FlagSet flags("carectl tag retire");
  connection.Register(flags);
  flags.AddString("id", request.mutable_tag_id(), "Tag id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.checkin, &Stub::RetireTag, request,
                     TagView(connection));
}

}  // namespace

void RegisterCheckInCommands() {
  auto& commands = Commands();
  commands.push_back(
      {{"check-in"}, "Record a carer's arrival (for a carer, or on their behalf)", RunCheckIn});
  commands.push_back({{"check-out"},
                      "Record a carer's departure, with the tasks done and the visit's outcome",
                      RunCheckOut});
  commands.push_back({{"record", "get"},
                      "A visit's record: who came when, how it was verified, what to review",
                      RunRecordGet});
  commands.push_back(
      {{"record", "list"}, "Visit records of a day or period, filtered", RunRecordList});
  commands.push_back({{"record", "adjust"},
                      "Correct a record's times or state, with a reason (kept in its audit)",
                      RunRecordAdjust});
  commands.push_back({{"alerts", "watch"},
                      "Late, missed and overdue visits as they are raised and handled",
                      RunAlertsWatch});
  commands.push_back({{"alerts", "list"}, "Alerts of a day or period, filtered", RunAlertsList});
  commands.push_back(
      {{"alert", "ack"}, "Acknowledge an alert: someone is on it", RunAlertAcknowledge});
  commands.push_back(
      {{"alert", "resolve"}, "Resolve an alert with what happened", RunAlertResolve});
  commands.push_back(
      {{"board"}, "The live board of a day: each visit's state, counted by locality", RunBoard});
  commands.push_back({{"board", "watch"}, "Each visit's board entry as it changes", RunBoardWatch});
  commands.push_back(
      {{"policy", "get"}, "The check-in policy: geofence, thresholds", RunPolicyGet});
  commands.push_back(
      {{"policy", "set"}, "Change the check-in policy's values given", RunPolicySet});
  commands.push_back({{"tag", "register"},
                      "Register an NFC tag, QR code or landline of a client",
                      RunTagRegister});
  commands.push_back({{"tag", "list"}, "A client's tags", RunTagList});
  commands.push_back({{"tag", "retire"}, "Stop accepting a tag", RunTagRetire});
}

}  // namespace homecare::carectl
