// The rules for clients: what a valid record is against its tenant, how an update applies, when
// no visits are due (suspensions, care ended), and ListClients' filters. No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_SCHEDULING_CLIENT_RULES_H_
#define HOMECARE_SERVICES_SCHEDULING_CLIENT_RULES_H_

#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/scheduling/tenant_directory.h"

namespace homecare::scheduling {

// Every rule `client` breaks, each naming its field under "client.": a name; a location on the
// Earth; one of the tenant's localities; a known gender when one is preferred (and one when it is
// a requirement); valid carer ids, none both preferred and excluded; contacts with names;
// suspensions with a reason and dates in order. Output-only fields are ignored.
absl::Status ValidateClient(const v1::Client& client, const TenantProfile& tenant);

// The client as CreateClient stores it: server-set fields set, ACTIVE unless asked otherwise,
// suspension ids given.
v1::Client NewClientRecord(const v1::Client& requested, const std::string& client_id,
                           absl::Time now);

// What identifies a CreateClient request for idempotency.
std::string CreateClientFingerprint(const v1::CreateClientRequest& request);

// The update_mask paths UpdateClient accepts.
const std::vector<std::string>& ClientUpdatePaths();

// `stored` with the `paths` of `changes` copied in, new suspensions given ids, the version bumped
// and update_time set.
v1::Client ApplyClientUpdate(const v1::Client& stored, const v1::Client& changes,
                             const std::vector<std::string>& paths, absl::Time now);

// Why no visits are due for a client on a day.
struct NoVisitsDue {
  v1::CancellationReason reason;  // for visits already made for that day
  std::string note;
};
// nullopt when visits are due on `day`; otherwise why not: care ended, suspended until further
// notice (status SUSPENDED), or a dated suspension covering the day.
std::optional<NoVisitsDue> NoVisitsDueOn(const v1::Client& client, absl::CivilDay day);

// ListClients' filters, as one value so the page token can be bound to them.
struct ClientFilter {
  std::string locality_id = "";                             // any
  v1::ClientStatus status = v1::CLIENT_STATUS_UNSPECIFIED;  // any

  std::string QueryKey() const;
  bool Matches(const v1::Client& client) const;
};

}  // namespace homecare::scheduling

#endif  // HOMECARE_SERVICES_SCHEDULING_CLIENT_RULES_H_
