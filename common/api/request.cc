#include "common/api/request.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/field_mask_util.h"

namespace homecare {
namespace {

// Enough of the query's digest to tell queries apart; the token stays short.
constexpr size_t kQueryDigestLength = 16;

std::string QueryDigest(absl::string_view query) {
  return Sha256Hex(query).substr(0, kQueryDigestLength);
}

}  // namespace

std::string RequestFingerprint(absl::string_view request_id,
                               const google::protobuf::Message& payload) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream output(&stream);
    output.SetSerializationDeterministic(true);
    payload.SerializeToCodedStream(&output);
  }
  // Length-prefixed, so that no request_id can run into the payload.
  return Sha256Hex(absl::StrCat(request_id.size(), ":", request_id, bytes));
}

absl::StatusOr<int> PageSize(int requested, absl::string_view field) {
  if (requested < 0) return InvalidArgumentError(field, "must not be negative");
  if (requested == 0) return kDefaultPageSize;
  return std::min(requested, kMaxPageSize);
}

std::string MakePageToken(absl::string_view cursor, absl::string_view query) {
  return absl::WebSafeBase64Escape(absl::StrCat(QueryDigest(query), cursor));
}

absl::StatusOr<std::string> ReadPageToken(absl::string_view token, absl::string_view query,
                                          absl::string_view field) {
  if (token.empty()) return std::string();
  std::string decoded;
  if (!absl::WebSafeBase64Unescape(token, &decoded) || decoded.size() <= kQueryDigestLength) {
    return InvalidArgumentError(field, "is not a page token this API made");
  }
  if (absl::string_view(decoded).substr(0, kQueryDigestLength) != QueryDigest(query)) {
    return InvalidArgumentError(field, "belongs to a list with other filters");
  }
  return decoded.substr(kQueryDigestLength);
}

absl::StatusOr<std::vector<std::string>> UpdatePaths(const google::protobuf::FieldMask& mask,
                                                     const std::vector<std::string>& allowed) {
  if (mask.paths().empty()) {
    return InvalidArgumentError("update_mask", "must name at least one field to change");
  }
  FieldViolations violations;
  std::vector<std::string> paths;
  for (int i = 0; i < mask.paths_size(); ++i) {
    const std::string& path = mask.paths(i);
    if (std::find(allowed.begin(), allowed.end(), path) == allowed.end()) {
      violations.Add(absl::StrCat("update_mask.paths[", i, "]"),
                     absl::StrCat("\"", path, "\" is not a field that can be changed"));
    } else if (std::find(paths.begin(), paths.end(), path) == paths.end()) {
      paths.push_back(path);
    }
  }
  if (!violations.empty()) return violations.ToStatus();
  return paths;
}

void ApplyUpdatePaths(const google::protobuf::Message& changes,
                      const std::vector<std::string>& paths, google::protobuf::Message& target) {
  google::protobuf::FieldMask mask;
  for (const std::string& path : paths) mask.add_paths(path);
  google::protobuf::util::FieldMaskUtil::MergeOptions options;
  options.set_replace_message_fields(true);
  options.set_replace_repeated_fields(true);
  google::protobuf::util::FieldMaskUtil::MergeMessageTo(changes, mask, options, &target);
}

void CheckText(FieldViolations& violations, absl::string_view field, absl::string_view text,
               const TextRule& rule) {
  if (text.size() > rule.max_bytes || (rule.required && text.empty())) {
    violations.Add(field, rule.required
                              ? absl::StrCat("must be 1 to ", rule.max_bytes, " characters")
                              : absl::StrCat("must be at most ", rule.max_bytes, " characters"));
    return;
  }
  if (std::optional<std::string> why = DisallowedText(text, rule.lines); why.has_value()) {
    violations.Add(field, *why);
  }
}

}  // namespace homecare
