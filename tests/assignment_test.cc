// Assigning carers, rotas and the visit stream with real homecare-roster, homecare-scheduling
// (one or two replicas) and redis-server processes: a double-up filled in two calls, every rule
// refused by name, retries, concurrent double-booking across two scheduling processes, the
// roster's absences taking carers off their visits on the stream, a carer's own view of every
// RPC, watch resume across a disconnect and a restart, and the roster down while assigning.
#include <latch>
#include <map>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/roster/sample_carer.h"
#include "tests/scheduling_fixture.h"

namespace homecare {
namespace {

using ::homecare::testing::At;
using ::homecare::testing::Day;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::kOak;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Local;
using ::homecare::testing::NewClient;
using ::homecare::testing::Pattern;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::Stub;
using ::homecare::testing::ViolatedFields;
using ::homecare::testing::VisitWatch;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;
using ::testing::UnorderedElementsAre;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using RosterStub = rv1::RosterService::Stub;

// The rule types of a FAILED_PRECONDITION, each with the subject it names.
std::vector<std::string> Refusals(const grpc::Status& status) {
  std::vector<std::string> refusals;
  for (const auto& violation : PreconditionViolationsOf(FromGrpcStatus(status))) {
    refusals.push_back(absl::StrCat(violation.type(), " ", violation.subject()));
  }
  return refusals;
}

std::vector<std::string> WarningRules(const sv1::AssignCarersResponse& response) {
  std::vector<std::string> rules;
  for (const sv1::AssignmentWarning& warning : response.warnings()) {
    rules.push_back(warning.rule());
  }
  return rules;
}

using AssignmentTest = testing::SchedulingFixture;

TEST_F(AssignmentTest, ADoubleUpIsFilledInTwoCallsAndTakenApartAgain) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob");
  rv1::Carer cat = CreateCarer("Cat");
  Week week = EdnasWeek();
  const sv1::Visit& bed = week.bed[3];

  sv1::AssignCarersResponse first;
  ASSERT_THAT(Assign(bed.visit_id(), {ann.carer_id()}, &first), GrpcOk());
  EXPECT_EQ(first.visit().status(), sv1::VISIT_STATUS_NEEDS_CARER) << "one of two carers";
  EXPECT_THAT(first.visit().carer_ids(), ElementsAre(ann.carer_id()));
  EXPECT_THAT(WarningRules(first), ElementsAre("NEW_TO_CLIENT")) << "Ann has not met Edna";
  sv1::AssignCarersResponse second;
  ASSERT_THAT(Assign(bed.visit_id(), {bob.carer_id()}, &second), GrpcOk());
  EXPECT_EQ(second.visit().status(), sv1::VISIT_STATUS_SCHEDULED);
  EXPECT_THAT(second.visit().carer_ids(), ElementsAre(ann.carer_id(), bob.carer_id()));
  EXPECT_EQ(second.visit().version(), bed.version() + 2);

  // A third carer is one too many; naming one already on it changes nothing.
  sv1::AssignCarersResponse refused;
  grpc::Status status = Assign(bed.visit_id(), {cat.carer_id()}, &refused);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  EXPECT_THAT(Refusals(status),
              ElementsAre(absl::StrCat("TOO_MANY_CARERS visits/", bed.visit_id())));
  sv1::AssignCarersResponse again;
  ASSERT_THAT(Assign(bed.visit_id(), {bob.carer_id()}, &again), GrpcOk());
  EXPECT_EQ(again.visit().version(), second.visit().version());

  // Taken off: the visit needs a carer again and says who took whom off.
  sv1::UnassignCarerRequest unassign;
  unassign.set_visit_id(bed.visit_id());
  unassign.set_carer_id(ann.carer_id());
  unassign.set_note("Ann swapped to the evening round");
  sv1::Visit after;
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &after), GrpcOk());
  EXPECT_EQ(after.status(), sv1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_THAT(after.carer_ids(), ElementsAre(bob.carer_id()));
  EXPECT_EQ(after.carer_removal().carer_id(), ann.carer_id());
  EXPECT_EQ(after.carer_removal().reason(), sv1::CARER_REMOVAL_REASON_UNASSIGNED);
  EXPECT_EQ(after.carer_removal().removed_by(), "test-coordinator");
  EXPECT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &after),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION))
      << "Ann is no longer on it";
  // The visits needing a carer list it at once.
  sv1::ListVisitsRequest needing;
  needing.set_status(sv1::VISIT_STATUS_NEEDS_CARER);
  needing.set_client_id(week.client.client_id());
  std::vector<sv1::Visit> open = ListAll(needing, Local(2030, 12, 3, 0), Local(2030, 12, 4, 0));
  ASSERT_THAT(open, SizeIs(2));
  EXPECT_EQ(open[1].visit_id(), bed.visit_id());
  // Cat fills it; the removal note goes once the visit is staffed.
  sv1::AssignCarersResponse filled;
  ASSERT_THAT(Assign(bed.visit_id(), {cat.carer_id()}, &filled), GrpcOk());
  EXPECT_EQ(filled.visit().status(), sv1::VISIT_STATUS_SCHEDULED);
  EXPECT_FALSE(filled.visit().has_carer_removal());
}

TEST_F(AssignmentTest, EveryBrokenRuleIsRefusedTogetherByNameAndNothingIsWritten) {
  rv1::Carer ann = CreateCarer("Ann");  // no medication
  rv1::Carer dan = CreateCarer("Dan", {"medication"});
  Week week = EdnasWeek();
  // Edna will not have Ann; Ann is off sick that morning; Dan is already at Olive's at 07:10.
  sv1::UpdateClientRequest exclude;
  *exclude.mutable_client() = week.client;
  exclude.mutable_client()->add_excluded_carer_ids(ann.carer_id());
  exclude.mutable_update_mask()->add_paths("excluded_carer_ids");
  sv1::Client updated;
  ASSERT_THAT(Call(&Stub::UpdateClient, Coordinator(), exclude, &updated), GrpcOk());
  RecordAbsence(ann.carer_id(), Local(2030, 12, 3, 6), Local(2030, 12, 3, 12));
  Week olive = EdnasWeek("Olive", 51.60);  // about 9 km north
  sv1::UpdateVisitRequest later;
  later.mutable_visit()->set_visit_id(olive.morning[3].visit_id());
  *later.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 7, 10));
  later.mutable_update_mask()->add_paths("planned_start");
  sv1::Visit moved;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), later, &moved), GrpcOk());
  sv1::AssignCarersResponse response;
  ASSERT_THAT(Assign(olive.morning[3].visit_id(), {dan.carer_id()}, &response), GrpcOk());

  const sv1::Visit& visit = week.morning[3];
  grpc::Status status =
      Assign(visit.visit_id(), {ann.carer_id(), dan.carer_id(), "car_nobody"}, &response);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT)) << "at most 2 carers";
  status = Assign(visit.visit_id(), {ann.carer_id(), ann.carer_id()}, &response);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("carer_ids[1]"));

  status = Assign(visit.visit_id(), {ann.carer_id(), dan.carer_id()}, &response);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  const std::string ann_subject = absl::StrCat("carers/", ann.carer_id());
  const std::string dan_subject = absl::StrCat("carers/", dan.carer_id());
  EXPECT_THAT(
      Refusals(status),
      ElementsAre(absl::StrCat("TOO_MANY_CARERS visits/", visit.visit_id()),
                  "SKILL_MISSING " + ann_subject, "ABSENT " + ann_subject,
                  "EXCLUDED_BY_CLIENT " + ann_subject, "OVERLAPS_ANOTHER_VISIT " + dan_subject));
  status = Assign(visit.visit_id(), {"car_nobody"}, &response);
  EXPECT_THAT(Refusals(status), ElementsAre("CARER_NOT_FOUND carers/car_nobody"));
  EXPECT_EQ(GetVisit(visit.visit_id()).version(), visit.version()) << "nothing written";

  // Another tenant's visit is not there; a visit whose window has ended or that is cancelled
  // takes nobody.
  grpc::ClientContext oak_context;
  PrepareContext(oak_context, Coordinator(kOak), absl::Seconds(10));
  sv1::AssignCarersRequest oak_request;
  oak_request.set_visit_id(visit.visit_id());
  oak_request.add_carer_ids(dan.carer_id());
  EXPECT_THAT(stub_->AssignCarers(&oak_context, oak_request, &response),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(week.morning[4].visit_id());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_CLIENT);
  cancel.mutable_cancellation()->set_requested_by("Edna");
  sv1::Visit cancelled;
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk());
  EXPECT_THAT(Refusals(Assign(cancelled.visit_id(), {dan.carer_id()}, &response)),
              ElementsAre(absl::StrCat("VISIT_CANCELLED visits/", cancelled.visit_id())));
  clock_.Set(Local(2030, 12, 3, 8));  // the 3 December morning window has ended
  EXPECT_THAT(Refusals(Assign(week.morning[3].visit_id(), {dan.carer_id()}, &response)),
              ElementsAre(absl::StrCat("VISIT_ENDED visits/", week.morning[3].visit_id()),
                          "OVERLAPS_ANOTHER_VISIT " + dan_subject));
}

TEST_F(AssignmentTest, ARetryWithTheSameRequestIdReturnsTheFirstResult) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob", {"medication"});
  Week week = EdnasWeek();
  const std::string visit_id = week.morning[2].visit_id();
  sv1::AssignCarersResponse first;
  ASSERT_THAT(Assign(visit_id, {ann.carer_id()}, &first, "assign-ann-1"), GrpcOk());
  // Ann comes off; the retry still answers what the first call did, and writes nothing.
  sv1::UnassignCarerRequest unassign;
  unassign.set_visit_id(visit_id);
  unassign.set_carer_id(ann.carer_id());
  unassign.set_request_id("unassign-ann-1");
  sv1::Visit off;
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &off), GrpcOk());
  sv1::AssignCarersResponse retried;
  ASSERT_THAT(Assign(visit_id, {ann.carer_id()}, &retried, "assign-ann-1"), GrpcOk());
  EXPECT_EQ(retried.SerializeAsString(), first.SerializeAsString());
  sv1::Visit off_again;
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &off_again), GrpcOk());
  EXPECT_EQ(off_again.version(), off.version());
  EXPECT_EQ(GetVisit(visit_id).version(), off.version()) << "the retries wrote nothing";
  // The same request_id with another request is refused.
  EXPECT_THAT(Assign(visit_id, {bob.carer_id()}, &retried, "assign-ann-1"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_THAT(Assign(visit_id, {ann.carer_id()}, &retried, "unassign-ann-1"),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
}

TEST_F(AssignmentTest, TwoSchedulingProcessesNeverDoubleBookACarer) {
  auto replica = StartScheduling();
  ASSERT_TRUE(replica.ok()) << replica.status();
  std::unique_ptr<Stub> other = sv1::SchedulingService::NewStub((*replica)->NewChannel());
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  Week edna = EdnasWeek("Edna");
  Week olive = EdnasWeek("Olive", 51.53);
  // Each day, two coordinators on different replicas put Ann on Edna's and on Olive's 07:00
  // visit at the same moment: exactly one may win.
  for (int day = 2; day <= 8; ++day) {
    std::latch start(2);
    grpc::Status at_edna;
    grpc::Status at_olive;
    sv1::AssignCarersResponse edna_response;
    sv1::AssignCarersResponse olive_response;
    std::thread first([&] {
      start.arrive_and_wait();
      at_edna = Assign(edna.morning[day].visit_id(), {ann.carer_id()}, &edna_response);
    });
    std::thread second([&] {
      start.arrive_and_wait();
      at_olive =
          Assign(olive.morning[day].visit_id(), {ann.carer_id()}, &olive_response, "", other.get());
    });
    first.join();
    second.join();
    EXPECT_NE(at_edna.ok(), at_olive.ok()) << "day " << day;
    const grpc::Status& lost = at_edna.ok() ? at_olive : at_edna;
    EXPECT_THAT(Refusals(lost),
                ElementsAre(absl::StrCat("OVERLAPS_ANOTHER_VISIT carers/", ann.carer_id())))
        << lost.error_message();
  }
  sv1::ListVisitsRequest anns;
  anns.set_carer_id(ann.carer_id());
  std::vector<sv1::Visit> booked = ListAll(anns, Local(2030, 12, 1, 0), Local(2030, 12, 10, 0));
  EXPECT_THAT(booked, SizeIs(7)) << "one visit a day";
}

TEST_F(AssignmentTest, AnAbsenceInTheRosterTakesTheCarerOffHerVisitsOnTheStream) {
  // Two replicas follow the roster: the outcome is as with one.
  auto replica = StartScheduling();
  ASSERT_TRUE(replica.ok()) << replica.status();
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob", {"medication"});
  Week week = EdnasWeek();
  // Today's (Monday 25 November) visit at 10:00, then 2 to 4 December: Ann on each.
  sv1::CreateVisitRequest today;
  today.set_request_id("today-10");
  today.mutable_visit()->set_client_id(week.client.client_id());
  *today.mutable_visit()->mutable_window_start() = TimeToProto(Local(2030, 11, 25, 10));
  *today.mutable_visit()->mutable_window_end() = TimeToProto(Local(2030, 11, 25, 11));
  today.mutable_visit()->set_duration_minutes(30);
  sv1::Visit ten;
  ASSERT_THAT(Call(&Stub::CreateVisit, Coordinator(), today, &ten), GrpcOk());
  sv1::AssignCarersResponse response;
  for (const std::string& id : {ten.visit_id(), week.morning[2].visit_id(),
                                week.morning[3].visit_id(), week.morning[4].visit_id()}) {
    ASSERT_THAT(Assign(id, {ann.carer_id()}, &response), GrpcOk());
  }
  ASSERT_THAT(Assign(week.morning[5].visit_id(), {bob.carer_id()}, &response), GrpcOk());

  VisitWatch office(*stub_, Coordinator(), "");
  office.WaitUntilWatching();
  VisitWatch phone(*stub_, secret_.Token(Role::kCarer, kSunrise, ann.carer_id()), "");
  phone.WaitUntilWatching();
  // 10:20: Ann is at the 10:00 visit when she goes home sick until the end of 3 December.
  clock_.Set(Local(2030, 11, 25, 10, 20));
  RecordAbsence(ann.carer_id(), Local(2030, 11, 25, 10, 20), Local(2030, 12, 4, 0));

  // The 2 and 3 December visits come off her, each once, with the reason; the visit already
  // started and the 4 December one stay.
  std::set<std::string> taken_off;
  for (int i = 0; i < 2; ++i) {
    std::optional<sv1::VisitChange> change = office.Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->kind(), sv1::VisitChange::KIND_UNASSIGNED);
    EXPECT_THAT(change->previous_carer_ids(), ElementsAre(ann.carer_id()));
    EXPECT_THAT(change->visit().carer_ids(), IsEmpty());
    EXPECT_EQ(change->visit().status(), sv1::VISIT_STATUS_NEEDS_CARER);
    EXPECT_EQ(change->visit().carer_removal().reason(), sv1::CARER_REMOVAL_REASON_CARER_ABSENT);
    EXPECT_EQ(change->visit().carer_removal().removed_by(), "roster-change");
    taken_off.insert(change->visit().visit_id());
  }
  EXPECT_THAT(taken_off,
              UnorderedElementsAre(week.morning[2].visit_id(), week.morning[3].visit_id()));
  // Ann's phone hears of both, with no more of the visits than it needs to drop them.
  for (int i = 0; i < 2; ++i) {
    std::optional<sv1::VisitChange> change = phone.Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->kind(), sv1::VisitChange::KIND_UNASSIGNED);
    EXPECT_TRUE(taken_off.contains(change->visit().visit_id()));
    EXPECT_FALSE(change->visit().has_location());
    EXPECT_THAT(change->visit().tasks(), IsEmpty());
    EXPECT_THAT(change->previous_carer_ids(), IsEmpty());
  }
  EXPECT_THAT(GetVisit(ten.visit_id()).carer_ids(), ElementsAre(ann.carer_id()));
  EXPECT_THAT(GetVisit(week.morning[4].visit_id()).carer_ids(), ElementsAre(ann.carer_id()));
  sv1::ListVisitsRequest needing;
  needing.set_status(sv1::VISIT_STATUS_NEEDS_CARER);
  needing.set_client_id(week.client.client_id());
  std::vector<sv1::Visit> open = ListAll(needing, Local(2030, 12, 2, 0), Local(2030, 12, 3, 12));
  std::vector<std::string> open_mornings;
  for (const sv1::Visit& visit : open) {
    if (visit.pattern_id() == "morning") open_mornings.push_back(visit.visit_id());
  }
  EXPECT_THAT(open_mornings, ElementsAre(week.morning[2].visit_id(), week.morning[3].visit_id()));

  // Bob is deactivated, and Ann's medication is taken away: each comes off what they can no
  // longer do. A marker change afterwards shows that nothing else, and nothing twice, came
  // before it.
  rv1::UpdateCarerRequest deactivate;
  deactivate.mutable_carer()->set_carer_id(bob.carer_id());
  deactivate.mutable_update_mask()->add_paths("active");
  rv1::Carer carer;
  ASSERT_THAT(RosterCall(&RosterStub::UpdateCarer, deactivate, &carer), GrpcOk());
  rv1::UpdateCarerRequest no_skills;
  no_skills.mutable_carer()->set_carer_id(ann.carer_id());
  no_skills.mutable_update_mask()->add_paths("skills");
  ASSERT_THAT(RosterCall(&RosterStub::UpdateCarer, no_skills, &carer), GrpcOk());
  std::map<std::string, sv1::CarerRemovalReason> reasons;
  for (int i = 0; i < 2; ++i) {
    std::optional<sv1::VisitChange> change = office.Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->kind(), sv1::VisitChange::KIND_UNASSIGNED);
    reasons[change->visit().visit_id()] = change->visit().carer_removal().reason();
  }
  EXPECT_THAT(reasons,
              UnorderedElementsAre(
                  std::pair(week.morning[5].visit_id(), sv1::CARER_REMOVAL_REASON_CARER_INACTIVE),
                  std::pair(week.morning[4].visit_id(), sv1::CARER_REMOVAL_REASON_SKILL_LAPSED)));
  ASSERT_NO_FATAL_FAILURE(Mark(week.bed[8].visit_id()));
  std::optional<sv1::VisitChange> next = office.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->kind(), sv1::VisitChange::KIND_UPDATED);
  EXPECT_EQ(next->visit().visit_id(), week.bed[8].visit_id());
}

TEST_F(AssignmentTest, ACarerSeesOnlyHerOwnVisitsAndRotaThroughEveryRpc) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob", {"medication"});
  Week week = EdnasWeek();
  Week olive = EdnasWeek("Olive", 51.53);
  sv1::AssignCarersResponse response;
  ASSERT_THAT(Assign(week.morning[3].visit_id(), {ann.carer_id()}, &response), GrpcOk());
  ASSERT_THAT(Assign(olive.morning[3].visit_id(), {bob.carer_id()}, &response), GrpcOk());
  const std::string as_ann = secret_.Token(Role::kCarer, kSunrise, ann.carer_id());

  sv1::GetVisitRequest get;
  get.set_visit_id(week.morning[3].visit_id());
  sv1::Visit visit;
  ASSERT_THAT(Call(&Stub::GetVisit, as_ann, get, &visit), GrpcOk());
  EXPECT_EQ(visit.visit_id(), week.morning[3].visit_id());
  // Bob's visit, a visit with nobody on it and a visit that does not exist all look the same.
  for (const std::string& id :
       {olive.morning[3].visit_id(), week.morning[4].visit_id(), std::string("vis_nonexistent")}) {
    get.set_visit_id(id);
    grpc::Status status = Call(&Stub::GetVisit, as_ann, get, &visit);
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::NOT_FOUND)) << id;
    EXPECT_EQ(status.error_message(), absl::StrCat("visit ", id, " not found"));
  }
  sv1::ListVisitsResponse listed;
  ASSERT_THAT(Call(&Stub::ListVisits, as_ann, sv1::ListVisitsRequest(), &listed), GrpcOk());
  ASSERT_EQ(listed.visits_size(), 1);
  EXPECT_EQ(listed.visits(0).visit_id(), week.morning[3].visit_id());
  sv1::ListVisitsRequest bobs;
  bobs.set_carer_id(bob.carer_id());
  EXPECT_THAT(Call(&Stub::ListVisits, as_ann, bobs, &listed),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::ListVisitsRequest by_client;
  by_client.set_client_id(olive.client.client_id());
  ASSERT_THAT(Call(&Stub::ListVisits, as_ann, by_client, &listed), GrpcOk());
  EXPECT_THAT(listed.visits(), IsEmpty()) << "nothing of a client she does not visit";

  sv1::GetRotaRequest rota_request;
  *rota_request.mutable_start_date() = Day(2030, 12, 2);
  *rota_request.mutable_end_date() = Day(2030, 12, 8);
  sv1::Rota rota;
  ASSERT_THAT(Call(&Stub::GetRota, as_ann, rota_request, &rota), GrpcOk());
  EXPECT_EQ(rota.carer_id(), ann.carer_id());
  ASSERT_EQ(rota.entries_size(), 1);
  rota_request.set_carer_id(bob.carer_id());
  EXPECT_THAT(Call(&Stub::GetRota, as_ann, rota_request, &rota),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  // Everything else is the back office's.
  sv1::Client client;
  sv1::GetClientRequest get_client;
  get_client.set_client_id(week.client.client_id());
  EXPECT_THAT(Call(&Stub::GetClient, as_ann, get_client, &client),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::AssignCarersRequest assign;
  assign.set_visit_id(week.morning[4].visit_id());
  assign.add_carer_ids(ann.carer_id());
  EXPECT_THAT(Call(&Stub::AssignCarers, as_ann, assign, &response),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::UnassignCarerRequest unassign;
  unassign.set_visit_id(week.morning[3].visit_id());
  unassign.set_carer_id(ann.carer_id());
  EXPECT_THAT(Call(&Stub::UnassignCarer, as_ann, unassign, &visit),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::UpdateVisitRequest update;
  update.mutable_visit()->set_visit_id(week.morning[3].visit_id());
  update.mutable_update_mask()->add_paths("duration_minutes");
  EXPECT_THAT(Call(&Stub::UpdateVisit, as_ann, update, &visit),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(week.morning[3].visit_id());
  EXPECT_THAT(Call(&Stub::CancelVisit, as_ann, cancel, &visit),
              GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  sv1::SchedulingSettings settings;
  EXPECT_THAT(
      Call(&Stub::GetSchedulingSettings, as_ann, sv1::GetSchedulingSettingsRequest(), &settings),
      GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));

  // Her watch carries her own visits only: Bob's assignment never reaches it, her own does, and
  // so does the visit taken off her.
  VisitWatch phone(*stub_, as_ann, "");
  phone.WaitUntilWatching();
  ASSERT_THAT(Assign(olive.morning[4].visit_id(), {bob.carer_id()}, &response), GrpcOk());
  ASSERT_THAT(Assign(week.morning[4].visit_id(), {ann.carer_id()}, &response), GrpcOk());
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &visit), GrpcOk());
  std::optional<sv1::VisitChange> mine = phone.Next();
  ASSERT_TRUE(mine.has_value());
  EXPECT_EQ(mine->kind(), sv1::VisitChange::KIND_ASSIGNED);
  EXPECT_EQ(mine->visit().visit_id(), week.morning[4].visit_id());
  EXPECT_EQ(mine->visit().tasks_size(), 1) << "what she needs for her own visit";
  std::optional<sv1::VisitChange> gone = phone.Next();
  ASSERT_TRUE(gone.has_value());
  EXPECT_EQ(gone->kind(), sv1::VisitChange::KIND_UNASSIGNED);
  EXPECT_EQ(gone->visit().visit_id(), week.morning[3].visit_id());
  EXPECT_TRUE(gone->visit().client_id().empty());
  // Another tenant's carer sees nothing of sunrise.
  const std::string oak_carer = secret_.Token(Role::kCarer, kOak, ann.carer_id());
  get.set_visit_id(week.morning[4].visit_id());
  EXPECT_THAT(Call(&Stub::GetVisit, oak_carer, get, &visit),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(AssignmentTest, TheRotaListsTheWeekWithTravelAndWhatTheCarerNeedsAtTheDoor) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob");
  Week edna = EdnasWeek("Edna", 51.52);
  Week olive = EdnasWeek("Olive", 51.56);  // about 4.5 km north of Edna
  sv1::UpdateVisitRequest later;
  later.mutable_visit()->set_visit_id(olive.morning[3].visit_id());
  *later.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 7, 45));
  later.mutable_update_mask()->add_paths("planned_start");
  sv1::Visit moved;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), later, &moved), GrpcOk());
  sv1::AssignCarersResponse response;
  for (const std::string& id :
       {edna.morning[3].visit_id(), olive.morning[3].visit_id(), edna.morning[4].visit_id()}) {
    ASSERT_THAT(Assign(id, {ann.carer_id()}, &response), GrpcOk());
  }
  ASSERT_THAT(Assign(edna.bed[3].visit_id(), {ann.carer_id(), bob.carer_id()}, &response),
              GrpcOk());

  sv1::GetRotaRequest request;
  request.set_carer_id(ann.carer_id());
  *request.mutable_start_date() = Day(2030, 12, 2);
  *request.mutable_end_date() = Day(2030, 12, 8);
  sv1::Rota rota;
  ASSERT_THAT(Call(&Stub::GetRota, Coordinator(), request, &rota), GrpcOk());
  EXPECT_EQ(rota.carer_display_name(), "Ann");
  ASSERT_EQ(rota.entries_size(), 4);
  std::vector<std::string> order;
  for (const sv1::RotaEntry& entry : rota.entries()) order.push_back(entry.visit().visit_id());
  EXPECT_THAT(order, ElementsAre(edna.morning[3].visit_id(), olive.morning[3].visit_id(),
                                 edna.bed[3].visit_id(), edna.morning[4].visit_id()));
  const sv1::RotaEntry& first = rota.entries(0);
  EXPECT_TRUE(first.travel_from_home());
  EXPECT_EQ(first.client_display_name(), "Edna");
  EXPECT_EQ(first.address_line(), "12 Elm Road");
  EXPECT_EQ(first.access_notes(), "Key safe 1234");
  EXPECT_EQ(first.visit().tasks(0).description(), "Medication");
  const sv1::RotaEntry& second = rota.entries(1);
  EXPECT_FALSE(second.travel_from_home());
  EXPECT_EQ(second.client_display_name(), "Olive");
  // 4.45 km x 1.3 at 30 km/h: 12 minutes between Edna's and Olive's.
  EXPECT_EQ(second.travel_minutes_before(), 12);
  EXPECT_NEAR(second.travel_meters_before(), 5782, 50);
  const sv1::RotaEntry& bed = rota.entries(2);
  ASSERT_EQ(bed.other_carers_size(), 1);
  EXPECT_EQ(bed.other_carers(0).carer_id(), bob.carer_id());
  EXPECT_EQ(bed.other_carers(0).display_name(), "Bob");
  EXPECT_TRUE(rota.entries(3).travel_from_home()) << "a new day starts from home";

  ASSERT_EQ(rota.days_size(), 2);
  const sv1::RotaDay& tuesday = rota.days(0);
  EXPECT_EQ(tuesday.date().day(), 3);
  EXPECT_EQ(tuesday.visits(), 3);
  EXPECT_EQ(tuesday.visit_minutes(), 30 + 30 + 45);
  EXPECT_EQ(tuesday.travel_minutes(), 12 + 12) << "to Olive's, and back to Edna's at bedtime";
  EXPECT_EQ(rota.visit_minutes(), 30 + 30 + 45 + 30);
  EXPECT_EQ(rota.travel_minutes(), tuesday.travel_minutes() + rota.days(1).travel_minutes());
  EXPECT_EQ(rota.home_travel_minutes(),
            tuesday.home_travel_minutes() + rota.days(1).home_travel_minutes());

  // The range is bounded and validated.
  *request.mutable_end_date() = Day(2031, 2, 1);
  EXPECT_THAT(ViolatedFields(Call(&Stub::GetRota, Coordinator(), request, &rota)),
              ElementsAre("end_date"));
  request.set_carer_id("car_nobody");
  *request.mutable_end_date() = Day(2030, 12, 8);
  EXPECT_THAT(Call(&Stub::GetRota, Coordinator(), request, &rota),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
}

TEST_F(AssignmentTest, SettingsAreTheTenantsAndTheRulesFollowThem) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"}, "south");  // Edna lives in north
  Week week = EdnasWeek();
  sv1::SchedulingSettings settings;
  ASSERT_THAT(Call(&Stub::GetSchedulingSettings, Coordinator(), sv1::GetSchedulingSettingsRequest(),
                   &settings),
              GrpcOk());
  EXPECT_EQ(settings.travel().road_distance_factor(), 1.3);
  EXPECT_FALSE(settings.refuse_on_preferences());

  sv1::UpdateSchedulingSettingsRequest bad;
  bad.mutable_settings()->mutable_travel()->set_road_distance_factor(9);
  bad.mutable_settings()->mutable_travel()->set_walking_speed_kmh(-1);
  bad.mutable_update_mask()->add_paths("travel");
  EXPECT_THAT(ViolatedFields(Call(&Stub::UpdateSchedulingSettings, Coordinator(), bad, &settings)),
              UnorderedElementsAre("settings.travel.road_distance_factor",
                                   "settings.travel.walking_speed_kmh"));
  bad.mutable_update_mask()->set_paths(0, "travel.unknown");
  EXPECT_THAT(ViolatedFields(Call(&Stub::UpdateSchedulingSettings, Coordinator(), bad, &settings)),
              ElementsAre("update_mask.paths[0]"));

  sv1::UpdateSchedulingSettingsRequest strict;
  strict.mutable_settings()->set_refuse_on_preferences(true);
  strict.mutable_update_mask()->add_paths("refuse_on_preferences");
  ASSERT_THAT(Call(&Stub::UpdateSchedulingSettings, Coordinator(), strict, &settings), GrpcOk());
  EXPECT_TRUE(settings.refuse_on_preferences());
  EXPECT_EQ(settings.version(), 1);
  strict.set_expected_version(7);
  EXPECT_THAT(Call(&Stub::UpdateSchedulingSettings, Coordinator(), strict, &settings),
              GrpcStatusIs(grpc::StatusCode::ABORTED));
  // Oak's settings are its own.
  sv1::SchedulingSettings oak;
  ASSERT_THAT(Call(&Stub::GetSchedulingSettings, Coordinator(kOak),
                   sv1::GetSchedulingSettingsRequest(), &oak),
              GrpcOk());
  EXPECT_FALSE(oak.refuse_on_preferences());

  // Ann works in another locality and has never met Edna: refused now, unless overridden.
  sv1::AssignCarersResponse response;
  grpc::Status status = Assign(week.morning[3].visit_id(), {ann.carer_id()}, &response);
  const std::string subject = absl::StrCat("carers/", ann.carer_id());
  EXPECT_THAT(Refusals(status),
              ElementsAre("OTHER_LOCALITY " + subject, "NEW_TO_CLIENT " + subject));
  ASSERT_THAT(Assign(week.morning[3].visit_id(), {ann.carer_id()}, &response, "", nullptr,
                     /*override_preferences=*/true),
              GrpcOk());
  EXPECT_THAT(WarningRules(response), ElementsAre("OTHER_LOCALITY", "NEW_TO_CLIENT"));

  // A visit 20 km away five minutes after hers is out of reach at 30 km/h, in reach at 150.
  Week far = EdnasWeek("Fay", 51.70);
  sv1::UpdateVisitRequest later;
  later.mutable_visit()->set_visit_id(far.morning[3].visit_id());
  *later.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 7, 45));
  later.mutable_update_mask()->add_paths("planned_start");
  sv1::Visit moved;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), later, &moved), GrpcOk());
  status = Assign(far.morning[3].visit_id(), {ann.carer_id()}, &response, "", nullptr, true);
  EXPECT_THAT(Refusals(status), ElementsAre("OVERLAPS_ANOTHER_VISIT " + subject));
  sv1::UpdateSchedulingSettingsRequest faster;
  faster.mutable_settings()->mutable_travel()->set_driving_speed_kmh(150);
  faster.mutable_settings()->mutable_travel()->set_road_distance_factor(1);
  faster.mutable_update_mask()->add_paths("travel");
  ASSERT_THAT(Call(&Stub::UpdateSchedulingSettings, Coordinator(), faster, &settings), GrpcOk());
  EXPECT_EQ(settings.travel().walking_speed_kmh(), 4.8) << "unset: the default";
  EXPECT_THAT(Assign(far.morning[3].visit_id(), {ann.carer_id()}, &response, "", nullptr, true),
              GrpcOk());

  // Moving her visit onto the other is refused while she is on both.
  sv1::UpdateVisitRequest clash;
  clash.mutable_visit()->set_visit_id(week.morning[3].visit_id());
  *clash.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 7, 40));
  clash.mutable_update_mask()->add_paths("planned_start");
  status = Call(&Stub::UpdateVisit, Coordinator(), clash, &moved);
  EXPECT_THAT(Refusals(status), ElementsAre("OVERLAPS_ANOTHER_VISIT " + subject));
}

TEST_F(AssignmentTest, AWatchResumesAcrossADisconnectAndARestartWithNothingLostOrRepeated) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob", {"medication"});
  Week week = EdnasWeek();
  auto watch = std::make_unique<VisitWatch>(*stub_, Coordinator(), "");
  watch->WaitUntilWatching();
  sv1::AssignCarersResponse response;
  ASSERT_THAT(Assign(week.morning[2].visit_id(), {ann.carer_id()}, &response), GrpcOk());
  std::optional<sv1::VisitChange> seen = watch->Next();
  ASSERT_TRUE(seen.has_value());
  EXPECT_EQ(seen->kind(), sv1::VisitChange::KIND_ASSIGNED);
  watch.reset();  // the phone loses its signal

  ASSERT_THAT(Assign(week.morning[3].visit_id(), {ann.carer_id()}, &response), GrpcOk());
  ASSERT_THAT(Assign(week.bed[3].visit_id(), {ann.carer_id(), bob.carer_id()}, &response),
              GrpcOk());
  // The service restarts meanwhile. (An idle client connection holds a server's shutdown for
  // its 5-second GOAWAY wait: the test's own channel goes first.)
  stub_.reset();
  ASSERT_THAT(scheduling_->Stop().status(), IsOk());
  auto restarted = StartScheduling();
  ASSERT_TRUE(restarted.ok()) << restarted.status();
  scheduling_ = *std::move(restarted);
  stub_ = sv1::SchedulingService::NewStub(scheduling_->NewChannel());
  sv1::UnassignCarerRequest unassign;
  unassign.set_visit_id(week.morning[2].visit_id());
  unassign.set_carer_id(ann.carer_id());
  sv1::Visit visit;
  ASSERT_THAT(Call(&Stub::UnassignCarer, Coordinator(), unassign, &visit), GrpcOk());

  VisitWatch resumed(*stub_, Coordinator(), seen->resume_token());
  std::vector<std::pair<std::string, sv1::VisitChange::Kind>> changes;
  for (int i = 0; i < 3; ++i) {
    std::optional<sv1::VisitChange> change = resumed.Next();
    ASSERT_TRUE(change.has_value());
    changes.emplace_back(change->visit().visit_id(), change->kind());
  }
  EXPECT_THAT(
      changes,
      ElementsAre(std::pair(week.morning[3].visit_id(), sv1::VisitChange::KIND_ASSIGNED),
                  std::pair(week.bed[3].visit_id(), sv1::VisitChange::KIND_ASSIGNED),
                  std::pair(week.morning[2].visit_id(), sv1::VisitChange::KIND_UNASSIGNED)));
  // The next change arrives once, after them.
  ASSERT_THAT(Assign(week.morning[4].visit_id(), {bob.carer_id()}, &response), GrpcOk());
  std::optional<sv1::VisitChange> next = resumed.Next();
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->visit().visit_id(), week.morning[4].visit_id());
}

TEST_F(AssignmentTest, TheRosterDownWhileAssigningIsUnavailableAndWritesNothing) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob", {"medication"});
  Week week = EdnasWeek();
  sv1::AssignCarersResponse staffed;
  ASSERT_THAT(Assign(week.morning[2].visit_id(), {bob.carer_id()}, &staffed), GrpcOk());
  roster_stub_.reset();  // an idle connection would hold the roster's shutdown 5 seconds
  ASSERT_THAT(roster_->Stop().status(), IsOk());
  sv1::AssignCarersResponse response;
  const absl::Time began = absl::Now();
  grpc::Status status = Assign(week.morning[3].visit_id(), {ann.carer_id()}, &response);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_LT(absl::Now() - began, absl::Seconds(5)) << "--roster-timeout is 1 s: never a hang";
  EXPECT_EQ(GetVisit(week.morning[3].visit_id()).version(), week.morning[3].version());
  sv1::ListVisitsRequest anns;
  anns.set_carer_id(ann.carer_id());
  EXPECT_THAT(ListAll(anns, Local(2030, 12, 1, 0), Local(2030, 12, 10, 0)), IsEmpty());
  // Moving Bob's visit needs the roster's word that he can still do it.
  sv1::UpdateVisitRequest move;
  move.mutable_visit()->set_visit_id(week.morning[2].visit_id());
  *move.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 2, 7, 20));
  move.mutable_update_mask()->add_paths("planned_start");
  sv1::Visit visit;
  EXPECT_THAT(Call(&Stub::UpdateVisit, Coordinator(), move, &visit),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  EXPECT_EQ(GetVisit(week.morning[2].visit_id()).version(), staffed.visit().version());
}

TEST_F(AssignmentTest, CarectlAssignsShowsTheRotaAndWatches) {
  rv1::Carer ann = CreateCarer("Ann", {"medication"});
  rv1::Carer bob = CreateCarer("Bob");
  Week week = EdnasWeek();
  const std::string morning = week.morning[3].visit_id();
  const std::string bed = week.bed[3].visit_id();

  // The watch runs beside the commands from a resume token before them, and stops after three
  // changes.
  VisitWatch first(*stub_, Coordinator(), "");
  first.WaitUntilWatching();
  ASSERT_NO_FATAL_FAILURE(Mark(week.bed[8].visit_id()));
  std::optional<sv1::VisitChange> before = first.Next();
  ASSERT_TRUE(before.has_value());
  std::pair<int, std::string> watched;
  std::thread watcher([&] {
    watched =
        Carectl({"visits", "watch", "--count", "3", "--resume-token", before->resume_token()});
  });
  auto [assigned, assigned_output] =
      Carectl({"visit", "assign", "--id", morning, "--carers", ann.carer_id()});
  ASSERT_EQ(assigned, 0) << assigned_output;
  EXPECT_THAT(assigned_output, HasSubstr("carers:    1/1 Ann"));
  EXPECT_THAT(assigned_output, HasSubstr("warning: Ann: NEW_TO_CLIENT: Ann has not visited Edna"));
  auto [doubled, doubled_output] = Carectl({"visit", "assign", "--id", bed, "--carers",
                                            absl::StrCat(ann.carer_id(), ",", bob.carer_id())});
  ASSERT_EQ(doubled, 0) << doubled_output;
  auto [refused, refused_output] =
      Carectl({"visit", "assign", "--id", week.morning[4].visit_id(), "--carers", bob.carer_id()});
  EXPECT_EQ(refused, 1);
  EXPECT_THAT(refused_output, HasSubstr("SKILL_MISSING"));
  auto [off, off_output] = Carectl({"visit", "unassign", "--id", bed, "--carer", bob.carer_id(),
                                    "--note", "Bob is needed elsewhere"});
  ASSERT_EQ(off, 0) << off_output;
  EXPECT_THAT(off_output, HasSubstr("carer off: Bob: unassigned, by test-coordinator"));
  watcher.join();
  ASSERT_EQ(watched.first, 0) << watched.second;
  EXPECT_THAT(watched.second, ::testing::ContainsRegex("assigned +Tue 2030-12-03 07:00 +Edna"));
  EXPECT_THAT(watched.second, HasSubstr("unassigned"));

  // The rota as a table and with the details, for Ann (her own token too).
  auto [table, table_output] =
      Carectl({"rota", "--carer", ann.carer_id(), "--date", "2030-12-03", "--table"});
  ASSERT_EQ(table, 0) << table_output;
  EXPECT_THAT(table_output, HasSubstr("START                 LENGTH  TRAVEL BEFORE"));
  EXPECT_THAT(table_output, ::testing::ContainsRegex("Tue 2030-12-03 07:00 +30m +[0-9]+m from home "
                                                     "+Edna +12 Elm Road"));
  EXPECT_THAT(table_output, HasSubstr("2030-12-03: 2 visit(s), 1h15m visiting"));
  auto [details, details_output] = Carectl({"rota", "--date", "2030-12-03"},
                                           secret_.Token(Role::kCarer, kSunrise, ann.carer_id()));
  ASSERT_EQ(details, 0) << details_output;
  EXPECT_THAT(details_output, HasSubstr("access:  Key safe 1234"));
  EXPECT_THAT(details_output, HasSubstr("tasks:   Medication"));
  auto [empty, empty_output] = Carectl({"rota", "--carer", bob.carer_id(), "--date", "2030-12-03"});
  ASSERT_EQ(empty, 0) << empty_output;
  EXPECT_EQ(empty_output, "no visits for Bob in that period\n");

  auto [settings, settings_output] =
      Carectl({"settings", "set", "--driving-kmh", "25", "--refuse-on-preferences", "true"});
  ASSERT_EQ(settings, 0) << settings_output;
  EXPECT_THAT(settings_output, HasSubstr("driving:          25 km/h"));
  EXPECT_THAT(settings_output, HasSubstr("refuse an assignment unless overridden"));
  auto [bad, bad_output] = Carectl({"settings", "set", "--road-factor", "7"});
  EXPECT_EQ(bad, 1);
  EXPECT_THAT(bad_output, HasSubstr("--road-factor"));
  auto [weights, weights_output] =
      Carectl({"settings", "set", "--continuity-minutes", "240", "--usual-carer-minutes", "90",
               "--fortnight-carers-threshold", "7"});
  ASSERT_EQ(weights, 0) << weights_output;
  EXPECT_THAT(weights_output, HasSubstr("a carer new to a client who met 7 or more in the last "
                                        "fortnight counts ten times"));
  EXPECT_THAT(weights_output, HasSubstr("a carer new to the client 240 min, not a preferred "
                                        "carer 30 min, not the preferred gender 60 min"));
  EXPECT_THAT(weights_output, HasSubstr("not the call's usual carer 90 min"));
  EXPECT_THAT(weights_output, HasSubstr("driving:          25 km/h"));  // kept
  auto [heavy, heavy_output] = Carectl({"settings", "set", "--continuity-minutes", "5000"});
  EXPECT_EQ(heavy, 1);
  EXPECT_THAT(heavy_output, HasSubstr("--continuity-minutes"));
  auto [many, many_output] = Carectl({"settings", "set", "--fortnight-carers-threshold", "51"});
  EXPECT_EQ(many, 1);
  EXPECT_THAT(many_output, HasSubstr("--fortnight-carers-threshold"));
}

}  // namespace
}  // namespace homecare
