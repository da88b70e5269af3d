#include "services/checkin/checkin.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/api/resume_token.h"
#include "common/api/write.h"
#include "common/ids/ids.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "services/checkin/alert_rules.h"
#include "services/checkin/event_rules.h"
#include "services/checkin/policy_rules.h"
#include "services/checkin/record_rules.h"

namespace homecare::checkin {
namespace {

constexpr int kScanBatch = 200;
constexpr int kMaxListDays = 92;
constexpr size_t kMaxAdjustmentNote = 2000;
constexpr size_t kMaxTagLabel = 200;
constexpr int kMaxTagsPerClient = 200;
constexpr size_t kMaxAlertNote = 2000;

std::vector<v1::VisitException> ExceptionsOf(const v1::VisitRecord& record,
                                             const std::string& event_id) {
  for (const v1::StoredEvent& event : record.events()) {
    if (event.event_id() == event_id) return {event.exceptions().begin(), event.exceptions().end()};
  }
  return {};
}

bool HasSlot(const v1::VisitRecord& record, const std::string& carer_id) {
  return std::any_of(record.slots().begin(), record.slots().end(),
                     [&](const v1::CarerSlot& slot) { return slot.carer_id() == carer_id; });
}

absl::Status ValidDate(FieldViolations& violations, const common::v1::Date& date,
                       const char* field) {
  absl::Status valid = DateFromProto(date, field).status();
  violations.AddFrom(valid);
  return valid;
}

// A list's local days: `date`, or `start` to `end` (inclusive, at most kMaxListDays); nullopt
// after adding what is wrong to `violations`.
std::optional<std::pair<absl::CivilDay, absl::CivilDay>> DateRange(
    FieldViolations& violations, const common::v1::Date& date, bool has_date,
    const common::v1::Date& start, bool has_start, const common::v1::Date& end, bool has_end) {
  if (has_date) {
    if (has_start || has_end) {
      violations.Add("date", "give date, or start_date and end_date, not both");
      return std::nullopt;
    }
    if (!ValidDate(violations, date, "date").ok()) return std::nullopt;
    const absl::CivilDay day = *DateFromProto(date, "date");
    return std::pair(day, day);
  }
  if (!has_start) violations.Add("start_date", "must be set (or date)");
  if (!has_end) violations.Add("end_date", "must be set (or date)");
  if (!has_start || !has_end || !ValidDate(violations, start, "start_date").ok() ||
      !ValidDate(violations, end, "end_date").ok()) {
    return std::nullopt;
  }
  const absl::CivilDay first = *DateFromProto(start, "start_date");
  const absl::CivilDay last = *DateFromProto(end, "end_date");
  if (last < first) {
    violations.Add("end_date", "must not be before start_date");
    return std::nullopt;
  }
  if (last - first >= kMaxListDays) {
    violations.Add("end_date", absl::StrCat("at most ", kMaxListDays, " days from start_date"));
    return std::nullopt;
  }
  return std::pair(first, last);
}

std::vector<v1::Alert> AlertsOf(const std::vector<Snapshot<v1::Alert>>& alerts) {
  std::vector<v1::Alert> records;
  for (const Snapshot<v1::Alert>& alert : alerts) records.push_back(alert.record);
  return records;
}

std::string TimeText(const google::protobuf::Timestamp& time) {
  if (time.seconds() == 0 && time.nanos() == 0) return "";
  return absl::FormatTime(absl::RFC3339_sec, absl::FromUnixSeconds(time.seconds()),
                          absl::UTCTimeZone());
}

const v1::CarerSlot* SlotOf(const v1::VisitRecord& record, const std::string& carer_id) {
  for (const v1::CarerSlot& slot : record.slots()) {
    if (slot.carer_id() == carer_id) return &slot;
  }
  return nullptr;
}

}  // namespace

absl::StatusOr<v1::VisitRecord> CheckIns::Rebuild(const std::string& tenant_id,
                                                  const CheckInRecords::VisitState& state,
                                                  const v1::StoredEvent* added,
                                                  const std::vector<v1::AuditEntry>& adjustments) {
  RecordInputs inputs;
  inputs.visit_id = state.record.bytes.empty() ? "" : state.record.record.visit_id();
  inputs.view = state.view.has_value() ? &*state.view : nullptr;
  inputs.events = state.events;
  if (added != nullptr) inputs.events.push_back(*added);
  if (inputs.view != nullptr) {
    inputs.visit_id = inputs.view->visit_id();
    // A read of its own, so made only for a visit with an event the tags verify.
    if (std::any_of(inputs.events.begin(), inputs.events.end(), UsesTags)) {
      absl::StatusOr<std::vector<v1::Tag>> tags =
          records_.ReadClientTags(tenant_id, inputs.view->client_id());
      if (!tags.ok()) return tags.status();
      inputs.tags = *std::move(tags);
    }
  }
  if (inputs.visit_id.empty() && added != nullptr) {
    inputs.visit_id = ViewOf(added->event()).visit_id;
  }
  inputs.adjustments = state.adjustments;
  inputs.adjustments.insert(inputs.adjustments.end(), adjustments.begin(), adjustments.end());
  inputs.policy = EffectivePolicy(state.policy.record);
  v1::VisitRecord record = BuildRecord(inputs);
  record.set_version(state.record.record.version() + 1);
  *record.mutable_update_time() = TimeToProto(clock_.Now());
  return record;
}

// ---------------------------------------------------------------------------------------------
// Events

absl::StatusOr<CheckIns::Submitted> CheckIns::Submit(const std::string& tenant_id,
                                                     const Sender& sender,
                                                     const v1::QueuedEvent& event) {
  if (absl::Status valid = ValidateEvent(event); !valid.ok()) return valid;
  const EventView view = ViewOf(event);
  std::string carer_id;
  if (!sender.carer_id.empty()) {
    if (!view.carer_id.empty() && view.carer_id != sender.carer_id) {
      return absl::PermissionDeniedError("a carer records only their own visits");
    }
    carer_id = sender.carer_id;
  } else {
    if (view.carer_id.empty()) {
      return InvalidArgumentError("carer_id", "must name the carer the event is for");
    }
    carer_id = view.carer_id;
  }
  if (view.method == v1::CHECK_IN_METHOD_TELEPHONY && !sender.system) {
    return absl::PermissionDeniedError(
        "telephony check-ins come only from the telephony gateway (a system token)");
  }
  if (view.method != v1::CHECK_IN_METHOD_TELEPHONY && !view.caller_number.empty()) {
    return InvalidArgumentError("caller_number", "is for TELEPHONY events only");
  }
  const std::string fingerprint = EventFingerprint(event, carer_id);

  // A repeat is answered with what the first one made, whatever has happened since.
  auto answer_earlier = [&](const CheckInRecords::EventSeen& earlier,
                            const CheckInRecords::VisitState* read) -> absl::StatusOr<Submitted> {
    if (earlier.fingerprint != fingerprint) {
      return WithErrorInfo(
          absl::AlreadyExistsError(absl::StrCat("event_id ", view.event_id,
                                                " was used for another event; make a new one")),
          "EVENT_ID_REUSED", kCheckInErrorDomain);
    }
    Submitted submitted;
    submitted.duplicate = true;
    if (read != nullptr && earlier.visit_id == view.visit_id) {
      submitted.record = read->record.record;
    } else {
      absl::StatusOr<CheckInRecords::VisitState> state =
          records_.ReadVisitState(tenant_id, earlier.visit_id, "");
      if (!state.ok()) return state.status();
      submitted.record = state->record.record;
    }
    submitted.exceptions = ExceptionsOf(submitted.record, view.event_id);
    return submitted;
  };

  const absl::Time received = clock_.Now();
  bool asked_scheduling = false;
  return RetryOnConflict<Submitted>([&]() -> absl::StatusOr<Submitted> {
    absl::StatusOr<CheckInRecords::VisitState> state =
        records_.ReadVisitState(tenant_id, view.visit_id, view.event_id);
    if (!state.ok()) return state.status();
    if (state->seen.has_value()) return answer_earlier(*state->seen, &*state);
    if (!state->view.has_value() && !asked_scheduling) {
      // Not on the stream yet: asked once. Scheduling being down never stops a check-in: the
      // event is kept and checked once the visit is known.
      asked_scheduling = true;
      absl::StatusOr<scheduling::v1::Visit> visit = visits_.GetVisit(tenant_id, view.visit_id);
      if (absl::IsNotFound(visit.status())) {
        return absl::NotFoundError(absl::StrCat("visit ", view.visit_id, " not found"));
      }
      if (visit.ok()) {
        absl::StatusOr<bool> kept = KeepView(tenant_id, ViewFromVisit(*visit), *state);
        if (!kept.ok()) return kept.status();
        state->view = ViewFromVisit(*visit);
      }
    }
    if (static_cast<int>(state->events.size()) >= kMaxEventsPerVisit) {
      return absl::ResourceExhaustedError(absl::StrCat(
          "visit ", view.visit_id, " has ", kMaxEventsPerVisit, " events already; no more"));
    }
    const v1::StoredEvent stored = NewStoredEvent(event, carer_id, received);
    absl::StatusOr<v1::VisitRecord> record = Rebuild(tenant_id, *state, &stored, {});
    if (!record.ok()) return record.status();
    std::optional<v1::BoardEntry> board;
    if (state->view.has_value()) {
      board = Board(*state->view, *record, AlertsOf(state->alerts), state->policy);
    }
    absl::StatusOr<CheckInRecords::StoreOutcome> outcome = records_.StoreEvent(
        tenant_id, stored, fingerprint, state->record, *record, board ? &*board : nullptr);
    if (!outcome.ok()) return outcome.status();
    if (outcome->earlier.has_value()) return answer_earlier(*outcome->earlier, nullptr);
    if (state->view.has_value()) {
      // The event is stored whatever happens here: an alert left unsettled is settled by the
      // visit's next change.
      if (absl::Status reviewed =
              ReviewAlerts(tenant_id, *state->view, *record, state->alerts, state->policy);
          !reviewed.ok()) {
        LogWarning("alerts of visit ", view.visit_id, " not reviewed: ", reviewed.message());
      }
    }
    Submitted submitted;
    submitted.exceptions = ExceptionsOf(*record, view.event_id);
    submitted.record = *std::move(record);
    return submitted;
  });
}

absl::StatusOr<v1::SyncEventsResponse> CheckIns::Sync(const std::string& tenant_id,
                                                      const Sender& sender,
                                                      const v1::SyncEventsRequest& request) {
  if (request.events_size() > kMaxBatch) {
    return InvalidArgumentError("events", absl::StrCat("at most ", kMaxBatch, " a batch"));
  }
  v1::SyncEventsResponse response;
  for (int i = 0; i < request.events_size(); ++i) {
    const v1::QueuedEvent& event = request.events(i);
    v1::EventResult& result = *response.add_results();
    if (event.event_case() != v1::QueuedEvent::EVENT_NOT_SET) {
      result.set_event_id(ViewOf(event).event_id);
    }
    absl::StatusOr<Submitted> submitted = Submit(tenant_id, sender, event);
    if (!submitted.ok()) {
      result.set_code(static_cast<int>(submitted.status().code()));
      result.set_message(absl::StrCat("events[", i, "]: ", submitted.status().message()));
      continue;
    }
    result.set_duplicate(submitted->duplicate);
    for (v1::VisitException& exception : submitted->exceptions) {
      *result.add_exceptions() = std::move(exception);
    }
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// Records

absl::StatusOr<v1::VisitRecord> CheckIns::GetVisitRecord(const std::string& tenant_id,
                                                         const std::string& visit_id,
                                                         const std::string& only_carer) {
  if (absl::Status valid = ValidateId("visit_id", visit_id); !valid.ok()) return valid;
  const absl::Status not_found =
      absl::NotFoundError(absl::StrCat("visit ", visit_id, " not found"));
  absl::StatusOr<CheckInRecords::VisitState> state =
      records_.ReadVisitState(tenant_id, visit_id, "");
  if (!state.ok()) return state.status();
  if (!state->view.has_value() && state->record.bytes.empty()) {
    absl::StatusOr<scheduling::v1::Visit> visit = visits_.GetVisit(tenant_id, visit_id);
    if (absl::IsNotFound(visit.status())) return not_found;
    if (!visit.ok()) return visit.status();
    // Kept, as for a check-in: the stream's later changes of it apply on top.
    absl::StatusOr<bool> kept = KeepView(tenant_id, ViewFromVisit(*visit), *state);
    state->view = ViewFromVisit(*visit);
    if (!kept.ok()) return kept.status();
  }
  v1::VisitRecord record = state->record.record;
  if (state->record.bytes.empty()) {
    // Nothing recorded yet: what is expected.
    absl::StatusOr<v1::VisitRecord> expected = Rebuild(tenant_id, *state, nullptr, {});
    if (!expected.ok()) return expected.status();
    record = *std::move(expected);
    record.set_version(0);
  }
  if (!only_carer.empty()) {
    const bool on_visit =
        state->view.has_value() &&
        std::find(state->view->carer_ids().begin(), state->view->carer_ids().end(), only_carer) !=
            state->view->carer_ids().end();
    if (!on_visit && !HasSlot(record, only_carer)) return not_found;
  }
  return record;
}

absl::StatusOr<v1::ListVisitRecordsResponse> CheckIns::ListVisitRecords(
    const std::string& tenant_id, const v1::ListVisitRecordsRequest& request,
    const std::string& only_carer) {
  if (!only_carer.empty() && !request.carer_id().empty() && request.carer_id() != only_carer) {
    return absl::PermissionDeniedError("a carer lists only their own records");
  }
  FieldViolations violations;
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  violations.AddFrom(page_size.status());
  std::optional<std::pair<absl::CivilDay, absl::CivilDay>> days =
      DateRange(violations, request.date(), request.has_date(), request.start_date(),
                request.has_start_date(), request.end_date(), request.has_end_date());
  if (!request.carer_id().empty()) violations.AddFrom(ValidateId("carer_id", request.carer_id()));
  if (!request.client_id().empty()) {
    violations.AddFrom(ValidateId("client_id", request.client_id()));
  }
  if (!v1::DeliveryState_IsValid(request.state())) {
    violations.Add("state", "must be a DeliveryState");
  }
  if (!violations.empty()) return violations.ToStatus();
  const auto [first, last] = *days;
  const std::string carer = only_carer.empty() ? request.carer_id() : only_carer;
  const std::string query =
      absl::StrCat("records?from=", absl::FormatCivilTime(first),
                   "&to=", absl::FormatCivilTime(last), "&carer=", carer,
                   "&client=", request.client_id(), "&state=", static_cast<int>(request.state()),
                   "&exceptions=", request.exceptions_only() ? 1 : 0);
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  const int64_t first_key = DateKey(DateToProto(first));
  const int64_t last_key = DateKey(DateToProto(last));
  v1::ListVisitRecordsResponse response;
  while (true) {
    absl::StatusOr<ScoredIdPage> page =
        records_.ListRecordIds(tenant_id, {.client_id = request.client_id(), .carer_id = carer},
                               first_key, last_key, *cursor, kScanBatch);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<v1::VisitRecord>> records =
        records_.ReadRecords(tenant_id, page->ids);
    if (!records.ok()) return records.status();
    for (size_t i = 0; i < records->size(); ++i) {
      v1::VisitRecord& record = (*records)[i];
      if (!request.client_id().empty() && record.client_id() != request.client_id()) continue;
      if (!carer.empty() && !HasSlot(record, carer)) continue;
      if (request.state() != v1::DELIVERY_STATE_UNSPECIFIED && record.state() != request.state()) {
        continue;
      }
      if (request.exceptions_only() && record.exceptions().empty()) continue;
      *response.add_records() = std::move(record);
      if (response.records_size() == *page_size) {
        response.set_next_page_token(
            MakePageToken(absl::StrCat(DateKey(response.records().rbegin()->service_date()), ":",
                                       response.records().rbegin()->visit_id()),
                          query));
        return response;
      }
    }
    if (page->exhausted) return response;
    *cursor = page->last_cursor;
  }
}

absl::StatusOr<v1::VisitRecord> CheckIns::AdjustVisitRecord(
    const std::string& tenant_id, const std::string& actor,
    const v1::AdjustVisitRecordRequest& request) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("visit_id", request.visit_id()));
  violations.AddFrom(ValidateRequestId(request.request_id()));
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), {"check_in_time", "check_out_time", "state"});
  violations.AddFrom(paths.status());
  if (request.reason() == v1::ADJUSTMENT_REASON_UNSPECIFIED ||
      !v1::AdjustmentReason_IsValid(request.reason())) {
    violations.Add("reason", "must be one of AdjustmentReason (why the record is corrected)");
  }
  if (request.resolution() == v1::ADJUSTMENT_RESOLUTION_UNSPECIFIED ||
      !v1::AdjustmentResolution_IsValid(request.resolution())) {
    violations.Add("resolution", "must be one of AdjustmentResolution (how it was confirmed)");
  }
  CheckText(violations, "note", request.note(),
            {kMaxAdjustmentNote, /*required=*/true, TextLines::kMultiple});
  const bool sets_time =
      paths.ok() && std::any_of(paths->begin(), paths->end(),
                                [](const std::string& path) { return path != "state"; });
  if (sets_time) violations.AddFrom(ValidateId("carer_id", request.carer_id()));
  if (paths.ok()) {
    for (const std::string& path : *paths) {
      if (path == "state") {
        if (request.state() == v1::DELIVERY_STATE_UNSPECIFIED ||
            !v1::DeliveryState_IsValid(request.state())) {
          violations.Add("state", "must be a DeliveryState");
        }
        continue;
      }
      const google::protobuf::Timestamp& time =
          path == "check_in_time" ? request.check_in_time() : request.check_out_time();
      const bool set =
          path == "check_in_time" ? request.has_check_in_time() : request.has_check_out_time();
      if (!set) {
        violations.Add(path, "must be set");
      } else {
        violations.AddFrom(TimeFromProto(time, path).status());
      }
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  return RetryOnConflict<v1::VisitRecord>([&]() -> absl::StatusOr<v1::VisitRecord> {
    absl::StatusOr<CheckInRecords::VisitState> state =
        records_.ReadVisitState(tenant_id, request.visit_id(), "");
    if (!state.ok()) return state.status();
    if (!state->view.has_value() && state->record.bytes.empty()) {
      return absl::NotFoundError(absl::StrCat("visit ", request.visit_id(), " not found"));
    }
    // A retry of a correction already made is answered with the record as it is.
    if (!request.request_id().empty() &&
        std::any_of(state->adjustments.begin(), state->adjustments.end(),
                    [&](const v1::AuditEntry& entry) {
                      return entry.request_id() == request.request_id();
                    })) {
      return state->record.record;
    }
    const v1::VisitRecord& before = state->record.record;
    if (sets_time) {
      const bool on_visit =
          (state->view.has_value() &&
           std::find(state->view->carer_ids().begin(), state->view->carer_ids().end(),
                     request.carer_id()) != state->view->carer_ids().end()) ||
          HasSlot(before, request.carer_id());
      if (!on_visit) {
        PreconditionViolations refused;
        refused.Add("CARER_NOT_ON_VISIT", absl::StrCat("carers/", request.carer_id()),
                    "the carer is neither on the visit nor has evidence on it");
        return refused.ToStatus("the record cannot be corrected so");
      }
    }
    const absl::Time now = clock_.Now();
    std::vector<v1::AuditEntry> entries;
    for (const std::string& path : *paths) {
      v1::AuditEntry& entry = entries.emplace_back();
      *entry.mutable_time() = TimeToProto(now);
      entry.set_actor(actor);
      entry.set_action("adjust");
      entry.set_reason(request.reason());
      entry.set_resolution(request.resolution());
      entry.set_note(request.note());
      entry.set_field(path);
      entry.set_request_id(request.request_id());
      if (path == "state") {
        entry.set_old_value(v1::DeliveryState_Name(before.state()));
        entry.set_new_value(v1::DeliveryState_Name(request.state()));
        entry.set_state_value(request.state());
        continue;
      }
      entry.set_carer_id(request.carer_id());
      const v1::CarerSlot* slot = SlotOf(before, request.carer_id());
      const bool in = path == "check_in_time";
      if (slot != nullptr) {
        const google::protobuf::Timestamp& old =
            in ? (slot->has_adjusted_check_in_time() ? slot->adjusted_check_in_time()
                                                     : slot->check_in_time())
               : (slot->has_adjusted_check_out_time() ? slot->adjusted_check_out_time()
                                                      : slot->check_out_time());
        entry.set_old_value(TimeText(old));
      }
      *entry.mutable_time_value() = in ? request.check_in_time() : request.check_out_time();
      entry.set_new_value(TimeText(entry.time_value()));
    }
    absl::StatusOr<v1::VisitRecord> record = Rebuild(tenant_id, *state, nullptr, entries);
    if (!record.ok()) return record.status();
    std::optional<v1::BoardEntry> board;
    if (state->view.has_value()) {
      board = Board(*state->view, *record, AlertsOf(state->alerts), state->policy);
    }
    if (absl::Status written = records_.WriteRecord(tenant_id, state->record, *record, entries,
                                                    board ? &*board : nullptr);
        !written.ok()) {
      return written;
    }
    if (state->view.has_value()) {
      if (absl::Status reviewed =
              ReviewAlerts(tenant_id, *state->view, *record, state->alerts, state->policy);
          !reviewed.ok()) {
        LogWarning("alerts of visit ", request.visit_id(), " not reviewed: ", reviewed.message());
      }
    }
    return record;
  });
}

// ---------------------------------------------------------------------------------------------
// Policy and tags

absl::StatusOr<v1::CheckInPolicy> CheckIns::GetPolicy(const std::string& tenant_id) {
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> stored = records_.ReadPolicy(tenant_id);
  if (!stored.ok()) return stored.status();
  return EffectivePolicy(stored->record);
}

absl::StatusOr<v1::CheckInPolicy> CheckIns::UpdatePolicy(const std::string& tenant_id,
                                                         const v1::UpdatePolicyRequest& request) {
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), PolicyUpdatePaths());
  if (!paths.ok()) return paths.status();
  return RetryOnConflict<v1::CheckInPolicy>([&]() -> absl::StatusOr<v1::CheckInPolicy> {
    absl::StatusOr<Snapshot<v1::CheckInPolicy>> read = records_.ReadPolicy(tenant_id);
    if (!read.ok()) return read.status();
    if (absl::Status version =
            CheckExpectedVersion(request.expected_version(), read->record.version(),
                                 "the check-in policy", kCheckInErrorDomain);
        !version.ok()) {
      return version;
    }
    absl::StatusOr<v1::CheckInPolicy> updated =
        ApplyPolicyUpdate(read->record, request.policy(), *paths, clock_.Now());
    if (!updated.ok()) return updated.status();
    if (absl::Status written = records_.WritePolicy(tenant_id, *read, *updated); !written.ok()) {
      return written;
    }
    // The pending checks move to the new thresholds now, not when each comes due: a tighter
    // threshold must not wait for the old, later one.
    if (absl::Status moved = RescheduleChecks(tenant_id); !moved.ok()) return moved;
    return EffectivePolicy(*updated);
  });
}

absl::StatusOr<v1::Tag> CheckIns::RegisterTag(const std::string& tenant_id,
                                              const std::string& actor,
                                              const v1::RegisterTagRequest& request) {
  const v1::Tag& asked = request.tag();
  FieldViolations violations;
  violations.AddFrom(ValidateRequestId(request.request_id()));
  violations.AddFrom(ValidateId("tag.client_id", asked.client_id()));
  std::string payload = asked.payload();
  switch (asked.kind()) {
    case v1::TAG_KIND_NFC:
    case v1::TAG_KIND_QR:
      CheckText(violations, "tag.payload", payload, {kMaxTagPayloadBytes, /*required=*/true});
      break;
    case v1::TAG_KIND_LANDLINE:
      payload = CanonicalLandline(asked.payload());
      if (payload.size() < 6 || payload.size() > 20) {
        violations.Add("tag.payload", "must be a phone number (6 to 20 digits)");
      }
      break;
    default:
      violations.Add("tag.kind", "must be TAG_KIND_NFC, TAG_KIND_QR or TAG_KIND_LANDLINE");
  }
  CheckText(violations, "tag.label", asked.label(), {kMaxTagLabel});
  if (!violations.empty()) return violations.ToStatus();
  if (absl::Status client = visits_.CheckClient(tenant_id, asked.client_id()); !client.ok()) {
    return client;
  }
  absl::StatusOr<std::vector<v1::Tag>> existing =
      records_.ReadClientTags(tenant_id, asked.client_id());
  if (!existing.ok()) return existing.status();
  if (static_cast<int>(existing->size()) >= kMaxTagsPerClient) {
    return absl::ResourceExhaustedError(
        absl::StrCat("client ", asked.client_id(), " has ", kMaxTagsPerClient, " tags already"));
  }
  v1::Tag tag;
  tag.set_tag_id(IdForRequest("tag", tenant_id, request.request_id()));
  tag.set_client_id(asked.client_id());
  tag.set_kind(asked.kind());
  tag.set_payload(payload);
  tag.set_label(asked.label());
  *tag.mutable_register_time() = TimeToProto(clock_.Now());
  tag.set_registered_by(actor);
  absl::StatusOr<Created<v1::Tag>> created =
      records_.CreateTag(tenant_id, tag, RequestFingerprint(request.request_id(), request.tag()));
  if (!created.ok()) return created.status();
  return std::move(created->record);
}

absl::StatusOr<v1::Tag> CheckIns::RetireTag(const std::string& tenant_id, const std::string& actor,
                                            const v1::RetireTagRequest& request) {
  if (absl::Status valid = ValidateId("tag_id", request.tag_id()); !valid.ok()) return valid;
  return RetryOnConflict<v1::Tag>([&]() -> absl::StatusOr<v1::Tag> {
    absl::StatusOr<Snapshot<v1::Tag>> read = records_.ReadTag(tenant_id, request.tag_id());
    if (!read.ok()) return read.status();
    if (read->record.has_retire_time()) return read->record;  // a retry
    v1::Tag retired = read->record;
    *retired.mutable_retire_time() = TimeToProto(clock_.Now());
    retired.set_retired_by(actor);
    if (absl::Status written = records_.RetireTag(tenant_id, *read, retired); !written.ok()) {
      return written;
    }
    return retired;
  });
}

absl::StatusOr<v1::ListTagsResponse> CheckIns::ListTags(const std::string& tenant_id,
                                                        const v1::ListTagsRequest& request) {
  if (absl::Status valid = ValidateId("client_id", request.client_id()); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<std::vector<v1::Tag>> tags =
      records_.ReadClientTags(tenant_id, request.client_id());
  if (!tags.ok()) return tags.status();
  v1::ListTagsResponse response;
  for (v1::Tag& tag : *tags) {
    if (tag.has_retire_time() && !request.include_retired()) continue;
    *response.add_tags() = std::move(tag);
  }
  return response;
}

// ---------------------------------------------------------------------------------------------
// The visit stream

absl::Status CheckIns::FollowVisitChange(const scheduling::v1::VisitChange& change) {
  const std::string& tenant_id = change.tenant_id();
  const std::string& visit_id = change.visit().visit_id();
  absl::StatusOr<bool> done = RetryOnConflict<bool>([&]() -> absl::StatusOr<bool> {
    absl::StatusOr<CheckInRecords::VisitState> state =
        records_.ReadVisitState(tenant_id, visit_id, "");
    if (!state.ok()) return state.status();
    v1::VisitView view =
        ApplyVisitChange(state->view.has_value() ? &*state->view : nullptr, change);
    if (state->view.has_value() && view.SerializeAsString() == state->view->SerializeAsString()) {
      return false;  // an older change, or one handled already
    }
    absl::StatusOr<bool> kept = KeepView(tenant_id, view, *state);
    if (!kept.ok()) return kept.status();
    if (!*kept) return false;
    v1::VisitRecord record = state->record.record;
    if (!state->record.bytes.empty()) {
      // The visit has a record: rebuilt against the visit as it is now.
      state->view = view;
      absl::StatusOr<v1::VisitRecord> rebuilt = Rebuild(tenant_id, *state, nullptr, {});
      if (!rebuilt.ok()) return rebuilt.status();
      const v1::BoardEntry board = Board(view, *rebuilt, AlertsOf(state->alerts), state->policy);
      if (absl::Status written =
              records_.WriteRecord(tenant_id, state->record, *rebuilt, {}, &board);
          !written.ok()) {
        return written;
      }
      record = *std::move(rebuilt);
    }
    // Handled again if this fails: the follower retries the change.
    if (absl::Status reviewed = ReviewAlerts(tenant_id, view, record, state->alerts, state->policy);
        !reviewed.ok()) {
      return reviewed;
    }
    return true;
  });
  return done.status();
}

// ---------------------------------------------------------------------------------------------
// Alerts

absl::StatusOr<bool> CheckIns::KeepView(const std::string& tenant_id, const v1::VisitView& view,
                                        const CheckInRecords::VisitState& state) {
  const v1::BoardEntry board =
      Board(view, state.record.record, AlertsOf(state.alerts), state.policy);
  absl::StatusOr<bool> kept = records_.PutVisitView(
      tenant_id, view, state.view.has_value() ? &*state.view : nullptr, &board);
  if (!kept.ok() || !*kept) return kept;
  absl::Status scheduled = records_.ScheduleChecks(
      tenant_id, {{view.visit_id(), DueChecks(view, EffectivePolicy(state.policy.record))}});
  if (!scheduled.ok()) return scheduled;
  return true;
}

absl::Status CheckIns::ReviewAlerts(const std::string& tenant_id, const v1::VisitView& view,
                                    const v1::VisitRecord& record,
                                    const std::vector<Snapshot<v1::Alert>>& alerts,
                                    const Snapshot<v1::CheckInPolicy>& policy) {
  const absl::Time now = clock_.Now();
  std::set<std::string> known;
  // The visit's alerts as they become: each board entry logged shows them so.
  std::vector<v1::Alert> current = AlertsOf(alerts);
  for (size_t i = 0; i < alerts.size(); ++i) {
    const Snapshot<v1::Alert>& first = alerts[i];
    known.insert(first.record.alert_id());
    bool fresh = true;
    absl::StatusOr<bool> settled = RetryOnConflict<bool>([&]() -> absl::StatusOr<bool> {
      // The alert as read with the visit, then as it is after someone else changed it.
      absl::StatusOr<Snapshot<v1::Alert>> read =
          fresh ? first : records_.ReadAlert(tenant_id, first.record.alert_id());
      fresh = false;
      if (!read.ok()) return read.status();
      std::optional<Settlement> settlement = SettlementOf(read->record, view, record);
      if (!settlement.has_value()) return false;
      current[i] = Settled(read->record, *settlement, now);
      const v1::BoardEntry board = Board(view, record, current, policy);
      absl::Status written = records_.UpdateAlert(tenant_id, *read, current[i], &board);
      if (!written.ok()) return written;
      return true;
    });
    if (!settled.ok()) return settled.status();
  }
  // What the checks already passed find in the visit as it now is: a double-up's missing carer
  // once evidence shows the other was in, the new carers of a visit given to others. The
  // engine may not have run a check that came due a moment ago: an alert raised here or there
  // is the same alert.
  std::vector<v1::Alert> raise;
  for (const DueCheck& check : DueChecks(view, EffectivePolicy(policy.record))) {
    if (check.at > now || now - check.at > kStaleCheck) continue;
    for (v1::Alert& alert : AlertsDue(check.rule, check.at, view, record, now)) {
      if (!known.contains(alert.alert_id())) raise.push_back(std::move(alert));
    }
  }
  if (std::optional<v1::Alert> short_visit = ShortVisitAlert(view, record, now);
      short_visit.has_value() && !known.contains(short_visit->alert_id())) {
    raise.push_back(*std::move(short_visit));
  }
  if (raise.empty()) return absl::OkStatus();
  current.insert(current.end(), raise.begin(), raise.end());
  const v1::BoardEntry board = Board(view, record, current, policy);
  return records_.RaiseAlerts(tenant_id, view.visit_id(), raise, nullptr, &board).status();
}

absl::StatusOr<int> CheckIns::RunDueChecks(const std::string& tenant_id, int limit) {
  const absl::Time now = clock_.Now();
  absl::StatusOr<std::vector<CheckInRecords::ClaimedCheck>> claimed =
      records_.ClaimChecks(tenant_id, now, now + kCheckLease, limit);
  if (!claimed.ok()) return claimed.status();
  for (const CheckInRecords::ClaimedCheck& check : *claimed) {
    // A failure leaves the rest claimed: their leases lapse and a later pass takes them.
    if (absl::Status done = RunCheck(tenant_id, check, now); !done.ok()) return done;
  }
  return static_cast<int>(claimed->size());
}

absl::Status CheckIns::RunCheck(const std::string& tenant_id,
                                const CheckInRecords::ClaimedCheck& check, absl::Time now) {
  absl::StatusOr<CheckInRecords::VisitState> state =
      records_.ReadVisitState(tenant_id, check.visit_id, "");
  if (!state.ok()) return state.status();
  std::vector<v1::Alert> alerts;
  std::optional<v1::BoardEntry> board;
  if (state->view.has_value()) {
    const std::vector<DueCheck> checks =
        DueChecks(*state->view, EffectivePolicy(state->policy.record));
    for (const DueCheck& due : checks) {
      if (due.rule != check.rule) continue;
      if (due.at > now) {
        // Its time moved later (the visit, or a looser policy): looked at then.
        if (absl::Status scheduled = records_.ScheduleChecks(tenant_id, {{check.visit_id, checks}});
            !scheduled.ok()) {
          return scheduled;
        }
      } else if (now - due.at <= kStaleCheck) {
        alerts = AlertsDue(check.rule, due.at, *state->view, state->record.record, now);
        // The check moves the board on (due, late, missed) whether or not it raises anything.
        std::vector<v1::Alert> after = AlertsOf(state->alerts);
        after.insert(after.end(), alerts.begin(), alerts.end());
        board = Board(*state->view, state->record.record, after, state->policy);
      }
    }
  }
  return records_.RaiseAlerts(tenant_id, check.visit_id, alerts, &check, board ? &*board : nullptr)
      .status();
}

absl::Status CheckIns::RescheduleChecks(const std::string& tenant_id) {
  absl::StatusOr<std::vector<std::string>> visits =
      records_.VisitsWithChecks(tenant_id, clock_.Now());
  if (!visits.ok()) return visits.status();
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> stored = records_.ReadPolicy(tenant_id);
  if (!stored.ok()) return stored.status();
  const v1::CheckInPolicy policy = EffectivePolicy(stored->record);
  for (size_t first = 0; first < visits->size(); first += kScanBatch) {
    const std::vector<std::string> batch(
        visits->begin() + first, visits->begin() + std::min(visits->size(), first + kScanBatch));
    absl::StatusOr<std::vector<v1::VisitView>> views = records_.ReadViews(tenant_id, batch);
    if (!views.ok()) return views.status();
    std::vector<CheckInRecords::VisitChecks> checks;
    for (const v1::VisitView& view : *views) {
      checks.push_back({view.visit_id(), DueChecks(view, policy)});
    }
    if (absl::Status scheduled = records_.ScheduleChecks(tenant_id, checks); !scheduled.ok()) {
      return scheduled;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ListAlertsResponse> CheckIns::ListAlerts(const std::string& tenant_id,
                                                            const v1::ListAlertsRequest& request) {
  FieldViolations violations;
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  violations.AddFrom(page_size.status());
  std::optional<std::pair<absl::CivilDay, absl::CivilDay>> days =
      DateRange(violations, request.date(), request.has_date(), request.start_date(),
                request.has_start_date(), request.end_date(), request.has_end_date());
  if (!request.locality_id().empty()) {
    violations.AddFrom(ValidateSlug("locality_id", request.locality_id()));
  }
  if (!v1::AlertKind_IsValid(request.kind())) violations.Add("kind", "must be an AlertKind");
  if (!v1::AlertState_IsValid(request.state())) violations.Add("state", "must be an AlertState");
  if (!request.visit_id().empty()) violations.AddFrom(ValidateId("visit_id", request.visit_id()));
  if (!violations.empty()) return violations.ToStatus();
  const auto [first, last] = *days;
  auto wanted = [&](const v1::Alert& alert) {
    absl::StatusOr<absl::CivilDay> day = DateFromProto(alert.service_date(), "service_date");
    return day.ok() && *day >= first && *day <= last &&
           (request.locality_id().empty() || alert.locality_id() == request.locality_id()) &&
           (request.kind() == v1::ALERT_KIND_UNSPECIFIED || alert.kind() == request.kind()) &&
           (request.state() == v1::ALERT_STATE_UNSPECIFIED || alert.state() == request.state()) &&
           (request.visit_id().empty() || alert.visit_id() == request.visit_id());
  };
  const std::string query = absl::StrCat(
      "alerts?from=", absl::FormatCivilTime(first), "&to=", absl::FormatCivilTime(last),
      "&locality=", request.locality_id(), "&kind=", static_cast<int>(request.kind()),
      "&state=", static_cast<int>(request.state()), "&visit=", request.visit_id());
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  // Alerts are indexed by due time, which no zone turns into a local date here: the days are
  // read with a day's margin either side (every zone is within 14 hours of UTC) and the
  // alerts kept by their visits' own dates.
  const absl::Time from = absl::FromCivil(first - 1, absl::UTCTimeZone());
  const absl::Time before = absl::FromCivil(last + 2, absl::UTCTimeZone());
  v1::ListAlertsResponse response;
  while (true) {
    absl::StatusOr<ScoredIdPage> page =
        records_.ListAlertIds(tenant_id, from, before, *cursor, kScanBatch);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<v1::Alert>> alerts = records_.ReadAlerts(tenant_id, page->ids);
    if (!alerts.ok()) return alerts.status();
    for (v1::Alert& alert : *alerts) {
      if (!wanted(alert)) continue;
      *response.add_alerts() = std::move(alert);
      if (response.alerts_size() == *page_size) {
        const v1::Alert& last_alert = *response.alerts().rbegin();
        response.set_next_page_token(
            MakePageToken(absl::StrCat(absl::ToUnixMillis(StoredTime(last_alert.due_time())), ":",
                                       last_alert.alert_id()),
                          query));
        return response;
      }
    }
    if (page->exhausted) return response;
    *cursor = page->last_cursor;
  }
}

absl::StatusOr<v1::Board> CheckIns::GetBoard(const std::string& tenant_id,
                                             const v1::GetBoardRequest& request) {
  FieldViolations violations;
  if (!request.has_date()) {
    violations.Add("date", "must be set: the tenant's local day");
  } else {
    (void)ValidDate(violations, request.date(), "date");
  }
  if (!request.locality_id().empty()) {
    violations.AddFrom(ValidateSlug("locality_id", request.locality_id()));
  }
  if (!violations.empty()) return violations.ToStatus();
  // The log's position first: a change made while the board is read comes again on the
  // watch, which does no harm (an entry is the visit's whole state).
  absl::StatusOr<std::string> position = records_.BoardPosition(tenant_id);
  if (!position.ok()) return position.status();
  absl::StatusOr<std::vector<std::string>> ids =
      records_.ReadDayVisits(tenant_id, DateKey(request.date()));
  if (!ids.ok()) return ids.status();
  absl::StatusOr<std::vector<CheckInRecords::BoardVisit>> visits =
      records_.ReadBoardVisits(tenant_id, *ids);
  if (!visits.ok()) return visits.status();
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> stored = records_.ReadPolicy(tenant_id);
  if (!stored.ok()) return stored.status();
  const v1::CheckInPolicy policy = EffectivePolicy(stored->record);
  const absl::Time now = clock_.Now();
  v1::Board board;
  *board.mutable_date() = request.date();
  *board.mutable_as_of() = TimeToProto(now);
  board.set_resume_token(EncodeResumeToken({{tenant_id, *position}}));
  std::map<std::pair<std::string, int>, int> counts;
  for (const CheckInRecords::BoardVisit& visit : *visits) {
    if (!request.locality_id().empty() && visit.view.locality_id() != request.locality_id()) {
      continue;
    }
    v1::BoardEntry& entry = *board.add_entries();
    entry = BoardEntryOf(visit.view, visit.record, policy, visit.alerts, now);
    ++counts[{entry.locality_id(), entry.state()}];
  }
  for (const auto& [key, visits_in] : counts) {
    v1::BoardCount& count = *board.add_counts();
    count.set_locality_id(key.first);
    count.set_state(static_cast<v1::BoardState>(key.second));
    count.set_visits(visits_in);
  }
  return board;
}

absl::StatusOr<v1::Alert> CheckIns::AcknowledgeAlert(const std::string& tenant_id,
                                                     const std::string& actor,
                                                     const v1::AcknowledgeAlertRequest& request) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("alert_id", request.alert_id()));
  CheckText(violations, "note", request.note(),
            {kMaxAlertNote, /*required=*/false, TextLines::kMultiple});
  if (!violations.empty()) return violations.ToStatus();
  return RetryOnConflict<v1::Alert>([&]() -> absl::StatusOr<v1::Alert> {
    absl::StatusOr<Snapshot<v1::Alert>> read = records_.ReadAlert(tenant_id, request.alert_id());
    if (!read.ok()) return read.status();
    switch (read->record.state()) {
      case v1::ALERT_STATE_ACKNOWLEDGED:
        return read->record;
      case v1::ALERT_STATE_RESOLVED:
        return absl::FailedPreconditionError(
            absl::StrCat("alert ", request.alert_id(), " is resolved already"));
      default:
        break;
    }
    const absl::Time now = clock_.Now();
    v1::Alert alert = read->record;
    alert.set_state(v1::ALERT_STATE_ACKNOWLEDGED);
    alert.set_acknowledged_by(actor);
    *alert.mutable_acknowledge_time() = TimeToProto(now);
    alert.set_acknowledge_note(request.note());
    alert.set_version(alert.version() + 1);
    *alert.mutable_update_time() = TimeToProto(now);
    // Still open on the board: no board entry changes.
    if (absl::Status written = records_.UpdateAlert(tenant_id, *read, alert, nullptr);
        !written.ok()) {
      return written;
    }
    return alert;
  });
}

absl::StatusOr<v1::Alert> CheckIns::ResolveAlert(const std::string& tenant_id,
                                                 const std::string& actor,
                                                 const v1::ResolveAlertRequest& request) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("alert_id", request.alert_id()));
  if (!v1::AlertResolution_IsValid(request.resolution()) ||
      request.resolution() < v1::ALERT_RESOLUTION_CARER_ARRIVED_LATE) {
    violations.Add("resolution",
                   "must be a coordinator's: ALERT_RESOLUTION_CARER_ARRIVED_LATE "
                   "to ALERT_RESOLUTION_OTHER");
  }
  CheckText(violations, "note", request.note(),
            {kMaxAlertNote, /*required=*/true, TextLines::kMultiple});
  if (!violations.empty()) return violations.ToStatus();
  return RetryOnConflict<v1::Alert>([&]() -> absl::StatusOr<v1::Alert> {
    absl::StatusOr<Snapshot<v1::Alert>> read = records_.ReadAlert(tenant_id, request.alert_id());
    if (!read.ok()) return read.status();
    if (read->record.state() == v1::ALERT_STATE_RESOLVED) {
      if (read->record.resolution() == request.resolution() &&
          read->record.resolution_note() == request.note() && read->record.resolved_by() == actor) {
        return read->record;  // a retry
      }
      return absl::FailedPreconditionError(
          absl::StrCat("alert ", request.alert_id(), " is resolved already"));
    }
    const absl::Time now = clock_.Now();
    v1::Alert alert = read->record;
    alert.set_state(v1::ALERT_STATE_RESOLVED);
    alert.set_resolved_by(actor);
    *alert.mutable_resolve_time() = TimeToProto(now);
    alert.set_resolution(request.resolution());
    alert.set_resolution_note(request.note());
    alert.set_version(alert.version() + 1);
    *alert.mutable_update_time() = TimeToProto(now);
    absl::StatusOr<CheckInRecords::VisitState> state =
        records_.ReadVisitState(tenant_id, alert.visit_id(), "");
    if (!state.ok()) return state.status();
    std::optional<v1::BoardEntry> board;
    if (state->view.has_value()) {
      std::vector<v1::Alert> after = AlertsOf(state->alerts);
      for (v1::Alert& other : after) {
        if (other.alert_id() == alert.alert_id()) other = alert;
      }
      board = Board(*state->view, state->record.record, after, state->policy);
    }
    if (absl::Status written =
            records_.UpdateAlert(tenant_id, *read, alert, board ? &*board : nullptr);
        !written.ok()) {
      return written;
    }
    return alert;
  });
}

}  // namespace homecare::checkin
