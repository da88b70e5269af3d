// What every API's requests share (DESIGN.md, "API conventions"): request fingerprints for
// idempotent retries, page sizes and opaque page tokens, and update masks. No gRPC in here.
#ifndef HOMECARE_COMMON_API_REQUEST_H_
#define HOMECARE_COMMON_API_REQUEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "common/status/errors.h"
#include "common/text/utf8.h"
#include "google/protobuf/field_mask.pb.h"
#include "google/protobuf/message.h"

namespace homecare {

// What identifies a retried write: its request_id and what it asks for. The same request always
// has the same fingerprint (deterministic serialization); a different payload under the same
// request_id has another, which the store answers with ALREADY_EXISTS.
std::string RequestFingerprint(absl::string_view request_id,
                               const google::protobuf::Message& payload);

inline constexpr int kDefaultPageSize = 50;
inline constexpr int kMaxPageSize = 200;

// 0 means kDefaultPageSize; above kMaxPageSize is capped; negative is INVALID_ARGUMENT naming
// `field`.
absl::StatusOr<int> PageSize(int requested, absl::string_view field = "page_size");

// A page token is opaque to clients: it carries where the next page starts (`cursor`) and a
// digest of the query it belongs to, so a token reused with other filters is refused instead
// of silently skipping or repeating items.
std::string MakePageToken(absl::string_view cursor, absl::string_view query);
// The cursor of `token` ("" for an empty token: the first page). INVALID_ARGUMENT naming
// `field` for a token that is malformed or made for another query.
absl::StatusOr<std::string> ReadPageToken(absl::string_view token, absl::string_view query,
                                          absl::string_view field = "page_token");

// Free text that people type and other people read (names, notes, descriptions): at most
// `max_bytes` bytes, not empty when `required`, and nothing that would mislead a coordinator's
// screen (control characters, bidirectional overrides, invalid UTF-8; see common/text/utf8.h):
// newlines only where `lines` is kMultiple. Each broken rule is added to `violations` under
// `field`.
struct TextRule {
  size_t max_bytes;
  bool required = false;
  TextLines lines = TextLines::kSingle;
};
void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view text,
               const TextRule& rule);

// The paths of an update mask, each one of `allowed`; INVALID_ARGUMENT naming
// "update_mask.paths[i]" for any other, or "update_mask" when it is empty.
absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::FieldMask& mask,
                                                     const std::vector<std::string>& allowed);

// Copies the `paths` of `changes` into `target` (both of one type, paths from UpdatePaths):
// a repeated field is replaced, not appended to, and a message field unset in `changes` is
// cleared in `target`, as a coordinator who names a field expects.
void ApplyUpdatePaths(const google::protobuf::Message& changes,
                      const std::vector<std::string>& paths, google::protobuf::Message& target);

}  // namespace homecare

#endif  // HOMECARE_COMMON_API_REQUEST_H_
