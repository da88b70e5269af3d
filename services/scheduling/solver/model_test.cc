#include "services/scheduling/solver/model.h"

#include <cmath>
#include <limits>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/scheduling/solver/task_model.h"
#include "services/scheduling/solver/test_util.h"

namespace homecare::scheduling::solver {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::LineTravel;
using testing::MakeCarer;
using testing::MakeLink;
using testing::MakeVisit;

Problem ValidProblem() {
  Problem problem;
  problem.travel = LineTravel({0, 10, 20});
  problem.carers = {MakeCarer(0b11), MakeCarer(0b01)};
  Client client;
  client.id = "client";
  client.preferred_carers = {0};
  problem.clients.push_back(client);
  problem.visits.push_back(MakeVisit(1, 0, 60, 30, 0b01));
  problem.visits.push_back(MakeVisit(2, 0, 60, 30, 0b01));
  problem.visits.push_back(MakeVisit(2, 100, 160, 30, 0b10, 2));
  problem.visits[0].client = 0;
  problem.links.push_back(MakeLink(0, 1, 0, 30));
  return problem;
}

std::string ErrorOf(const Problem& problem) {
  absl::Status status = ValidateProblem(problem);
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument) << status;
  return std::string(status.message());
}

TEST(ModelTest, AcceptsAValidProblem) { EXPECT_TRUE(ValidateProblem(ValidProblem()).ok()); }

TEST(ModelTest, RejectsTravelMatrixOfTheWrongSize) {
  Problem problem = ValidProblem();
  problem.travel.minutes.pop_back();
  EXPECT_THAT(ErrorOf(problem), HasSubstr("travel.minutes"));
}

TEST(ModelTest, RejectsNegativeTravel) {
  Problem problem = ValidProblem();
  problem.travel.minutes[1] = -1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("travel.minutes[1]"));
}

TEST(ModelTest, RejectsUnknownLocations) {
  Problem problem = ValidProblem();
  problem.visits[1].location = 3;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[1].location"));
  problem = ValidProblem();
  problem.carers[1].end_location = -1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("carers[1].end_location"));
}

TEST(ModelTest, RejectsBackwardWindowsAndShifts) {
  Problem problem = ValidProblem();
  problem.visits[0].window_end = -1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[0].window_end"));
  problem = ValidProblem();
  problem.carers[0].shift_start = 100;
  problem.carers[0].shift_end = 50;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("carers[0].shift_end"));
}

TEST(ModelTest, RejectsAnUnassignedFactorThatIsNotAboveZero) {
  for (double factor : {0.0, -1.0, std::numeric_limits<double>::infinity(),
                        std::numeric_limits<double>::quiet_NaN()}) {
    Problem problem = ValidProblem();
    problem.visits[1].unassigned_factor = factor;
    EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[1].unassigned_factor")) << factor;
  }
}

TEST(ModelTest, RejectsBadCarerCounts) {
  Problem problem = ValidProblem();
  problem.visits[0].carers_required = 3;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[0].carers_required"));
  problem = ValidProblem();
  problem.visits[2].pinned_carers = {1, 1};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[2].pinned_carers"));
  problem = ValidProblem();
  problem.visits[0].pinned_carers = {0, 1};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[0].pinned_carers"));
  problem = ValidProblem();
  problem.visits[0].pinned_carers = {7};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[0].pinned_carers[0]"));
}

TEST(ModelTest, RejectsBadLinks) {
  Problem problem = ValidProblem();
  problem.links.push_back(MakeLink(2, 1, 0, 10));
  EXPECT_THAT(ErrorOf(problem), HasSubstr("double-up"));
  problem = ValidProblem();
  problem.links[0].max_gap = -1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("links[0].max_gap"));
  problem = ValidProblem();
  problem.links[0].min_gap = -5;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("links[0].min_gap"));
  problem = ValidProblem();
  problem.visits.push_back(MakeVisit(1, 0, 60, 30));
  problem.links.push_back(MakeLink(1, 3, 0, 10));
  EXPECT_THAT(ErrorOf(problem), HasSubstr("already in links[0]"));
}

TEST(ModelTest, RejectsUnknownClientsAndCarers) {
  Problem problem = ValidProblem();
  problem.visits[1].client = 4;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[1].client"));
  problem = ValidProblem();
  problem.carers[0].never_visit_clients = {2};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("carers[0].never_visit_clients[0]"));
  problem = ValidProblem();
  problem.clients[0].known_carers = {5};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("clients[0].known_carers[0]"));
  problem = ValidProblem();
  problem.visits[0].usual_carers = {0, -1};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("visits[0].usual_carers[1]"));
}

TEST(ModelTest, RejectsOtherMatricesThatDoNotFit) {
  Problem problem = ValidProblem();
  problem.carers[1].travel_profile = 1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("carers[1].travel_profile"));
  problem.other_travel = {LineTravel({0, 10})};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("other_travel[0].size"));
  problem.other_travel = {LineTravel({0, 30, 60})};
  problem.other_travel[0].minutes[1] = -1;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("other_travel[0].minutes[1]"));
  problem.other_travel[0].minutes[1] = 30;
  EXPECT_TRUE(ValidateProblem(problem).ok());
}

TEST(ModelTest, RejectsContinuityWeightsThatDoNotFit) {
  Problem problem = ValidProblem();
  problem.clients[0].known_carers = {0, 1};
  problem.clients[0].known_carer_weights = {0.5};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("one per known carer"));
  problem.clients[0].known_carer_weights = {0.5, 1.5};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("between 0 and 1"));
  problem.clients[0].known_carer_weights = {0, 1};
  EXPECT_TRUE(ValidateProblem(problem).ok());
  for (double factor : {-1.0, 101.0, std::nan("")}) {
    problem.clients[0].unknown_carer_factor = factor;
    EXPECT_THAT(ErrorOf(problem), HasSubstr("clients[0].unknown_carer_factor")) << factor;
  }
  problem.clients[0].unknown_carer_factor = 4;
  EXPECT_TRUE(ValidateProblem(problem).ok());
}

TEST(ModelTest, RejectsUnknownPeopleAndOverlappingStretches) {
  Problem problem = ValidProblem();
  problem.carers[0].person = 0;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("carers[0].person"));
  problem.people = {{"ann", -1}};
  EXPECT_THAT(ErrorOf(problem), HasSubstr("people[0].max_working_minutes"));
  problem.people[0].max_working_minutes = 300;
  problem.carers[0].shift_start = 0;
  problem.carers[0].shift_end = 120;
  problem.carers[1].person = 0;
  problem.carers[1].shift_start = 100;
  problem.carers[1].shift_end = 200;
  EXPECT_THAT(ErrorOf(problem), HasSubstr("overlaps carers[0], a stretch of the same person"));
  problem.carers[1].shift_start = 120;  // back to back is two stretches
  EXPECT_TRUE(ValidateProblem(problem).ok());
}

TEST(ModelTest, RejectsNegativeWeights) {
  ObjectiveWeights weights;
  weights.travel = -1;
  EXPECT_THAT(std::string(ValidateWeights(weights).message()), HasSubstr("weights.travel"));
  EXPECT_TRUE(ValidateWeights(BenchmarkWeights()).ok());
}

TEST(ModelTest, WorkingTimeMayReachTheLimitButNotPassIt) {
  EXPECT_TRUE(WithinWorkingTime(480, 480));
  EXPECT_TRUE(WithinWorkingTime(480 + kTimeTolerance / 2, 480));
  EXPECT_FALSE(WithinWorkingTime(480 + 2 * kTimeTolerance, 480));
  EXPECT_TRUE(WithinWorkingTime(480 + 2 * kTimeTolerance, 480, /*tolerance=*/1e-6));
  EXPECT_TRUE(WithinWorkingTime(1e9, kUnlimited));
}

TEST(TaskModelTest, DoubleUpsAndLinksBecomePairedTasks) {
  const Problem problem = ValidProblem();
  TaskModel model(problem, ObjectiveWeights());
  ASSERT_EQ(model.num_tasks(), 4);
  ASSERT_EQ(model.num_units(), 2);
  // The double-up's two tasks start together and need two carers.
  const std::vector<int>& double_up = model.visit_tasks(2);
  ASSERT_EQ(double_up.size(), 2u);
  EXPECT_EQ(model.task(double_up[0]).partner, double_up[1]);
  EXPECT_EQ(model.task(double_up[0]).gap_max, 0);
  EXPECT_TRUE(model.task(double_up[0]).distinct_from_partner);
  // The link reads "second starts 0..30 after first" from both ends.
  const int first = model.visit_tasks(0)[0];
  const int second = model.visit_tasks(1)[0];
  EXPECT_EQ(model.task(first).partner, second);
  EXPECT_EQ(model.task(first).gap_max, 30);
  EXPECT_EQ(model.task(second).gap_min, -30);
  EXPECT_EQ(model.task(first).unit, model.task(second).unit);
}

TEST(TaskModelTest, LegToReadsTheSameMinutesOnSymmetricAndAsymmetricMatrices) {
  Problem problem = ValidProblem();
  const int size = problem.travel.size;
  // Carer 1 on a matrix of its own that is not symmetric (uphill one way).
  TravelMatrix uphill = problem.travel;
  for (int from = 0; from < size; ++from) {
    for (int to = from + 1; to < size; ++to) uphill.minutes[from * size + to] += 3;
  }
  problem.other_travel = {uphill};
  problem.carers[1].travel_profile = 1;
  ASSERT_TRUE(ValidateProblem(problem).ok());
  TaskModel model(problem, ObjectiveWeights());
  for (int route = 0; route < 2; ++route) {
    for (int from = 0; from < size; ++from) {
      for (int to = 0; to < size; ++to) {
        EXPECT_EQ(model.leg_to(route, from, to), model.leg(route, from, to))
            << "route " << route << " from " << from << " to " << to;
      }
    }
  }
  EXPECT_EQ(model.leg(1, 0, 1), model.leg(1, 1, 0) + 3);
}

TEST(TaskModelTest, EligibilityFollowsSkillsPinsBarsAndRequiredGender) {
  Problem problem = ValidProblem();
  problem.carers[1].never_visit_clients = {0};
  problem.visits[1].pinned_carers = {1};
  TaskModel model(problem, ObjectiveWeights());
  const int double_up = model.visit_tasks(2)[0];
  EXPECT_TRUE(model.eligible(double_up, 0));
  EXPECT_FALSE(model.eligible(double_up, 1));  // skill 1 missing
  const int barred = model.visit_tasks(0)[0];
  EXPECT_TRUE(model.eligible(barred, 0));
  EXPECT_FALSE(model.eligible(barred, 1));  // never visits client 0
  const int pinned = model.visit_tasks(1)[0];
  EXPECT_FALSE(model.eligible(pinned, 0));
  EXPECT_TRUE(model.eligible(pinned, 1));

  problem = ValidProblem();
  problem.carers[0].gender = Gender::kMale;
  problem.carers[1].gender = Gender::kFemale;
  problem.clients[0].preferred_gender = Gender::kFemale;
  problem.clients[0].gender_required = true;
  TaskModel gendered(problem, ObjectiveWeights());
  EXPECT_FALSE(gendered.eligible(gendered.visit_tasks(0)[0], 0));
  EXPECT_TRUE(gendered.eligible(gendered.visit_tasks(0)[0], 1));
}

TEST(TaskModelTest, CarersInShiftAreTheEligibleOnesWhoseStretchCanHoldTheTask) {
  Problem problem;
  problem.travel = LineTravel({0, 10});
  problem.carers = {MakeCarer(0b01, 0, 0, 29),     // closes a minute before the visit could end
                    MakeCarer(0b01, 0, 0, 30),     // closes just as it could end
                    MakeCarer(0b01, 0, 60, 200),   // opens at its latest start
                    MakeCarer(0b01, 0, 61, 200),   // opens a minute after
                    MakeCarer(0b10, 0, 0, 200),    // in time, without the skill
                    MakeCarer(0b01, 0, 0, 1000)};  // all day
  problem.visits.push_back(MakeVisit(1, 0, 60, 30, 0b01));
  problem.visits[0].latest_start = 60;
  // No latest start of its own: only the horizon bounds when it may start.
  problem.visits.push_back(MakeVisit(1, 0, 60, 30, 0b01));
  ASSERT_TRUE(ValidateProblem(problem).ok());
  TaskModel model(problem, ObjectiveWeights());
  EXPECT_THAT(model.carers_in_shift(model.visit_tasks(0)[0]), ElementsAre(1, 2, 5));
  EXPECT_THAT(model.carers_in_shift(model.visit_tasks(1)[0]), ElementsAre(1, 2, 3, 5));
  EXPECT_THAT(model.eligible_carers(model.visit_tasks(0)[0]), ElementsAre(0, 1, 2, 3, 5));
}

TEST(TaskModelTest, PreferencePenaltiesAreWeighted) {
  Problem problem = ValidProblem();
  problem.clients[0].known_carers = {1};
  problem.clients[0].preferred_gender = Gender::kFemale;
  problem.carers[1].gender = Gender::kFemale;
  ObjectiveWeights weights;
  weights.non_preferred_carer = 5;
  weights.unknown_carer = 7;
  weights.gender_mismatch = 11;
  TaskModel model(problem, weights);
  const int task = model.visit_tasks(0)[0];
  EXPECT_DOUBLE_EQ(model.assignment_cost(task, 0), 7 + 11);  // preferred, unknown, male
  EXPECT_DOUBLE_EQ(model.assignment_cost(task, 1), 5);       // known, female, not preferred
  EXPECT_DOUBLE_EQ(model.assignment_cost(model.visit_tasks(1)[0], 0), 0);  // no client record
}

}  // namespace
}  // namespace homecare::scheduling::solver
