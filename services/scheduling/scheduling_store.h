// The scheduling service's Redis side.
//
// Keys (DESIGN.md layout; T is the tenant id). Records are serialized protobuf; each write is one
// Lua script (KEYS and ARGV documented at its top) named after the key.
//   hc:{T}:scheduling:client:<client>            STRING  Client. create_client.lua,
//                                                        update_client.lua.
//   hc:{T}:scheduling:clients                    ZSET    every client id, score 0 (by id).
//                                                        create_client.lua.
//   hc:{T}:scheduling:locality-clients:<loc>     ZSET    the locality's client ids, score 0.
//                                                        create_client.lua, update_client.lua.
//   hc:{T}:scheduling:client-create:<client>     STRING  fingerprint of the CreateClient request,
//                                                        kept for kRetryWindow.
//   hc:{T}:scheduling:plan:<plan>                HASH    version number -> CarePlan; versions are
//                                                        never changed or removed (a plan changes
//                                                        by a new version). add_care_plan_version.
//   hc:{T}:scheduling:plan-request:<request>     STRING  "<fingerprint>\n<plan>\n<version>" of the
//                                                        CreateCarePlan request that made a
//                                                        version, kept for kRetryWindow; <request>
//                                                        is a digest of the request id.
//   hc:{T}:scheduling:client-plans:<client>      ZSET    the client's plan ids, score 0.
//   hc:{T}:scheduling:plan-reviews               ZSET    every plan id, score the latest
//                                                        version's review date (ms at 00:00 UTC;
//                                                        kNoReviewScore when none).
//   hc:{T}:scheduling:visit:<visit>              STRING  Visit. create_visit.lua, update_visit.lua.
//   hc:{T}:scheduling:visits                     ZSET    every visit id, score planned start (ms).
//   hc:{T}:scheduling:client-visits:<client>     ZSET    the client's visit ids, the same way.
//   hc:{T}:scheduling:locality-visits:<loc>      ZSET    the locality's visit ids, the same way.
//   hc:{T}:scheduling:visit-create:<visit>       STRING  fingerprint of the CreateVisit request
//                                                        of a one-off visit, kept for
//                                                        kRetryWindow.
//   hc:{T}:scheduling:carer-visits:<carer>       ZSET    every visit whose carer_ids name the
//                                                        carer (any status), score planned start
//                                                        (ms): rotas, ListVisits by carer.
//                                                        write_visit.lua.
//   hc:{T}:scheduling:carer-days:<carer>         HASH    local date "YYYY-MM-DD" -> version of
//                                                        that carer-day: bumped by every write of
//                                                        a visit the carer is (or was) on that
//                                                        date; an assignment's write checks the
//                                                        days its rules read. write_visit.lua.
//   hc:{T}:scheduling:client-carer:<client>:<carer>
//                                                ZSET    the client's visits the carer is on, not
//                                                        cancelled, by planned start: continuity
//                                                        (has the carer visited the client?).
//                                                        write_visit.lua.
//   hc:{T}:scheduling:visit-request:<digest>     STRING  "<fingerprint>\n<response>" of an
//                                                        AssignCarers, UnassignCarer or
//                                                        AutoSchedule request with a request_id
//                                                        (<digest> of it), kept for kRetryWindow.
//                                                        write_visit.lua; KeepRequest.
//   hc:{T}:scheduling:solve-lease:<YYYY-MM-DD>  STRING  the token of the AutoSchedule of that date
//                                                        running (one at a time across
//                                                        replicas), with a TTL of its time limit
//                                                        and a margin; common/redis/lease.h.
//   hc:{T}:scheduling:replan:<proposal>          STRING  ReplanProposal, kept for kRetryWindow.
//   hc:{T}:scheduling:replans:<YYYY-MM-DD>       ZSET    proposal ids of the date by creation
//                                                        (ms), kept for kRetryWindow. Written
//                                                        after the proposal: an id whose record is
//                                                        gone is skipped.
//   hc:{T}:scheduling:settings                   STRING  SchedulingSettings; absent until first
//                                                        changed. put_if_unchanged.lua
//                                                        (common/redis/record.h).
//   hc:{T}:scheduling:visit-changes              STREAM  one entry per change to a visit, field
//                                                        "change" = VisitChange (without
//                                                        resume_token), trimmed to about
//                                                        kVisitChangeStreamLength; appended by
//                                                        create_visit.lua and write_visit.lua
//                                                        with the change itself.
//   hc:scheduling:tenants                        SET     every tenant with clients, for watchers
//                                                        of every tenant; the only key outside a
//                                                        tenant, added by CreateClient after the
//                                                        client in its own command (a create
//                                                        interrupted between the two is completed
//                                                        by its retry).
//   hc:scheduling:follow:roster                  STRING  the resume token of the roster's
//                                                        WatchCarerChanges this service follows
//                                                        (common/redis/follow_position.h).
//
// Optimistic concurrency as in the roster store: a write computed from records read before is
// applied only if they are byte-for-byte unchanged; otherwise ABORTED (kConcurrentWriteReason).
// A write returns only after Redis has replied (appendfsync always: after the AOF write).
#ifndef HOMECARE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
#define HOMECARE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/write.h"
#include "common/redis/event_log.h"
#include "common/redis/lua_script.h"
#include "common/redis/record.h"
#include "common/redis/redis_client.h"
#include "common/redis/scored_index.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/scheduling_records.h"

namespace homecare::scheduling {

class SchedulingStore final : public SchedulingRecords {
 public:
  // How long a create's fingerprint is kept: retries come within minutes; a week is generous.
  static constexpr absl::Duration kRetryWindow = absl::Hours(24 * 7);

  // About how many changes each tenant's visit stream keeps for resuming watchers.
  static constexpr int kVisitChangeStreamLength = 100000;

  // `redis` must outlive the store.
  explicit SchedulingStore(RedisClient* redis);

  // SCRIPT LOAD of the store's scripts at start-up (best effort: they load on demand too).
  absl::Status LoadScripts();

  // SchedulingRecords (documented there).
  absl::StatusOr<Created<v1::Client>> CreateClient(absl::string_view tenant_id,
                                                   const v1::Client& client,
                                                   const std::string& fingerprint) override;
  absl::StatusOr<Snapshot<v1::Client>> ReadClient(absl::string_view tenant_id,
                                                  absl::string_view client_id) override;
  absl::Status UpdateClient(absl::string_view tenant_id, const Snapshot<v1::Client>& read,
                            const v1::Client& updated) override;
  absl::StatusOr<std::vector<std::string>> ListClientIds(absl::string_view tenant_id,
                                                         absl::string_view locality_id,
                                                         const std::string& after,
                                                         int limit) override;
  absl::StatusOr<std::vector<v1::Client>> ReadClients(absl::string_view tenant_id,
                                                      const std::vector<std::string>& ids) override;
  // Far beyond any review date: the review score of a plan without one.
  static constexpr int64_t kNoReviewScore = 253402300799000;  // 9999-12-31T23:59:59Z in ms
  absl::StatusOr<AddVersionOutcome> AddCarePlanVersion(absl::string_view tenant_id,
                                                       const v1::CarePlan& version,
                                                       const std::string& request_id,
                                                       const std::string& fingerprint) override;
  absl::StatusOr<AddVersionOutcome> ReadCarePlanRequest(absl::string_view tenant_id,
                                                        const std::string& request_id) override;
  absl::StatusOr<std::vector<v1::CarePlan>> ReadCarePlan(absl::string_view tenant_id,
                                                         absl::string_view care_plan_id) override;
  absl::StatusOr<std::vector<std::vector<std::string>>> ReadPlanIdsOfClients(
      absl::string_view tenant_id, const std::vector<std::string>& client_ids) override;
  absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> ReadCarePlans(
      absl::string_view tenant_id, const std::vector<std::string>& plan_ids) override;
  absl::StatusOr<ScoredIdPage> ListPlanIdsByReview(absl::string_view tenant_id,
                                                   absl::Time review_before,
                                                   const std::string& after, int limit) override;
  absl::StatusOr<Created<v1::Visit>> CreateVisit(absl::string_view tenant_id,
                                                 const v1::Visit& visit,
                                                 const std::string& fingerprint) override;
  absl::StatusOr<int> CreateGeneratedVisits(absl::string_view tenant_id,
                                            const std::vector<v1::Visit>& visits) override;
  absl::StatusOr<Snapshot<v1::Visit>> ReadVisit(absl::string_view tenant_id,
                                                absl::string_view visit_id) override;
  absl::StatusOr<WriteOutcome> WriteVisit(absl::string_view tenant_id,
                                          const VisitWrite& write) override;
  absl::StatusOr<int> WriteVisits(absl::string_view tenant_id,
                                  const std::vector<VisitWrite>& writes) override;
  absl::StatusOr<std::optional<RequestRecord>> ReadRequest(absl::string_view tenant_id,
                                                           const std::string& request_id) override;
  absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> ReadVisitsOfClients(
      absl::string_view tenant_id, const std::vector<std::string>& client_ids, absl::Time from,
      absl::Time before) override;
  absl::StatusOr<ScoredIdPage> ListVisitIds(absl::string_view tenant_id, const VisitIndex& index,
                                            absl::Time from, absl::Time before,
                                            const std::string& after, int limit) override;
  absl::StatusOr<std::vector<v1::Visit>> ReadVisits(absl::string_view tenant_id,
                                                    const std::vector<std::string>& ids) override;

  absl::StatusOr<CarerSchedule> ReadCarerSchedule(absl::string_view tenant_id,
                                                  const CarerScheduleQuery& query) override;
  absl::StatusOr<Snapshot<v1::SchedulingSettings>> ReadSettings(
      absl::string_view tenant_id) override;
  absl::Status WriteSettings(absl::string_view tenant_id,
                             const Snapshot<v1::SchedulingSettings>& read,
                             const v1::SchedulingSettings& updated) override;

  absl::StatusOr<bool> TakeSolveLease(absl::string_view tenant_id, absl::CivilDay date,
                                      const std::string& token, absl::Duration ttl) override;
  absl::Status ReleaseSolveLease(absl::string_view tenant_id, absl::CivilDay date,
                                 const std::string& token) override;
  absl::Status KeepRequest(absl::string_view tenant_id, const std::string& request_id,
                           const RequestRecord& record) override;

  absl::Status PutReplanProposal(absl::string_view tenant_id,
                                 const v1::ReplanProposal& proposal) override;
  absl::StatusOr<v1::ReplanProposal> ReadReplanProposal(absl::string_view tenant_id,
                                                        const std::string& proposal_id) override;
  absl::StatusOr<std::vector<v1::ReplanProposal>> ReadReplanProposals(absl::string_view tenant_id,
                                                                      absl::CivilDay date) override;

  EventSource& visit_changes() override { return visit_changes_; }

 private:
  // Every tenant with clients (the registry), for watchers of every tenant.
  absl::StatusOr<std::vector<std::string>> ListTenantIds();
  RedisClient::ScriptCall CreateVisitCall(absl::string_view tenant_id, const v1::Visit& visit,
                                          const std::string& fingerprint) const;
  RedisClient::ScriptCall WriteVisitCall(absl::string_view tenant_id,
                                         const VisitWrite& write) const;

  RedisClient* redis_;
  RedisEventLog visit_changes_;
  LuaScript create_client_;
  LuaScript update_client_;
  LuaScript add_care_plan_version_;
  LuaScript create_visit_;
  LuaScript write_visit_;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_SCHEDULING_STORE_H_
