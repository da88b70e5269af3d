// The check-in service's Redis side.
//
// Keys (DESIGN.md layout; T is the tenant id). Records are serialized protobuf; each write is
// one Lua script (KEYS and ARGV documented at its top) named beside the key.
//   hc:{T}:checkin:visit:<visit>              HASH    "v" the scheduling version, "b" VisitView:
//                                                     what this service keeps of a visit, from
//                                                     the visit stream or GetVisit.
//                                                     put_visit_view.lua.
//   hc:{T}:checkin:events:<visit>             HASH    event id -> StoredEvent (the raw event
//                                                     with its three clocks). store_event.lua.
//   hc:{T}:checkin:event:<digest>             STRING  "<fingerprint>\n<visit>" of an event id
//                                                     (<digest> of it), kept as long as the
//                                                     event: a retry is recognised for ever.
//                                                     store_event.lua.
//   hc:{T}:checkin:record:<visit>             STRING  VisitRecord, rebuilt from the view, the
//                                                     events, the tags and the adjustments on
//                                                     every change. store_event.lua,
//                                                     write_record.lua.
//   hc:{T}:checkin:adjustments:<visit>        LIST    AuditEntry of each correction, oldest
//                                                     first; never changed. write_record.lua.
//   hc:{T}:checkin:records                    ZSET    every visit with a record, score its
//                                                     service date as YYYYMMDD.
//   hc:{T}:checkin:client-records:<client>    ZSET    the client's, the same way.
//   hc:{T}:checkin:carer-records:<carer>      ZSET    every visit the carer has a slot on.
//   hc:{T}:checkin:tag:<tag>                  STRING  Tag. create_tag.lua, retire_tag.lua.
//   hc:{T}:checkin:client-tags:<client>       ZSET    the client's tag ids by registration (ms).
//   hc:{T}:checkin:tag-create:<tag>           STRING  fingerprint of the RegisterTag request,
//                                                     kept for kRetryWindow.
//   hc:{T}:checkin:tag-payload:<kind>:<digest> STRING the tag in use with that payload.
//   hc:{T}:checkin:policy                     STRING  CheckInPolicy; absent until first
//                                                     changed. put_if_unchanged.lua.
//   hc:{T}:checkin:checks                     ZSET    "<visit>|<rule>" -> when the alert engine
//                                                     looks at the visit (ms; alert_rules.h's
//                                                     DueRule names). schedule_checks.lua.
//   hc:{T}:checkin:claimed                    ZSET    checks a replica of the engine holds ->
//                                                     when its claim lapses (ms): another
//                                                     replica takes them over then.
//                                                     claim_checks.lua, raise_alerts.lua.
//   hc:{T}:checkin:visit-alerts:<visit>       HASH    alert id -> Alert: the visit's alerts,
//                                                     read with the visit. raise_alerts.lua,
//                                                     update_alert.lua.
//   hc:{T}:checkin:alert:<alert>              STRING  the alert's visit id. raise_alerts.lua.
//   hc:{T}:checkin:alerts                     ZSET    every alert id, by due time (ms).
//   hc:{T}:checkin:alert-log                  STREAM  AlertEvent ("event") of each alert raised
//                                                     or changed, for WatchAlerts; about
//                                                     kAlertLogLength entries kept.
//   hc:{T}:checkin:day-visits:<YYYYMMDD>      ZSET    the visits of a local date -> planned start
//                                                     (ms), for the board. put_visit_view.lua.
//   hc:{T}:checkin:board-log                  STREAM  BoardChange ("change"): a visit's board
//                                                     entry each time it changes, logged by the
//                                                     write that changed it; about
//                                                     kAlertLogLength entries kept.
//   hc:checkin:tenants                        SET     every tenant whose visits are known here.
//   hc:checkin:follow:scheduling              STRING  the resume token of scheduling's WatchVisits
//                                                     this service follows
//                                                     (common/redis/follow_position.h).
//
// Optimistic concurrency as in the other stores: a write computed from what was read applies
// only if the record is byte for byte unchanged; otherwise ABORTED (kConcurrentWriteReason).
#ifndef HOMECARE_SERVICES_CHECKIN_CHECKIN_STORE_H_
#define HOMECARE_SERVICES_CHECKIN_CHECKIN_STORE_H_

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "common/redis/event_log.h"
#include "common/redis/lua_script.h"
#include "common/redis/record.h"
#include "common/redis/redis_client.h"
#include "services/checkin/checkin_records.h"

namespace homecare::checkin {

class CheckInStore final : public CheckInRecords {
 public:
  static constexpr absl::Duration kRetryWindow = absl::Hours(24 * 7);
  static constexpr int kAlertLogLength = 100000;

  // `redis` must outlive the store.
  explicit CheckInStore(RedisClient* redis);

  // SCRIPT LOAD of the store's scripts at start-up (best effort: they load on demand too).
  absl::Status LoadScripts();

  // Every tenant's alert log, for WatchAlerts, and board log, for WatchBoard.
  EventSource& alert_log() { return alert_log_; }
  EventSource& board_log() { return board_log_; }

  absl::StatusOr<VisitState> ReadVisitState(absl::string_view tenant_id, absl::string_view visit_id,
                                            absl::string_view event_id) override;
  absl::StatusOr<bool> PutVisitView(absl::string_view tenant_id, const v1::VisitView& view,
                                    const v1::VisitView* before,
                                    const v1::BoardEntry* board) override;
  absl::StatusOr<StoreOutcome> StoreEvent(absl::string_view tenant_id, const v1::StoredEvent& event,
                                          const std::string& fingerprint,
                                          const Snapshot<v1::VisitRecord>& read,
                                          const v1::VisitRecord& record,
                                          const v1::BoardEntry* board) override;
  absl::Status WriteRecord(absl::string_view tenant_id, const Snapshot<v1::VisitRecord>& read,
                           const v1::VisitRecord& record,
                           const std::vector<v1::AuditEntry>& adjustments,
                           const v1::BoardEntry* board) override;
  absl::StatusOr<ScoredIdPage> ListRecordIds(absl::string_view tenant_id, const RecordIndex& index,
                                             int64_t first_day, int64_t last_day,
                                             const std::string& after, int limit) override;
  absl::StatusOr<std::vector<v1::VisitRecord>> ReadRecords(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) override;
  absl::Status ScheduleChecks(absl::string_view tenant_id,
                              const std::vector<VisitChecks>& visits) override;
  absl::StatusOr<std::vector<std::string>> VisitsWithChecks(absl::string_view tenant_id,
                                                            absl::Time from) override;
  absl::StatusOr<std::vector<v1::VisitView>> ReadViews(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) override;
  absl::StatusOr<std::vector<ClaimedCheck>> ClaimChecks(absl::string_view tenant_id, absl::Time now,
                                                        absl::Time lease_until, int limit) override;
  absl::StatusOr<int> RaiseAlerts(absl::string_view tenant_id, absl::string_view visit_id,
                                  const std::vector<v1::Alert>& alerts, const ClaimedCheck* check,
                                  const v1::BoardEntry* board) override;
  absl::Status UpdateAlert(absl::string_view tenant_id, const Snapshot<v1::Alert>& read,
                           const v1::Alert& updated, const v1::BoardEntry* board) override;
  absl::StatusOr<Snapshot<v1::Alert>> ReadAlert(absl::string_view tenant_id,
                                                absl::string_view alert_id) override;
  absl::StatusOr<ScoredIdPage> ListAlertIds(absl::string_view tenant_id, absl::Time from,
                                            absl::Time before, const std::string& after,
                                            int limit) override;
  absl::StatusOr<std::vector<v1::Alert>> ReadAlerts(
      absl::string_view tenant_id, const std::vector<std::string>& alert_ids) override;
  absl::StatusOr<std::vector<std::string>> TenantIds() override;
  absl::StatusOr<std::vector<std::string>> ReadDayVisits(absl::string_view tenant_id,
                                                         int64_t day) override;
  absl::StatusOr<std::vector<BoardVisit>> ReadBoardVisits(
      absl::string_view tenant_id, const std::vector<std::string>& visit_ids) override;
  absl::StatusOr<std::string> BoardPosition(absl::string_view tenant_id) override;
  absl::StatusOr<std::vector<v1::Tag>> ReadClientTags(absl::string_view tenant_id,
                                                      absl::string_view client_id) override;
  absl::StatusOr<Created<v1::Tag>> CreateTag(absl::string_view tenant_id, const v1::Tag& tag,
                                             const std::string& fingerprint) override;
  absl::StatusOr<Snapshot<v1::Tag>> ReadTag(absl::string_view tenant_id,
                                            absl::string_view tag_id) override;
  absl::Status RetireTag(absl::string_view tenant_id, const Snapshot<v1::Tag>& read,
                         const v1::Tag& retired) override;
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> ReadPolicy(absl::string_view tenant_id) override;
  absl::Status WritePolicy(absl::string_view tenant_id, const Snapshot<v1::CheckInPolicy>& read,
                           const v1::CheckInPolicy& updated) override;

 private:
  // The index keys a record goes in: every record's, its client's, each slot's carer's.
  std::vector<std::string> IndexKeys(absl::string_view tenant_id,
                                     const v1::VisitRecord& record) const;

  // Adds the tenant to hc:checkin:tenants, once a process.
  absl::Status RegisterTenant(absl::string_view tenant_id);

  RedisClient* redis_;
  RedisEventLog alert_log_;
  RedisEventLog board_log_;
  absl::Mutex registered_mutex_;
  std::set<std::string, std::less<>> registered_ ABSL_GUARDED_BY(registered_mutex_);
  LuaScript store_event_;
  LuaScript write_record_;
  LuaScript put_visit_view_;
  LuaScript create_tag_;
  LuaScript retire_tag_;
  LuaScript schedule_checks_;
  LuaScript claim_checks_;
  LuaScript raise_alerts_;
  LuaScript update_alert_;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_CHECKIN_STORE_H_
