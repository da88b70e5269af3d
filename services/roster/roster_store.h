// The roster service's Redis side.
//
// Keys (DESIGN.md layout; T is the tenant id). Records are serialized protobuf; "Lua" names the
// script that writes a key, each one atomic transition with its KEYS and ARGV documented at its
// top.
//   hc:{T}:roster:tenant                 STRING  Tenant: the profile. create_tenant.lua,
//                                                update_tenant.lua.
//   hc:{T}:roster:tenant-create          STRING  fingerprint of the CreateTenant request that made
//                                                the tenant. create_tenant.lua.
//   hc:roster:tenants                    ZSET    the registry of tenants: member tenant id, score
//                                                creation time in ms. The only key outside a
//                                                tenant; written by CreateTenant after the profile
//                                                in its own command (another cluster slot); a
//                                                create interrupted between the two is completed
//                                                by its retry.
//   hc:{T}:roster:carer:<carer>          STRING  Carer. create_carer.lua, update_carer.lua.
//   hc:{T}:roster:carers                 ZSET    every carer id, score 0 (ordered by id).
//                                                create_carer.lua.
//   hc:{T}:roster:locality-carers:<loc>  ZSET    the carer ids of a locality, score 0.
//                                                create_carer.lua, update_carer.lua.
//   hc:{T}:roster:carers-rev             STRING  a counter bumped by every carer write, so that a
//                                                tenant change checked against the carers is
//                                                written only if none changed meanwhile.
//   hc:{T}:roster:carer-create:<carer>   STRING  fingerprint of the CreateCarer request, kept for
//                                                kRetryWindow. create_carer.lua.
//   hc:{T}:roster:availability:<carer>   STRING  Availability. set_availability.lua.
//   hc:{T}:roster:absence:<absence>      STRING  Absence. record_absence.lua,
//                                                update_absence.lua.
//   hc:{T}:roster:carer-absences:<carer> ZSET    the carer's absence ids, score start in ms.
//   hc:{T}:roster:absences               ZSET    every absence id, score start in ms.
//   hc:{T}:roster:absence-ends           ZSET    ACTIVE absence ids, score end in ms (+inf when
//                                                open-ended): eligibility reads only the absences
//                                                that have not ended, not the whole history.
//   hc:{T}:roster:absence-create:<abs>   STRING  fingerprint of the RecordAbsence request, kept
//                                                for kRetryWindow. record_absence.lua.
//   hc:{T}:roster:changes                STREAM  one entry per change to a carer, an availability
//                                                or an absence, field "change" = CarerChange
//                                                (without resume_token), trimmed to about
//                                                kChangeStreamLength entries. Written by the same
//                                                script as the change, so a change is never
//                                                without its entry nor the reverse.
//
// Optimistic concurrency: a write is computed in C++ from records read before, and its script
// applies it only if those records are byte-for-byte unchanged; otherwise the store answers
// ABORTED (kConflict) and the caller reads again. Lua never parses protobuf.
//
// Consistency: a write returns only after Redis has replied, and Redis (appendfsync always)
// replies only after the AOF write: an acknowledged write survives a Redis crash.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/event_source.h"
#include "common/api/write.h"
#include "common/redis/event_log.h"
#include "common/redis/lua_script.h"
#include "common/redis/record.h"
#include "common/redis/redis_client.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

// The domain of the roster's ErrorInfo reasons; a write that raced another is ABORTED with
// kConcurrentWriteReason (common/api/write.h).
inline constexpr absl::string_view kRosterErrorDomain = "homecare.roster";

class RosterStore {
 public:
  // How long a create's fingerprint is kept: retries come within minutes; a week is generous.
  static constexpr absl::Duration kRetryWindow = absl::Hours(24 * 7);
  // About how many changes each tenant's stream keeps for resuming watchers.
  static constexpr int kChangeStreamLength = 100000;

  // `redis` must outlive the store.
  explicit RosterStore(RedisClient* redis);

  // SCRIPT LOAD of the store's scripts at start-up (best effort: they load on demand too).
  absl::Status LoadScripts();

  // --- Tenants ---

  // Stores a new tenant. ALREADY_EXISTS when the id is taken by another request.
  absl::StatusOr<Created<v1::Tenant>> CreateTenant(const v1::Tenant& tenant,
                                                  const std::string& fingerprint);

  // NOT_FOUND when there is no such tenant.
  absl::StatusOr<v1::Tenant> GetTenant(absl::string_view tenant_id);
  absl::StatusOr<Snapshot<v1::Tenant>> ReadTenant(absl::string_view tenant_id);

  // Every carer of the tenant and the carers' revision, to check a tenant change against.
  struct AllCarers {
    std::vector<v1::Carer> carers;
    std::string revision;
  };
  absl::StatusOr<AllCarers> ReadAllCarers(absl::string_view tenant_id);

  // Writes `updated` if the profile is still `read` and no carer changed since `carers_revision`.
  // ABORTED when something did; NOT_FOUND when the tenant is gone.
  absl::Status UpdateTenant(const Snapshot<v1::Tenant>& read, const v1::Tenant& updated,
                            const std::string& carers_revision);

  // Tenant ids in order after `after` (exclusive; "" from the start), at most `limit`.
  absl::StatusOr<std::vector<v1::Tenant>> ListTenants(const std::string& after, int limit);

  // --- Carers ---

  // Stores a new carer validated against `tenant`. ALREADY_EXISTS when the id was made by another
  // request; ABORTED when the profile changed since it was read.
  absl::StatusOr<Created<v1::Carer>> CreateCarer(const Snapshot<v1::Tenant>& tenant,
                                                const v1::Carer& carer,
                                                const std::string& fingerprint,
                                                const v1::CarerChange& change);

  // NOT_FOUND when there is no such carer in the tenant.
  absl::StatusOr<Snapshot<v1::Carer>> ReadCarer(absl::string_view tenant_id,
                                                absl::string_view carer_id);

  // Writes `updated` if the carer is still `read` and the profile still `tenant`. ABORTED when
  // either changed; NOT_FOUND when the carer is gone.
  absl::Status UpdateCarer(const Snapshot<v1::Tenant>& tenant, const Snapshot<v1::Carer>& read,
                           const v1::Carer& updated, const v1::CarerChange& change);

  // Carer ids in order after `after` (exclusive), at most `limit`; only the locality's when
  // `locality_id` is set.
  absl::StatusOr<std::vector<std::string>> ListCarerIds(absl::string_view tenant_id,
                                                        absl::string_view locality_id,
                                                        const std::string& after, int limit);

  // The carers of `ids` that exist, in the same order, in one round trip.
  absl::StatusOr<std::vector<v1::Carer>> ReadCarers(absl::string_view tenant_id,
                                                    const std::vector<std::string>& ids);

  // --- Availability ---

  // The availability as stored; an empty snapshot (bytes "") when never set. Does not check
  // that the carer exists.
  absl::StatusOr<Snapshot<v1::Availability>> ReadAvailability(absl::string_view tenant_id,
                                                              absl::string_view carer_id);

  // Availabilities of `carer_ids`, in the same order; nullopt where never set.
  absl::StatusOr<std::vector<std::optional<v1::Availability>>> ReadAvailabilities(
      absl::string_view tenant_id, const std::vector<std::string>& carer_ids);

  // Writes `updated` if the availability is still `read`. ABORTED when it changed; NOT_FOUND
  // when the carer does not exist.
  absl::Status SetAvailability(absl::string_view tenant_id, const Snapshot<v1::Availability>& read,
                               const v1::Availability& updated, const v1::CarerChange& change);

  // --- Absences ---

  // NOT_FOUND when the carer does not exist; ALREADY_EXISTS when the id was made by another
  // request.
  absl::StatusOr<Created<v1::Absence>> RecordAbsence(absl::string_view tenant_id,
                                                    const v1::Absence& absence,
                                                    const std::string& fingerprint,
                                                    const v1::CarerChange& change);

  absl::StatusOr<Snapshot<v1::Absence>> ReadAbsence(absl::string_view tenant_id,
                                                    absl::string_view absence_id);

  // Writes `updated` (ended or cancelled) if the absence is still `read`. ABORTED when it
  // changed.
  absl::Status UpdateAbsence(absl::string_view tenant_id, const Snapshot<v1::Absence>& read,
                             const v1::Absence& updated, const v1::CarerChange& change);

  // Absences by start time, then id, starting after the cursor `after` (exclusive; empty from
  // the beginning) and starting before `starts_before`; the carer's when `carer_id` is set.
  // At most `limit`.
  struct AbsencePage {
    std::vector<v1::Absence> absences;
    std::string last_cursor;  // of the last absence in the page
    bool exhausted = false;   // nothing after it
  };
  absl::StatusOr<AbsencePage> ListAbsences(absl::string_view tenant_id, absl::string_view carer_id,
                                           const std::string& after, absl::Time starts_before,
                                           int limit);

  // ACTIVE absences of the tenant that have not ended by `not_ended_by`, every carer's.
  absl::StatusOr<std::vector<v1::Absence>> ReadCurrentAbsences(absl::string_view tenant_id,
                                                               absl::Time not_ended_by);

  // --- Changes ---

  static std::string ChangeStreamKey(absl::string_view tenant_id);

  // Every tenant's id, for watchers of every tenant.
  absl::StatusOr<std::vector<std::string>> ListTenantIds();

  // The tenants' change streams, for WatchCarerChanges (common/server/event_watch.h).
  EventSource& changes() { return changes_; }

 private:
  RedisClient* redis_;
  RedisEventLog changes_;
  LuaScript create_tenant_;
  LuaScript update_tenant_;
  LuaScript create_carer_;
  LuaScript update_carer_;
  LuaScript set_availability_;
  LuaScript record_absence_;
  LuaScript update_absence_;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_STORE_H_
