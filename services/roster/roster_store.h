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
#include "services/roster/roster_records.h"

namespace homecare::roster {

class RosterStore final : public RosterRecords {
 public:
  // How long a create's fingerprint is kept: retries come within minutes; a week is generous.
  static constexpr absl::Duration kRetryWindow = absl::Hours(24 * 7);
  // About how many changes each tenant's stream keeps for resuming watchers.
  static constexpr int kChangeStreamLength = 100000;

  // `redis` must outlive the store.
  explicit RosterStore(RedisClient* redis);

  // SCRIPT LOAD of the store's scripts at start-up (best effort: they load on demand too).
  absl::Status LoadScripts();

  // RosterRecords (documented there).
  absl::StatusOr<Created<v1::Tenant>> CreateTenant(const v1::Tenant& tenant,
                                                   const std::string& fingerprint) override;
  absl::StatusOr<v1::Tenant> GetTenant(absl::string_view tenant_id) override;
  absl::StatusOr<Snapshot<v1::Tenant>> ReadTenant(absl::string_view tenant_id) override;
  absl::StatusOr<AllCarers> ReadAllCarers(absl::string_view tenant_id) override;
  absl::Status UpdateTenant(const Snapshot<v1::Tenant>& read, const v1::Tenant& updated,
                            const std::string& carers_revision) override;
  absl::StatusOr<std::vector<v1::Tenant>> ListTenants(const std::string& after, int limit) override;
  absl::StatusOr<Created<v1::Carer>> CreateCarer(const Snapshot<v1::Tenant>& tenant,
                                                 const v1::Carer& carer,
                                                 const std::string& fingerprint,
                                                 const v1::CarerChange& change) override;
  absl::StatusOr<Snapshot<v1::Carer>> ReadCarer(absl::string_view tenant_id,
                                                absl::string_view carer_id) override;
  absl::Status UpdateCarer(const Snapshot<v1::Tenant>& tenant, const Snapshot<v1::Carer>& read,
                           const v1::Carer& updated, const v1::CarerChange& change) override;
  absl::StatusOr<std::vector<std::string>> ListCarerIds(absl::string_view tenant_id,
                                                        absl::string_view locality_id,
                                                        const std::string& after,
                                                        int limit) override;
  absl::StatusOr<std::vector<v1::Carer>> ReadCarers(absl::string_view tenant_id,
                                                    const std::vector<std::string>& ids) override;
  absl::StatusOr<Snapshot<v1::Availability>> ReadAvailability(absl::string_view tenant_id,
                                                              absl::string_view carer_id) override;
  absl::StatusOr<std::vector<std::optional<v1::Availability>>> ReadAvailabilities(
      absl::string_view tenant_id, const std::vector<std::string>& carer_ids) override;
  absl::Status SetAvailability(absl::string_view tenant_id, const Snapshot<v1::Availability>& read,
                               const v1::Availability& updated,
                               const v1::CarerChange& change) override;
  absl::StatusOr<Created<v1::Absence>> RecordAbsence(absl::string_view tenant_id,
                                                     const v1::Absence& absence,
                                                     const std::string& fingerprint,
                                                     const v1::CarerChange& change) override;
  absl::StatusOr<Snapshot<v1::Absence>> ReadAbsence(absl::string_view tenant_id,
                                                    absl::string_view absence_id) override;
  absl::Status UpdateAbsence(absl::string_view tenant_id, const Snapshot<v1::Absence>& read,
                             const v1::Absence& updated, const v1::CarerChange& change) override;
  absl::StatusOr<AbsencePage> ListAbsences(absl::string_view tenant_id, absl::string_view carer_id,
                                           const std::string& after, absl::Time starts_before,
                                           int limit) override;
  absl::StatusOr<std::vector<v1::Absence>> ReadCurrentAbsences(absl::string_view tenant_id,
                                                               absl::Time not_ended_by) override;

  // --- Changes ---

  static std::string ChangeStreamKey(absl::string_view tenant_id);

  // Every tenant's id, for watchers of every tenant.
  absl::StatusOr<std::vector<std::string>> ListTenantIds();

  EventSource& changes() override { return changes_; }

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
