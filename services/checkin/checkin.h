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
#include "services/checkin/checkin_records.h"
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

  CheckInRecords& records_;
  VisitSource& visits_;
  const Clock& clock_;
};

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_CHECKIN_H_
