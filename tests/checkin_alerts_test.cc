// The alert engine of homecare-checkin as real processes run it, on the test clock (never by
// sleeping through a threshold): alerts raised once by two replicas, none lost when one is
// killed mid-work, an offline check-in settling its LATE alert, a cancellation settling one, a
// stricter policy taking effect, coordinators acknowledging and resolving, carers and other
// tenants kept out.
#include <signal.h>

#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/checkin_fixture.h"

namespace homecare {
namespace {

using ::homecare::testing::CheckInStub;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::kOak;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Local;
using ::homecare::testing::ServiceProcess;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;
namespace cv1 = checkin::v1;
namespace sv1 = scheduling::v1;

class AlertWatch : public testing::WatchReader<cv1::AlertEvent> {
 public:
  AlertWatch(CheckInStub& stub, const std::string& token, cv1::WatchAlertsRequest request = {})
      : WatchReader([&stub, token, request](grpc::ClientContext& context) {
          PrepareContext(context, token, absl::Seconds(30));
          return stub.WatchAlerts(&context, request);
        }) {}
};

// The next event about `visit_id` (others' alerts, the week before's, pass by).
std::optional<cv1::AlertEvent> NextFor(AlertWatch& watch, const std::string& visit_id) {
  while (std::optional<cv1::AlertEvent> event = watch.Next()) {
    if (event->alert().visit_id() == visit_id) return event;
  }
  return std::nullopt;
}

class CheckInAlertsTest : public testing::CheckInFixture {
 protected:
  // Ann on Edna's Tuesday morning (07:00-08:00, 30 minutes), as the check-in service knows it.
  std::string StaffTuesdayMorning() {
    const std::string morning = week_.morning[3].visit_id();
    sv1::AssignCarersResponse assigned;
    EXPECT_THAT(Assign(morning, {ann_.carer_id()}, &assigned), GrpcOk());
    AwaitRecord(morning, [](const cv1::VisitRecord& record) {
      return record.slots_size() == 1 && record.slots(0).assigned();
    });
    return morning;
  }

  cv1::ListAlertsResponse Alerts(const std::string& token = "", int day = 3) {
    cv1::ListAlertsRequest request;
    *request.mutable_date() = testing::Day(2030, 12, day);
    request.set_page_size(200);
    cv1::ListAlertsResponse response;
    EXPECT_THAT(CheckInCall(&CheckInStub::ListAlerts, token.empty() ? Coordinator() : token,
                            request, &response),
                GrpcOk());
    return response;
  }
};

TEST_F(CheckInAlertsTest, LateThenSettledByAnOfflineCheckInThatWasOnTime) {
  const std::string morning = StaffTuesdayMorning();
  AlertWatch watch(*checkin_stub_, Coordinator());
  watch.WaitUntilWatching();
  clock_.Set(Local(2030, 12, 3, 7, 15));
  std::optional<cv1::AlertEvent> late = NextFor(watch, morning);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->alert().kind(), cv1::ALERT_KIND_LATE);
  EXPECT_EQ(late->alert().visit_id(), morning);
  EXPECT_EQ(late->alert().state(), cv1::ALERT_STATE_OPEN);
  EXPECT_THAT(late->alert().carer_ids(), ElementsAre(ann_.carer_id()));
  EXPECT_EQ(late->alert().locality_id(), "north");
  EXPECT_FALSE(late->resume_token().empty());

  // Ann was there at 07:10; her phone had no signal until 07:40.
  clock_.Set(Local(2030, 12, 3, 7, 40));
  cv1::SyncEventsRequest batch;
  cv1::CheckInRequest in = Event<cv1::CheckInRequest>("ann-in", morning, Local(2030, 12, 3, 7, 10));
  *in.mutable_sent_time() = TimeToProto(Local(2030, 12, 3, 7, 40));
  *batch.add_events()->mutable_check_in() = in;
  cv1::SyncEventsResponse synced;
  ASSERT_THAT(CheckInCall(&CheckInStub::SyncEvents, CarerToken(ann_), batch, &synced), GrpcOk());
  std::optional<cv1::AlertEvent> settled = NextFor(watch, morning);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->alert().alert_id(), late->alert().alert_id());
  EXPECT_EQ(settled->alert().state(), cv1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(settled->alert().resolution(), cv1::ALERT_RESOLUTION_EVIDENCE_ARRIVED);
  EXPECT_EQ(settled->alert().evidence_event_id(), "ann-in");
  EXPECT_EQ(settled->alert().resolved_by(), "system");
  // Nothing more: not missed (she was in), and the LATE alert stays one alert.
  clock_.Set(Local(2030, 12, 3, 8, 1));
  cv1::ListAlertsResponse alerts = Alerts();
  ASSERT_THAT(alerts.alerts(), SizeIs(1));
  EXPECT_EQ(alerts.alerts(0).state(), cv1::ALERT_STATE_RESOLVED);
}

TEST_F(CheckInAlertsTest, TwoReplicasRaiseEachAlertOnceAndOneKilledMidWorkLosesNone) {
  // Twelve more clients with a morning visit each at 07:00 on Tuesday, nobody on them.
  for (int i = 0; i < 12; ++i) {
    sv1::Client client = CreateClient(testing::NewClient(absl::StrCat("Client ", i)));
    CreatePlan(client.client_id(), {testing::Pattern("morning", 7, 8, 30)},
               testing::Day(2030, 12, 3));
    Generate(testing::Day(2030, 12, 3), testing::Day(2030, 12, 3), client.client_id());
  }
  absl::StatusOr<std::unique_ptr<ServiceProcess>> second = StartCheckIn();
  ASSERT_TRUE(second.ok()) << second.status();
  auto second_stub = cv1::CheckInService::NewStub((*second)->NewChannel());
  // Both replicas know every Tuesday visit before the clock moves.
  std::vector<std::string> tuesday;
  sv1::ListVisitsRequest list;
  for (const sv1::Visit& visit :
       ListAll(list, Local(2030, 12, 3, 0, 0), Local(2030, 12, 3, 12, 0))) {
    tuesday.push_back(visit.visit_id());
  }
  ASSERT_THAT(tuesday, SizeIs(13));
  for (const std::string& visit : tuesday) {
    AwaitRecord(visit,
                [](const cv1::VisitRecord& record) { return record.carers_required() == 1; });
  }
  AlertWatch watch(*second_stub, Coordinator());
  watch.WaitUntilWatching();
  // One check as a replica that claimed it and died before finishing leaves it: out of the
  // checks due, claimed until 08:00:30.
  const std::string abandoned = absl::StrCat(tuesday[0], "|late");
  const std::string tenant_checks = absl::StrCat("hc:{", kSunrise, "}:checkin:");
  ASSERT_THAT(redis_->Command({"ZREM", tenant_checks + "checks", abandoned}).status(),
              testing::IsOk());
  ASSERT_THAT(
      redis_
          ->Command({"ZADD", tenant_checks + "claimed",
                     absl::StrCat(absl::ToUnixMillis(Local(2030, 12, 3, 8, 0) + absl::Seconds(30))),
                     abandoned})
          .status(),
      testing::IsOk());

  // 08:00: every visit late and missed, 26 alerts; the first replica dies as the work begins.
  clock_.Set(Local(2030, 12, 3, 8, 0));
  ASSERT_EQ(::kill(checkin_->pid(), SIGKILL), 0);
  checkin_stub_.reset();
  // What it had claimed comes back to the other once its claims lapse (30 s on the clock).
  clock_.Set(Local(2030, 12, 3, 8, 1));
  std::map<std::string, int> raised;  // Tuesday's; Monday's bedtime alerts pass by
  while (raised.size() < 26) {
    std::optional<cv1::AlertEvent> event = watch.Next();
    ASSERT_TRUE(event.has_value()) << raised.size() << " alerts raised";
    if (event->alert().service_date().day() == 3) ++raised[event->alert().alert_id()];
  }
  for (const auto& [id, times] : raised) EXPECT_EQ(times, 1) << id;
  checkin_stub_ = std::move(second_stub);
  cv1::ListAlertsResponse alerts = Alerts();
  EXPECT_THAT(alerts.alerts(), SizeIs(26)) << alerts.DebugString();
  int late = 0;
  for (const cv1::Alert& alert : alerts.alerts()) {
    late += alert.kind() == cv1::ALERT_KIND_LATE ? 1 : 0;
    EXPECT_THAT(alert.carer_ids(), IsEmpty()) << "nobody was on them";
  }
  EXPECT_EQ(late, 13);
  checkin_ = *std::move(second);
}

TEST_F(CheckInAlertsTest, ACancellationSettlesTheAlertAndAStricterPolicyTakesEffect) {
  const std::string morning = StaffTuesdayMorning();
  // Late after 5 minutes instead of 15, from 06:30.
  clock_.Set(Local(2030, 12, 3, 6, 30));
  cv1::UpdatePolicyRequest stricter;
  cv1::AlertThresholds& standard = *stricter.mutable_policy()->mutable_standard();
  standard.mutable_late_after()->set_seconds(5 * 60);
  standard.mutable_missed_after()->set_seconds(60 * 60);
  standard.mutable_overdue_check_out_after()->set_seconds(30 * 60);
  standard.set_short_visit_fraction(0.75);
  stricter.mutable_update_mask()->add_paths("standard");
  cv1::CheckInPolicy policy;
  ASSERT_THAT(CheckInCall(&CheckInStub::UpdatePolicy, Coordinator(), stricter, &policy), GrpcOk());
  AlertWatch watch(*checkin_stub_, Coordinator());
  watch.WaitUntilWatching();
  clock_.Set(Local(2030, 12, 3, 7, 5));
  std::optional<cv1::AlertEvent> late = NextFor(watch, morning);
  ASSERT_TRUE(late.has_value());
  EXPECT_EQ(late->alert().kind(), cv1::ALERT_KIND_LATE);
  EXPECT_EQ(late->alert().due_time().seconds(), absl::ToUnixSeconds(Local(2030, 12, 3, 7, 5)));

  // Edna's daughter rings: she is with her today. The visit is cancelled; the alert with it.
  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(morning);
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  cancel.mutable_cancellation()->set_requested_by("Sue (daughter)");
  sv1::Visit cancelled;
  ASSERT_THAT(Call(&testing::Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk());
  std::optional<cv1::AlertEvent> settled = NextFor(watch, morning);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->alert().alert_id(), late->alert().alert_id());
  EXPECT_EQ(settled->alert().resolution(), cv1::ALERT_RESOLUTION_VISIT_CANCELLED);
  // No MISSED for a cancelled visit.
  clock_.Set(Local(2030, 12, 3, 8, 30));
  Mark(week_.morning[4].visit_id());
  AwaitRecord(week_.morning[4].visit_id(), [](const cv1::VisitRecord& record) {
    return record.planned_duration_minutes() == 50;
  });
  EXPECT_THAT(Alerts().alerts(), SizeIs(1));
}

TEST_F(CheckInAlertsTest, CoordinatorsAcknowledgeAndResolveCarersAndOtherTenantsCannot) {
  const std::string morning = StaffTuesdayMorning();
  AlertWatch watch(*checkin_stub_, Coordinator());
  watch.WaitUntilWatching();
  clock_.Set(Local(2030, 12, 3, 7, 15));
  std::optional<cv1::AlertEvent> late = NextFor(watch, morning);
  ASSERT_TRUE(late.has_value());
  const std::string alert_id = late->alert().alert_id();

  // A carer may neither watch nor handle alerts; another tenant sees none of them.
  AlertWatch carers(*checkin_stub_, CarerToken(ann_));
  EXPECT_FALSE(carers.Next().has_value());
  EXPECT_THAT(carers.Finish(), GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  cv1::AcknowledgeAlertRequest acknowledge;
  acknowledge.set_alert_id(alert_id);
  acknowledge.set_note("ringing Ann");
  cv1::Alert alert;
  EXPECT_THAT(CheckInCall(&CheckInStub::AcknowledgeAlert, CarerToken(ann_), acknowledge, &alert),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(CheckInCall(&CheckInStub::AcknowledgeAlert, Coordinator(kOak), acknowledge, &alert),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(Alerts(Coordinator(kOak)).alerts(), IsEmpty());
  cv1::ListAlertsResponse listed;
  EXPECT_THAT(
      CheckInCall(&CheckInStub::ListAlerts, CarerToken(ann_), cv1::ListAlertsRequest(), &listed),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  ASSERT_THAT(CheckInCall(&CheckInStub::AcknowledgeAlert, Coordinator(), acknowledge, &alert),
              GrpcOk());
  EXPECT_EQ(alert.state(), cv1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(alert.acknowledge_note(), "ringing Ann");
  std::optional<cv1::AlertEvent> acknowledged = NextFor(watch, morning);
  ASSERT_TRUE(acknowledged.has_value());
  EXPECT_EQ(acknowledged->alert().state(), cv1::ALERT_STATE_ACKNOWLEDGED);
  cv1::ResolveAlertRequest resolve;
  resolve.set_alert_id(alert_id);
  resolve.set_resolution(cv1::ALERT_RESOLUTION_CARER_ARRIVED_LATE);
  resolve.set_note("Ann's car broke down; there by 07:40");
  ASSERT_THAT(CheckInCall(&CheckInStub::ResolveAlert, Coordinator(), resolve, &alert), GrpcOk());
  EXPECT_EQ(alert.state(), cv1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(alert.resolved_by(), "test-coordinator");
  resolve.set_resolution(cv1::ALERT_RESOLUTION_VISIT_CANCELLED);
  EXPECT_THAT(testing::ViolatedFields(
                  CheckInCall(&CheckInStub::ResolveAlert, Coordinator(), resolve, &alert)),
              ElementsAre("resolution"));

  // Filters: by kind and state; bad filters name their fields.
  cv1::ListAlertsRequest request;
  *request.mutable_date() = testing::Day(2030, 12, 3);
  request.set_state(cv1::ALERT_STATE_OPEN);
  ASSERT_THAT(CheckInCall(&CheckInStub::ListAlerts, Coordinator(), request, &listed), GrpcOk());
  EXPECT_THAT(listed.alerts(), IsEmpty());
  request.set_state(cv1::ALERT_STATE_RESOLVED);
  request.set_visit_id(morning);
  ASSERT_THAT(CheckInCall(&CheckInStub::ListAlerts, Coordinator(), request, &listed), GrpcOk());
  EXPECT_THAT(listed.alerts(), SizeIs(1));
  cv1::ListAlertsRequest bad;
  bad.set_kind(static_cast<cv1::AlertKind>(99));
  bad.set_locality_id("No Such Place");
  EXPECT_THAT(
      testing::ViolatedFields(CheckInCall(&CheckInStub::ListAlerts, Coordinator(), bad, &listed)),
      ::testing::UnorderedElementsAre("start_date", "end_date", "kind", "locality_id"));
}

TEST_F(CheckInAlertsTest, CarectlWatchesListsAcknowledgesAndResolves) {
  const std::string morning = StaffTuesdayMorning();
  AlertWatch ours(*checkin_stub_, Coordinator());
  ours.WaitUntilWatching();
  // 10:01: Tuesday morning late and missed; Monday's bedtime too long ago to raise anything.
  clock_.Set(Local(2030, 12, 3, 10, 1));
  std::optional<cv1::AlertEvent> late = NextFor(ours, morning);
  ASSERT_TRUE(late.has_value());
  const std::string alert_id = late->alert().alert_id();
  // carectl's watch picks up after the LATE alert, however late it connects: it sees the
  // acknowledgement and the resolution below.
  std::pair<int, std::string> watched;
  std::thread watcher([&] {
    watched = Carectl({"alerts", "watch", "--count", "2", "--kinds", "late", "--resume-token",
                       late->resume_token()});
  });
  auto [listed, listed_output] = Carectl({"alerts", "list", "--date", "2030-12-03"});
  ASSERT_EQ(listed, 0) << listed_output;
  EXPECT_THAT(listed_output, ::testing::HasSubstr("late    open   Edna"));
  EXPECT_THAT(listed_output, ::testing::HasSubstr("missed  open   Edna"));
  auto [acked, acked_output] = Carectl({"alert", "ack", "--id", alert_id, "--note", "on it"});
  ASSERT_EQ(acked, 0) << acked_output;
  EXPECT_THAT(acked_output, ::testing::HasSubstr("state:        acknowledged"));
  auto [bad, bad_output] =
      Carectl({"alert", "resolve", "--id", alert_id, "--resolution", "evidence-arrived"});
  EXPECT_EQ(bad, 1);
  EXPECT_THAT(bad_output, ::testing::HasSubstr("--resolution: resolution \"evidence-arrived\""));
  auto [resolved, resolved_output] =
      Carectl({"alert", "resolve", "--id", alert_id, "--resolution", "carer-arrived-late", "--note",
               "stuck behind a bin lorry"});
  ASSERT_EQ(resolved, 0) << resolved_output;
  EXPECT_THAT(resolved_output,
              ::testing::HasSubstr("carer-arrived-late: stuck behind a bin lorry"));
  watcher.join();
  ASSERT_EQ(watched.first, 0) << watched.second;
  EXPECT_THAT(watched.second, ::testing::HasSubstr("late  acknowledged  Edna  Ann  (by test-"));
  EXPECT_THAT(watched.second,
              ::testing::HasSubstr("late  resolved  Edna  Ann  (carer-arrived-late"));
}

class BoardWatch : public testing::WatchReader<cv1::BoardChange> {
 public:
  BoardWatch(CheckInStub& stub, const std::string& token, cv1::WatchBoardRequest request)
      : WatchReader([&stub, token, request](grpc::ClientContext& context) {
          PrepareContext(context, token, absl::Seconds(30));
          return stub.WatchBoard(&context, request);
        }) {}
};

// The next change of `visit_id`'s entry in state `state`.
std::optional<cv1::BoardEntry> NextState(BoardWatch& watch, const std::string& visit_id,
                                         cv1::BoardState state) {
  while (std::optional<cv1::BoardChange> change = watch.Next()) {
    if (change->entry().visit_id() == visit_id && change->entry().state() == state) {
      return change->entry();
    }
  }
  return std::nullopt;
}

TEST_F(CheckInAlertsTest, TheBoardShowsTheDayAndWatchingItFollowsEachVisit) {
  const std::string morning = StaffTuesdayMorning();
  const std::string bed = week_.bed[3].visit_id();
  clock_.Set(Local(2030, 12, 3, 6, 0));
  cv1::GetBoardRequest request;
  *request.mutable_date() = testing::Day(2030, 12, 3);
  cv1::Board board;
  // The service learns Edna's visits from scheduling's stream a moment after they are made.
  const absl::Time give_up = absl::Now() + absl::Seconds(20);
  do {
    ASSERT_THAT(CheckInCall(&CheckInStub::GetBoard, Coordinator(), request, &board), GrpcOk());
  } while (board.entries_size() < 2 && absl::Now() < give_up &&
           (absl::SleepFor(absl::Milliseconds(20)), true));
  ASSERT_THAT(board.entries(), SizeIs(2)) << board.DebugString();
  EXPECT_EQ(board.entries(0).visit_id(), morning);
  EXPECT_EQ(board.entries(0).state(), cv1::BOARD_STATE_NOT_DUE);
  EXPECT_THAT(board.entries(0).carer_ids(), ElementsAre(ann_.carer_id()));
  EXPECT_EQ(board.entries(1).visit_id(), bed);
  ASSERT_THAT(board.counts(), SizeIs(1));
  EXPECT_EQ(board.counts(0).locality_id(), "north");
  EXPECT_EQ(board.counts(0).state(), cv1::BOARD_STATE_NOT_DUE);
  EXPECT_EQ(board.counts(0).visits(), 2);

  // From the board's token: the morning becomes due, then late, then in progress, completed.
  cv1::WatchBoardRequest watch_request;
  watch_request.set_resume_token(board.resume_token());
  *watch_request.mutable_date() = testing::Day(2030, 12, 3);
  BoardWatch watch(*checkin_stub_, Coordinator(), watch_request);
  clock_.Set(Local(2030, 12, 3, 7, 0));
  ASSERT_TRUE(NextState(watch, morning, cv1::BOARD_STATE_DUE).has_value());
  clock_.Set(Local(2030, 12, 3, 7, 15));
  std::optional<cv1::BoardEntry> late = NextState(watch, morning, cv1::BOARD_STATE_LATE);
  ASSERT_TRUE(late.has_value());
  EXPECT_THAT(late->open_alerts(), ElementsAre(cv1::ALERT_KIND_LATE));
  clock_.Set(Local(2030, 12, 3, 7, 20));
  cv1::CheckInResponse in;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckIn, CarerToken(ann_),
                  Event<cv1::CheckInRequest>("ann-in", morning, Local(2030, 12, 3, 7, 20)), &in),
      GrpcOk());
  std::optional<cv1::BoardEntry> in_progress =
      NextState(watch, morning, cv1::BOARD_STATE_IN_PROGRESS);
  ASSERT_TRUE(in_progress.has_value());
  EXPECT_EQ(in_progress->delivery_state(), cv1::DELIVERY_STATE_IN_PROGRESS);
  clock_.Set(Local(2030, 12, 3, 7, 50));
  cv1::CheckOutResponse out;
  ASSERT_THAT(
      CheckInCall(&CheckInStub::CheckOut, CarerToken(ann_),
                  Event<cv1::CheckOutRequest>("ann-out", morning, Local(2030, 12, 3, 7, 50)), &out),
      GrpcOk());
  ASSERT_TRUE(NextState(watch, morning, cv1::BOARD_STATE_COMPLETED).has_value());

  // The board now, for the north: one completed, the double-up not due until 21:00.
  request.set_locality_id("north");
  ASSERT_THAT(CheckInCall(&CheckInStub::GetBoard, Coordinator(), request, &board), GrpcOk());
  ASSERT_THAT(board.entries(), SizeIs(2));
  EXPECT_EQ(board.entries(0).state(), cv1::BOARD_STATE_COMPLETED);
  EXPECT_THAT(board.entries(0).open_alerts(), ElementsAre(cv1::ALERT_KIND_LATE));
  EXPECT_EQ(board.entries(1).state(), cv1::BOARD_STATE_NOT_DUE);
  request.set_locality_id("south");
  ASSERT_THAT(CheckInCall(&CheckInStub::GetBoard, Coordinator(), request, &board), GrpcOk());
  EXPECT_THAT(board.entries(), IsEmpty());
  auto [shown, shown_output] = Carectl({"board", "--date", "2030-12-03"});
  ASSERT_EQ(shown, 0) << shown_output;
  EXPECT_THAT(shown_output, ::testing::HasSubstr("north: 1 not-due, 1 completed"));
  EXPECT_THAT(shown_output, ::testing::HasSubstr("07:00    completed  Edna"));

  // Carers and other tenants: no board; a board needs its day.
  EXPECT_THAT(CheckInCall(&CheckInStub::GetBoard, CarerToken(ann_), request, &board),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  request.clear_locality_id();
  ASSERT_THAT(CheckInCall(&CheckInStub::GetBoard, Coordinator(kOak), request, &board), GrpcOk());
  EXPECT_THAT(board.entries(), IsEmpty());
  EXPECT_THAT(testing::ViolatedFields(CheckInCall(&CheckInStub::GetBoard, Coordinator(),
                                                  cv1::GetBoardRequest(), &board)),
              ElementsAre("date"));
  BoardWatch carers(*checkin_stub_, CarerToken(ann_), cv1::WatchBoardRequest());
  EXPECT_FALSE(carers.Next().has_value());
  EXPECT_THAT(carers.Finish(), GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
}

}  // namespace
}  // namespace homecare
