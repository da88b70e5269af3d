// AutoSchedule with real homecare-roster, homecare-scheduling (one or two replicas) and
// redis-server processes: a small day planned and applied through the assignment rules, a dry
// run and its retry writing nothing, a cancelled stream writing nothing, a coordinator's change
// during the solve kept, one solve per tenant and date across replicas and a limit per server,
// and who may ask.
#include <algorithm>
#include <map>
#include <optional>
#include <vector>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "tests/scheduling_fixture.h"

namespace homecare {
namespace {

using ::homecare::testing::Day;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::kOak;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Stub;
using ::homecare::testing::ViolatedFields;
using ::testing::ElementsAre;
using ::testing::Ge;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
using ::testing::UnorderedElementsAreArray;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;

// What an AutoSchedule stream brought.
struct Streamed {
  std::vector<sv1::AutoScheduleProgress> progress;
  std::optional<sv1::SchedulePlan> plan;
  grpc::Status status;
};

class AutoScheduleTest : public testing::SchedulingFixture {
 protected:
  void SetUp() override {
    SchedulingFixture::SetUp();
    ann_ = CreateCarer("Ann", {"medication"});
    bob_ = CreateCarer("Bob", {"medication"});
    cat_ = CreateCarer("Cat");
    edna_ = EdnasWeek("Edna");
    fred_ = EdnasWeek("Fred", 51.525);
  }

  static sv1::AutoScheduleRequest Tuesday(int seconds = 1) {
    sv1::AutoScheduleRequest request;
    *request.mutable_date() = Day(2030, 12, 3);
    request.set_time_limit_seconds(seconds);
    return request;
  }

  Streamed Run(const sv1::AutoScheduleRequest& request, Stub* stub = nullptr,
               const std::string& token = "") {
    grpc::ClientContext context;
    PrepareContext(context, token.empty() ? Coordinator() : token, absl::Seconds(60));
    std::unique_ptr<grpc::ClientReader<sv1::AutoScheduleUpdate>> reader =
        (stub != nullptr ? stub : stub_.get())->AutoSchedule(&context, request);
    Streamed streamed;
    sv1::AutoScheduleUpdate update;
    while (reader->Read(&update)) {
      if (update.has_progress()) streamed.progress.push_back(update.progress());
      if (update.has_plan()) streamed.plan = update.plan();
    }
    streamed.status = reader->Finish();
    return streamed;
  }

  // The carers on each of the day's four visits, by visit id.
  std::map<std::string, std::vector<std::string>> TuesdaysCarers() {
    std::map<std::string, std::vector<std::string>> carers;
    for (const Week* week : {&edna_, &fred_}) {
      for (const sv1::Visit* visit : {&week->morning.at(3), &week->bed.at(3)}) {
        const sv1::Visit now = GetVisit(visit->visit_id());
        carers[now.visit_id()] = {now.carer_ids().begin(), now.carer_ids().end()};
      }
    }
    return carers;
  }

  rv1::Carer ann_, bob_, cat_;
  Week edna_, fred_;
};

TEST_F(AutoScheduleTest, ASmallDayIsPlannedAndAppliedThroughTheAssignmentRules) {
  const Streamed run = Run(Tuesday());
  ASSERT_THAT(run.status, GrpcOk());
  ASSERT_TRUE(run.plan.has_value());
  // One report at once (loading the day), the search's every 0.4 s, then one as the plan is
  // written (and more while it is).
  ASSERT_THAT(run.progress, SizeIs(Ge(3)));
  EXPECT_EQ(run.progress.front().phase(), sv1::AUTO_SCHEDULE_PHASE_LOADING);
  EXPECT_EQ(run.progress.front().iterations(), 0);
  EXPECT_TRUE(std::any_of(run.progress.begin(), run.progress.end(),
                          [](const sv1::AutoScheduleProgress& progress) {
                            return progress.phase() == sv1::AUTO_SCHEDULE_PHASE_SOLVING;
                          }));
  for (size_t i = 1; i < run.progress.size(); ++i) {
    EXPECT_GE(run.progress[i].phase(), run.progress[i - 1].phase()) << "phases in order";
    EXPECT_GE(run.progress[i].elapsed_seconds(), run.progress[i - 1].elapsed_seconds());
  }
  const sv1::AutoScheduleProgress& applying = run.progress.back();
  EXPECT_EQ(applying.phase(), sv1::AUTO_SCHEDULE_PHASE_APPLYING);
  EXPECT_EQ(applying.visits_to_apply(), 4);
  EXPECT_GE(applying.visits_applied(), 0);
  EXPECT_LE(applying.visits_applied(), 4);
  EXPECT_GE(applying.elapsed_seconds(), run.progress.front().elapsed_seconds());
  EXPECT_GT(applying.iterations(), 0) << "the search's final figures";
  EXPECT_THAT(run.plan->unassigned(), IsEmpty());
  ASSERT_THAT(run.plan->assignments(), SizeIs(4));
  std::map<std::string, std::vector<std::string>> planned;
  for (const sv1::PlannedAssignment& assignment : run.plan->assignments()) {
    planned[assignment.visit_id()] = {assignment.carer_ids().begin(), assignment.carer_ids().end()};
    std::sort(planned[assignment.visit_id()].begin(), planned[assignment.visit_id()].end());
  }
  std::map<std::string, std::vector<std::string>> applied = TuesdaysCarers();
  for (auto& [visit, carers] : applied) std::sort(carers.begin(), carers.end());
  EXPECT_EQ(applied, planned);
  // Continuity: no one has visited Edna or Fred before, so every carer is new to them.
  const sv1::PlanContinuity& continuity = run.plan->continuity();
  EXPECT_EQ(continuity.carer_visits(), 6);
  EXPECT_EQ(continuity.carer_visits_new_to_client(), 6);
  EXPECT_EQ(continuity.carer_visits_off_rota(), 0);
  EXPECT_EQ(continuity.clients(), 2);
  EXPECT_GE(continuity.distinct_carers_per_client(), 2);
  EXPECT_LE(continuity.distinct_carers_per_client(), 3);
  // The mornings need medication: Cat is on neither; the double-ups have two carers each.
  for (const Week* week : {&edna_, &fred_}) {
    const std::vector<std::string>& morning = applied[week->morning.at(3).visit_id()];
    ASSERT_THAT(morning, SizeIs(1));
    EXPECT_NE(morning[0], cat_.carer_id());
    EXPECT_THAT(applied[week->bed.at(3).visit_id()], SizeIs(2));
    EXPECT_EQ(GetVisit(week->bed.at(3).visit_id()).status(), sv1::VISIT_STATUS_SCHEDULED);
  }
  // Other days are left alone.
  EXPECT_THAT(GetVisit(edna_.morning.at(4).visit_id()).carer_ids(), IsEmpty());
  // Every hard rule was checked when it was applied: each carer's day holds together.
  for (const rv1::Carer* carer : {&ann_, &bob_, &cat_}) {
    sv1::GetRotaRequest rota_request;
    rota_request.set_carer_id(carer->carer_id());
    *rota_request.mutable_start_date() = Day(2030, 12, 3);
    *rota_request.mutable_end_date() = Day(2030, 12, 3);
    sv1::Rota rota;
    ASSERT_THAT(Call(&Stub::GetRota, Coordinator(), rota_request, &rota), GrpcOk());
  }
}

TEST_F(AutoScheduleTest, ASecondRunMovesOnlyTheSchedulersOwnAssignments) {
  ASSERT_THAT(Run(Tuesday()).status, GrpcOk());
  for (const auto& [visit_id, carers] : TuesdaysCarers()) {
    EXPECT_THAT(GetVisit(visit_id).auto_scheduled_carer_ids(), UnorderedElementsAreArray(carers))
        << "placed by the scheduler: " << visit_id;
  }
  // A coordinator makes Edna's bedtime pair theirs by assigning them again.
  const sv1::Visit edna_bed = GetVisit(edna_.bed.at(3).visit_id());
  sv1::AssignCarersResponse confirmed;
  ASSERT_THAT(Assign(edna_bed.visit_id(),
                     {edna_bed.carer_ids().begin(), edna_bed.carer_ids().end()}, &confirmed),
              GrpcOk());
  EXPECT_THAT(confirmed.visit().carer_ids(), UnorderedElementsAreArray(edna_bed.carer_ids()));
  EXPECT_THAT(confirmed.visit().auto_scheduled_carer_ids(), IsEmpty());
  EXPECT_EQ(confirmed.visit().version(), edna_bed.version() + 1);

  // Fred's morning carer alone now has a hoist, which a new visit of Fred's needs at the very
  // time of that morning call.
  const sv1::Visit fred_morning = GetVisit(fred_.morning.at(3).visit_id());
  ASSERT_THAT(fred_morning.carer_ids(), SizeIs(1));
  const std::string hoister = fred_morning.carer_ids(0);
  rv1::UpdateCarerRequest skills;
  skills.mutable_carer()->set_carer_id(hoister);
  skills.mutable_carer()->add_skills()->set_skill("medication");
  skills.mutable_carer()->add_skills()->set_skill("hoist");
  skills.mutable_update_mask()->add_paths("skills");
  rv1::Carer updated;
  ASSERT_THAT(RosterCall(&rv1::RosterService::Stub::UpdateCarer, skills, &updated), GrpcOk());
  sv1::CreateVisitRequest create;
  sv1::Visit& asked = *create.mutable_visit();
  asked.set_client_id(fred_.client.client_id());
  *asked.mutable_window_start() = fred_morning.planned_start();
  *asked.mutable_window_end() =
      TimeToProto(StoredTime(fred_morning.planned_start()) + absl::Minutes(5));
  asked.set_duration_minutes(40);
  asked.add_required_skills("hoist");
  sv1::Visit hoisting;
  ASSERT_THAT(Call(&Stub::CreateVisit, Coordinator(), create, &hoisting), GrpcOk());

  // The second run gives the new visit to the only carer who can make it, and Fred's morning
  // call, the scheduler's, makes way (another carer or another time); the coordinator's pair
  // stays exactly as it was.
  const Streamed second = Run(Tuesday());
  ASSERT_THAT(second.status, GrpcOk());
  ASSERT_TRUE(second.plan.has_value());
  EXPECT_THAT(second.plan->unassigned(), IsEmpty());
  const sv1::Visit hoisted = GetVisit(hoisting.visit_id());
  EXPECT_THAT(hoisted.carer_ids(), ElementsAre(hoister));
  EXPECT_THAT(hoisted.auto_scheduled_carer_ids(), ElementsAre(hoister));
  const sv1::Visit made_way = GetVisit(fred_morning.visit_id());
  ASSERT_THAT(made_way.carer_ids(), SizeIs(1));
  EXPECT_TRUE(made_way.carer_ids(0) != hoister ||
              StoredTime(made_way.planned_start()) != StoredTime(fred_morning.planned_start()));
  EXPECT_THAT(made_way.auto_scheduled_carer_ids(), ElementsAre(made_way.carer_ids(0)));
  EXPECT_EQ(made_way.status(), sv1::VISIT_STATUS_SCHEDULED);
  EXPECT_EQ(GetVisit(edna_bed.visit_id()).version(), confirmed.visit().version());
  // And no carer is in two places at once.
  for (const rv1::Carer* carer : {&ann_, &bob_, &cat_}) {
    std::vector<std::pair<absl::Time, absl::Time>> busy;
    for (const auto& [visit_id, carers] : TuesdaysCarers()) {
      if (std::find(carers.begin(), carers.end(), carer->carer_id()) == carers.end()) continue;
      const sv1::Visit visit = GetVisit(visit_id);
      busy.push_back({StoredTime(visit.planned_start()),
                      StoredTime(visit.planned_start()) + absl::Minutes(visit.duration_minutes())});
    }
    if (carer->carer_id() == hoister) {
      busy.push_back({StoredTime(hoisted.planned_start()),
                      StoredTime(hoisted.planned_start()) + absl::Minutes(40)});
    }
    std::sort(busy.begin(), busy.end());
    for (size_t i = 1; i < busy.size(); ++i) EXPECT_LE(busy[i - 1].second, busy[i].first);
  }
}

TEST_F(AutoScheduleTest, AServerMaySearchWithMoreThreadsAndRefusesNonsense) {
  EXPECT_FALSE(StartScheduling({"--solve-threads", "0"}).ok());
  EXPECT_FALSE(StartScheduling({"--solve-threads", "17"}).ok());
  EXPECT_FALSE(StartScheduling({"--max-solves", "0"}).ok());
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> replica =
      StartScheduling({"--solve-threads", "2"});
  ASSERT_TRUE(replica.ok()) << replica.status();
  auto two_threads = sv1::SchedulingService::NewStub((*replica)->NewChannel());
  const Streamed run = Run(Tuesday(), two_threads.get());
  ASSERT_THAT(run.status, GrpcOk());
  ASSERT_TRUE(run.plan.has_value());
  EXPECT_THAT(run.plan->unassigned(), IsEmpty());
  EXPECT_THAT(run.plan->assignments(), SizeIs(4));
  for (const auto& [visit_id, carers] : TuesdaysCarers()) EXPECT_THAT(carers, Not(IsEmpty()));
}

TEST_F(AutoScheduleTest, ADryRunWritesNothingAndItsRetryAnswersTheFirstPlan) {
  sv1::AutoScheduleRequest request = Tuesday();
  request.set_dry_run(true);
  request.set_request_id("plan-tuesday");
  const Streamed first = Run(request);
  ASSERT_THAT(first.status, GrpcOk());
  ASSERT_TRUE(first.plan.has_value());
  EXPECT_THAT(first.plan->assignments(), SizeIs(4));
  ASSERT_THAT(first.progress, Not(IsEmpty()));
  for (const sv1::AutoScheduleProgress& progress : first.progress) {
    EXPECT_NE(progress.phase(), sv1::AUTO_SCHEDULE_PHASE_APPLYING) << "nothing applied";
  }
  for (const auto& [visit, carers] : TuesdaysCarers()) EXPECT_THAT(carers, IsEmpty()) << visit;

  const Streamed again = Run(request);
  ASSERT_THAT(again.status, GrpcOk());
  ASSERT_TRUE(again.plan.has_value());
  EXPECT_EQ(again.plan->SerializeAsString(), first.plan->SerializeAsString());
  EXPECT_THAT(again.progress, IsEmpty()) << "answered from the record, not solved again";

  request.set_dry_run(false);
  EXPECT_THAT(Run(request).status, GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  for (const auto& [visit, carers] : TuesdaysCarers()) EXPECT_THAT(carers, IsEmpty()) << visit;
}

TEST_F(AutoScheduleTest, AStreamCancelledMidwayWritesNothing) {
  grpc::ClientContext context;
  PrepareContext(context, Coordinator(), absl::Seconds(60));
  std::unique_ptr<grpc::ClientReader<sv1::AutoScheduleUpdate>> reader =
      stub_->AutoSchedule(&context, Tuesday(20));
  sv1::AutoScheduleUpdate update;
  do {  // until the search has begun
    ASSERT_TRUE(reader->Read(&update));
    ASSERT_TRUE(update.has_progress());
  } while (update.progress().phase() != sv1::AUTO_SCHEDULE_PHASE_SOLVING);
  context.TryCancel();
  while (reader->Read(&update)) {
  }
  EXPECT_THAT(reader->Finish(), GrpcStatusIs(grpc::StatusCode::CANCELLED));
  for (const auto& [visit, carers] : TuesdaysCarers()) EXPECT_THAT(carers, IsEmpty()) << visit;
  // The solve let go of the day: another may run at once (the server may take a moment to see
  // the cancellation, so it is asked until it is free).
  grpc::Status status;
  for (int i = 0; i < 100; ++i) {
    sv1::AutoScheduleRequest dry = Tuesday();
    dry.set_dry_run(true);
    status = Run(dry).status;
    if (status.error_code() != grpc::StatusCode::ABORTED &&
        status.error_code() != grpc::StatusCode::RESOURCE_EXHAUSTED) {
      break;
    }
    absl::SleepFor(absl::Milliseconds(50));
  }
  EXPECT_THAT(status, GrpcOk());
}

TEST_F(AutoScheduleTest, ACoordinatorsChangeDuringTheSolveIsKept) {
  grpc::ClientContext context;
  PrepareContext(context, Coordinator(), absl::Seconds(60));
  std::unique_ptr<grpc::ClientReader<sv1::AutoScheduleUpdate>> reader =
      stub_->AutoSchedule(&context, Tuesday(3));
  sv1::AutoScheduleUpdate update;
  do {  // until the engine reports: the day has been read
    ASSERT_TRUE(reader->Read(&update));
    ASSERT_TRUE(update.has_progress());
  } while (update.progress().phase() != sv1::AUTO_SCHEDULE_PHASE_SOLVING);
  const std::string fred_morning = fred_.morning.at(3).visit_id();
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(fred_morning, {ann_.carer_id()}, &assigned), GrpcOk());
  std::optional<sv1::SchedulePlan> plan;
  while (reader->Read(&update)) {
    if (update.has_plan()) plan = update.plan();
  }
  ASSERT_THAT(reader->Finish(), GrpcOk());
  ASSERT_TRUE(plan.has_value());
  bool reported = false;
  for (const sv1::UnassignedVisit& unassigned : plan->unassigned()) {
    if (unassigned.visit_id() != fred_morning) continue;
    reported = true;
    EXPECT_THAT(unassigned.reason(), HasSubstr("changed during the solve"));
  }
  EXPECT_TRUE(reported);
  EXPECT_THAT(GetVisit(fred_morning).carer_ids(), ElementsAre(ann_.carer_id()));
  EXPECT_THAT(plan->assignments(), SizeIs(3));
}

TEST_F(AutoScheduleTest, OneSolvePerTenantAndDateAcrossReplicasAndALimitPerServer) {
  // Two servers of one process each, so that "this server" is one process.
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> server =
      StartScheduling({}, /*replicas=*/1);
  ASSERT_TRUE(server.ok()) << server.status();
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> replica =
      StartScheduling({}, /*replicas=*/1);
  ASSERT_TRUE(replica.ok()) << replica.status();
  auto here = sv1::SchedulingService::NewStub((*server)->NewChannel());
  auto other = sv1::SchedulingService::NewStub((*replica)->NewChannel());
  grpc::ClientContext context;
  PrepareContext(context, Coordinator(), absl::Seconds(60));
  std::unique_ptr<grpc::ClientReader<sv1::AutoScheduleUpdate>> reader =
      here->AutoSchedule(&context, Tuesday(20));
  sv1::AutoScheduleUpdate update;
  ASSERT_TRUE(reader->Read(&update));  // solving

  const Streamed same_day = Run(Tuesday(), other.get());
  EXPECT_THAT(same_day.status, GrpcStatusIs(grpc::StatusCode::ABORTED));
  EXPECT_THAT(same_day.status.error_message(), HasSubstr("2030-12-03"));
  sv1::AutoScheduleRequest wednesday = Tuesday();
  *wednesday.mutable_date() = Day(2030, 12, 4);
  wednesday.set_dry_run(true);
  EXPECT_THAT(Run(wednesday, here.get()).status, GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED))
      << "one solve at a time on this server";
  const Streamed wednesday_elsewhere = Run(wednesday, other.get());
  EXPECT_THAT(wednesday_elsewhere.status, GrpcOk())
      << "another date, another server: " << wednesday_elsewhere.status.error_message();
  // Another tenant plans its own day (it has no visits) while sunrise's runs.
  const Streamed oak = Run(Tuesday(), other.get(), Coordinator(kOak));
  ASSERT_THAT(oak.status, GrpcOk());
  EXPECT_THAT(oak.plan->assignments(), IsEmpty());
  context.TryCancel();
  while (reader->Read(&update)) {
  }
  reader->Finish();
}

TEST_F(AutoScheduleTest, CarectlShowsTheProgressAndThePlan) {
  auto [dry, dry_output] =
      Carectl({"autoschedule", "--date", "2030-12-03", "--seconds", "1", "--dry-run"});
  ASSERT_EQ(dry, 0) << dry_output;
  EXPECT_THAT(dry_output, HasSubstr("iterations  best"));
  EXPECT_THAT(dry_output, HasSubstr("Tue 2030-12-03 07:"));
  EXPECT_THAT(dry_output, HasSubstr("4 visit(s) assigned, 0 not"));
  for (const auto& [visit, carers] : TuesdaysCarers()) EXPECT_THAT(carers, IsEmpty()) << visit;
  auto [applied, applied_output] =
      Carectl({"autoschedule", "--date", "2030-12-03", "--seconds", "1"});
  ASSERT_EQ(applied, 0) << applied_output;
  EXPECT_THAT(applied_output, HasSubstr("applying the plan: "));
  EXPECT_THAT(dry_output, Not(HasSubstr("applying")));
  EXPECT_THAT(applied_output, HasSubstr("4 visit(s) assigned, 0 not"));
  EXPECT_THAT(GetVisit(edna_.bed.at(3).visit_id()).carer_ids(), SizeIs(2));
  auto [bad, bad_output] = Carectl({"autoschedule", "--date", "2030-12-03", "--locality", "west"});
  EXPECT_EQ(bad, 1);
  EXPECT_THAT(bad_output, HasSubstr("--locality"));
}

// Tomorrow (3 December, the services' clock on the 2nd): Ann on Edna's morning, Bob on Fred's,
// Bob and Cat on Edna's bedtime double-up. Ann's absence reaches the service.
class RepairTest : public AutoScheduleTest {
 protected:
  void SetUp() override {
    AutoScheduleTest::SetUp();
    clock_.Set(testing::Local(2030, 12, 2, 9));
    sv1::AssignCarersResponse response;
    ASSERT_THAT(Assign(edna_.morning.at(3).visit_id(), {ann_.carer_id()}, &response), GrpcOk());
    ASSERT_THAT(Assign(fred_.morning.at(3).visit_id(), {bob_.carer_id()}, &response), GrpcOk());
    ASSERT_THAT(Assign(edna_.bed.at(3).visit_id(), {bob_.carer_id(), cat_.carer_id()}, &response),
                GrpcOk());
    before_ = TuesdaysCarers();
  }

  // Tuesday's proposals once there is one (the roster's change reaches the service within
  // seconds).
  std::vector<sv1::ReplanProposal> AwaitProposals() {
    sv1::ListReplanProposalsRequest request;
    *request.mutable_date() = Day(2030, 12, 3);
    sv1::ListReplanProposalsResponse response;
    for (int i = 0; i < 200; ++i) {
      response.Clear();
      EXPECT_THAT(Call(&Stub::ListReplanProposals, Coordinator(), request, &response), GrpcOk());
      if (response.proposals_size() > 0) break;
      absl::SleepFor(absl::Milliseconds(50));
    }
    return {response.proposals().begin(), response.proposals().end()};
  }

  std::map<std::string, std::vector<std::string>> before_;
};

TEST_F(RepairTest, AnAbsenceTomorrowGetsAProposalMovingOnlyTheVisitsItEmptied) {
  RecordAbsence(ann_.carer_id(), testing::Local(2030, 12, 3, 0), testing::Local(2030, 12, 4, 0));
  const std::vector<sv1::ReplanProposal> proposals = AwaitProposals();
  ASSERT_THAT(proposals, SizeIs(1));
  const sv1::ReplanProposal& proposal = proposals[0];
  const std::string morning = edna_.morning.at(3).visit_id();
  EXPECT_EQ(proposal.state(), sv1::REPLAN_STATE_PROPOSED);
  EXPECT_EQ(proposal.carer_id(), ann_.carer_id());
  EXPECT_THAT(proposal.visit_ids(), ElementsAre(morning));
  ASSERT_THAT(proposal.plan().assignments(), SizeIs(1));
  EXPECT_EQ(proposal.plan().assignments(0).visit_id(), morning);
  EXPECT_THAT(proposal.plan().assignments(0).carer_ids(), ElementsAre(bob_.carer_id()))
      << "the only other carer with medication";
  EXPECT_GT(proposal.seconds_to_propose(), 0);
  // Proposed, not made: the morning waits for a coordinator.
  EXPECT_THAT(GetVisit(morning).carer_ids(), IsEmpty());

  sv1::ApplyReplanProposalRequest apply;
  apply.set_proposal_id(proposal.proposal_id());
  sv1::ReplanProposal applied;
  ASSERT_THAT(Call(&Stub::ApplyReplanProposal, Coordinator(), apply, &applied), GrpcOk());
  EXPECT_EQ(applied.state(), sv1::REPLAN_STATE_APPLIED);
  EXPECT_THAT(applied.plan().unassigned(), IsEmpty());
  EXPECT_EQ(applied.plan().continuity().carer_visits(), 1);
  EXPECT_EQ(applied.plan().continuity().carer_visits_new_to_client(), 1);
  EXPECT_EQ(applied.plan().continuity().clients(), 1);
  std::map<std::string, std::vector<std::string>> after = TuesdaysCarers();
  EXPECT_THAT(after[morning], ElementsAre(bob_.carer_id()));
  // Every other visit exactly as it was.
  after.erase(morning);
  before_.erase(morning);
  EXPECT_EQ(after, before_);
  // Applying again changes nothing and says so.
  sv1::ReplanProposal again;
  ASSERT_THAT(Call(&Stub::ApplyReplanProposal, Coordinator(), apply, &again), GrpcOk());
  EXPECT_EQ(again.apply_time().seconds(), applied.apply_time().seconds());
  // A carer may not see or apply proposals; another tenant's id is not found.
  const std::string as_ann = secret_.Token(Role::kCarer, kSunrise, ann_.carer_id());
  sv1::ListReplanProposalsRequest list;
  *list.mutable_date() = Day(2030, 12, 3);
  sv1::ListReplanProposalsResponse listed;
  EXPECT_THAT(Call(&Stub::ListReplanProposals, as_ann, list, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  EXPECT_THAT(Call(&Stub::ApplyReplanProposal, Coordinator(kOak), apply, &again),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  list.clear_date();
  EXPECT_THAT(ViolatedFields(Call(&Stub::ListReplanProposals, Coordinator(), list, &listed)),
              ElementsAre("date"));
}

TEST_F(RepairTest, AProposalAlreadyMadeIsReportedMadeAndNotWrittenAgain) {
  RecordAbsence(ann_.carer_id(), testing::Local(2030, 12, 3, 0), testing::Local(2030, 12, 4, 0));
  const std::vector<sv1::ReplanProposal> proposals = AwaitProposals();
  ASSERT_THAT(proposals, SizeIs(1));
  ASSERT_THAT(proposals[0].plan().assignments(), SizeIs(1));
  const sv1::PlannedAssignment& proposed = proposals[0].plan().assignments(0);
  // Made by hand exactly as proposed (as a retry after an apply whose record was lost finds
  // it): applying reports it made, not refused.
  sv1::UpdateVisitRequest move;
  move.mutable_visit()->set_visit_id(proposed.visit_id());
  *move.mutable_visit()->mutable_planned_start() = proposed.planned_start();
  move.mutable_update_mask()->add_paths("planned_start");
  sv1::Visit moved;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), move, &moved), GrpcOk());
  sv1::AssignCarersResponse assigned;
  ASSERT_THAT(Assign(proposed.visit_id(),
                     {proposed.carer_ids().begin(), proposed.carer_ids().end()}, &assigned),
              GrpcOk());
  sv1::ApplyReplanProposalRequest apply;
  apply.set_proposal_id(proposals[0].proposal_id());
  sv1::ReplanProposal applied;
  ASSERT_THAT(Call(&Stub::ApplyReplanProposal, Coordinator(), apply, &applied), GrpcOk());
  EXPECT_THAT(applied.plan().unassigned(), IsEmpty());
  EXPECT_THAT(applied.plan().assignments(), SizeIs(1));
  EXPECT_EQ(GetVisit(proposed.visit_id()).version(), assigned.visit().version())
      << "nothing written again";
}

TEST_F(RepairTest, AnAssignmentRefusedOnApplyingIsTakenOutOfTheContinuityFigures) {
  RecordAbsence(ann_.carer_id(), testing::Local(2030, 12, 3, 0), testing::Local(2030, 12, 4, 0));
  const std::vector<sv1::ReplanProposal> proposals = AwaitProposals();
  ASSERT_THAT(proposals, SizeIs(1));
  const sv1::SchedulePlan& proposed = proposals[0].plan();
  ASSERT_THAT(proposed.assignments(), SizeIs(1));
  EXPECT_EQ(proposed.assignments(0).client_id(), edna_.client.client_id());
  EXPECT_EQ(proposed.assignments(0).carers_new_to_client(), 1) << "Bob has not been to Edna";
  EXPECT_EQ(proposed.continuity().carer_visits(), 1);
  EXPECT_EQ(proposed.continuity().carer_visits_new_to_client(), 1);
  EXPECT_EQ(proposed.continuity().clients(), 1);
  // Edna cancels her morning before a coordinator applies the proposal.
  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(proposed.assignments(0).visit_id());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_CLIENT);
  cancel.mutable_cancellation()->set_requested_by("Edna");
  sv1::Visit cancelled;
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk());
  sv1::ApplyReplanProposalRequest apply;
  apply.set_proposal_id(proposals[0].proposal_id());
  sv1::ReplanProposal applied;
  ASSERT_THAT(Call(&Stub::ApplyReplanProposal, Coordinator(), apply, &applied), GrpcOk());
  EXPECT_THAT(applied.plan().assignments(), IsEmpty());
  ASSERT_THAT(applied.plan().unassigned(), SizeIs(1));
  EXPECT_EQ(applied.plan().unassigned(0).visit_id(), cancelled.visit_id());
  // The figures are those of what was made: nothing.
  EXPECT_EQ(applied.plan().continuity().carer_visits(), 0);
  EXPECT_EQ(applied.plan().continuity().carer_visits_new_to_client(), 0);
  EXPECT_EQ(applied.plan().continuity().clients(), 0);
  EXPECT_THAT(GetVisit(cancelled.visit_id()).carer_ids(), IsEmpty());
}

TEST_F(RepairTest, WhenTheTenantSaysSoTheRepairIsAppliedAtOnce) {
  sv1::UpdateSchedulingSettingsRequest update;
  update.mutable_settings()->set_apply_repairs_at_once(true);
  update.mutable_update_mask()->add_paths("apply_repairs_at_once");
  sv1::SchedulingSettings settings;
  ASSERT_THAT(Call(&Stub::UpdateSchedulingSettings, Coordinator(), update, &settings), GrpcOk());
  RecordAbsence(ann_.carer_id(), testing::Local(2030, 12, 3, 0), testing::Local(2030, 12, 4, 0));
  const std::vector<sv1::ReplanProposal> proposals = AwaitProposals();
  ASSERT_THAT(proposals, SizeIs(1));
  EXPECT_EQ(proposals[0].state(), sv1::REPLAN_STATE_APPLIED);
  EXPECT_EQ(proposals[0].applied_by(), "repair");
  EXPECT_THAT(GetVisit(edna_.morning.at(3).visit_id()).carer_ids(), ElementsAre(bob_.carer_id()));
}

TEST_F(AutoScheduleTest, OnlyPlannersMayAskAndTheRequestIsChecked) {
  EXPECT_THAT(
      Run(Tuesday(), nullptr, secret_.Token(Role::kCarer, kSunrise, ann_.carer_id())).status,
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::AutoScheduleRequest bad;
  bad.set_time_limit_seconds(601);
  bad.set_locality_id("Not A Slug!");
  const Streamed refused = Run(bad);
  EXPECT_THAT(refused.status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(refused.status),
              UnorderedElementsAre("date", "locality_id", "time_limit_seconds"));
  sv1::AutoScheduleRequest elsewhere = Tuesday();
  elsewhere.set_locality_id("west");
  EXPECT_THAT(ViolatedFields(Run(elsewhere).status), ElementsAre("locality_id"));
  for (const auto& [visit, carers] : TuesdaysCarers()) EXPECT_THAT(carers, IsEmpty()) << visit;
}

}  // namespace
}  // namespace homecare
