// carectl's renderings of the check-in service's responses: a visit's record as a coordinator
// reviews it (each carer's in and out with how they were verified, what was adjusted and by
// whom, the exceptions to review), lists of records, a phone event's result, the policy and the
// tags. No gRPC here, so all of it is tested.
#ifndef HOMECARE_TOOLS_CARECTL_CHECKIN_RENDER_H_
#define HOMECARE_TOOLS_CARECTL_CHECKIN_RENDER_H_

#include <string>

#include "homecare/checkin/v1/checkin.pb.h"
#include "tools/carectl/render.h"

namespace homecare::carectl {

std::string RenderVisitRecord(const checkin::v1::VisitRecord& record, const Directory& directory);
// A line per record; "more: --page-token ..." when there is a next page; `empty` when none.
std::string RenderVisitRecords(const checkin::v1::ListVisitRecordsResponse& response,
                               const Directory& directory, const std::string& empty);
std::string EmptyVisitRecordsMessage(const checkin::v1::ListVisitRecordsRequest& request);

// What a check-in or check-out did: stored, or a repeat that changed nothing; the exceptions
// it raised; then the record as it now is.
std::string RenderEventResult(bool duplicate,
                              const Repeated<checkin::v1::VisitException>& exceptions,
                              const checkin::v1::VisitRecord& record, const Directory& directory);

// One alert in full: what, about whom, when due, and what was done about it.
std::string RenderAlert(const checkin::v1::Alert& alert, const Directory& directory);
// A line per alert, by due time.
std::string RenderAlerts(const checkin::v1::ListAlertsResponse& response,
                         const Directory& directory, const std::string& empty);
// One line per raise or change, for `alerts watch`.
std::string RenderAlertEvent(const checkin::v1::AlertEvent& event, const Directory& directory);

// The live board: the counts by locality and state, then a line per visit (`table`: the
// lines only).
std::string RenderBoard(const checkin::v1::Board& board, const Directory& directory, bool table);
// One line per change of a visit's entry, for `board watch`.
std::string RenderBoardChange(const checkin::v1::BoardChange& change, const Directory& directory);

std::string RenderCheckInPolicy(const checkin::v1::CheckInPolicy& policy,
                                const Directory& directory);

std::string RenderTag(const checkin::v1::Tag& tag, const Directory& directory);
std::string RenderTags(const checkin::v1::ListTagsResponse& response, const Directory& directory,
                       const std::string& empty);

}  // namespace homecare::carectl

#endif  // HOMECARE_TOOLS_CARECTL_CHECKIN_RENDER_H_
