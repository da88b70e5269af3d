// A visit's record, rebuilt from everything the check-in service knows of it: its view of the
// visit (from the scheduling service's stream), every event of it, the client's tags and the
// coordinators' adjustments, under the tenant's policy. The record is a function of those
// alone: events are taken in estimated-time then event_id order, so the same events in any
// order, split over any batches, with any duplicates, a day late, give the same record (every
// derived field). No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_CHECKIN_RECORD_RULES_H_
#define HOMECARE_SERVICES_CHECKIN_RECORD_RULES_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::checkin {

// The view of a visit after one change of the scheduling service's stream (`before` nullptr:
// the first change seen). Who was on the visit when is kept (assignment spans), so that an
// event is checked against the carers on the visit at its time. Changes older than the view
// (a lower visit version) leave it as it is.
v1::VisitView ApplyVisitChange(const v1::VisitView* before,
                               const scheduling::v1::VisitChange& change);
// A view from GetVisit, for a visit the stream has not brought yet: the carers on it now count
// as on it throughout.
v1::VisitView ViewFromVisit(const scheduling::v1::Visit& visit);

// A landline as the digits it is registered and matched by, the UK's country code read as the
// trunk 0: "+44 1632 960001" and "01632 960001" are both "01632960001".
std::string CanonicalLandline(const std::string& number);

// The record's place in date order: its service date as YYYYMMDD (0 when unknown).
int64_t DateKey(const common::v1::Date& date);

// Whether the event is verified against the client's tags (NFC, QR, telephony): only then
// need they be read.
bool UsesTags(const v1::StoredEvent& event);

struct RecordInputs {
  std::string visit_id;
  const v1::VisitView* view = nullptr;      // nullptr: the visit is not known here yet
  std::vector<v1::StoredEvent> events;      // any order; no event twice
  std::vector<v1::Tag> tags;                // the client's, retired ones too (any UsesTags)
  std::vector<v1::AuditEntry> adjustments;  // oldest first
  v1::CheckInPolicy policy;                 // in force (EffectivePolicy)
};

// The record. Each event carries the exceptions it raised, checked against the view, tags and
// policy at the event's estimated time:
// - GPS: verified within the geofence, allowing for the reported accuracy up to the geofence's
//   own size; outside it LOCATION_MISMATCH with the distance; no location NO_LOCATION.
// - NFC, QR: verified when the payload is one of the client's tags of that kind in use at the
//   time; otherwise TAG_MISMATCH.
// - TELEPHONY: verified when the caller number is one of the client's landlines in use then;
//   otherwise TAG_MISMATCH.
// - MANUAL: MANUAL_METHOD, always, for a coordinator to review.
// - NOT_ASSIGNED when the carer was not on the visit at the time and is not on it now;
//   VISIT_CANCELLED for an event after the visit was cancelled; CLOCK_SKEW when the phone's
//   clock was off by more than the policy allows; LATE_ARRIVAL for a check-in after the
//   planned start plus the late threshold; CHECK_OUT_WITHOUT_CHECK_IN; VISIT_UNKNOWN while the
//   visit is not known here.
// A slot per carer (those on the visit first, then others in the order they checked in):
// the first check-in and the last check-out. The visit starts when as many carers as it
// requires are in, and ends when each of them is out; SHORT_VISIT (and the state SHORT) when
// it lasted under the policy's share of the planned length. Adjustments set a slot's times or
// the state; the recorded values stay beside them.
v1::VisitRecord BuildRecord(const RecordInputs& inputs);

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_RECORD_RULES_H_
