// What a coordinator types on carectl's check-in commands, turned into the API's messages:
// enums by the words carectl prints ("nfc", "no-access", "carer-forgot"), and the tasks and
// outcomes reported at check-out, ';'-separated because a note may hold commas:
// "t1=done; t2=refused: had eaten already; meds=not-done: none left".
#ifndef HOMECARE_TOOLS_CARECTL_CHECKIN_PARSING_H_
#define HOMECARE_TOOLS_CARECTL_CHECKIN_PARSING_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "homecare/checkin/v1/checkin.pb.h"

namespace homecare::carectl {

absl::StatusOr<checkin::v1::CheckInMethod> ParseCheckInMethod(absl::string_view text);
absl::StatusOr<checkin::v1::VisitOutcome> ParseVisitOutcome(absl::string_view text);
absl::StatusOr<checkin::v1::DeliveryState> ParseDeliveryState(absl::string_view text);
absl::StatusOr<checkin::v1::AdjustmentReason> ParseAdjustmentReason(absl::string_view text);
absl::StatusOr<checkin::v1::AdjustmentResolution> ParseAdjustmentResolution(absl::string_view text);
absl::StatusOr<checkin::v1::TagKind> ParseTagKind(absl::string_view text);
absl::StatusOr<checkin::v1::AlertKind> ParseAlertKind(absl::string_view text);
absl::StatusOr<checkin::v1::AlertState> ParseAlertState(absl::string_view text);
// A coordinator's resolutions only (carer-arrived-late to other): the others are the
// service's own.
absl::StatusOr<checkin::v1::AlertResolution> ParseAlertResolution(absl::string_view text);

// ';'-separated "<task id>=<status>[: <note>]", status done, refused, not-done or
// partially-done. The service asks for a note with not-done; that rule is its to state.
absl::StatusOr<std::vector<checkin::v1::TaskOutcome>> ParseTaskOutcomes(absl::string_view text);
// ';'-separated "<outcome id>=<progress>[: <note>]", progress worse, no-change, better or
// achieved.
absl::StatusOr<std::vector<checkin::v1::OutcomeNote>> ParseOutcomeNotes(absl::string_view text);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_CHECKIN_PARSING_H_
