#include "common/api/resume_token.h"

#include <cstdint>
#include <utility>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"

namespace homecare {
namespace {

// The token's own version, so that its layout can change without misreading old ones.
constexpr absl::string_view kTokenVersion = "1";

bool ParseStreamId(absl::string_view id, std::pair<uint64_t, uint64_t>& parsed) {
  std::vector<absl::string_view> parts = absl::StrSplit(id, '-');
  return parts.size() == 2 && absl::SimpleAtoi(parts[0], &parsed.first) &&
         absl::SimpleAtoi(parts[1], &parsed.second);
}

absl::Status Malformed() {
  return InvalidArgumentError("resume_token",
                              "is not a resume token of this watch; omit it to watch "
                              "from now on");
}

}  // namespace

std::string EncodeResumeToken(const StreamPositions& positions) {
  std::string text = absl::StrCat(
      kTokenVersion, "|", absl::StrJoin(positions, ",", [](std::string* out, const auto& position) {
        absl::StrAppend(out, position.first, "=", position.second);
      }));
  return absl::WebSafeBase64Escape(text);
}

absl::StatusOr<StreamPositions> DecodeResumeToken(absl::string_view token) {
  std::string text;
  if (!absl::WebSafeBase64Unescape(token, &text)) return Malformed();
  std::pair<absl::string_view, absl::string_view> versioned =
      absl::StrSplit(text, absl::MaxSplits('|', 1));
  if (versioned.first != kTokenVersion) return Malformed();
  StreamPositions positions;
  if (versioned.second.empty()) return positions;
  for (absl::string_view entry : absl::StrSplit(versioned.second, ',')) {
    std::pair<absl::string_view, absl::string_view> tenant_id =
        absl::StrSplit(entry, absl::MaxSplits('=', 1));
    std::pair<uint64_t, uint64_t> parsed;
    if (!ValidateSlug("tenant", tenant_id.first).ok() || !ParseStreamId(tenant_id.second, parsed)) {
      return Malformed();
    }
    if (!positions.emplace(std::string(tenant_id.first), std::string(tenant_id.second)).second) {
      return Malformed();
    }
  }
  return positions;
}

bool StreamIdBefore(absl::string_view a, absl::string_view b) {
  std::pair<uint64_t, uint64_t> left{0, 0};
  std::pair<uint64_t, uint64_t> right{0, 0};
  ParseStreamId(a, left);
  ParseStreamId(b, right);
  return left < right;
}

}  // namespace homecare
