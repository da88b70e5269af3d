#include "services/checkin/alert_rules.h"

#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/checkin/policy_rules.h"

namespace homecare::checkin {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

absl::Time T(int hh, int mm) {
  return absl::FromCivil(absl::CivilSecond(2030, 12, 3, hh, mm, 0), absl::UTCTimeZone());
}

// Edna's morning: 07:00 for 30 minutes, window 07:00-08:00, Ann on it.
v1::VisitView Morning() {
  v1::VisitView view;
  view.set_visit_id("vis_1");
  view.set_client_id("cli_1");
  view.set_locality_id("north");
  *view.mutable_local_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  *view.mutable_window_start() = TimeToProto(T(7, 0));
  *view.mutable_window_end() = TimeToProto(T(8, 0));
  *view.mutable_planned_start() = TimeToProto(T(7, 0));
  view.set_duration_minutes(30);
  view.set_carers_required(1);
  view.add_carer_ids("ann");
  return view;
}

v1::VisitView DoubleUp() {
  v1::VisitView view = Morning();
  view.set_carers_required(2);
  view.add_carer_ids("bob");
  return view;
}

v1::CheckInPolicy Policy() { return EffectivePolicy({}); }

// A record with `carer` in at `in` (and out at `out` when given).
void AddSlot(v1::VisitRecord& record, const std::string& carer, absl::Time in,
             std::optional<absl::Time> out = std::nullopt) {
  v1::CarerSlot& slot = *record.add_slots();
  slot.set_carer_id(carer);
  *slot.mutable_check_in_time() = TimeToProto(in);
  slot.set_check_in_event_id(carer + "-in");
  if (out.has_value()) {
    *slot.mutable_check_out_time() = TimeToProto(*out);
    slot.set_check_out_event_id(carer + "-out");
  }
}

std::vector<v1::AlertKind> Kinds(const std::vector<v1::Alert>& alerts) {
  std::vector<v1::AlertKind> kinds;
  for (const v1::Alert& alert : alerts) kinds.push_back(alert.kind());
  return kinds;
}

TEST(DueChecksTest, ThresholdsByPriorityFromThePolicy) {
  std::vector<DueCheck> checks = DueChecks(Morning(), Policy());
  ASSERT_THAT(checks, SizeIs(4));
  EXPECT_EQ(checks[0].rule, DueRule::kStart);
  EXPECT_EQ(checks[0].at, T(7, 0));
  EXPECT_EQ(checks[1].rule, DueRule::kLate);
  EXPECT_EQ(checks[1].at, T(7, 15));
  // Missed: the later of start + 60 minutes and the window's end; overdue: the end + 30.
  EXPECT_EQ(checks[2].at, T(8, 0));
  EXPECT_EQ(checks[3].at, T(8, 0));
  v1::VisitView wide = Morning();
  *wide.mutable_window_end() = TimeToProto(T(9, 30));
  EXPECT_EQ(DueChecks(wide, Policy())[3].at, T(9, 30));
  EXPECT_EQ(DueChecks(wide, Policy())[3].rule, DueRule::kMissed);

  v1::VisitView critical = Morning();
  critical.set_time_critical(true);
  EXPECT_EQ(DueChecks(critical, Policy())[1].at, T(7, 5));
  v1::CheckInPolicy stricter = Policy();
  stricter.mutable_standard()->mutable_late_after()->set_seconds(600);
  EXPECT_EQ(DueChecks(Morning(), stricter)[1].at, T(7, 10));

  v1::VisitView cancelled = Morning();
  cancelled.set_cancelled(true);
  EXPECT_THAT(DueChecks(cancelled, Policy()), IsEmpty());
  for (DueRule rule : {DueRule::kStart, DueRule::kLate, DueRule::kMissed, DueRule::kOverdue}) {
    EXPECT_EQ(DueRuleNamed(DueRuleName(rule)), rule);
  }
  EXPECT_EQ(DueRuleNamed("soon"), std::nullopt);
}

TEST(AlertsDueTest, LateWhenNobodyWasInByTheThresholdWhateverCameAfter) {
  v1::VisitRecord nothing;
  std::vector<v1::Alert> late = AlertsDue(DueRule::kLate, T(7, 15), Morning(), nothing, T(7, 15));
  ASSERT_THAT(Kinds(late), ElementsAre(v1::ALERT_KIND_LATE));
  EXPECT_EQ(late[0].state(), v1::ALERT_STATE_OPEN);
  EXPECT_THAT(late[0].carer_ids(), ElementsAre("ann"));
  EXPECT_EQ(StoredTime(late[0].due_time()), T(7, 15));
  EXPECT_EQ(late[0].locality_id(), "north");

  v1::VisitRecord on_time;
  AddSlot(on_time, "ann", T(7, 10));
  EXPECT_THAT(AlertsDue(DueRule::kLate, T(7, 15), Morning(), on_time, T(7, 16)), IsEmpty());
  // In at 07:20, seen by a check made at 07:21: she was late all the same, and the alert is
  // the one a check made at 07:15 would have raised.
  v1::VisitRecord late_in;
  AddSlot(late_in, "ann", T(7, 20));
  std::vector<v1::Alert> again = AlertsDue(DueRule::kLate, T(7, 15), Morning(), late_in, T(7, 21));
  ASSERT_THAT(again, SizeIs(1));
  EXPECT_EQ(again[0].alert_id(), late[0].alert_id());

  // Another carer on the visit makes another alert; the start check raises none.
  v1::VisitView given = Morning();
  given.set_carer_ids(0, "cat");
  EXPECT_NE(AlertsDue(DueRule::kLate, T(7, 15), given, nothing, T(7, 15))[0].alert_id(),
            late[0].alert_id());
  EXPECT_THAT(AlertsDue(DueRule::kStart, T(7, 0), Morning(), nothing, T(7, 0)), IsEmpty());
  v1::VisitView cancelled = Morning();
  cancelled.set_cancelled(true);
  EXPECT_THAT(AlertsDue(DueRule::kMissed, T(8, 0), cancelled, nothing, T(8, 0)), IsEmpty());
  EXPECT_THAT(Kinds(AlertsDue(DueRule::kMissed, T(8, 0), Morning(), nothing, T(8, 0))),
              ElementsAre(v1::ALERT_KIND_MISSED));
}

TEST(AlertsDueTest, ADoubleUpWithOneCarerInMissesTheOther) {
  v1::VisitRecord ann_in;
  AddSlot(ann_in, "ann", T(7, 2));
  std::vector<v1::Alert> alerts = AlertsDue(DueRule::kLate, T(7, 15), DoubleUp(), ann_in, T(7, 15));
  ASSERT_THAT(Kinds(alerts), ElementsAre(v1::ALERT_KIND_CARER_MISSING));
  EXPECT_THAT(alerts[0].carer_ids(), ElementsAre("bob"));
  v1::VisitRecord both = ann_in;
  AddSlot(both, "bob", T(7, 14));
  EXPECT_THAT(AlertsDue(DueRule::kLate, T(7, 15), DoubleUp(), both, T(7, 15)), IsEmpty());
  // Nobody in at all is LATE for both, not a missing carer.
  std::vector<v1::Alert> nobody = AlertsDue(DueRule::kLate, T(7, 15), DoubleUp(), {}, T(7, 15));
  ASSERT_THAT(Kinds(nobody), ElementsAre(v1::ALERT_KIND_LATE));
  EXPECT_THAT(nobody[0].carer_ids(), ElementsAre("ann", "bob"));
}

TEST(AlertsDueTest, OverdueForTheCarersStillIn) {
  v1::VisitRecord in;
  AddSlot(in, "ann", T(7, 2));
  std::vector<v1::Alert> overdue = AlertsDue(DueRule::kOverdue, T(8, 0), Morning(), in, T(8, 0));
  ASSERT_THAT(Kinds(overdue), ElementsAre(v1::ALERT_KIND_OVERDUE_CHECK_OUT));
  EXPECT_THAT(overdue[0].carer_ids(), ElementsAre("ann"));
  v1::VisitRecord out;
  AddSlot(out, "ann", T(7, 2), T(7, 35));
  EXPECT_THAT(AlertsDue(DueRule::kOverdue, T(8, 0), Morning(), out, T(8, 0)), IsEmpty());
  // Nobody in: that is MISSED's business, not overdue.
  EXPECT_THAT(AlertsDue(DueRule::kOverdue, T(8, 0), Morning(), {}, T(8, 0)), IsEmpty());
}

TEST(ShortVisitAlertTest, OnlyForAShortRecord) {
  v1::VisitRecord record;
  AddSlot(record, "ann", T(7, 2), T(7, 12));
  *record.mutable_end_time() = TimeToProto(T(7, 12));
  record.set_state(v1::DELIVERY_STATE_SHORT);
  std::optional<v1::Alert> alert = ShortVisitAlert(Morning(), record, T(7, 12));
  ASSERT_TRUE(alert.has_value());
  EXPECT_EQ(alert->kind(), v1::ALERT_KIND_SHORT_VISIT);
  EXPECT_THAT(alert->carer_ids(), ElementsAre("ann"));
  record.set_state(v1::DELIVERY_STATE_COMPLETED);
  EXPECT_FALSE(ShortVisitAlert(Morning(), record, T(7, 12)).has_value());
}

TEST(SettlementTest, EvidenceBeforeTheThresholdSettlesTheAlert) {
  const v1::Alert late = AlertsDue(DueRule::kLate, T(7, 15), Morning(), {}, T(7, 15))[0];
  EXPECT_FALSE(SettlementOf(late, Morning(), {}).has_value());
  // Ann's phone was offline: her check-in at 07:12 arrives at 07:40.
  v1::VisitRecord offline;
  AddSlot(offline, "ann", T(7, 12));
  std::optional<Settlement> settled = SettlementOf(late, Morning(), offline);
  ASSERT_TRUE(settled.has_value());
  EXPECT_EQ(settled->resolution, v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED);
  EXPECT_EQ(settled->evidence_event_id, "ann-in");
  v1::Alert resolved = Settled(late, *settled, T(7, 40));
  EXPECT_EQ(resolved.state(), v1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(resolved.resolved_by(), "system");
  EXPECT_EQ(resolved.version(), late.version() + 1);
  EXPECT_FALSE(SettlementOf(resolved, Morning(), offline).has_value());
  // In at 07:30: late indeed; the alert stands for a coordinator.
  v1::VisitRecord really_late;
  AddSlot(really_late, "ann", T(7, 30));
  EXPECT_FALSE(SettlementOf(late, Morning(), really_late).has_value());
  // A correction of her arrival to 07:14 counts as the record stands.
  really_late.mutable_slots(0)->mutable_adjusted_check_in_time()->set_seconds(
      absl::ToUnixSeconds(T(7, 14)));
  EXPECT_TRUE(SettlementOf(late, Morning(), really_late).has_value());
}

TEST(SettlementTest, CancelledOrGivenToOthers) {
  const v1::Alert late = AlertsDue(DueRule::kLate, T(7, 15), Morning(), {}, T(7, 15))[0];
  v1::VisitView cancelled = Morning();
  cancelled.set_cancelled(true);
  EXPECT_EQ(SettlementOf(late, cancelled, {})->resolution, v1::ALERT_RESOLUTION_VISIT_CANCELLED);
  v1::VisitView given = Morning();
  given.set_carer_ids(0, "cat");
  EXPECT_EQ(SettlementOf(late, given, {})->resolution, v1::ALERT_RESOLUTION_VISIT_REASSIGNED);

  v1::VisitRecord ann_in;
  AddSlot(ann_in, "ann", T(7, 2));
  const v1::Alert missing = AlertsDue(DueRule::kLate, T(7, 15), DoubleUp(), ann_in, T(7, 15))[0];
  EXPECT_FALSE(SettlementOf(missing, DoubleUp(), ann_in).has_value());
  v1::VisitRecord bob_offline = ann_in;
  AddSlot(bob_offline, "bob", T(7, 13));
  EXPECT_EQ(SettlementOf(missing, DoubleUp(), bob_offline)->evidence_event_id, "bob-in");
  v1::VisitView bob_replaced = DoubleUp();
  bob_replaced.set_carer_ids(1, "cat");
  EXPECT_EQ(SettlementOf(missing, bob_replaced, ann_in)->resolution,
            v1::ALERT_RESOLUTION_VISIT_REASSIGNED);

  const v1::Alert overdue = AlertsDue(DueRule::kOverdue, T(8, 0), Morning(), ann_in, T(8, 0))[0];
  v1::VisitRecord out = ann_in;
  *out.mutable_slots(0)->mutable_check_out_time() = TimeToProto(T(7, 50));
  out.mutable_slots(0)->set_check_out_event_id("ann-out");
  EXPECT_EQ(SettlementOf(overdue, Morning(), out)->evidence_event_id, "ann-out");

  v1::VisitRecord short_record;
  AddSlot(short_record, "ann", T(7, 2), T(7, 12));
  *short_record.mutable_end_time() = TimeToProto(T(7, 12));
  short_record.set_state(v1::DELIVERY_STATE_SHORT);
  short_record.set_recorded_state(v1::DELIVERY_STATE_SHORT);
  const v1::Alert short_visit = *ShortVisitAlert(Morning(), short_record, T(7, 12));
  EXPECT_FALSE(SettlementOf(short_visit, Morning(), short_record).has_value());
  short_record.set_state(v1::DELIVERY_STATE_COMPLETED);  // corrected by a coordinator
  EXPECT_EQ(SettlementOf(short_visit, Morning(), short_record)->resolution,
            v1::ALERT_RESOLUTION_RECORD_CORRECTED);
}

TEST(BoardEntryTest, TheClockAgainstTheThresholdsUntilSomeoneIsIn) {
  auto state = [](const v1::VisitRecord& record, absl::Time now) {
    return BoardEntryOf(Morning(), record, Policy(), {}, now).state();
  };
  EXPECT_EQ(state({}, T(6, 59)), v1::BOARD_STATE_NOT_DUE);
  EXPECT_EQ(state({}, T(7, 0)), v1::BOARD_STATE_DUE);
  EXPECT_EQ(state({}, T(7, 15)), v1::BOARD_STATE_LATE);
  EXPECT_EQ(state({}, T(8, 0)), v1::BOARD_STATE_MISSED);
  v1::VisitRecord in;
  AddSlot(in, "ann", T(7, 20));
  in.set_state(v1::DELIVERY_STATE_IN_PROGRESS);
  EXPECT_EQ(state(in, T(8, 30)), v1::BOARD_STATE_IN_PROGRESS);
  in.set_state(v1::DELIVERY_STATE_NO_ACCESS);
  EXPECT_EQ(state(in, T(8, 30)), v1::BOARD_STATE_COMPLETED);
  v1::VisitView cancelled = Morning();
  cancelled.set_cancelled(true);
  EXPECT_EQ(BoardEntryOf(cancelled, {}, Policy(), {}, T(7, 30)).state(), v1::BOARD_STATE_CANCELLED);

  std::vector<v1::Alert> alerts = AlertsDue(DueRule::kLate, T(7, 15), Morning(), {}, T(7, 15));
  alerts.push_back(Settled(AlertsDue(DueRule::kMissed, T(8, 0), Morning(), {}, T(8, 0))[0],
                           {v1::ALERT_RESOLUTION_OTHER, ""}, T(8, 5)));
  v1::BoardEntry entry = BoardEntryOf(Morning(), {}, Policy(), alerts, T(8, 10));
  EXPECT_THAT(entry.open_alerts(), ElementsAre(v1::ALERT_KIND_LATE));
  EXPECT_EQ(entry.delivery_state(), v1::DELIVERY_STATE_EXPECTED);
  EXPECT_THAT(entry.carer_ids(), ElementsAre("ann"));
}

}  // namespace
}  // namespace homecare::checkin
