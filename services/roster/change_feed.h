// Where a watcher of carer changes is in each tenant's change stream, and the resume token
// that carries it. No gRPC, no Redis.
//
// A resume token names, for every tenant watched, the id of the last stream entry delivered.
// A single-tenant watcher's token has one entry; a system watcher of every tenant has one per
// tenant it has seen a change of (tenants it has not are read from their beginning, since all
// their changes came after the token).
#ifndef HOMECARE_SERVICES_ROSTER_CHANGE_FEED_H_
#define HOMECARE_SERVICES_ROSTER_CHANGE_FEED_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homecare::roster {

// Tenant id -> id of the last entry delivered from its stream ("<ms>-<seq>").
using StreamPositions = std::map<std::string, std::string>;

// The id before every entry of a stream.
inline constexpr char kStreamStart[] = "0-0";

std::string EncodeResumeToken(const StreamPositions& positions);

// INVALID_ARGUMENT naming resume_token for anything EncodeResumeToken did not make.
absl::StatusOr<StreamPositions> DecodeResumeToken(absl::string_view token);

// Whether stream entry id `a` comes before `b` (ids compare as pairs of numbers, not as text).
bool StreamIdBefore(absl::string_view a, absl::string_view b);

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_CHANGE_FEED_H_
