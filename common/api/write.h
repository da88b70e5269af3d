// What every service's writes share: client-made request ids, ids that follow from them, and
// optimistic concurrency (a write computed from records read before is applied only if they are
// unchanged; the caller reads again and recomputes when they changed). No gRPC, no Redis.
#ifndef HOMECARE_COMMON_API_WRITE_H_
#define HOMECARE_COMMON_API_WRITE_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace homecare {

// The reason (ErrorInfo) of the ABORTED a store answers when a record a write was computed from
// changed meanwhile: reading again and retrying is right.
inline constexpr absl::string_view kConcurrentWriteReason = "CONCURRENT_WRITE";
// The reason of the ABORTED an update answers when the client's expected_version is stale.
inline constexpr absl::string_view kVersionMismatchReason = "VERSION_MISMATCH";

// ABORTED with kConcurrentWriteReason, saying that `what` changed.
absl::Status ConcurrentWriteError(absl::string_view what, absl::string_view domain);

// ABORTED (kVersionMismatchReason) when the client asked to change version `expected` of `what`
// and the stored one is `stored`; OK when they match or `expected` is 0 (no check asked for).
absl::Status CheckExpectedVersion(int64_t expected, int64_t stored, absl::string_view what,
                                  absl::string_view domain);

// A request_id is any client-made string (usually a UUID) up to 200 characters.
absl::Status ValidateRequestId(absl::string_view request_id,
                               absl::string_view field = "request_id");

// The id of what a request creates: from the tenant and request_id when there is one, so that a
// retry names the same record; random otherwise.
std::string IdForRequest(absl::string_view prefix, absl::string_view tenant_id,
                         absl::string_view request_id);

// A write that raced another is computed again from fresh reads; five rounds of losing a race
// on one record mean something is hammering it, and the caller should hear so.
inline constexpr int kWriteAttempts = 5;

// Runs `attempt` again while it fails with kConcurrentWriteReason, at most kWriteAttempts times.
template <typename T>
absl::StatusOr<T> RetryOnConflict(absl::FunctionRef<absl::StatusOr<T>()> attempt);

// --- implementation ---

bool IsConcurrentWrite(const absl::Status& status);

template <typename T>
absl::StatusOr<T> RetryOnConflict(absl::FunctionRef<absl::StatusOr<T>()> attempt) {
  absl::StatusOr<T> result = attempt();
  for (int i = 1; i < kWriteAttempts && IsConcurrentWrite(result.status()); ++i) {
    result = attempt();
  }
  return result;
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_API_WRITE_H_
