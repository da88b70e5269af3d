// The rules for a carer's check-in and check-out events: what a well-formed event is (anything
// else is refused naming its field, and nothing is stored), what identifies it for retries,
// and the three clocks it carries. An event that is well-formed is evidence: it is stored,
// with exceptions for what is wrong (record_rules.h). No gRPC, no Redis.
#ifndef HOMECARE_SERVICES_CHECKIN_EVENT_RULES_H_
#define HOMECARE_SERVICES_CHECKIN_EVENT_RULES_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "homecare/checkin/v1/checkin.pb.h"

namespace homecare::checkin {

inline constexpr int kMaxTaskOutcomes = 100;
inline constexpr int kMaxOutcomeNotes = 50;
inline constexpr size_t kMaxNoteBytes = 4000;
inline constexpr size_t kMaxTaskNoteBytes = 2000;
inline constexpr size_t kMaxTagPayloadBytes = 512;
inline constexpr double kMaxAccuracyMeters = 100000;
// Phones' clocks are trusted to the years around now; a timestamp of year 1 or 9999 is a fault.
inline constexpr int kFirstEventYear = 2000;
inline constexpr int kLastEventYear = 2099;

// The fields check-ins and check-outs share, read the same way from either.
struct EventView {
  const std::string& event_id;
  const std::string& visit_id;
  v1::CheckInMethod method;
  const common::v1::GeoPoint* location;  // nullptr when not given
  double accuracy_meters;
  const google::protobuf::Timestamp& device_time;
  const google::protobuf::Timestamp& sent_time;
  const std::string& tag_payload;
  const std::string& carer_id;
  const std::string& caller_number;
  bool is_check_out;
};
EventView ViewOf(const v1::QueuedEvent& event);

// Every rule `event` breaks, each naming its field under `prefix` ("" for CheckIn's own
// fields, "events[3].check_in." in a batch): an event_id (1 to 200 characters) and a visit_id;
// a known method; a location on the Earth when given; an accuracy from 0 to 100 km; device and
// sent times set, in the years 2000 to 2099; a tag payload of at most 512 bytes; a valid
// carer_id when given; a caller number of digits (an optional leading +); for a check-out at
// most 100 task outcomes with ids, known statuses and notes of at most 2,000 bytes, at most 50
// outcome notes, a note of at most 4,000 bytes, and a known visit outcome.
absl::Status ValidateEvent(const v1::QueuedEvent& event, absl::string_view prefix = "");

// What identifies an event for retries: its id and payload, without sent_time (which changes
// on every retry) and with the carer it is recorded for.
std::string EventFingerprint(const v1::QueuedEvent& event, absl::string_view carer_id);

// The event as stored: who it is for, and its clocks; the true time estimated as
// received - (sent - device), which corrects a phone whose clock is off (a delay in the network
// counts against it).
v1::StoredEvent NewStoredEvent(const v1::QueuedEvent& event, const std::string& carer_id,
                               absl::Time received);

}  // namespace homecare::checkin

#endif  // HOMECARE_SERVICES_CHECKIN_EVENT_RULES_H_
