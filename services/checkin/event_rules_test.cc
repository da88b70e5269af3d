#include "services/checkin/event_rules.h"

#include <cmath>
#include <limits>
#include <string>

#include "common/status/errors.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::checkin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

absl::Time T(int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(2030, 12, 3, hh, mm, ss), absl::UTCTimeZone());
}

v1::QueuedEvent CheckIn() {
  v1::QueuedEvent event;
  v1::CheckInRequest& in = *event.mutable_check_in();
  in.set_event_id("5f0b8c1e-0d6a-4c1b-9a77-2f3c8f1d2a90");
  in.set_visit_id("vis_1");
  in.set_method(v1::CHECK_IN_METHOD_GPS);
  in.mutable_location()->set_latitude(51.52);
  in.mutable_location()->set_longitude(-0.1);
  in.set_accuracy_meters(12);
  *in.mutable_device_time() = TimeToProto(T(7, 2));
  *in.mutable_sent_time() = TimeToProto(T(7, 2));
  return event;
}

TEST(EventRulesTest, AWellFormedEventPasses) {
  EXPECT_TRUE(ValidateEvent(CheckIn()).ok());
  v1::QueuedEvent out;
  v1::CheckOutRequest& check_out = *out.mutable_check_out();
  check_out.set_event_id("e2");
  check_out.set_visit_id("vis_1");
  check_out.set_method(v1::CHECK_IN_METHOD_NFC);
  check_out.set_tag_payload("nfc:04A224B2C15E80");
  *check_out.mutable_device_time() = TimeToProto(T(7, 40));
  *check_out.mutable_sent_time() = TimeToProto(T(7, 40));
  v1::TaskOutcome& task = *check_out.add_task_outcomes();
  task.set_task_id("t1");
  task.set_status(v1::TASK_STATUS_NOT_DONE);
  task.set_note("Edna had already eaten");
  check_out.set_visit_outcome(v1::VISIT_OUTCOME_COMPLETED);
  EXPECT_TRUE(ValidateEvent(out).ok());
}

TEST(EventRulesTest, HostileInputIsRefusedNamingEachField) {
  v1::QueuedEvent event = CheckIn();
  v1::CheckInRequest& in = *event.mutable_check_in();
  in.mutable_location()->set_latitude(std::numeric_limits<double>::quiet_NaN());
  in.set_accuracy_meters(-1);
  *in.mutable_device_time() =
      TimeToProto(absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  *in.mutable_sent_time() =
      TimeToProto(absl::FromCivil(absl::CivilSecond(9999, 12, 31, 0, 0, 0), absl::UTCTimeZone()));
  in.set_tag_payload(std::string(10000, 'x'));
  in.set_caller_number("0800 CALL ME");
  EXPECT_THAT(ViolatedFields(ValidateEvent(event)),
              UnorderedElementsAre("location.latitude", "accuracy_meters", "device_time",
                                   "sent_time", "tag_payload", "caller_number"));

  v1::QueuedEvent out;
  v1::CheckOutRequest& check_out = *out.mutable_check_out();
  check_out.set_visit_id("vis_1");
  check_out.set_method(v1::CHECK_IN_METHOD_UNSPECIFIED);
  check_out.set_note(std::string(100000, 'n'));
  for (int i = 0; i < 5000; ++i) check_out.add_task_outcomes()->set_task_id("t1");
  EXPECT_THAT(
      ViolatedFields(ValidateEvent(out, "events[0].check_out.")),
      UnorderedElementsAre("events[0].check_out.event_id", "events[0].check_out.method",
                           "events[0].check_out.device_time", "events[0].check_out.sent_time",
                           "events[0].check_out.task_outcomes", "events[0].check_out.note"));
  EXPECT_THAT(ViolatedFields(ValidateEvent(v1::QueuedEvent())), ElementsAre("event"));
}

TEST(EventRulesTest, TheFingerprintLeavesOutSentTimeButNotTheCarer) {
  v1::QueuedEvent first = CheckIn();
  v1::QueuedEvent retry = first;
  *retry.mutable_check_in()->mutable_sent_time() = TimeToProto(T(9, 30));
  EXPECT_EQ(EventFingerprint(first, "car_ann"), EventFingerprint(retry, "car_ann"));
  EXPECT_NE(EventFingerprint(first, "car_ann"), EventFingerprint(first, "car_bob"));
  v1::QueuedEvent moved = first;
  moved.mutable_check_in()->mutable_location()->set_latitude(51.6);
  EXPECT_NE(EventFingerprint(first, "car_ann"), EventFingerprint(moved, "car_ann"));
}

TEST(EventRulesTest, TheTrueTimeIsEstimatedFromTheThreeClocks) {
  // The phone's clock is 20 minutes slow: the carer tapped at 07:02 on it, the phone sent it
  // (offline) at 09:00 on it, and it arrived at 09:20 by the server's.
  v1::QueuedEvent event = CheckIn();
  *event.mutable_check_in()->mutable_sent_time() = TimeToProto(T(9, 0));
  v1::StoredEvent stored = NewStoredEvent(event, "car_ann", T(9, 20));
  EXPECT_EQ(stored.carer_id(), "car_ann");
  EXPECT_FALSE(stored.is_check_out());
  EXPECT_EQ(stored.received_time().seconds(), absl::ToUnixSeconds(T(9, 20)));
  EXPECT_EQ(stored.estimated_time().seconds(), absl::ToUnixSeconds(T(7, 22)));
  EXPECT_THAT(stored.exceptions(), IsEmpty());
}

}  // namespace
}  // namespace homecare::checkin
