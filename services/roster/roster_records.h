// What the roster's domain (Roster) needs of its records: the interface RosterStore implements
// over Redis, so that the domain's logic can be tested with records in memory. The semantics
// (optimistic concurrency, create-once) are documented in roster_store.h.
#ifndef HOMECARE_SERVICES_ROSTER_ROSTER_RECORDS_H_
#define HOMECARE_SERVICES_ROSTER_ROSTER_RECORDS_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "common/api/event_source.h"
#include "common/api/records.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

// The domain of the roster's ErrorInfo reasons; a write that raced another is ABORTED with
// kConcurrentWriteReason (common/api/write.h).
inline constexpr absl::string_view kRosterErrorDomain = "homecare.roster";

class RosterRecords {
 public:
  virtual ~RosterRecords() = default;

  // --- Tenants ---

  // Stores a new tenant. ALREADY_EXISTS when the id is taken by another request.
  virtual absl::StatusOr<Created<v1::Tenant>> CreateTenant(const v1::Tenant& tenant,
                                                           const std::string& fingerprint) = 0;

  // NOT_FOUND when there is no such tenant.
  virtual absl::StatusOr<v1::Tenant> GetTenant(absl::string_view tenant_id) = 0;
  virtual absl::StatusOr<Snapshot<v1::Tenant>> ReadTenant(absl::string_view tenant_id) = 0;

  // Every carer of the tenant and the carers' revision, to check a tenant change against.
  struct AllCarers {
    std::vector<v1::Carer> carers;
    std::string revision;
  };
  virtual absl::StatusOr<AllCarers> ReadAllCarers(absl::string_view tenant_id) = 0;

  // Writes `updated` if the profile is still `read` and no carer changed since `carers_revision`.
  // ABORTED when something did; NOT_FOUND when the tenant is gone.
  virtual absl::Status UpdateTenant(const Snapshot<v1::Tenant>& read, const v1::Tenant& updated,
                                    const std::string& carers_revision) = 0;

  // Tenant ids in order after `after` (exclusive; "" from the start), at most `limit`.
  virtual absl::StatusOr<std::vector<v1::Tenant>> ListTenants(const std::string& after,
                                                              int limit) = 0;

  // --- Carers ---

  // Stores a new carer validated against `tenant`. ALREADY_EXISTS when the id was made by another
  // request; ABORTED when the profile changed since it was read.
  virtual absl::StatusOr<Created<v1::Carer>> CreateCarer(const Snapshot<v1::Tenant>& tenant,
                                                         const v1::Carer& carer,
                                                         const std::string& fingerprint,
                                                         const v1::CarerChange& change) = 0;

  // NOT_FOUND when there is no such carer in the tenant.
  virtual absl::StatusOr<Snapshot<v1::Carer>> ReadCarer(absl::string_view tenant_id,
                                                        absl::string_view carer_id) = 0;

  // Writes `updated` if the carer is still `read` and the profile still `tenant`. ABORTED when
  // either changed; NOT_FOUND when the carer is gone.
  virtual absl::Status UpdateCarer(const Snapshot<v1::Tenant>& tenant,
                                   const Snapshot<v1::Carer>& read, const v1::Carer& updated,
                                   const v1::CarerChange& change) = 0;

  // Carer ids in order after `after` (exclusive), at most `limit`; only the locality's when
  // `locality_id` is set.
  virtual absl::StatusOr<std::vector<std::string>> ListCarerIds(absl::string_view tenant_id,
                                                                absl::string_view locality_id,
                                                                const std::string& after,
                                                                int limit) = 0;

  // The carers of `ids` that exist, in the same order, in one round trip.
  virtual absl::StatusOr<std::vector<v1::Carer>> ReadCarers(
      absl::string_view tenant_id, const std::vector<std::string>& ids) = 0;

  // --- Availability ---

  // The availability as stored; an empty snapshot (bytes "") when never set. Does not check
  // that the carer exists.
  virtual absl::StatusOr<Snapshot<v1::Availability>> ReadAvailability(
      absl::string_view tenant_id, absl::string_view carer_id) = 0;

  // Availabilities of `carer_ids`, in the same order; nullopt where never set.
  virtual absl::StatusOr<std::vector<std::optional<v1::Availability>>> ReadAvailabilities(
      absl::string_view tenant_id, const std::vector<std::string>& carer_ids) = 0;

  // Writes `updated` if the availability is still `read`. ABORTED when it changed; NOT_FOUND
  // when the carer does not exist.
  virtual absl::Status SetAvailability(absl::string_view tenant_id,
                                       const Snapshot<v1::Availability>& read,
                                       const v1::Availability& updated,
                                       const v1::CarerChange& change) = 0;

  // --- Absences ---

  // NOT_FOUND when the carer does not exist; ALREADY_EXISTS when the id was made by another
  // request.
  virtual absl::StatusOr<Created<v1::Absence>> RecordAbsence(absl::string_view tenant_id,
                                                             const v1::Absence& absence,
                                                             const std::string& fingerprint,
                                                             const v1::CarerChange& change) = 0;

  virtual absl::StatusOr<Snapshot<v1::Absence>> ReadAbsence(absl::string_view tenant_id,
                                                            absl::string_view absence_id) = 0;

  // Writes `updated` (ended or cancelled) if the absence is still `read`. ABORTED when it
  // changed.
  virtual absl::Status UpdateAbsence(absl::string_view tenant_id, const Snapshot<v1::Absence>& read,
                                     const v1::Absence& updated, const v1::CarerChange& change) = 0;

  // Absences by start time, then id, starting after the cursor `after` (exclusive; empty from
  // the beginning) and starting before `starts_before`; the carer's when `carer_id` is set.
  // At most `limit`.
  struct AbsencePage {
    std::vector<v1::Absence> absences;
    std::string last_cursor;  // of the last absence in the page
    bool exhausted = false;   // nothing after it
  };
  virtual absl::StatusOr<AbsencePage> ListAbsences(absl::string_view tenant_id,
                                                   absl::string_view carer_id,
                                                   const std::string& after,
                                                   absl::Time starts_before, int limit) = 0;

  // ACTIVE absences of the tenant that have not ended by `not_ended_by`, every carer's.
  virtual absl::StatusOr<std::vector<v1::Absence>> ReadCurrentAbsences(absl::string_view tenant_id,
                                                                       absl::Time not_ended_by) = 0;

  // --- Changes ---

  // The tenants' change streams, for WatchCarerChanges (common/server/event_watch.h).
  virtual EventSource& changes() = 0;
};

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_ROSTER_RECORDS_H_
