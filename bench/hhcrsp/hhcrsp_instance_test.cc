#include "bench/hhcrsp/hhcrsp_instance.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::bench {
namespace {

using ::testing::HasSubstr;

std::string TinyPath() { return std::string(HHCRSP_TESTDATA_DIR) + "/tiny.txt"; }

TEST(HhcrspInstanceTest, ReadsEverySection) {
  absl::StatusOr<HhcrspInstance> instance = ReadHhcrspFile(TinyPath());
  ASSERT_TRUE(instance.ok()) << instance.status();
  EXPECT_EQ(instance->nodes, 4);
  EXPECT_EQ(instance->vehicles, 2);
  EXPECT_EQ(instance->services, 2);
  EXPECT_EQ(instance->double_service, std::vector<int>{2});
  EXPECT_EQ(instance->qualified[0], (std::vector<int>{1, 0}));
  EXPECT_DOUBLE_EQ(instance->distance[1 * 4 + 2], 22.360679774997898);
  EXPECT_DOUBLE_EQ(instance->duration[2][1], 10);
  EXPECT_DOUBLE_EQ(instance->open[2], 30);
  EXPECT_DOUBLE_EQ(instance->close[1], 20);
}

TEST(HhcrspInstanceTest, BuildsVisitsAndTheSynchronisedLink) {
  absl::StatusOr<HhcrspInstance> instance = ReadHhcrspFile(TinyPath());
  ASSERT_TRUE(instance.ok());
  absl::StatusOr<BenchmarkModel> model = ToProblem(*instance);
  ASSERT_TRUE(model.ok()) << model.status();
  const scheduling::solver::Problem& problem = model->problem;
  ASSERT_EQ(problem.visits.size(), 3u);
  EXPECT_EQ(model->visit_node, (std::vector<int>{1, 2, 2}));
  EXPECT_EQ(model->visit_service, (std::vector<int>{0, 0, 1}));
  EXPECT_EQ(problem.visits[2].required_skills, 0b10u);
  EXPECT_DOUBLE_EQ(problem.visits[1].duration, 10);
  ASSERT_EQ(problem.links.size(), 1u);
  EXPECT_EQ(problem.links[0].first_visit, 1);
  EXPECT_EQ(problem.links[0].second_visit, 2);
  EXPECT_EQ(problem.links[0].max_gap, 0);
  EXPECT_TRUE(problem.links[0].distinct_carers);
  ASSERT_EQ(problem.carers.size(), 2u);
  EXPECT_EQ(problem.carers[1].skills, 0b11u);
  EXPECT_EQ(problem.carers[0].start_location, 0);
}

// The public instances kept in the repository: all 35 read, with the sizes of the published
// table (patients + the depot twice, carers).
TEST(HhcrspInstanceTest, ReadsEveryKeptInstance) {
  const struct {
    const char* prefix;
    int patients;
    int carers;
  } kSets[] = {{"InstanzCPLEX_HCSRP_10_", 10, 3},  {"InstanzCPLEX_HCSRP_25_", 25, 5},
               {"InstanzCPLEX_HCSRP_50_", 50, 10}, {"InstanzCPLEX_HCSRP_75_", 75, 15},
               {"InstanzVNS_HCSRP_100_", 100, 20}, {"InstanzVNS_HCSRP_200_", 200, 30},
               {"InstanzVNS_HCSRP_300_", 300, 40}};
  for (const auto& set : kSets) {
    for (int number = 1; number <= 5; ++number) {
      std::string path =
          std::string(HHCRSP_DATA_DIR) + "/" + set.prefix + std::to_string(number) + ".txt";
      absl::StatusOr<HhcrspInstance> instance = ReadHhcrspFile(path);
      ASSERT_TRUE(instance.ok()) << path << ": " << instance.status();
      EXPECT_EQ(instance->nodes, set.patients + 2) << path;
      EXPECT_EQ(instance->vehicles, set.carers) << path;
      EXPECT_TRUE(ToProblem(*instance).ok()) << path;
    }
  }
}

std::string TinyText() {
  return R"(nbNodes
4
nbVehi
2
nbServi
2
r
1 1
1 0
1 1
1 1
DS
3
a
1 0
1 1
x
0 10 0 0
y
0 0 20 0
d
0 10 20 0
10 0 22 10
20 22 0 20
0 10 20 0
p
0 0
0 0
5 5
5 5
10 10
10 10
0 0
0 0
mind
0 0 0 0
maxd
0 0 0 0
e
0 0 30 0
l
100 20 40 1000
)";
}

TEST(HhcrspInstanceTest, NamesTheBrokenSection) {
  ASSERT_TRUE(ParseHhcrsp(TinyText()).ok());
  EXPECT_THAT(
      std::string(ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"mind\n0 0 0 0", "mind\n0 0 0"}}))
                      .status()
                      .message()),
      HasSubstr("section mind: expected 4 numbers, found 3"));
  EXPECT_THAT(
      std::string(
          ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"maxd", "maxx"}})).status().message()),
      HasSubstr("section maxd is missing"));
  EXPECT_THAT(std::string(ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"0 10 0 0", "0 1o 0 0"}}))
                              .status()
                              .message()),
              HasSubstr("section x: '1o' is not a number"));
  EXPECT_THAT(
      std::string(ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"10 10\n10 10", "10 10\n12 10"}}))
                      .status()
                      .message()),
      HasSubstr("carer-dependent durations"));
  EXPECT_THAT(
      std::string(
          ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"DS\n3", "DS\n9"}})).status().message()),
      HasSubstr("section DS"));
  for (const char* bad : {"1e", "--1", "1.0.0", "0x"}) {
    EXPECT_THAT(
        std::string(ParseHhcrsp(absl::StrReplaceAll(
                                    TinyText(), {{"0 10 0 0", absl::StrCat("0 ", bad, " 0 0")}}))
                        .status()
                        .message()),
        HasSubstr(absl::StrCat("section x: '", bad, "' is not a number")));
  }
  EXPECT_TRUE(ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"0 10 0 0", "0 +10 0 0"}})).ok());
  EXPECT_THAT(std::string(ParseHhcrsp(absl::StrCat("7 ", TinyText())).status().message()),
              HasSubstr("number '7' before any section"));
  EXPECT_THAT(
      std::string(ParseHhcrsp(absl::StrCat(TinyText(), "\nmind\n0 0 0 0\n")).status().message()),
      HasSubstr("section mind appears twice"));
  EXPECT_EQ(ReadHhcrspFile("/nonexistent/instance.txt").status().code(),
            absl::StatusCode::kNotFound);
}

TEST(HhcrspInstanceTest, RejectsPatientsWithTheWrongNumberOfServices) {
  absl::StatusOr<HhcrspInstance> instance =
      ParseHhcrsp(absl::StrReplaceAll(TinyText(), {{"r\n1 1\n1 0", "r\n1 1\n1 1"}}));
  ASSERT_TRUE(instance.ok());
  EXPECT_THAT(std::string(ToProblem(*instance).status().message()),
              HasSubstr("node 1 needs 2 services, expected 1"));
}

}  // namespace
}  // namespace homecare::bench
