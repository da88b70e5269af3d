#include "common/api/write.h"

#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

constexpr size_t kMaxRequestIdLength = 200;

}  // namespace

absl::Status ConcurrentWriteError(absl::string_view what, absl::string_view domain) {
  return WithErrorInfo(
      absl::AbortedError(absl::StrCat(what, " changed while this request was applied")),
      kConcurrentWriteReason, domain);
}

absl::Status CheckExpectedVersion(int64_t expected, int64_t stored, absl::string_view what,
                                  absl::string_view domain) {
  if (expected == 0 || expected == stored) return absl::OkStatus();
  return WithErrorInfo(
      absl::AbortedError(absl::StrCat(what, " is at version ", stored, ", not ", expected,
                                      ": read it again and reapply the change")),
      kVersionMismatchReason, domain);
}

absl::Status ValidateRequestId(absl::string_view request_id, absl::string_view field) {
  if (request_id.size() > kMaxRequestIdLength) {
    return InvalidArgumentError(
        field, absl::StrCat("must be at most ", kMaxRequestIdLength, " characters"));
  }
  return absl::OkStatus();
}

std::string IdForRequest(absl::string_view prefix, absl::string_view tenant_id,
                         absl::string_view request_id) {
  if (request_id.empty()) return RandomId(prefix);
  return DeterministicId(prefix, {tenant_id, request_id});
}

bool IsConcurrentWrite(const absl::Status& status) {
  return status.code() == absl::StatusCode::kAborted &&
         ErrorReasonOf(status) == kConcurrentWriteReason;
}

}  // namespace homecare
