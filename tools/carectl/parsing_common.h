// What carectl's parsing files share: errors that quote the text and say what was expected,
// and enums named by lower-case words with dashes ("needs-carer", "annual-leave").
#ifndef HOMECARE_TOOLS_CARECTL_PARSING_COMMON_H_
#define HOMECARE_TOOLS_CARECTL_PARSING_COMMON_H_

#include <map>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"

namespace homecare::carectl {

// INVALID_ARGUMENT: `<what> "<text>" is not valid; expected <expected>`.
inline absl::Status BadValue(absl::string_view what, absl::string_view text,
                             absl::string_view expected) {
  return absl::InvalidArgumentError(
      absl::StrCat(what, " \"", text, "\" is not valid; expected ", expected));
}

// The enum named `text` (any case, surrounding blanks ignored); otherwise an error listing
// every accepted name.
template <typename Enum>
absl::StatusOr<Enum> Lookup(absl::string_view what, absl::string_view text,
                            const std::map<std::string, Enum>& names) {
  auto found = names.find(absl::AsciiStrToLower(absl::StripAsciiWhitespace(text)));
  if (found != names.end()) return found->second;
  std::string expected;
  for (const auto& [name, value] : names) {
    absl::StrAppend(&expected, expected.empty() ? "" : ", ", name);
  }
  return BadValue(what, text, expected);
}

// The name of `value` in `names`; `fallback` when it has none (an enum value the command line
// never takes, or one newer than this build).
template <typename Enum>
std::string NameOf(Enum value, const std::map<std::string, Enum>& names,
                   absl::string_view fallback) {
  for (const auto& [name, candidate] : names) {
    if (candidate == value) return name;
  }
  return std::string(fallback);
}

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_PARSING_COMMON_H_
