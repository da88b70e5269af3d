// A visit's record from its events: verification by each method, the exceptions, slots and
// states, adjustments, the view kept from the visit stream, and the same record from the same
// events in any order.
#include "services/checkin/record_rules.h"

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/checkin/event_rules.h"
#include "services/checkin/policy_rules.h"

namespace homecare::checkin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

absl::Time T(int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(2030, 12, 3, hh, mm, ss), absl::UTCTimeZone());
}

common::v1::GeoPoint Point(double latitude, double longitude) {
  common::v1::GeoPoint point;
  point.set_latitude(latitude);
  point.set_longitude(longitude);
  return point;
}

const common::v1::GeoPoint kHome = Point(51.5200, -0.1000);
const common::v1::GeoPoint kNextDoor = Point(51.5205, -0.1000);        // about 56 m away
const common::v1::GeoPoint kAcrossTheRoad = Point(51.52225, -0.1000);  // about 250 m away
const common::v1::GeoPoint kDownTheRoad = Point(51.5230, -0.1000);     // about 334 m away

std::vector<v1::ExceptionKind> Kinds(
    const google::protobuf::RepeatedPtrField<v1::VisitException>& exceptions) {
  std::vector<v1::ExceptionKind> kinds;
  for (const v1::VisitException& exception : exceptions) kinds.push_back(exception.kind());
  return kinds;
}

class RecordRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    view_.set_visit_id("vis_1");
    view_.set_client_id("cli_edna");
    *view_.mutable_local_date() = DateToProto(absl::CivilDay(2030, 12, 3));
    *view_.mutable_window_start() = TimeToProto(T(7, 0));
    *view_.mutable_window_end() = TimeToProto(T(8, 0));
    *view_.mutable_planned_start() = TimeToProto(T(7, 0));
    view_.set_duration_minutes(40);
    view_.set_carers_required(1);
    view_.add_carer_ids("car_ann");
    view_.add_assignments()->set_carer_id("car_ann");
    *view_.mutable_location() = kHome;
    view_.set_service_type("morning");
    AddTag(v1::TAG_KIND_NFC, "nfc:04A224", T(0, 0));
    AddTag(v1::TAG_KIND_QR, "qr:edna-kitchen", T(0, 0));
    AddTag(v1::TAG_KIND_LANDLINE, CanonicalLandline("+44 1632 960001"), T(0, 0));
  }

  void AddTag(v1::TagKind kind, const std::string& payload, absl::Time registered) {
    v1::Tag& tag = tags_.emplace_back();
    tag.set_tag_id("tag_" + payload);
    tag.set_client_id("cli_edna");
    tag.set_kind(kind);
    tag.set_payload(payload);
    *tag.mutable_register_time() = TimeToProto(registered);
  }

  // An event tapped at `at` on a phone whose clock is right, sent at once.
  v1::StoredEvent Event(const std::string& id, const std::string& carer, bool check_out,
                        absl::Time at, v1::CheckInMethod method = v1::CHECK_IN_METHOD_GPS,
                        const common::v1::GeoPoint* where = &kHome) {
    v1::QueuedEvent event;
    auto fill = [&](auto& request) {
      request.set_event_id(id);
      request.set_visit_id("vis_1");
      request.set_method(method);
      if (where != nullptr) *request.mutable_location() = *where;
      request.set_accuracy_meters(10);
      *request.mutable_device_time() = TimeToProto(at);
      *request.mutable_sent_time() = TimeToProto(at);
    };
    if (check_out) {
      fill(*event.mutable_check_out());
    } else {
      fill(*event.mutable_check_in());
    }
    return NewStoredEvent(event, carer, at);
  }

  v1::VisitRecord Build(std::vector<v1::StoredEvent> events,
                        std::vector<v1::AuditEntry> adjustments = {}) {
    RecordInputs inputs;
    inputs.visit_id = "vis_1";
    inputs.view = known_ ? &view_ : nullptr;
    inputs.events = std::move(events);
    inputs.tags = tags_;
    inputs.adjustments = std::move(adjustments);
    inputs.policy = EffectivePolicy({});
    return BuildRecord(inputs);
  }

  v1::VisitView view_;
  std::vector<v1::Tag> tags_;
  bool known_ = true;
};

TEST_F(RecordRulesTest, ACheckInAndOutInsideTheGeofenceCompleteTheVisit) {
  v1::VisitRecord record =
      Build({Event("e1", "car_ann", false, T(7, 2), v1::CHECK_IN_METHOD_GPS, &kNextDoor),
             Event("e2", "car_ann", true, T(7, 42))});
  EXPECT_EQ(record.state(), v1::DELIVERY_STATE_COMPLETED);
  EXPECT_EQ(record.recorded_state(), v1::DELIVERY_STATE_COMPLETED);
  EXPECT_THAT(record.exceptions(), IsEmpty());
  ASSERT_EQ(record.slots_size(), 1);
  const v1::CarerSlot& slot = record.slots(0);
  EXPECT_EQ(slot.carer_id(), "car_ann");
  EXPECT_TRUE(slot.assigned());
  EXPECT_TRUE(slot.check_in_verified());
  EXPECT_NEAR(slot.check_in_distance_meters(), 56, 1);
  EXPECT_EQ(record.start_time().seconds(), absl::ToUnixSeconds(T(7, 2)));
  EXPECT_EQ(record.end_time().seconds(), absl::ToUnixSeconds(T(7, 42)));
  EXPECT_EQ(record.actual_minutes(), 40);
  // The six EVV elements.
  EXPECT_EQ(record.service_type(), "morning");
  EXPECT_EQ(record.client_id(), "cli_edna");
  EXPECT_EQ(record.service_date().day(), 3);
  EXPECT_EQ(record.location().latitude(), kHome.latitude());
  ASSERT_EQ(record.events_size(), 2);
}

TEST_F(RecordRulesTest, EachMethodIsVerifiedItsOwnWay) {
  auto check_in = [&](v1::StoredEvent event) { return Build({std::move(event)}); };
  // GPS outside the geofence: accepted, with the distance.
  v1::VisitRecord far =
      check_in(Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_GPS, &kDownTheRoad));
  ASSERT_THAT(Kinds(far.exceptions()), ElementsAre(v1::EXCEPTION_KIND_LOCATION_MISMATCH));
  EXPECT_NEAR(far.exceptions(0).distance_meters(), 334, 2);
  EXPECT_FALSE(far.slots(0).check_in_verified());
  EXPECT_EQ(far.state(), v1::DELIVERY_STATE_IN_PROGRESS);
  // A poor fix counts in the phone's favour, but never by more than the geofence itself.
  v1::StoredEvent vague =
      Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_GPS, &kAcrossTheRoad);
  EXPECT_THAT(Kinds(check_in(vague).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_LOCATION_MISMATCH));
  vague.mutable_event()->mutable_check_in()->set_accuracy_meters(200);
  EXPECT_THAT(check_in(vague).exceptions(), IsEmpty()) << "250 m, give or take 200";
  vague.mutable_event()->mutable_check_in()->set_accuracy_meters(50000);
  vague.mutable_event()->mutable_check_in()->mutable_location()->set_latitude(51.53);
  EXPECT_THAT(Kinds(check_in(vague).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_LOCATION_MISMATCH));
  EXPECT_THAT(
      Kinds(check_in(Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_GPS, nullptr))
                .exceptions()),
      ElementsAre(v1::EXCEPTION_KIND_NO_LOCATION));

  // NFC and QR: the client's tags in use.
  v1::StoredEvent nfc = Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_NFC, nullptr);
  nfc.mutable_event()->mutable_check_in()->set_tag_payload("nfc:04A224");
  EXPECT_TRUE(check_in(nfc).slots(0).check_in_verified());
  nfc.mutable_event()->mutable_check_in()->set_tag_payload("qr:edna-kitchen");  // a QR's, by NFC
  EXPECT_THAT(Kinds(check_in(nfc).exceptions()), ElementsAre(v1::EXCEPTION_KIND_TAG_MISMATCH));
  v1::StoredEvent qr = Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_QR, nullptr);
  qr.mutable_event()->mutable_check_in()->set_tag_payload("qr:edna-kitchen");
  EXPECT_THAT(check_in(qr).exceptions(), IsEmpty());
  // A retired tag proves nothing after it was retired.
  *tags_[1].mutable_retire_time() = TimeToProto(T(6, 0));
  EXPECT_THAT(Kinds(check_in(qr).exceptions()), ElementsAre(v1::EXCEPTION_KIND_TAG_MISMATCH));

  // Telephony from the client's landline, however the number is written.
  v1::StoredEvent call =
      Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_TELEPHONY, nullptr);
  call.mutable_event()->mutable_check_in()->set_caller_number("01632960001");
  EXPECT_TRUE(check_in(call).slots(0).check_in_verified());
  call.mutable_event()->mutable_check_in()->set_caller_number("07700900123");
  EXPECT_THAT(Kinds(check_in(call).exceptions()), ElementsAre(v1::EXCEPTION_KIND_TAG_MISMATCH));

  // Manual: always to review.
  EXPECT_THAT(
      Kinds(check_in(Event("e1", "car_ann", false, T(7, 0), v1::CHECK_IN_METHOD_MANUAL, nullptr))
                .exceptions()),
      ElementsAre(v1::EXCEPTION_KIND_MANUAL_METHOD));
}

TEST_F(RecordRulesTest, WhoWasOnTheVisitWhenTheCarerCheckedIn) {
  // Ann was taken off at 06:30 and Bob put on: Ann's offline check-in at 07:00 is kept, with
  // NOT_ASSIGNED, and gets a slot of its own.
  view_.clear_carer_ids();
  view_.add_carer_ids("car_bob");
  *view_.mutable_assignments(0)->mutable_to_time() = TimeToProto(T(6, 30));
  v1::AssignmentSpan& bob = *view_.add_assignments();
  bob.set_carer_id("car_bob");
  *bob.mutable_from_time() = TimeToProto(T(6, 30));
  v1::VisitRecord record = Build({Event("e1", "car_ann", false, T(7, 0))});
  EXPECT_THAT(Kinds(record.exceptions()), ElementsAre(v1::EXCEPTION_KIND_NOT_ASSIGNED));
  ASSERT_EQ(record.slots_size(), 2);
  EXPECT_EQ(record.slots(0).carer_id(), "car_bob");
  EXPECT_TRUE(record.slots(0).assigned());
  EXPECT_FALSE(record.slots(1).assigned());
  // Her check-in before she was taken off was hers to make.
  EXPECT_THAT(Build({Event("e1", "car_ann", false, T(6, 10))}).exceptions(),
              ::testing::Not(::testing::Contains(::testing::Property(
                  &v1::VisitException::kind, v1::EXCEPTION_KIND_NOT_ASSIGNED))));
}

TEST_F(RecordRulesTest, ClockSkewLatenessCancellationAndACheckOutAlone) {
  // The phone's clock is 20 minutes slow and the event comes an hour late, offline: the true
  // time is estimated, and the skew flagged.
  v1::QueuedEvent event;
  v1::CheckInRequest& in = *event.mutable_check_in();
  in.set_event_id("e1");
  in.set_visit_id("vis_1");
  in.set_method(v1::CHECK_IN_METHOD_GPS);
  *in.mutable_location() = kHome;
  *in.mutable_device_time() = TimeToProto(T(6, 42));  // 07:02 real
  *in.mutable_sent_time() = TimeToProto(T(7, 40));    // 08:00 real
  v1::StoredEvent skewed = NewStoredEvent(event, "car_ann", T(8, 0));
  v1::VisitRecord record = Build({skewed});
  EXPECT_EQ(record.slots(0).check_in_time().seconds(), absl::ToUnixSeconds(T(7, 2)));
  EXPECT_THAT(Kinds(record.exceptions()), ElementsAre(v1::EXCEPTION_KIND_CLOCK_SKEW));

  EXPECT_THAT(Kinds(Build({Event("e1", "car_ann", false, T(7, 20))}).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_LATE_ARRIVAL));
  view_.set_time_critical(true);  // 5 minutes' grace, not 15
  EXPECT_THAT(Kinds(Build({Event("e1", "car_ann", false, T(7, 6))}).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_LATE_ARRIVAL));
  view_.set_time_critical(false);

  EXPECT_THAT(Kinds(Build({Event("e2", "car_ann", true, T(7, 40))}).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_CHECK_OUT_WITHOUT_CHECK_IN));

  view_.set_cancelled(true);
  *view_.mutable_cancel_time() = TimeToProto(T(6, 0));
  v1::VisitRecord cancelled = Build({Event("e1", "car_ann", false, T(7, 0))});
  EXPECT_EQ(cancelled.state(), v1::DELIVERY_STATE_CANCELLED);
  EXPECT_THAT(Kinds(cancelled.exceptions()), ElementsAre(v1::EXCEPTION_KIND_VISIT_CANCELLED));

  known_ = false;
  EXPECT_THAT(Kinds(Build({Event("e1", "car_ann", false, T(7, 0))}).exceptions()),
              ElementsAre(v1::EXCEPTION_KIND_VISIT_UNKNOWN));
}

TEST_F(RecordRulesTest, ADoubleUpStartsWhenBothAreInAndEndsWhenBothAreOut) {
  view_.set_carers_required(2);
  view_.add_carer_ids("car_bob");
  view_.add_assignments()->set_carer_id("car_bob");
  v1::VisitRecord one_in = Build({Event("a1", "car_ann", false, T(7, 0))});
  EXPECT_EQ(one_in.state(), v1::DELIVERY_STATE_IN_PROGRESS);
  EXPECT_FALSE(one_in.has_start_time()) << "not started until Bob is in";
  v1::VisitRecord both =
      Build({Event("a1", "car_ann", false, T(7, 0)), Event("b1", "car_bob", false, T(7, 5)),
             Event("a2", "car_ann", true, T(7, 40)), Event("b2", "car_bob", true, T(7, 46))});
  EXPECT_EQ(both.start_time().seconds(), absl::ToUnixSeconds(T(7, 5)));
  EXPECT_EQ(both.end_time().seconds(), absl::ToUnixSeconds(T(7, 46)));
  EXPECT_EQ(both.actual_minutes(), 41);
  EXPECT_EQ(both.state(), v1::DELIVERY_STATE_COMPLETED);
  ASSERT_EQ(both.slots_size(), 2);
}

TEST_F(RecordRulesTest, OutcomesShortVisitsAndNoAccess) {
  v1::StoredEvent out = Event("e2", "car_ann", true, T(7, 20));
  v1::CheckOutRequest& check_out = *out.mutable_event()->mutable_check_out();
  v1::TaskOutcome& task = *check_out.add_task_outcomes();
  task.set_task_id("t1");
  task.set_status(v1::TASK_STATUS_REFUSED);
  check_out.set_note("Edna was tired");
  v1::VisitRecord short_visit = Build({Event("e1", "car_ann", false, T(7, 0)), out});
  EXPECT_EQ(short_visit.state(), v1::DELIVERY_STATE_SHORT) << "20 of 40 minutes, under 75%";
  EXPECT_THAT(Kinds(short_visit.exceptions()), ElementsAre(v1::EXCEPTION_KIND_SHORT_VISIT));
  ASSERT_EQ(short_visit.task_outcomes_size(), 1);
  EXPECT_EQ(short_visit.task_outcomes(0).status(), v1::TASK_STATUS_REFUSED);
  EXPECT_EQ(short_visit.note(), "Edna was tired");

  check_out.set_visit_outcome(v1::VISIT_OUTCOME_NO_ACCESS);
  EXPECT_EQ(Build({Event("e1", "car_ann", false, T(7, 0)), out}).state(),
            v1::DELIVERY_STATE_NO_ACCESS);
  EXPECT_EQ(Build({}).state(), v1::DELIVERY_STATE_EXPECTED);
}

TEST_F(RecordRulesTest, AdjustmentsSetTimesAndStateBesideWhatWasRecorded) {
  v1::AuditEntry forgot;
  forgot.set_field("check_out_time");
  forgot.set_carer_id("car_ann");
  *forgot.mutable_time_value() = TimeToProto(T(7, 45));
  forgot.set_reason(v1::ADJUSTMENT_REASON_CARER_FORGOT);
  v1::VisitRecord record = Build({Event("e1", "car_ann", false, T(7, 2))}, {forgot});
  EXPECT_EQ(record.recorded_state(), v1::DELIVERY_STATE_IN_PROGRESS);
  EXPECT_EQ(record.state(), v1::DELIVERY_STATE_COMPLETED);
  EXPECT_FALSE(record.slots(0).has_check_out_time()) << "what was recorded stays";
  EXPECT_EQ(record.slots(0).adjusted_check_out_time().seconds(), absl::ToUnixSeconds(T(7, 45)));
  EXPECT_EQ(record.actual_minutes(), 43);
  ASSERT_EQ(record.audit_size(), 1);
  v1::AuditEntry state;
  state.set_field("state");
  state.set_state_value(v1::DELIVERY_STATE_NO_ACCESS);
  EXPECT_EQ(Build({Event("e1", "car_ann", false, T(7, 2))}, {forgot, state}).state(),
            v1::DELIVERY_STATE_NO_ACCESS);
}

TEST_F(RecordRulesTest, TheViewFollowsTheStreamAndKeepsWhoWasOnWhen) {
  scheduling::v1::VisitChange change;
  change.set_tenant_id("sunrise");
  change.set_kind(scheduling::v1::VisitChange::KIND_ASSIGNED);
  scheduling::v1::Visit& visit = *change.mutable_visit();
  visit.set_visit_id("vis_1");
  visit.set_client_id("cli_edna");
  visit.set_version(2);
  visit.add_carer_ids("car_ann");
  visit.set_pattern_id("morning");
  *change.mutable_change_time() = TimeToProto(T(5, 0));
  v1::VisitView first = ApplyVisitChange(nullptr, change);
  EXPECT_EQ(first.service_type(), "morning");
  ASSERT_EQ(first.assignments_size(), 1);
  EXPECT_FALSE(first.assignments(0).has_from_time()) << "on it before the watch saw it";

  visit.clear_carer_ids();
  visit.add_carer_ids("car_bob");
  visit.set_version(3);
  *change.mutable_change_time() = TimeToProto(T(6, 30));
  v1::VisitView second = ApplyVisitChange(&first, change);
  ASSERT_EQ(second.assignments_size(), 2);
  EXPECT_EQ(second.assignments(0).to_time().seconds(), absl::ToUnixSeconds(T(6, 30)));
  EXPECT_EQ(second.assignments(1).carer_id(), "car_bob");
  EXPECT_EQ(second.assignments(1).from_time().seconds(), absl::ToUnixSeconds(T(6, 30)));
  // An older change, or the same one again, changes nothing.
  visit.set_version(2);
  EXPECT_EQ(ApplyVisitChange(&second, change).SerializeAsString(), second.SerializeAsString());
  visit.set_version(4);
  visit.set_status(scheduling::v1::VISIT_STATUS_CANCELLED);
  *change.mutable_change_time() = TimeToProto(T(6, 45));
  v1::VisitView cancelled = ApplyVisitChange(&second, change);
  EXPECT_TRUE(cancelled.cancelled());
  EXPECT_EQ(cancelled.cancel_time().seconds(), absl::ToUnixSeconds(T(6, 45)));
}

// The record is the same whatever order the events come in.
TEST_F(RecordRulesTest, TheSameEventsInAnyOrderGiveTheSameRecord) {
  view_.set_carers_required(2);
  view_.add_carer_ids("car_bob");
  view_.add_assignments()->set_carer_id("car_bob");
  std::vector<v1::StoredEvent> events = {
      Event("a1", "car_ann", false, T(7, 0)),
      Event("b1", "car_bob", false, T(7, 0)),  // the same moment: event_id orders them
      Event("b0", "car_bob", false, T(7, 3), v1::CHECK_IN_METHOD_MANUAL, nullptr),
      Event("a2", "car_ann", true, T(7, 30)),
      Event("b2", "car_bob", true, T(7, 41), v1::CHECK_IN_METHOD_GPS, &kDownTheRoad),
      Event("a3", "car_ann", true, T(7, 44)),
      Event("c1", "car_cat", false, T(7, 10))};
  const std::string expected = Build(events).SerializeAsString();
  std::mt19937 random(20301203);
  for (int seed = 0; seed < 200; ++seed) {
    std::shuffle(events.begin(), events.end(), random);
    ASSERT_EQ(Build(events).SerializeAsString(), expected) << "seed " << seed;
  }
}

}  // namespace
}  // namespace homecare::checkin
