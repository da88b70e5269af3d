// What carectl says when something is wrong, in the words of its own command line: a request
// field the server refuses is named by the flag that sets it ("--locality", not
// "carer.locality_id"), each problem once, and a mistyped command gets the nearest real one.
// No gRPC here, so all of it is tested.
#ifndef HOMECARE_TOOLS_CARECTL_ERROR_TEXT_H_
#define HOMECARE_TOOLS_CARECTL_ERROR_TEXT_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace homecare::carectl {

// The flag among `flags` (names without "--") that sets the request field `field`, or empty.
// The field's last part is tried first, then its parents, each by its own name ("page_size" is
// --page-size), without "_id" ("locality_id" is --locality) or by a known alias
// ("display_name" is --name). What the flag does not cover follows it: "carer.home.latitude"
// is "--home (latitude)", "care_plan.patterns[1].days" is "--patterns item 2 (days)".
std::string FlagForField(absl::string_view field, const std::vector<std::string>& flags);

// `status` as carectl prints it on stderr: "error: ..." lines, without a trailing newline.
// Field violations name their flags (and field names inside a rule become flags too);
// precondition violations come one a line; codes whose message alone would puzzle get a hint.
std::string FormatError(const absl::Status& status, const std::vector<std::string>& flags);

// `args` matched none of `commands` (each its words, e.g. {"visit", "list"}): the message,
// with the nearest command when one is near enough to be a typo.
std::string UnknownCommandMessage(const std::vector<std::string>& args,
                                  const std::vector<std::vector<std::string>>& commands);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_ERROR_TEXT_H_
