// homecare-checkin as a real process beside real homecare-roster, homecare-scheduling and
// redis-server processes, on the test clock: a day's visits checked in and out by every method, a
// double-up, an offline batch synced late, a carer reassigned while offline, roles and tenants
// for every RPC, scheduling down, Redis killed under many retrying phones, hostile input, the
// policy and the tags.
#include <latch>
#include <limits>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/time_util.h"
#include "gtest/gtest.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "tests/checkin_fixture.h"

namespace homecare {
namespace {

using ::homecare::testing::At;
using ::homecare::testing::Day;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::Kinds;
using ::homecare::testing::kOak;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Local;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::Stub;
using ::homecare::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
namespace cv1 = checkin::v1;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using CheckInStub = cv1::CheckInService::Stub;

using CheckInTest = testing::CheckInFixture;

TEST_F(CheckInTest, ADaysVisitsCheckedInAndOutByEveryMethod) {
  sv1::AssignCarersResponse assigned;
  for (int day : {3, 4, 5}) {
    ASSERT_THAT(Assign(week_.morning[day].visit_id(), {ann_.carer_id()}, &assigned), GrpcOk());
  }
  Register(cv1::TAG_KIND_NFC, "nfc:04A224B2");
  Register(cv1::TAG_KIND_QR, "qr:edna-kitchen");
  Register(cv1::TAG_KIND_LANDLINE, "+44 1632 960001");
  const std::string ann = CarerToken(ann_);

  // Tuesday: GPS in, NFC out, with the tasks done.
  const std::string tuesday = week_.morning[3].visit_id();
  clock_.Set(Local(2030, 12, 3, 7, 2));
  cv1::CheckInResponse in;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, ann,
                  Event<cv1::CheckInRequest>("tue-in", tuesday, Local(2030, 12, 3, 7, 2)), &in),
      GrpcOk());
  EXPECT_THAT(in.exceptions(), IsEmpty());
  EXPECT_EQ(in.record().state(), cv1::DELIVERY_STATE_IN_PROGRESS);
  EXPECT_TRUE(in.record().slots(0).check_in_verified());
  clock_.Set(Local(2030, 12, 3, 7, 33));
  cv1::CheckOutRequest out = Event<cv1::CheckOutRequest>(
      "tue-out", tuesday, Local(2030, 12, 3, 7, 33), cv1::CHECK_IN_METHOD_NFC);
  out.set_tag_payload("nfc:04A224B2");
  cv1::TaskOutcome& task = *out.add_task_outcomes();
  task.set_task_id("t1");
  task.set_status(cv1::TASK_STATUS_DONE);
  out.set_visit_outcome(cv1::VISIT_OUTCOME_COMPLETED);
  out.set_note("Edna ate all her porridge");
  cv1::CheckOutResponse done;
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckOut, ann, out, &done), GrpcOk());
  EXPECT_THAT(done.exceptions(), IsEmpty());
  EXPECT_EQ(done.record().state(), cv1::DELIVERY_STATE_COMPLETED);
  EXPECT_EQ(done.record().actual_minutes(), 31);
  EXPECT_TRUE(done.record().slots(0).check_out_verified());
  ASSERT_EQ(done.record().task_outcomes_size(), 1);
  EXPECT_EQ(done.record().service_type(), "morning");
  // A retry of the check-out (the phone did not hear back) changes nothing and says so.
  *out.mutable_sent_time() = TimeToProto(Local(2030, 12, 3, 7, 35));
  cv1::CheckOutResponse again;
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckOut, ann, out, &again), GrpcOk());
  EXPECT_TRUE(again.duplicate());
  EXPECT_EQ(again.record().version(), done.record().version());

  // Wednesday: a QR code in, the client's landline out (through the telephony gateway).
  const std::string wednesday = week_.morning[4].visit_id();
  clock_.Set(Local(2030, 12, 4, 7, 5));
  cv1::CheckInRequest qr = Event<cv1::CheckInRequest>("wed-in", wednesday, Local(2030, 12, 4, 7, 5),
                                                      cv1::CHECK_IN_METHOD_QR);
  qr.set_tag_payload("qr:edna-kitchen");
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckIn, ann, qr, &in), GrpcOk());
  EXPECT_THAT(in.exceptions(), IsEmpty());
  clock_.Set(Local(2030, 12, 4, 7, 40));
  cv1::CheckOutRequest call = Event<cv1::CheckOutRequest>(
      "wed-out", wednesday, Local(2030, 12, 4, 7, 40), cv1::CHECK_IN_METHOD_TELEPHONY);
  call.clear_location();
  call.set_carer_id(ann_.carer_id());
  call.set_caller_number("01632960001");
  EXPECT_THAT(CheckInCall(&CheckInStub::CheckOut, ann, call, &done),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
      << "only the gateway sends telephony";
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckOut, secret_.Token(Role::kSystem, kSunrise), call, &done),
      GrpcOk());
  EXPECT_THAT(done.exceptions(), IsEmpty());
  EXPECT_EQ(done.record().slots(0).check_out_method(), cv1::CHECK_IN_METHOD_TELEPHONY);

  // Thursday: Ann's phone is broken; the coordinator records her visit by hand, for review.
  const std::string thursday = week_.morning[5].visit_id();
  clock_.Set(Local(2030, 12, 5, 9, 0));
  cv1::CheckInRequest manual = Event<cv1::CheckInRequest>(
      "thu-in", thursday, Local(2030, 12, 5, 7, 0), cv1::CHECK_IN_METHOD_MANUAL);
  manual.clear_location();
  manual.set_carer_id(ann_.carer_id());
  *manual.mutable_sent_time() = TimeToProto(Local(2030, 12, 5, 9, 0));
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckIn, Coordinator(), manual, &in), GrpcOk());
  EXPECT_THAT(Kinds(in.exceptions()), ElementsAre(cv1::EXCEPTION_KIND_MANUAL_METHOD));

  cv1::ListVisitRecordsRequest list;
  *list.mutable_start_date() = Day(2030, 12, 2);
  *list.mutable_end_date() = Day(2030, 12, 8);
  cv1::ListVisitRecordsResponse records;
  ASSERT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, Coordinator(), list, &records), GrpcOk());
  ASSERT_THAT(records.records(), SizeIs(3));
  EXPECT_EQ(records.records(0).visit_id(), tuesday);
  list.set_exceptions_only(true);
  ASSERT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, Coordinator(), list, &records), GrpcOk());
  ASSERT_THAT(records.records(), SizeIs(1));
  EXPECT_EQ(records.records(0).visit_id(), thursday);
  list.set_exceptions_only(false);
  list.set_state(cv1::DELIVERY_STATE_COMPLETED);
  ASSERT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, Coordinator(), list, &records), GrpcOk());
  EXPECT_THAT(records.records(), SizeIs(2));

  // Visit maintenance: the coordinator confirms Thursday with Edna and records the end.
  cv1::AdjustVisitRecordRequest adjust;
  adjust.set_visit_id(thursday);
  adjust.set_carer_id(ann_.carer_id());
  *adjust.mutable_check_out_time() = TimeToProto(Local(2030, 12, 5, 7, 35));
  adjust.mutable_update_mask()->add_paths("check_out_time");
  adjust.set_reason(cv1::ADJUSTMENT_REASON_PHONE_FAULT);
  adjust.set_resolution(cv1::ADJUSTMENT_RESOLUTION_CONFIRMED_WITH_CLIENT);
  adjust.set_note("Edna confirmed the visit by phone");
  cv1::VisitRecord adjusted;
  EXPECT_THAT(CheckInCall(&CheckInStub::AdjustVisitRecord, ann, adjust, &adjusted),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  ASSERT_THAT(CheckInCall(&CheckInStub::AdjustVisitRecord, Coordinator(), adjust, &adjusted),
              GrpcOk());
  EXPECT_EQ(adjusted.state(), cv1::DELIVERY_STATE_COMPLETED);
  EXPECT_EQ(adjusted.recorded_state(), cv1::DELIVERY_STATE_IN_PROGRESS);
  ASSERT_EQ(adjusted.audit_size(), 1);
  EXPECT_EQ(adjusted.audit(0).actor(), "test-coordinator");
}

TEST_F(CheckInTest, ADoubleUpStartsWhenBothCarersAreIn) {
  const std::string bed = week_.bed[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(bed, {ann_.carer_id(), bob_.carer_id()}, &assigned), GrpcOk());
  clock_.Set(Local(2030, 12, 3, 21, 1));
  cv1::CheckInResponse response;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_),
                  Event<cv1::CheckInRequest>("a-in", bed, Local(2030, 12, 3, 21, 1)), &response),
      GrpcOk());
  EXPECT_FALSE(response.record().has_start_time()) << "Bob is not in yet";
  ASSERT_EQ(response.record().slots_size(), 2);
  clock_.Set(Local(2030, 12, 3, 21, 6));
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(bob_),
                  Event<cv1::CheckInRequest>("b-in", bed, Local(2030, 12, 3, 21, 6)), &response),
      GrpcOk());
  EXPECT_EQ(At(response.record().start_time()), Local(2030, 12, 3, 21, 6));
  EXPECT_EQ(response.record().carers_required(), 2);
}

TEST_F(CheckInTest, AnOfflineBatchSyncedLateAndACarerReassignedMeanwhile) {
  const std::string morning = week_.morning[3].visit_id();
  const std::string bed = week_.bed[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(morning, {ann_.carer_id()}, &assigned), GrpcOk());
  ASSERT_THAT(Assign(bed, {ann_.carer_id(), bob_.carer_id()}, &assigned), GrpcOk());
  // 06:30: Ann, already offline, is taken off the morning visit and Bob put on it.
  clock_.Set(Local(2030, 12, 3, 6, 30));
  sv1::UnassignCarerRequest unassign;
  unassign.set_visit_id(morning);
  unassign.set_carer_id(ann_.carer_id());
  sv1::Visit visit;
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &visit), GrpcOk());
  ASSERT_THAT(Assign(morning, {bob_.carer_id()}, &assigned), GrpcOk());
  // Ann's phone, 4 minutes slow, did the morning visit and the bedtime one and synced them all
  // the next morning.
  const absl::Duration slow = absl::Minutes(4);
  cv1::SyncEventsRequest batch;
  auto queue = [&](auto event, absl::Time at) {
    *event.mutable_device_time() = TimeToProto(at - slow);
    *event.mutable_sent_time() = TimeToProto(Local(2030, 12, 4, 8, 0) - slow);
    return event;
  };
  *batch.add_events()->mutable_check_in() =
      queue(Event<cv1::CheckInRequest>("m-in", morning, Local(2030, 12, 3, 7, 1)),
            Local(2030, 12, 3, 7, 1));
  *batch.add_events()->mutable_check_out() =
      queue(Event<cv1::CheckOutRequest>("m-out", morning, Local(2030, 12, 3, 7, 31)),
            Local(2030, 12, 3, 7, 31));
  *batch.add_events()->mutable_check_in() =
      queue(Event<cv1::CheckInRequest>("b-in", bed, Local(2030, 12, 3, 21, 2)),
            Local(2030, 12, 3, 21, 2));
  clock_.Set(Local(2030, 12, 4, 8, 0));
  cv1::SyncEventsResponse synced;
  ASSERT_THAT(CheckInCall(&CheckInStub::SyncEvents, CarerToken(ann_), batch, &synced), GrpcOk());
  ASSERT_THAT(synced.results(), SizeIs(3));
  for (const cv1::EventResult& result : synced.results()) {
    EXPECT_EQ(result.code(), 0) << result.message();
  }
  // The morning visit keeps her evidence, with NOT_ASSIGNED once the service has the
  // reassignment from the stream; the times are the true ones, not the phone's.
  cv1::VisitRecord record = AwaitRecord(morning, [&](const cv1::VisitRecord& r) {
    for (const cv1::VisitException& exception : r.exceptions()) {
      if (exception.kind() == cv1::EXCEPTION_KIND_NOT_ASSIGNED) return true;
    }
    return false;
  });
  EXPECT_THAT(Kinds(record.exceptions()), UnorderedElementsAre(cv1::EXCEPTION_KIND_NOT_ASSIGNED,
                                                               cv1::EXCEPTION_KIND_NOT_ASSIGNED));
  ASSERT_EQ(record.slots_size(), 2);
  EXPECT_EQ(record.slots(0).carer_id(), bob_.carer_id());
  EXPECT_EQ(record.slots(1).carer_id(), ann_.carer_id());
  EXPECT_EQ(At(record.slots(1).check_in_time()), Local(2030, 12, 3, 7, 1));
  ASSERT_EQ(record.events_size(), 2);
  EXPECT_EQ(At(record.events(0).received_time()), Local(2030, 12, 4, 8, 0));
  // The bedtime visit was hers: no exception but what the late sync shows.
  cv1::VisitRecord evening = Record(bed);
  EXPECT_THAT(evening.exceptions(), IsEmpty());
  EXPECT_EQ(At(evening.slots(0).check_in_time()), Local(2030, 12, 3, 21, 2));
}

TEST_F(CheckInTest, EveryRpcWithAnotherCarersAndAnotherTenantsIds) {
  const std::string morning = week_.morning[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(morning, {ann_.carer_id()}, &assigned), GrpcOk());
  clock_.Set(Local(2030, 12, 3, 7, 2));
  cv1::CheckInResponse response;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_),
                  Event<cv1::CheckInRequest>("a-in", morning, Local(2030, 12, 3, 7, 2)), &response),
      GrpcOk());
  const std::string bob = CarerToken(bob_);
  // Bob cannot act or read for Ann.
  cv1::CheckInRequest as_ann = Event<cv1::CheckInRequest>("b-1", morning, Local(2030, 12, 3, 7, 3));
  as_ann.set_carer_id(ann_.carer_id());
  EXPECT_THAT(CheckInCall(&CheckInStub::CheckIn, bob, as_ann, &response),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  cv1::GetVisitRecordRequest get;
  get.set_visit_id(morning);
  cv1::VisitRecord record;
  EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, bob, get, &record),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  cv1::ListVisitRecordsRequest anns;
  anns.set_carer_id(ann_.carer_id());
  *anns.mutable_date() = Day(2030, 12, 3);
  cv1::ListVisitRecordsResponse listed;
  EXPECT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, bob, anns, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  // His own evidence on a visit he is not on is kept, with NOT_ASSIGNED, and then he sees it.
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, bob,
                  Event<cv1::CheckInRequest>("b-2", morning, Local(2030, 12, 3, 7, 4)), &response),
      GrpcOk());
  EXPECT_THAT(Kinds(response.exceptions()), ElementsAre(cv1::EXCEPTION_KIND_NOT_ASSIGNED));
  EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, bob, get, &record), GrpcOk());
  // Ann lists her own.
  ASSERT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, CarerToken(ann_), anns, &listed),
              GrpcOk());
  EXPECT_THAT(listed.records(), SizeIs(1));

  // Another tenant: nothing of sunrise's is there.
  const std::string oak = Coordinator(kOak);
  EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, oak, get, &record),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  cv1::CheckInRequest foreign =
      Event<cv1::CheckInRequest>("o-1", morning, Local(2030, 12, 3, 7, 5));
  foreign.set_carer_id(ann_.carer_id());
  EXPECT_THAT(CheckInCall(&CheckInStub::CheckIn, oak, foreign, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_, kOak),
                  Event<cv1::CheckInRequest>("o-2", morning, Local(2030, 12, 3, 7, 5)), &response),
      GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  ASSERT_THAT(CheckInCall(&CheckInStub::ListVisitRecords, oak, anns, &listed), GrpcOk());
  EXPECT_THAT(listed.records(), IsEmpty());
  cv1::RegisterTagRequest tag;
  tag.mutable_tag()->set_client_id(week_.client.client_id());
  tag.mutable_tag()->set_kind(cv1::TAG_KIND_QR);
  tag.mutable_tag()->set_payload("qr:oak-tries");
  cv1::Tag made;
  EXPECT_THAT(CheckInCall(&CheckInStub::RegisterTag, oak, tag, &made),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));

  // Roles that may not: carers on policy, tags and corrections; commissioners and operators on
  // everything.
  cv1::CheckInPolicy policy;
  for (const std::string& token :
       {bob, secret_.Token(Role::kCommissioner, kSunrise), secret_.Token(Role::kOperator, "")}) {
    EXPECT_THAT(CheckInCall(&CheckInStub::GetPolicy, token, cv1::GetPolicyRequest(), &policy),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(CheckInCall(&CheckInStub::RegisterTag, token, tag, &made),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    cv1::ListTagsRequest tags;
    tags.set_client_id(week_.client.client_id());
    cv1::ListTagsResponse listed_tags;
    EXPECT_THAT(CheckInCall(&CheckInStub::ListTags, token, tags, &listed_tags),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  for (const std::string& token :
       {secret_.Token(Role::kCommissioner, kSunrise), secret_.Token(Role::kOperator, "")}) {
    EXPECT_THAT(CheckInCall(&CheckInStub::CheckIn, token, foreign, &response),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
    EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, token, get, &record),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
  EXPECT_THAT(CheckInCall(&CheckInStub::GetVisitRecord, "", get, &record),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
}

TEST_F(CheckInTest, SchedulingDownNeverStopsACheckIn) {
  const std::string known = week_.morning[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(known, {ann_.carer_id()}, &assigned), GrpcOk());
  // The check-in service has the visit and Ann on it from the stream before scheduling goes.
  AwaitRecord(known, [&](const cv1::VisitRecord& record) {
    return record.slots_size() == 1 && record.slots(0).assigned();
  });
  stub_.reset();
  ASSERT_THAT(scheduling_->Stop().status(), IsOk());
  clock_.Set(Local(2030, 12, 3, 7, 2));
  cv1::CheckInResponse response;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_),
                  Event<cv1::CheckInRequest>("a-in", known, Local(2030, 12, 3, 7, 2)), &response),
      GrpcOk());
  EXPECT_THAT(response.exceptions(), IsEmpty()) << "verified against the visit it keeps";
  // A visit id it has never heard of: kept all the same, to be checked once known.
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_),
                  Event<cv1::CheckInRequest>("x-in", "vis_unheardof", Local(2030, 12, 3, 7, 3)),
                  &response),
      GrpcOk());
  EXPECT_THAT(Kinds(response.exceptions()), ElementsAre(cv1::EXCEPTION_KIND_VISIT_UNKNOWN));
}

TEST_F(CheckInTest, KilledRedisLosesNoAcknowledgedEventAndRetriesStoreNoneTwice) {
  // Eight phones, each checking in and out of its visits, retrying every event with its own id
  // until the service acknowledges it; Redis is killed (kill -9) once each phone is sending.
  std::vector<std::string> visits;
  for (const auto& [day, visit] : week_.morning) visits.push_back(visit.visit_id());
  for (const auto& [day, visit] : week_.bed) visits.push_back(visit.visit_id());
  clock_.Set(Local(2030, 12, 9, 9, 0));
  constexpr int kPhones = 8;
  constexpr int kEventsEach = 12;
  std::latch sending(kPhones);
  std::mutex mutex;
  std::map<std::string, std::string> acknowledged;  // event id -> visit id
  std::vector<std::thread> phones;
  for (int phone = 0; phone < kPhones; ++phone) {
    phones.emplace_back([&, phone] {
      auto channel = checkin_->NewChannel();
      auto stub = cv1::CheckInService::NewStub(channel);
      const std::string token = secret_.Token(Role::kCarer, kSunrise, absl::StrCat("car_p", phone));
      for (int i = 0; i < kEventsEach; ++i) {
        const std::string visit = visits[(phone + i) % visits.size()];
        const std::string id = absl::StrCat("phone-", phone, "-event-", i);
        cv1::CheckInRequest request =
            Event<cv1::CheckInRequest>(id, visit, Local(2030, 12, 9, 8, i));
        const absl::Time give_up = absl::Now() + absl::Seconds(30);
        while (absl::Now() < give_up) {
          grpc::ClientContext context;
          PrepareContext(context, token, absl::Seconds(2));
          cv1::CheckInResponse response;
          if (stub->CheckIn(&context, request, &response).ok()) {
            std::lock_guard<std::mutex> lock(mutex);
            acknowledged[id] = visit;
            break;
          }
          absl::SleepFor(absl::Milliseconds(20));  // a phone's retry backoff
        }
        if (i == 2) sending.count_down();
      }
    });
  }
  sending.wait();
  EXPECT_THAT(redis_->Kill(), IsOk());
  ASSERT_THAT(redis_->Restart(), IsOk());  // replays the AOF
  for (std::thread& phone : phones) phone.join();
  ASSERT_EQ(acknowledged.size(), static_cast<size_t>(kPhones * kEventsEach))
      << "every event acknowledged in the end";
  // Every acknowledged event is in its visit's record exactly once.
  std::map<std::string, int> seen;
  for (const std::string& visit : visits) {
    cv1::VisitRecord record = Record(visit);
    for (const cv1::StoredEvent& event : record.events()) ++seen[event.event_id()];
  }
  for (const auto& [id, visit] : acknowledged) {
    EXPECT_EQ(seen[id], 1) << id;
  }
  EXPECT_EQ(seen.size(), acknowledged.size());
}

TEST_F(CheckInTest, HostileInputIsRefusedNamingTheFieldAndNothingIsStored) {
  const std::string morning = week_.morning[3].visit_id();
  const std::string ann = CarerToken(ann_);
  cv1::CheckInRequest nan = Event<cv1::CheckInRequest>("h-1", morning, Local(2030, 12, 3, 7, 2));
  nan.mutable_location()->set_latitude(std::numeric_limits<double>::quiet_NaN());
  *nan.mutable_device_time() =
      TimeToProto(absl::FromCivil(absl::CivilSecond(1, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  cv1::CheckInResponse response;
  grpc::Status status = CheckInCall(&CheckInStub::CheckIn, ann, nan, &response);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), UnorderedElementsAre("location.latitude", "device_time"));
  cv1::CheckOutRequest flood =
      Event<cv1::CheckOutRequest>("h-2", morning, Local(2030, 12, 3, 7, 2));
  flood.set_note(std::string(200000, 'x'));
  for (int i = 0; i < 5000; ++i) {
    cv1::TaskOutcome& task = *flood.add_task_outcomes();
    task.set_task_id(absl::StrCat("t", i));
    task.set_status(cv1::TASK_STATUS_DONE);
  }
  *flood.mutable_sent_time() =
      TimeToProto(absl::FromCivil(absl::CivilSecond(9999, 1, 1, 0, 0, 0), absl::UTCTimeZone()));
  cv1::CheckOutResponse out;
  status = CheckInCall(&CheckInStub::CheckOut, ann, flood, &out);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), UnorderedElementsAre("note", "task_outcomes", "sent_time"));
  cv1::SyncEventsRequest huge;
  for (int i = 0; i < 500; ++i) *huge.add_events()->mutable_check_in() = nan;
  cv1::SyncEventsResponse synced;
  EXPECT_THAT(ViolatedFields(CheckInCall(&CheckInStub::SyncEvents, ann, huge, &synced)),
              ElementsAre("events"));
  // Nothing was stored, and the server still serves.
  EXPECT_EQ(Record(morning).version(), 0);
  EXPECT_THAT(Record(morning).events(), IsEmpty());
  absl::StatusOr<ServingStatus> health = CheckHealth(*checkin_->NewChannel(), "", absl::Seconds(5));
  ASSERT_THAT(health.status(), IsOk());
  EXPECT_EQ(*health, ServingStatus::kServing);
}

TEST_F(CheckInTest, ThePolicyAndTheTagsDecideWhatIsVerified) {
  const std::string morning = week_.morning[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(morning, {ann_.carer_id()}, &assigned), GrpcOk());
  cv1::CheckInPolicy policy;
  ASSERT_THAT(CheckInCall(&CheckInStub::GetPolicy, Coordinator(), cv1::GetPolicyRequest(), &policy),
              GrpcOk());
  EXPECT_EQ(policy.geofence_meters(), 150);
  EXPECT_EQ(google::protobuf::util::TimeUtil::DurationToMinutes(policy.max_clock_skew()), 5);
  cv1::UpdatePolicyRequest bad;
  bad.mutable_policy()->set_geofence_meters(2);
  bad.mutable_update_mask()->add_paths("geofence_meters");
  EXPECT_THAT(ViolatedFields(CheckInCall(&CheckInStub::UpdatePolicy, Coordinator(), bad, &policy)),
              ElementsAre("policy.geofence_meters"));

  // 250 m down the road is outside 150 m, inside 300 m.
  clock_.Set(Local(2030, 12, 3, 7, 2));
  cv1::CheckInRequest far = Event<cv1::CheckInRequest>("far-1", morning, Local(2030, 12, 3, 7, 2));
  far.mutable_location()->set_latitude(51.52225);
  cv1::CheckInResponse response;
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_), far, &response), GrpcOk());
  EXPECT_THAT(Kinds(response.exceptions()), ElementsAre(cv1::EXCEPTION_KIND_LOCATION_MISMATCH));
  cv1::UpdatePolicyRequest wider;
  wider.mutable_policy()->set_geofence_meters(300);
  wider.mutable_update_mask()->add_paths("geofence_meters");
  ASSERT_THAT(CheckInCall(&CheckInStub::UpdatePolicy, Coordinator(), wider, &policy), GrpcOk());
  EXPECT_EQ(policy.version(), 1);
  const std::string tuesday_bed = week_.bed[3].visit_id();
  ASSERT_THAT(Assign(tuesday_bed, {ann_.carer_id(), bob_.carer_id()}, &assigned), GrpcOk());
  clock_.Set(Local(2030, 12, 3, 21, 2));
  far = Event<cv1::CheckInRequest>("far-2", tuesday_bed, Local(2030, 12, 3, 21, 2));
  far.mutable_location()->set_latitude(51.52225);
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_), far, &response), GrpcOk());
  EXPECT_THAT(response.exceptions(), IsEmpty());

  // Tags: one payload proves one home; a retired tag proves nothing after it was retired.
  cv1::Tag qr = Register(cv1::TAG_KIND_QR, "qr:edna-door");
  cv1::RegisterTagRequest twice;
  twice.set_request_id("another-request");
  *twice.mutable_tag() = qr;
  twice.mutable_tag()->clear_tag_id();
  cv1::Tag made;
  EXPECT_THAT(CheckInCall(&CheckInStub::RegisterTag, Coordinator(), twice, &made),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  cv1::RetireTagRequest retire;
  retire.set_tag_id(qr.tag_id());
  cv1::Tag retired;
  clock_.Set(Local(2030, 12, 3, 21, 10));
  ASSERT_THAT(CheckInCall(&CheckInStub::RetireTag, Coordinator(), retire, &retired), GrpcOk());
  EXPECT_TRUE(retired.has_retire_time());
  cv1::ListTagsRequest list;
  list.set_client_id(week_.client.client_id());
  cv1::ListTagsResponse tags;
  ASSERT_THAT(CheckInCall(&CheckInStub::ListTags, Coordinator(), list, &tags), GrpcOk());
  EXPECT_THAT(tags.tags(), IsEmpty());
  list.set_include_retired(true);
  ASSERT_THAT(CheckInCall(&CheckInStub::ListTags, Coordinator(), list, &tags), GrpcOk());
  EXPECT_THAT(tags.tags(), SizeIs(1));
  cv1::CheckOutRequest out = Event<cv1::CheckOutRequest>(
      "qr-out", tuesday_bed, Local(2030, 12, 3, 21, 40), cv1::CHECK_IN_METHOD_QR);
  out.set_tag_payload("qr:edna-door");
  clock_.Set(Local(2030, 12, 3, 21, 40));
  cv1::CheckOutResponse checked_out;
  ASSERT_THAT(CheckInCall(&CheckInStub::CheckOut, CarerToken(ann_), out, &checked_out), GrpcOk());
  EXPECT_THAT(Kinds(checked_out.exceptions()), ElementsAre(cv1::EXCEPTION_KIND_TAG_MISMATCH));
}

TEST_F(CheckInTest, CarectlRecordsOnACarersBehalfAndCorrectsTheRecord) {
  const std::string morning = week_.morning[3].visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(morning, {ann_.carer_id()}, &assigned), GrpcOk());
  const std::string client = week_.client.client_id();
  auto rfc3339 = [](absl::Time time) {
    return absl::FormatTime(absl::RFC3339_sec, time, absl::UTCTimeZone());
  };

  auto [tagged, tag_output] = Carectl({"tag", "register", "--client", client, "--kind", "nfc",
                                       "--payload", "nfc:04A224B2", "--label", "hall cupboard"});
  ASSERT_EQ(tagged, 0) << tag_output;
  EXPECT_THAT(tag_output, HasSubstr("client:     Edna"));
  EXPECT_THAT(tag_output, HasSubstr("where:      hall cupboard"));
  auto [listed, list_output] = Carectl({"tag", "list", "--client", client});
  ASSERT_EQ(listed, 0) << list_output;
  EXPECT_THAT(list_output, HasSubstr("nfc   nfc:04A224B2  hall cupboard"));

  // The coordinator records Ann's arrival by her tag, from a phone call an hour later.
  clock_.Set(Local(2030, 12, 3, 8, 5));
  auto [in, in_output] =
      Carectl({"check-in", "--visit", morning, "--carer", ann_.carer_id(), "--method", "nfc",
               "--tag", "nfc:04A224B2", "--at", "2030-12-03T07:04", "--now", rfc3339(clock_.now()),
               "--event-id", "ann-in"});
  ASSERT_EQ(in, 0) << in_output;
  EXPECT_THAT(in_output, HasSubstr("recorded\n"));
  EXPECT_THAT(in_output, HasSubstr("state:     in-progress"));
  EXPECT_THAT(in_output, HasSubstr("nfc, verified"));
  auto [again, again_output] =
      Carectl({"check-in", "--visit", morning, "--carer", ann_.carer_id(), "--method", "nfc",
               "--tag", "nfc:04A224B2", "--at", "2030-12-03T07:04", "--now", rfc3339(clock_.now()),
               "--event-id", "ann-in"});
  ASSERT_EQ(again, 0) << again_output;
  EXPECT_THAT(again_output, HasSubstr("already recorded (a repeat of that event)"));
  auto [out, out_output] =
      Carectl({"check-out", "--visit", morning, "--carer", ann_.carer_id(), "--at",
               "2030-12-03T07:20", "--now", rfc3339(clock_.now()), "--tasks",
               "t1=refused: had taken them already", "--note", "rang from the car"});
  ASSERT_EQ(out, 0) << out_output;
  EXPECT_THAT(out_output, HasSubstr("manual-method"));
  EXPECT_THAT(out_output, HasSubstr("t1 refused: had taken them already"));

  // 16 of 30 minutes is short; the coordinator confirms with Edna that Ann stayed till 07:34.
  auto [shown, shown_output] = Carectl({"record", "get", "--visit", morning});
  ASSERT_EQ(shown, 0) << shown_output;
  EXPECT_THAT(shown_output, HasSubstr("state:     short"));
  auto [fixed, fixed_output] =
      Carectl({"record", "adjust", "--visit", morning, "--carer", ann_.carer_id(), "--check-out",
               "2030-12-03T07:34", "--state", "completed", "--reason", "phone-fault",
               "--resolution", "confirmed-with-client", "--note", "Edna says Ann stayed"});
  ASSERT_EQ(fixed, 0) << fixed_output;
  EXPECT_THAT(fixed_output, HasSubstr("state:     completed (adjusted; the events say short)"));
  EXPECT_THAT(fixed_output, HasSubstr("check_out_time of Ann"));
  EXPECT_THAT(fixed_output, HasSubstr("07:20 -> 07:34, phone-fault, confirmed-with-client: "
                                      "Edna says Ann stayed"));
  auto [records, records_output] =
      Carectl({"record", "list", "--date", "2030-12-03", "--exceptions-only"});
  ASSERT_EQ(records, 0) << records_output;
  EXPECT_THAT(records_output, HasSubstr("Edna"));
  EXPECT_THAT(records_output, HasSubstr(morning));
  auto [none, none_output] =
      Carectl({"record", "list", "--date", "2030-12-04", "--carer", ann_.carer_id()});
  ASSERT_EQ(none, 0) << none_output;
  EXPECT_THAT(none_output, HasSubstr("no visit records for that carer that day"));
  // Ann reads her own record; she may not correct it.
  auto [own, own_output] = Carectl({"record", "get", "--visit", morning}, CarerToken(ann_));
  EXPECT_EQ(own, 0) << own_output;
  auto [refused, refused_output] = Carectl({"record", "adjust", "--visit", morning, "--state",
                                            "missed", "--reason", "other", "--resolution", "other"},
                                           CarerToken(ann_));
  EXPECT_EQ(refused, 1);
  EXPECT_THAT(refused_output, HasSubstr("role \"carer\" may not call this"));

  // The policy, changed one threshold at a time.
  auto [set, set_output] =
      Carectl({"policy", "set", "--geofence", "200", "--critical-late-after", "3m"});
  ASSERT_EQ(set, 0) << set_output;
  EXPECT_THAT(set_output, HasSubstr("geofence:        200 m"));
  EXPECT_THAT(set_output, HasSubstr("time-critical:   late after 3m, missed after 1h"));
  EXPECT_THAT(set_output, HasSubstr("standard visits: late after 15m"));
  auto [bad, bad_output] = Carectl({"policy", "set", "--short-fraction", "3"});
  EXPECT_EQ(bad, 1);
  EXPECT_THAT(bad_output, HasSubstr("policy.standard.short_visit_fraction: must be from 0 to 1"));
  auto [far, far_output] = Carectl({"policy", "set", "--geofence", "9000"});
  EXPECT_EQ(far, 1);
  EXPECT_THAT(far_output, HasSubstr("--geofence: must be"));
  auto [nothing, nothing_output] = Carectl({"policy", "set"});
  EXPECT_EQ(nothing, 1);
  EXPECT_THAT(nothing_output, HasSubstr("nothing to change"));

  // Mistyped words say what carectl takes.
  auto [typo, typo_output] = Carectl({"check-in", "--visit", morning, "--method", "bluetooth"});
  EXPECT_EQ(typo, 1);
  EXPECT_THAT(typo_output, HasSubstr("--method: method \"bluetooth\" is not valid; expected gps"));
  auto [tasks, tasks_output] = Carectl({"check-out", "--visit", morning, "--tasks", "t1 done"});
  EXPECT_EQ(tasks, 1);
  EXPECT_THAT(tasks_output, HasSubstr("--tasks: task \"t1 done\" is not valid"));
}

}  // namespace
}  // namespace homecare
