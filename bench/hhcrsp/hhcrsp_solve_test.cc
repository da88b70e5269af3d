// Solves the smallest benchmark instances (set A) on an iteration budget and checks every result
// with the independent checker. Set A's published values are CPLEX optima.
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_join.h"
#include "bench/hhcrsp/checker/checker.h"
#include "bench/hhcrsp/hhcrsp_instance.h"
#include "bench/hhcrsp/solution_json.h"
#include "gtest/gtest.h"
#include "services/scheduling/solver/solver.h"

namespace homecare::bench {
namespace {

struct Case {
  int number;
  double optimum;
};

class SetATest : public ::testing::TestWithParam<Case> {};

TEST_P(SetATest, ReachesTheOptimumAndPassesTheChecker) {
  const std::string path = std::string(HHCRSP_DATA_DIR) + "/InstanzCPLEX_HCSRP_10_" +
                           std::to_string(GetParam().number) + ".txt";
  std::ifstream file(path);
  ASSERT_TRUE(file) << "benchmark instance missing: " << path;
  std::stringstream text;
  text << file.rdbuf();
  absl::StatusOr<HhcrspInstance> instance = ParseHhcrsp(text.str());
  ASSERT_TRUE(instance.ok()) << instance.status();
  absl::StatusOr<BenchmarkModel> model = ToProblem(*instance);
  ASSERT_TRUE(model.ok()) << model.status();

  scheduling::solver::SolveOptions options;
  options.weights = scheduling::solver::BenchmarkWeights();
  options.max_iterations = 1500;
  options.seed = 1;
  absl::StatusOr<scheduling::solver::Solution> solution = Solve(model->problem, options);
  ASSERT_TRUE(solution.ok()) << solution.status();
  EXPECT_TRUE(solution->unassigned.empty());

  const std::string json = SolutionToJson("A", *model, *solution, 0);
  const checker::CheckReport report = checker::CheckSolution(text.str(), json);
  EXPECT_TRUE(report.ok()) << absl::StrJoin(report.errors, "\n");
  EXPECT_NEAR(report.objective, solution->objective.weighted, 1e-6);
  // Published optima are rounded to 0.1.
  EXPECT_LE(report.objective, GetParam().optimum + 0.05);
}

INSTANTIATE_TEST_SUITE_P(Instances, SetATest,
                         ::testing::Values(Case{1, 218.2}, Case{2, 246.6}, Case{3, 305.86},
                                           Case{4, 186.9}, Case{5, 189.5}),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return "A" + std::to_string(info.param.number);
                         });

}  // namespace
}  // namespace homecare::bench
