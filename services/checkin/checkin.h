// What the check-in service does, without gRPC: each operation validates with the rules, reads
// and writes through the records (retrying a write that raced another), and rebuilds a visit's
// record from everything known of it (record_rules.h). The service adapter authorises the
// caller, picks the tenant from the token and calls one of these.
#ifndef HOMECARE_SERVICES_CHECKIN_CHECKIN_H_
#define HOMECARE_SERVICES_CHECKIN_CHECKIN_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"
#include "services/checkin/alert_rules.h"
#include "services/checkin/checkin_records.h"
#include "services/checkin/policy_rules.h"
#include "services/checkin/visit_source.h"

namespace homecare::checkin {

// Who sends an event: a carer for themselves, a coordinator or the tenant's system (a
// telephony gateway) for a carer they name.
struct Sender {
  std::string actor;     // the token's subject
  std::string carer_id;  // the token's carer: set for a carer's own token only
  bool system = false;   // a system token (the only one that may send TELEPHONY)
};

class CheckIns {
 public:
  // A batch of queued events is at most this many; a visit keeps at most kMaxEventsPerVisit.
  static constexpr int kMaxBatch = 100;
  static constexpr int kMaxEventsPerVisit = 200;

  // All must outlive this.
  CheckIns(CheckInRecords* records, VisitSource* visits, const Clock* clock)
      : records_(*records), visits_(*visits), clock_(*clock) {}

  // One event, check-in or check-out: stored unless it is malformed (INVALID_ARGUMENT naming
  // the field) or not the sender's to send (PERMISSION_DENIED); the record rebuilt with it.
  // A repeat of a stored event returns the record and its exceptions and says it was a
  // duplicate; the same event_id with another payload is ALREADY_EXISTS.
  struct Submitted {
    v1::VisitRecord record;
    std::vector<v1::VisitException> exceptions;  // raised by this event
    bool duplicate = false;
  };
  absl::StatusOr<Submitted> Submit(const std::string& tenant_id, const Sender& sender,
                                   const v1::QueuedEvent& event);
  // Each event of a batch on its own: one that fails never fails the others.
  absl::StatusOr<v1::SyncEventsResponse> Sync(const std::string& tenant_id, const Sender& sender,
                                              const v1::SyncEventsRequest& request);

  // `only_carer` (a carer's own token) limits what is seen to the visits that carer is on or
  // has evidence on: anything else is NOT_FOUND.
  absl::StatusOr<v1::VisitRecord> GetVisitRecord(const std::string& tenant_id,
                                                 const std::string& visit_id,
                                                 const std::string& only_carer = "");
  absl::StatusOr<v1::ListVisitRecordsResponse> ListVisitRecords(
      const std::string& tenant_id, const v1::ListVisitRecordsRequest& request,
      const std::string& only_carer = "");
  // Visit maintenance by a coordinator (`actor`): a reason and a resolution from the fixed
  // lists and a note; appended to the audit trail, the recorded values kept beside.
  absl::StatusOr<v1::VisitRecord> AdjustVisitRecord(const std::string& tenant_id,
                                                    const std::string& actor,
                                                    const v1::AdjustVisitRecordRequest& request);

  absl::StatusOr<v1::CheckInPolicy> GetPolicy(const std::string& tenant_id);
  absl::StatusOr<v1::CheckInPolicy> UpdatePolicy(const std::string& tenant_id,
                                                 const v1::UpdatePolicyRequest& request);

  absl::StatusOr<v1::Tag> RegisterTag(const std::string& tenant_id, const std::string& actor,
                                      const v1::RegisterTagRequest& request);
  absl::StatusOr<v1::Tag> RetireTag(const std::string& tenant_id, const std::string& actor,
                                    const v1::RetireTagRequest& request);
  absl::StatusOr<v1::ListTagsResponse> ListTags(const std::string& tenant_id,
                                                const v1::ListTagsRequest& request);

  // --- Alerts ---

  // The alert engine's work for one tenant, run by every replica: claims up to `limit` checks
  // due by now (and any another replica claimed and never finished), reads each visit, raises
  // the alerts its check finds (each once, whichever replica gets there) and ends the claim.
  // A check whose time moved later is set again; one over kStaleCheck old raises nothing. How
  // many checks were run.
  static constexpr absl::Duration kCheckLease = absl::Seconds(30);
  static constexpr absl::Duration kStaleCheck = absl::Hours(12);
  absl::StatusOr<int> RunDueChecks(const std::string& tenant_id, int limit);
  // Every tenant the engine runs checks for.
  absl::StatusOr<std::vector<std::string>> AlertTenants() { return records_.TenantIds(); }

  // Alerts by their visits' local dates (one day, or a range of up to 92), filtered by
  // locality, kind, state or visit; by due time, paginated.
  absl::StatusOr<v1::ListAlertsResponse> ListAlerts(const std::string& tenant_id,
                                                    const v1::ListAlertsRequest& request);
  // By a coordinator (`actor`): acknowledging an acknowledged alert again changes nothing; a
  // resolved one is FAILED_PRECONDITION.
  absl::StatusOr<v1::Alert> AcknowledgeAlert(const std::string& tenant_id, const std::string& actor,
                                             const v1::AcknowledgeAlertRequest& request);
  // A coordinator's resolution code (CARER_ARRIVED_LATE or after) and a note. Resolving it
  // again the same way changes nothing; otherwise a resolved alert is FAILED_PRECONDITION.
  absl::StatusOr<v1::Alert> ResolveAlert(const std::string& tenant_id, const std::string& actor,
                                         const v1::ResolveAlertRequest& request);

  // --- The live board ---

  // A local day's visits as they stand now (locality: only its), counted by locality and
  // state, with the resume token WatchBoard picks up from: every change after this board.
  absl::StatusOr<v1::Board> GetBoard(const std::string& tenant_id,
                                     const v1::GetBoardRequest& request);

  // One change of the scheduling service's visit stream: the view kept, and the visit's record
  // rebuilt with it when there is one. Handling the same change twice, or an older one, does
  // nothing.
  absl::Status FollowVisitChange(const scheduling::v1::VisitChange& change);

 private:
  // The record of a visit from `state`, with one more event and more adjustments when given;
  // its version one more than the stored record's.
  absl::StatusOr<v1::VisitRecord> Rebuild(const std::string& tenant_id,
                                          const CheckInRecords::VisitState& state,
                                          const v1::StoredEvent* added,
                                          const std::vector<v1::AuditEntry>& adjustments);
  // Keeps `view` in place of `state`'s (unless a newer one is kept) and, when kept, sets its
  // alert checks under the policy; whether it was kept.
  absl::StatusOr<bool> KeepView(const std::string& tenant_id, const v1::VisitView& view,
                                const CheckInRecords::VisitState& state);
  // The visit's board entry now, from what it will be after a write.
  v1::BoardEntry Board(const v1::VisitView& view, const v1::VisitRecord& record,
                       const std::vector<v1::Alert>& alerts,
                       const Snapshot<v1::CheckInPolicy>& policy) const {
    return BoardEntryOf(view, record, EffectivePolicy(policy.record), alerts, clock_.Now());
  }
  // After the visit changed (its view, events or corrections): settles its alerts that the
  // visit as it now is answers, and raises what its passed checks find in it now, and
  // SHORT_VISIT for a short record.
  absl::Status ReviewAlerts(const std::string& tenant_id, const v1::VisitView& view,
                            const v1::VisitRecord& record,
                            const std::vector<Snapshot<v1::Alert>>& alerts,
                            const Snapshot<v1::CheckInPolicy>& policy);
  absl::Status RunCheck(const std::string& tenant_id, const CheckInRecords::ClaimedCheck& check,
                        absl::Time now);
  // Sets every pending check of the tenant again, under its policy as it now is.
  absl::Status RescheduleChecks(const std::string& tenant_id);

  CheckInRecords& records_;
  VisitSource& visits_;
  const Clock& clock_;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_CHECKIN_H_
