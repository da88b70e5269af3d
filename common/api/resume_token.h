// Where a watcher is in each tenant's event log, and the resume token that carries it between
// calls. Every watch of every service (carer changes, visits, alerts) uses this one format, so a
// client handles all tokens the same way: opaque, web-safe base64, kept and sent back as is.
//
// A token names, for every tenant watched, the position of the last event delivered (a Redis
// Stream entry id, "<ms>-<seq>"). A single-tenant watcher's token has one entry; a system
// watcher of every tenant has one per tenant it has seen an event of (tenants it has not are
// read from their beginning, since all their events came after the token).
//
// No gRPC, no Redis.
#ifndef HOMECARE_COMMON_API_RESUME_TOKEN_H_
#define HOMECARE_COMMON_API_RESUME_TOKEN_H_

#include <map>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homecare {

// Tenant id -> position of the last event delivered from its log ("<ms>-<seq>").
using StreamPositions = std::map<std::string, std::string>;

// The position before every event of a log.
inline constexpr char kStreamStart[] = "0-0";

std::string EncodeResumeToken(const StreamPositions& positions);

// INVALID_ARGUMENT naming resume_token for anything EncodeResumeToken did not make (including a
// tenant id that is not a valid slug, which could otherwise reach a Redis key).
absl::StatusOr<StreamPositions> DecodeResumeToken(absl::string_view token);

// Whether position `a` comes before `b` (they compare as pairs of numbers, not as text).
bool StreamIdBefore(absl::string_view a, absl::string_view b);

}  // namespace homecare

#endif  // HOMECARE_COMMON_API_RESUME_TOKEN_H_
