#include "tools/carer_sim/day_plan.h"

#include <cmath>
#include <map>
#include <set>

#include "absl/strings/str_cat.h"
#include "absl/time/civil_time.h"
#include "common/geo/geo.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carer_sim {
namespace {

namespace cv1 = checkin::v1;
namespace sv1 = scheduling::v1;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::MatchesRegex;
using ::testing::SizeIs;

constexpr double kLatitude = 51.52;
constexpr double kLongitude = -0.1;

absl::Time At(int hour, int minute = 0) {
  return absl::FromCivil(absl::CivilMinute(2030, 12, 3, hour, minute), absl::UTCTimeZone());
}

sv1::RotaEntry Entry(const std::string& id, absl::Time start, int minutes,
                     std::vector<std::string> carers, std::vector<std::string> tasks) {
  sv1::RotaEntry entry;
  sv1::Visit& visit = *entry.mutable_visit();
  visit.set_visit_id(id);
  *visit.mutable_planned_start() = TimeToProto(start);
  visit.set_duration_minutes(minutes);
  visit.set_carers_required(static_cast<int>(carers.size()));
  for (const std::string& carer : carers) visit.add_carer_ids(carer);
  visit.set_status(sv1::VISIT_STATUS_SCHEDULED);
  visit.mutable_location()->set_latitude(kLatitude);
  visit.mutable_location()->set_longitude(kLongitude);
  for (const std::string& task : tasks) visit.add_tasks()->set_task_id(task);
  entry.set_travel_minutes_before(10);
  return entry;
}

// Ann's day: a morning visit alone, lunch, and a bedtime double-up with Bob.
sv1::Rota AnnsDay(const std::string& carer = "ann") {
  sv1::Rota rota;
  rota.set_carer_id(carer);
  *rota.add_entries() = Entry("morning", At(7), 30, {carer}, {"t1", "t2"});
  *rota.add_entries() = Entry("lunch", At(12), 45, {carer}, {"t1"});
  *rota.add_entries() = Entry("bed", At(21), 45, {"ann", "bob"}, {"t1", "t2", "t3"});
  return rota;
}

template <typename Request>
const Request& Of(const PlannedEvent& event);
template <>
const cv1::CheckInRequest& Of(const PlannedEvent& event) {
  return event.event.check_in();
}
template <>
const cv1::CheckOutRequest& Of(const PlannedEvent& event) {
  return event.event.check_out();
}

const common::v1::GeoPoint& LocationOf(const PlannedEvent& event) {
  return event.is_check_out ? event.event.check_out().location()
                            : event.event.check_in().location();
}

const std::string& IdOf(const PlannedEvent& event) {
  return event.is_check_out ? event.event.check_out().event_id()
                            : event.event.check_in().event_id();
}

TEST(DayPlanTest, TheSameSeedGivesTheSameDayAndAnotherSeedAnother) {
  DayPlanOptions options;
  options.seed = 7;
  absl::StatusOr<DayPlan> first = PlanDay(AnnsDay(), options);
  absl::StatusOr<DayPlan> again = PlanDay(AnnsDay(), options);
  ASSERT_TRUE(first.ok()) << first.status();
  ASSERT_TRUE(again.ok()) << again.status();
  ASSERT_THAT(first->events, SizeIs(6));
  ASSERT_THAT(again->events, SizeIs(6));
  for (size_t i = 0; i < first->events.size(); ++i) {
    EXPECT_EQ(first->events[i].event.SerializeAsString(),
              again->events[i].event.SerializeAsString());
    EXPECT_EQ(first->events[i].device_time, again->events[i].device_time);
  }
  options.seed = 8;
  absl::StatusOr<DayPlan> other = PlanDay(AnnsDay(), options);
  ASSERT_TRUE(other.ok());
  EXPECT_NE(IdOf(other->events[0]), IdOf(first->events[0]));
  EXPECT_NE(other->events[0].device_time, first->events[0].device_time);
}

TEST(DayPlanTest, AVisitsEventsStayTheSameWhenAnotherVisitLeavesTheRota) {
  DayPlanOptions options;
  absl::StatusOr<DayPlan> full = PlanDay(AnnsDay(), options);
  sv1::Rota rota = AnnsDay();
  rota.mutable_entries()->DeleteSubrange(1, 1);  // lunch is taken off her
  absl::StatusOr<DayPlan> fewer = PlanDay(rota, options);
  ASSERT_TRUE(full.ok());
  ASSERT_TRUE(fewer.ok());
  ASSERT_THAT(fewer->events, SizeIs(4));
  EXPECT_EQ(fewer->events[0].event.SerializeAsString(), full->events[0].event.SerializeAsString());
  EXPECT_EQ(fewer->events[3].event.SerializeAsString(), full->events[5].event.SerializeAsString());
}

TEST(DayPlanTest, EventIdsAreUuidShapedAndUnique) {
  absl::StatusOr<DayPlan> plan = PlanDay(AnnsDay(), {});
  ASSERT_TRUE(plan.ok());
  std::set<std::string> ids;
  for (const PlannedEvent& event : plan->events) {
    EXPECT_THAT(IdOf(event), MatchesRegex("[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-"
                                          "[0-9a-f]{12}"));
    ids.insert(IdOf(event));
  }
  EXPECT_THAT(ids, SizeIs(plan->events.size()));
  EXPECT_EQ(DeterministicUuid({"a", "bc"}), DeterministicUuid({"a", "bc"}));
  EXPECT_NE(DeterministicUuid({"a", "bc"}), DeterministicUuid({"ab", "c"}));
}

TEST(DayPlanTest, EveryVisitIsCheckedInThenOutWithinTheLatenessAndTheDuration) {
  DayPlanOptions options;
  options.late_up_to_minutes = 12;
  for (uint64_t seed = 1; seed <= 50; ++seed) {
    options.seed = seed;
    absl::StatusOr<DayPlan> plan = PlanDay(AnnsDay(), options);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan->visits_played, 3);
    std::map<std::string, std::vector<const PlannedEvent*>> by_visit;
    for (const PlannedEvent& event : plan->events) by_visit[event.visit_id].push_back(&event);
    ASSERT_THAT(by_visit, SizeIs(3));
    const sv1::Rota rota = AnnsDay();
    for (const sv1::RotaEntry& entry : rota.entries()) {
      const std::vector<const PlannedEvent*>& events = by_visit[entry.visit().visit_id()];
      ASSERT_THAT(events, SizeIs(2));
      const PlannedEvent& in = *events[0];
      const PlannedEvent& out = *events[1];
      ASSERT_TRUE(in.event.has_check_in());
      ASSERT_TRUE(out.event.has_check_out());
      EXPECT_FALSE(in.is_check_out);
      EXPECT_TRUE(out.is_check_out);
      const absl::Time planned = *TimeFromProto(entry.visit().planned_start(), "");
      EXPECT_GE(in.device_time, planned);
      EXPECT_LE(in.device_time, planned + absl::Minutes(12));
      const absl::Duration stay = out.device_time - in.device_time;
      EXPECT_GE(stay, absl::Minutes(entry.visit().duration_minutes() - 2));
      EXPECT_LE(stay, absl::Minutes(entry.visit().duration_minutes() + 3));
      EXPECT_EQ(*TimeFromProto(Of<cv1::CheckInRequest>(in).device_time(), ""), in.device_time);
      EXPECT_EQ(*TimeFromProto(Of<cv1::CheckOutRequest>(out).device_time(), ""), out.device_time);
      EXPECT_FALSE(Of<cv1::CheckInRequest>(in).has_sent_time());
      EXPECT_EQ(Of<cv1::CheckInRequest>(in).method(), cv1::CHECK_IN_METHOD_GPS);
      EXPECT_EQ(Of<cv1::CheckOutRequest>(out).visit_outcome(), cv1::VISIT_OUTCOME_COMPLETED);
      EXPECT_FALSE(Of<cv1::CheckOutRequest>(out).note().empty());
    }
    for (size_t i = 1; i < plan->events.size(); ++i) {
      EXPECT_LE(plan->events[i - 1].device_time, plan->events[i].device_time);
    }
  }
}

TEST(DayPlanTest, TheNextVisitWaitsForThePreviousOneAndTheTravel) {
  sv1::Rota rota;
  rota.set_carer_id("ann");
  *rota.add_entries() = Entry("first", At(7), 60, {"ann"}, {});
  *rota.add_entries() = Entry("second", At(7, 30), 30, {"ann"}, {});  // overlaps: runs late
  absl::StatusOr<DayPlan> plan = PlanDay(rota, {});
  ASSERT_TRUE(plan.ok());
  ASSERT_THAT(plan->events, SizeIs(4));
  EXPECT_EQ(plan->events[1].visit_id, "first");
  EXPECT_EQ(plan->events[2].visit_id, "second");
  EXPECT_GE(plan->events[2].device_time, plan->events[1].device_time + absl::Minutes(10));
}

TEST(DayPlanTest, EveryTaskIsReportedDoneOrOneRefused) {
  DayPlanOptions options;
  options.all_tasks_done_share = 1;
  absl::StatusOr<DayPlan> plan = PlanDay(AnnsDay(), options);
  ASSERT_TRUE(plan.ok());
  for (const PlannedEvent& event : plan->events) {
    if (!event.is_check_out) continue;
    std::vector<std::string> ids;
    for (const cv1::TaskOutcome& task : event.event.check_out().task_outcomes()) {
      ids.push_back(task.task_id());
      EXPECT_EQ(task.status(), cv1::TASK_STATUS_DONE);
    }
    if (event.visit_id == "morning") {
      EXPECT_THAT(ids, ElementsAre("t1", "t2"));
    } else if (event.visit_id == "lunch") {
      EXPECT_THAT(ids, ElementsAre("t1"));
    } else {
      EXPECT_THAT(ids, ElementsAre("t1", "t2", "t3"));
    }
  }
  options.all_tasks_done_share = 0;
  plan = PlanDay(AnnsDay(), options);
  ASSERT_TRUE(plan.ok());
  for (const PlannedEvent& event : plan->events) {
    if (!event.is_check_out) continue;
    int refused = 0;
    for (const cv1::TaskOutcome& task : event.event.check_out().task_outcomes()) {
      if (task.status() == cv1::TASK_STATUS_REFUSED) {
        ++refused;
        EXPECT_FALSE(task.note().empty());
      } else {
        EXPECT_EQ(task.status(), cv1::TASK_STATUS_DONE);
      }
    }
    EXPECT_EQ(refused, 1) << event.visit_id;
  }
}

TEST(DayPlanTest, GpsNoiseIsCentredOnTheClientAndBounded) {
  sv1::Rota rota;
  rota.set_carer_id("ann");
  for (int i = 0; i < 400; ++i) {
    *rota.add_entries() = Entry(absl::StrCat("v", i), At(6) + absl::Minutes(2 * i), 1, {"ann"}, {});
  }
  DayPlanOptions options;
  options.gps_noise_meters = 20;
  options.late_up_to_minutes = 0;
  absl::StatusOr<DayPlan> plan = PlanDay(rota, options);
  ASSERT_TRUE(plan.ok());
  ASSERT_THAT(plan->events, SizeIs(800));
  const LatLng client{kLatitude, kLongitude};
  double north = 0, east = 0, squares = 0, farthest = 0;
  for (const PlannedEvent& event : plan->events) {
    const common::v1::GeoPoint& at = LocationOf(event);
    const double distance = DistanceMeters(client, FromProto(at));
    farthest = std::max(farthest, distance);
    squares += distance * distance;
    north +=
        DistanceMeters(client, {at.latitude(), kLongitude}) * (at.latitude() >= kLatitude ? 1 : -1);
    east += DistanceMeters(client, {kLatitude, at.longitude()}) *
            (at.longitude() >= kLongitude ? 1 : -1);
    EXPECT_EQ(event.is_check_out ? event.event.check_out().accuracy_meters()
                                 : event.event.check_in().accuracy_meters(),
              20);
  }
  const double n = static_cast<double>(plan->events.size());
  // Within the cap (the sphere and the ellipsoid differ by well under 1%).
  EXPECT_LE(farthest, kMaxNoiseDeviations * 20 * 1.01);
  EXPECT_GT(farthest, 20);
  // The root mean square is the standard deviation; the mean offset is near nothing (its own
  // standard deviation is 20 / sqrt(2 * 800), half a metre, per axis).
  EXPECT_NEAR(std::sqrt(squares / n), 20, 2);
  EXPECT_LT(std::abs(north / n), 2.5);
  EXPECT_LT(std::abs(east / n), 2.5);

  options.gps_noise_meters = 0;
  plan = PlanDay(rota, options);
  ASSERT_TRUE(plan.ok());
  EXPECT_NEAR(DistanceMeters(client, FromProto(LocationOf(plan->events[0]))), 0, 1e-6);
}

TEST(DayPlanTest, OfflineEventsAreExactlyTheOnesTappedInTheStretch) {
  DayPlanOptions options;
  options.late_up_to_minutes = 5;
  options.offline_from = At(6, 30);
  options.offline_until = At(12, 20);  // the morning and lunch check-in, not lunch's check-out
  absl::StatusOr<DayPlan> plan = PlanDay(AnnsDay(), options);
  ASSERT_TRUE(plan.ok());
  ASSERT_THAT(plan->events, SizeIs(6));
  ASSERT_TRUE(plan->batch_send_time.has_value());
  EXPECT_EQ(*plan->batch_send_time, At(12, 20));
  for (const PlannedEvent& event : plan->events) {
    const bool inside = event.device_time >= At(6, 30) && event.device_time < At(12, 20);
    EXPECT_EQ(event.offline, inside) << event.visit_id << " " << event.device_time;
    EXPECT_EQ(event.send_time, inside ? At(12, 20) : event.device_time);
  }
  std::vector<bool> offline;
  for (const PlannedEvent& event : plan->events) offline.push_back(event.offline);
  EXPECT_THAT(offline, ElementsAre(true, true, true, false, false, false));

  // The batch goes out when the stretch ends, before what is tapped after it.
  std::vector<Send> sends = SendOrder(*plan);
  ASSERT_THAT(sends, SizeIs(4));
  EXPECT_TRUE(sends[0].batch);
  EXPECT_EQ(sends[0].at, At(12, 20));
  EXPECT_THAT(sends[0].indexes, ElementsAre(0, 1, 2));
  for (int i = 1; i < 4; ++i) {
    EXPECT_FALSE(sends[i].batch);
    EXPECT_THAT(sends[i].indexes, ElementsAre(i + 2));
    EXPECT_GE(sends[i].at, sends[i - 1].at);
  }
  // Big batches are split.
  sends = SendOrder(*plan, 2);
  ASSERT_THAT(sends, SizeIs(5));
  EXPECT_THAT(sends[0].indexes, ElementsAre(0, 1));
  EXPECT_THAT(sends[1].indexes, ElementsAre(2));
  EXPECT_TRUE(sends[1].batch);

  // Offline changes when events are sent, never what they are.
  DayPlanOptions always_online;
  always_online.late_up_to_minutes = 5;
  absl::StatusOr<DayPlan> online = PlanDay(AnnsDay(), always_online);
  ASSERT_TRUE(online.ok());
  EXPECT_FALSE(online->batch_send_time.has_value());
  for (size_t i = 0; i < plan->events.size(); ++i) {
    EXPECT_FALSE(online->events[i].offline);
    EXPECT_EQ(online->events[i].event.SerializeAsString(),
              plan->events[i].event.SerializeAsString());
  }
}

TEST(DayPlanTest, ADoubleUpIsPlayedForTheCarersOwnSlotOnly) {
  sv1::Rota bobs;
  bobs.set_carer_id("bob");
  *bobs.add_entries() = AnnsDay().entries(2);
  absl::StatusOr<DayPlan> ann = PlanDay(AnnsDay(), {});
  absl::StatusOr<DayPlan> bob = PlanDay(bobs, {});
  ASSERT_TRUE(ann.ok());
  ASSERT_TRUE(bob.ok());
  std::vector<const PlannedEvent*> anns_bed;
  for (const PlannedEvent& event : ann->events) {
    if (event.visit_id == "bed") anns_bed.push_back(&event);
  }
  ASSERT_THAT(anns_bed, SizeIs(2));  // one check-in, one check-out: hers
  ASSERT_THAT(bob->events, SizeIs(2));
  EXPECT_EQ(bob->visits_played, 1);
  for (int i = 0; i < 2; ++i) EXPECT_NE(IdOf(*anns_bed[i]), IdOf(bob->events[i]));
  // The token says who the carer is: the events name nobody.
  EXPECT_TRUE(Of<cv1::CheckInRequest>(bob->events[0]).carer_id().empty());
  EXPECT_TRUE(Of<cv1::CheckOutRequest>(bob->events[1]).carer_id().empty());
}

TEST(DayPlanTest, CancelledVisitsAndOthersVisitsAreSkipped) {
  sv1::Rota rota = AnnsDay();
  rota.mutable_entries(0)->mutable_visit()->set_status(sv1::VISIT_STATUS_CANCELLED);
  rota.mutable_entries(1)->mutable_visit()->clear_carer_ids();
  absl::StatusOr<DayPlan> plan = PlanDay(rota, {});
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(plan->visits_played, 1);
  EXPECT_THAT(plan->skipped, ElementsAre("morning: cancelled", "lunch: the carer is not on it"));
  ASSERT_THAT(plan->events, SizeIs(2));
  EXPECT_EQ(plan->events[0].visit_id, "bed");

  absl::StatusOr<DayPlan> nothing = PlanDay(sv1::Rota(), {});
  ASSERT_TRUE(nothing.ok());
  EXPECT_THAT(nothing->events, IsEmpty());
  EXPECT_THAT(SendOrder(*nothing), IsEmpty());
}

TEST(DayPlanTest, OptionsThatMakeNoSenseAreRefused) {
  auto plan_with = [](auto change) {
    DayPlanOptions options;
    change(options);
    return PlanDay(AnnsDay(), options).ok();
  };
  EXPECT_FALSE(plan_with([](DayPlanOptions& o) { o.gps_noise_meters = -1; }));
  EXPECT_FALSE(plan_with([](DayPlanOptions& o) { o.late_up_to_minutes = -1; }));
  EXPECT_FALSE(plan_with([](DayPlanOptions& o) { o.all_tasks_done_share = 1.5; }));
  EXPECT_FALSE(plan_with([](DayPlanOptions& o) { o.offline_from = At(9); }));
  EXPECT_FALSE(plan_with([](DayPlanOptions& o) {
    o.offline_from = At(9);
    o.offline_until = At(9);
  }));
  EXPECT_TRUE(plan_with([](DayPlanOptions& o) {
    o.offline_from = At(9);
    o.offline_until = At(10);
  }));
}

}  // namespace
}  // namespace homecare::carer_sim
