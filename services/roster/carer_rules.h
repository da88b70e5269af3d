// The rules for carers: what a valid record is against its tenant's profile, how an update
// applies, who may see which carer, and the filters of ListCarers. No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_ROSTER_CARER_RULES_H_
#define HOMECARE_SERVICES_ROSTER_CARER_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "common/auth/principal.h"
#include "homecare/roster/v1/roster.pb.h"

namespace homecare::roster {

inline constexpr int kMinutesPerDay = 24 * 60;
inline constexpr int kMinutesPerWeek = 7 * kMinutesPerDay;

// Every rule `carer` breaks, each naming its field under "carer.": a name; a known gender and
// travel mode; skills with valid, unique names and valid expiry dates; one of the tenant's
// localities and (when set) sub-contractors; a home on the Earth; minutes a week and a day that
// a person can work; pay at least the tenant's minimum. Output-only fields are ignored.
absl::Status ValidateCarer(const v1::Carer& carer, const v1::Tenant& tenant);

// The carer as CreateCarer stores it: server-set fields set, and active (a new carer starts
// active; deactivating is an update).
v1::Carer NewCarerRecord(const v1::Carer& requested, const std::string& carer_id, absl::Time now);

// What identifies a CreateCarer request for idempotency (request_id and the carer asked for).
std::string CreateCarerFingerprint(const v1::CreateCarerRequest& request);

// The update_mask paths UpdateCarer accepts.
const std::vector<std::string>& CarerUpdatePaths();

// `stored` with the `paths` of `changes` copied in, the version bumped and update_time set.
v1::Carer ApplyCarerUpdate(const v1::Carer& stored, const v1::Carer& changes,
                           const std::vector<std::string>& paths, absl::Time now);

// A carer may read only their own record: PERMISSION_DENIED for another carer's id, decided
// before any lookup so it says nothing of whether that id exists. Other roles pass.
absl::Status CheckOwnRecord(const Principal& principal, const std::string& carer_id);

// ListCarers' filters, as one value so the page token can be bound to them.
struct CarerFilter {
  std::string locality_id = "";  // any
  std::string skill = "";        // any; otherwise held and in date on `today`
  std::string employer_id = "";  // any; "lead": the lead provider's own carers
  std::optional<bool> active = std::nullopt;
  absl::CivilDay today = absl::CivilDay();

  // The filters as text, for binding page tokens (without `today`: a list paged across
  // midnight keeps its token).
  std::string QueryKey() const;
  bool Matches(const v1::Carer& carer) const;
};

// The employer_id filter value for the lead provider's own carers.
inline constexpr char kLeadEmployer[] = "lead";

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_CARER_RULES_H_
