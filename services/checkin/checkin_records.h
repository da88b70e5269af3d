// What the check-in service's domain (CheckIns) needs of its records: the interface CheckInStore
// implements over Redis, so that the domain's logic can be tested with records in memory.
#ifndef HOMECARE_SERVICES_CHECKIN_CHECKIN_RECORDS_H_
#define HOMECARE_SERVICES_CHECKIN_CHECKIN_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/api/records.h"
#include "homecare/checkin/v1/checkin.pb.h"
#include "services/checkin/alert_rules.h"

namespace homecare::checkin {

inline constexpr absl::string_view kCheckInErrorDomain = "homecare.checkin";

class CheckInRecords {
 public:
  virtual ~CheckInRecords() = default;

  // --- Visits: the view, the events, the record and its adjustments ---

  // An event as first stored: its fingerprint and visit, for recognising a retry.
  struct EventSeen {
    std::string fingerprint;
    std::string visit_id;
  };

  // Everything kept of one visit, with what every rebuild of its record needs besides.
  struct VisitState {
    std::optional<v1::VisitView> view;  // nullopt: the visit is not known here
    std::vector<v1::StoredEvent> events;
    Snapshot<v1::VisitRecord> record;         // empty bytes: no record yet
    std::vector<v1::AuditEntry> adjustments;  // oldest first
    Snapshot<v1::CheckInPolicy> policy;       // the tenant's; empty bytes: never changed
    std::optional<EventSeen> seen;            // the event stored with the id asked about
    std::vector<Snapshot<v1::Alert>> alerts;  // the visit's alerts, every state
  };
  // The visit's state in one read (one round trip: a check-in's latency is mostly Redis
  // round trips); with a non-empty `event_id`, also whether an event with that id was stored.
  virtual absl::StatusOr<VisitState> ReadVisitState(absl::string_view tenant_id,
                                                    absl::string_view visit_id,
                                                    absl::string_view event_id) = 0;

  // Keeps `view` unless a view of the same or a later scheduling version is kept already, filed
  // under its local date (`before`: the view it replaces, whose date it leaves), with `board`
  // (when given) logged as the visit's board entry; whether it was written.
  virtual absl::StatusOr<bool> PutVisitView(absl::string_view tenant_id, const v1::VisitView& view,
                                            const v1::VisitView* before,
                                            const v1::BoardEntry* board) = 0;

  // Stores `event` and replaces the record read (`read`) by `record`, indexed by date, client
  // and each carer with a slot; unless an event with its id was stored already (then
  // `earlier` says what, and nothing is written). ABORTED (kConcurrentWriteReason) when the
  // record changed since it was read.
  struct StoreOutcome {
    bool stored = false;
    std::optional<EventSeen> earlier = std::nullopt;
  };
  // `board` (when given) is logged as the visit's board entry in the same write; so for the
  // writes below.
  virtual absl::StatusOr<StoreOutcome> StoreEvent(absl::string_view tenant_id,
                                                  const v1::StoredEvent& event,
                                                  const std::string& fingerprint,
                                                  const Snapshot<v1::VisitRecord>& read,
                                                  const v1::VisitRecord& record,
                                                  const v1::BoardEntry* board) = 0;

  // Replaces the record read by `record` (a rebuild after the view changed), indexed as
  // StoreEvent does, and appends `adjustments` to the visit's in the same write. ABORTED when
  // the record changed since it was read.
  virtual absl::Status WriteRecord(absl::string_view tenant_id,
                                   const Snapshot<v1::VisitRecord>& read,
                                   const v1::VisitRecord& record,
                                   const std::vector<v1::AuditEntry>& adjustments,
                                   const v1::BoardEntry* board) = 0;

  // Which index ListRecordIds reads: the client's when set, else the carer's, else every
  // record of the tenant. Records are ordered by service date (then visit id).
  struct RecordIndex {
    std::string client_id = "";
    std::string carer_id = "";
  };
  // Visit ids of records whose service date is in [first_day, last_day] (as YYYYMMDD), after
  // the cursor, at most `limit`.
  virtual absl::StatusOr<ScoredIdPage> ListRecordIds(absl::string_view tenant_id,
                                                     const RecordIndex& index, int64_t first_day,
                                                     int64_t last_day, const std::string& after,
                                                     int limit) = 0;
  // The records of `visit_ids` that exist, in the same order.
  virtual absl::StatusOr<std::vector<v1::VisitRecord>> ReadRecords(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) = 0;

  // --- Alerts and the checks that raise them ---

  // Sets when the alert engine looks at each visit: each of its checks at its time; the
  // visit's other checks are dropped.
  struct VisitChecks {
    std::string visit_id;
    std::vector<DueCheck> checks;
  };
  virtual absl::Status ScheduleChecks(absl::string_view tenant_id,
                                      const std::vector<VisitChecks>& visits) = 0;
  // The visits with a check due at or after `from` (to set them again under a new policy).
  virtual absl::StatusOr<std::vector<std::string>> VisitsWithChecks(absl::string_view tenant_id,
                                                                    absl::Time from) = 0;
  // The views of `visit_ids` kept here, in the same order; unknown ones left out.
  virtual absl::StatusOr<std::vector<v1::VisitView>> ReadViews(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) = 0;
  // A check one replica of the engine holds until it finishes it or its lease runs out.
  struct ClaimedCheck {
    std::string visit_id;
    DueRule rule;
  };
  // Claims up to `limit` checks due by `now`, and any whose claim lapsed, until `lease_until`.
  virtual absl::StatusOr<std::vector<ClaimedCheck>> ClaimChecks(absl::string_view tenant_id,
                                                                absl::Time now,
                                                                absl::Time lease_until,
                                                                int limit) = 0;
  // Raises the visit's `alerts`, each once (an id raised before stays as it is), and ends
  // `check`'s claim when given; how many were raised.
  virtual absl::StatusOr<int> RaiseAlerts(absl::string_view tenant_id, absl::string_view visit_id,
                                          const std::vector<v1::Alert>& alerts,
                                          const ClaimedCheck* check,
                                          const v1::BoardEntry* board) = 0;
  // Replaces the alert read by `updated`; ABORTED (kConcurrentWriteReason) when it changed.
  virtual absl::Status UpdateAlert(absl::string_view tenant_id, const Snapshot<v1::Alert>& read,
                                   const v1::Alert& updated, const v1::BoardEntry* board) = 0;
  // NOT_FOUND when the tenant has no such alert.
  virtual absl::StatusOr<Snapshot<v1::Alert>> ReadAlert(absl::string_view tenant_id,
                                                        absl::string_view alert_id) = 0;
  // Alert ids due in [from, before), by due time, after the cursor, at most `limit`.
  virtual absl::StatusOr<ScoredIdPage> ListAlertIds(absl::string_view tenant_id, absl::Time from,
                                                    absl::Time before, const std::string& after,
                                                    int limit) = 0;
  // The alerts of `alert_ids` that exist, in the same order.
  virtual absl::StatusOr<std::vector<v1::Alert>> ReadAlerts(
      absl::string_view tenant_id, const std::vector<std::string>& alert_ids) = 0;
  // Every tenant whose visits are known here: whose checks the engine runs.
  virtual absl::StatusOr<std::vector<std::string>> TenantIds() = 0;

  // --- The board ---

  // The visits filed under a local date (DateKey, YYYYMMDD), by planned start.
  virtual absl::StatusOr<std::vector<std::string>> ReadDayVisits(absl::string_view tenant_id,
                                                                 int64_t day) = 0;
  // What the board shows of each visit: its view, record and alerts, for `visit_ids` known
  // here, in the same order.
  struct BoardVisit {
    v1::VisitView view;
    v1::VisitRecord record;
    std::vector<v1::Alert> alerts;
  };
  virtual absl::StatusOr<std::vector<BoardVisit>> ReadBoardVisits(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) = 0;
  // Where the board log stands now (a stream position), for a board's resume token.
  virtual absl::StatusOr<std::string> BoardPosition(absl::string_view tenant_id) = 0;

  // --- Tags ---

  // The client's tags, retired ones too.
  virtual absl::StatusOr<std::vector<v1::Tag>> ReadClientTags(absl::string_view tenant_id,
                                                              absl::string_view client_id) = 0;
  // ALREADY_EXISTS when the id was made by another request, or the payload is another tag's
  // in use (of any client: one code must prove one home).
  virtual absl::StatusOr<Created<v1::Tag>> CreateTag(absl::string_view tenant_id,
                                                     const v1::Tag& tag,
                                                     const std::string& fingerprint) = 0;
  // NOT_FOUND when there is no such tag in the tenant.
  virtual absl::StatusOr<Snapshot<v1::Tag>> ReadTag(absl::string_view tenant_id,
                                                    absl::string_view tag_id) = 0;
  // Writes the retired tag if it is still `read` (its payload is free again): ABORTED when it
  // changed.
  virtual absl::Status RetireTag(absl::string_view tenant_id, const Snapshot<v1::Tag>& read,
                                 const v1::Tag& retired) = 0;

  // --- Policy ---

  // An empty snapshot when never set.
  virtual absl::StatusOr<Snapshot<v1::CheckInPolicy>> ReadPolicy(absl::string_view tenant_id) = 0;
  // ABORTED when it changed since it was read.
  virtual absl::Status WritePolicy(absl::string_view tenant_id,
                                   const Snapshot<v1::CheckInPolicy>& read,
                                   const v1::CheckInPolicy& updated) = 0;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_CHECKIN_RECORDS_H_
