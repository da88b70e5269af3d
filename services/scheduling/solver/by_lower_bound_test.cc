#include "services/scheduling/solver/by_lower_bound.h"

#include <algorithm>
#include <random>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::scheduling::solver {
namespace {

struct Position {
  double lower = 0;
};

std::vector<double> ReadAll(std::vector<Position*>& list, bool lazy, size_t stop_after) {
  ByLowerBound<Position> sorted(list, lazy);
  std::vector<double> read;
  for (size_t i = 0; i < sorted.size() && i < stop_after; ++i) read.push_back(sorted[i]->lower);
  return read;
}

TEST(ByLowerBoundTest, ReadsInAscendingOrderWhetherSortedWholeOrAsRead) {
  std::mt19937 random(7);
  std::uniform_int_distribution<int> bound(0, 50);  // many equal bounds
  std::vector<Position> positions(1000);
  for (Position& p : positions) p.lower = bound(random);
  std::vector<double> expected;
  for (const Position& p : positions) expected.push_back(p.lower);
  std::sort(expected.begin(), expected.end());
  for (bool lazy : {false, true}) {
    std::vector<Position*> list;
    for (Position& p : positions) list.push_back(&p);
    EXPECT_EQ(ReadAll(list, lazy, list.size()), expected) << lazy;
  }
}

TEST(ByLowerBoundTest, ALazyReadSortsOnlyAPrefixAndTheRestStaysAbove) {
  std::vector<Position> positions(500);
  for (int i = 0; i < 500; ++i) positions[i].lower = 499 - i;
  std::vector<Position*> list;
  for (Position& p : positions) list.push_back(&p);
  EXPECT_THAT(ReadAll(list, true, 3), ::testing::ElementsAre(0, 1, 2));
  // A few dozen sorted, not all: the rest is above them, in no particular order.
  auto by_bound = [](const Position* a, const Position* b) { return a->lower < b->lower; };
  EXPECT_FALSE(std::is_sorted(list.begin(), list.end(), by_bound));
  EXPECT_TRUE(std::is_sorted(list.begin(), list.begin() + 32, by_bound));
  for (size_t i = 32; i < list.size(); ++i) EXPECT_GE(list[i]->lower, list[31]->lower);
  // A bound that grows after it is read (a refined position) does not upset what follows.
  ByLowerBound<Position> again(list, true);
  again[0]->lower = 1000;
  EXPECT_EQ(again[1]->lower, 1);
  EXPECT_EQ(again[499]->lower, 499);
}

}  // namespace
}  // namespace homecare::scheduling::solver
