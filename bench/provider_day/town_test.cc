#include "bench/provider_day/town.h"

#include <map>
#include <set>

#include "common/time/time.h"
#include "gtest/gtest.h"

namespace homecare::bench {
namespace {

class TownTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { town_ = new Town(MakeTown({})); }
  static void TearDownTestSuite() { delete town_; }
  static Town* town_;
};
Town* TownTest::town_ = nullptr;

TEST_F(TownTest, IsShapedLikeTheREADMESays) {
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const std::vector<scheduling::v1::Visit> visits =
      VisitsOn(*town_, absl::CivilDay(2027, 1, 4), zone);
  EXPECT_EQ(town_->clients.size(), 1000u);
  EXPECT_NEAR(visits.size(), 3000, 150);
  int double_ups = 0, critical = 0;
  std::map<std::string, int> per_locality;
  for (const auto& visit : visits) {
    double_ups += visit.carers_required() == 2;
    critical += visit.time_critical();
    ++per_locality[visit.locality_id()];
    const absl::Duration window = StoredTime(visit.window_end()) - StoredTime(visit.window_start());
    EXPECT_EQ(window, absl::Minutes(visit.time_critical() ? 30 : 60)) << visit.visit_id();
  }
  EXPECT_NEAR(double_ups, 0.10 * visits.size(), 0.015 * visits.size());
  EXPECT_NEAR(critical, 0.08 * visits.size(), 0.03 * visits.size());
  EXPECT_EQ(per_locality.size(), 5u);
  // The sizing of README.md: about 600 carers, 430 working each day.
  EXPECT_NEAR(town_->sizing.headcount, 600, 40);
  EXPECT_EQ(town_->carers.size(), static_cast<size_t>(town_->sizing.headcount));
}

TEST_F(TownTest, ClientsCallsAreThreeHoursApart) {
  for (const TownClient& client : town_->clients) {
    int previous = -1000;
    for (int call = 0; call < kCalls; ++call) {
      if (client.start[call] < 0) continue;
      EXPECT_GE(client.start[call] - previous, 180) << client.client.client_id();
      previous = client.start[call];
    }
    EXPECT_GE(client.start[kMorning], 0) << "everyone has a morning call";
  }
}

TEST_F(TownTest, CarersWorkFiveDaysInSevenWithStaggeredDaysOff) {
  std::array<int, 7> working = {};
  for (const TownCarer& carer : town_->carers) {
    int days = 0;
    for (int d = 0; d < 7; ++d) {
      days += carer.works[d];
      working[d] += carer.works[d];
    }
    EXPECT_EQ(days, 5);
    EXPECT_GT(carer.details.availability().weekly_size(), 0);
  }
  for (int d = 0; d < 7; ++d) {
    EXPECT_NEAR(working[d], town_->carers.size() * 5.0 / 7, 10) << "day " << d;
  }
}

TEST(TownSeedTest, TheSameSeedMakesTheSameTown) {
  TownOptions options;
  options.clients = 200;
  const Town a = MakeTown(options);
  const Town b = MakeTown(options);
  ASSERT_EQ(a.carers.size(), b.carers.size());
  for (size_t i = 0; i < a.clients.size(); ++i) {
    EXPECT_EQ(a.clients[i].client.SerializeAsString(), b.clients[i].client.SerializeAsString());
    EXPECT_EQ(a.clients[i].start, b.clients[i].start);
  }
  options.seed = 2;
  const Town c = MakeTown(options);
  EXPECT_NE(a.clients[0].client.location().latitude(), c.clients[0].client.location().latitude());
}

TEST(TownSizeTest, CarersAsAsked) {
  TownOptions options;
  options.clients = 300;
  options.carers = 90;
  EXPECT_EQ(MakeTown(options).carers.size(), 90u);
}

}  // namespace
}  // namespace homecare::bench
