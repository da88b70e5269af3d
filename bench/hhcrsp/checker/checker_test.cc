#include "bench/hhcrsp/checker/checker.h"

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::bench::checker {
namespace {

using ::testing::Contains;
using ::testing::HasSubstr;

std::string Tiny() {
  std::ifstream file(std::string(HHCRSP_TESTDATA_DIR) + "/tiny.txt");
  std::stringstream content;
  content << file.rdbuf();
  return content.str();
}

// The tiny instance's best plan: carer 0 sees patient 1 at 10, then joins carer 1 at patient 2,
// who waits for it until 15 + sqrt(500).
struct Plan {
  double objective, travel, total, max;
  int carer_a = 0, carer_b = 1;
  double start1 = 10;
  double start2a = 15 + std::sqrt(500.0);
  double start2b = 15 + std::sqrt(500.0);
  int service2b = 1;
};

Plan Good() {
  Plan plan;
  plan.travel = 10 + std::sqrt(500.0) + 20 + 40;
  plan.total = plan.max = 0;
  plan.objective = plan.travel / 3;
  return plan;
}

std::string Json(const Plan& p) {
  return absl::StrFormat(
      R"({"instance": "tiny", "objective": %.17g, "travel": %.17g, "total_tardiness": %.17g,
 "max_tardiness": %.17g, "seconds": 0.1, "routes": [
 {"carer": %d, "visits": [{"node": 1, "service": 0, "start": %.17g},
                          {"node": 2, "service": 0, "start": %.17g}]},
 {"carer": %d, "visits": [{"node": 2, "service": %d, "start": %.17g}]}]})",
      p.objective, p.travel, p.total, p.max, p.carer_a, p.start1, p.start2a, p.carer_b, p.service2b,
      p.start2b);
}

std::string Errors(const CheckReport& report) { return absl::StrJoin(report.errors, "\n"); }

TEST(CheckerTest, AcceptsAValidSolutionAndRecomputesIt) {
  const CheckReport report = CheckSolution(Tiny(), Json(Good()));
  EXPECT_TRUE(report.ok()) << Errors(report);
  EXPECT_NEAR(report.travel, 10 + std::sqrt(500.0) + 60, 1e-9);
  EXPECT_NEAR(report.objective, report.travel / 3, 1e-9);
}

TEST(CheckerTest, RecomputesTardiness) {
  Plan late = Good();
  late.start1 = 25;                                     // due at 20
  late.start2a = late.start2b = 30 + std::sqrt(500.0);  // due at 40
  late.total = 5 + 2 * (late.start2a - 40);
  late.max = late.start2a - 40;
  late.objective = (late.travel + late.total + late.max) / 3;
  const CheckReport report = CheckSolution(Tiny(), Json(late));
  EXPECT_TRUE(report.ok()) << Errors(report);
  EXPECT_NEAR(report.total_tardiness, late.total, 1e-9);
}

TEST(CheckerTest, RejectsAWrongObjective) {
  Plan wrong = Good();
  wrong.objective += 0.01;
  EXPECT_THAT(CheckSolution(Tiny(), Json(wrong)).errors, Contains(HasSubstr("objective is")));
}

TEST(CheckerTest, RejectsBrokenSynchronisation) {
  Plan bad = Good();
  bad.start2b += 1;
  bad.start2a -= 1;
  const CheckReport report = CheckSolution(Tiny(), Json(bad));
  EXPECT_THAT(report.errors, Contains(HasSubstr("outside [0, 0]")));
  EXPECT_THAT(report.errors, Contains(HasSubstr("before arriving")));
}

TEST(CheckerTest, RejectsAnUnqualifiedCarer) {
  Plan bad = Good();
  bad.carer_a = 1;
  bad.carer_b = 0;  // carer 0 cannot do service 1
  const CheckReport report = CheckSolution(Tiny(), Json(bad));
  EXPECT_THAT(report.errors, Contains(HasSubstr("carer not qualified")));
}

TEST(CheckerTest, RejectsAStartBeforeTheWindow) {
  Plan bad = Good();
  bad.start1 = 10;
  bad.start2a = bad.start2b = 29;  // opens at 30, and carer 0 cannot be there yet either
  const CheckReport report = CheckSolution(Tiny(), Json(bad));
  EXPECT_THAT(report.errors, Contains(HasSubstr("before the window opens")));
}

TEST(CheckerTest, RejectsMissingAndRepeatedServices) {
  Plan bad = Good();
  bad.service2b = 0;  // service 0 of node 2 twice, service 1 never
  const CheckReport report = CheckSolution(Tiny(), Json(bad));
  EXPECT_THAT(report.errors, Contains(HasSubstr("node 2 service 0 done 2 times")));
  EXPECT_THAT(report.errors, Contains(HasSubstr("node 2 service 1 done 0 times")));
}

TEST(CheckerTest, RejectsOneCarerDoingBothServices) {
  const std::string json = absl::StrFormat(
      R"({"objective": 1, "travel": 1, "total_tardiness": 0, "max_tardiness": 0, "routes": [
 {"carer": 1, "visits": [{"node": 2, "service": 0, "start": 30},
                         {"node": 2, "service": 1, "start": 40},
                         {"node": 1, "service": 0, "start": 72.4}]}]})");
  const CheckReport report = CheckSolution(Tiny(), json);
  EXPECT_THAT(report.errors, Contains(HasSubstr("both services by carer 1")));
  EXPECT_THAT(report.errors, Contains(HasSubstr("outside [0, 0]")));
}

TEST(CheckerTest, RejectsMalformedDocuments) {
  EXPECT_FALSE(CheckSolution(Tiny(), "{\"routes\": [").ok());
  EXPECT_FALSE(CheckSolution(Tiny(), "{}").ok());
  EXPECT_FALSE(CheckSolution("nbNodes\n4\n", Json(Good())).ok());
}

}  // namespace
}  // namespace homecare::bench::checker
