#include "tools/carectl/checkin_render.h"

#include "common/time/time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

namespace cv1 = checkin::v1;
using ::testing::HasSubstr;
using ::testing::Not;

google::protobuf::Timestamp Utc(int month, int day, int hour, int minute) {
  return TimeToProto(
      absl::FromCivil(absl::CivilSecond(2030, month, day, hour, minute, 0), absl::UTCTimeZone()));
}

Directory London() {
  roster::v1::Tenant tenant;
  tenant.set_time_zone("Europe/London");
  Directory directory;
  directory.AddTenant(tenant);
  directory.carers["car_1"] = "Ann Lee";
  directory.carers["car_2"] = "Bob Hale";
  directory.clients["cli_1"] = "Edna Clarke";
  return directory;
}

// Edna's Tuesday morning: Ann in by GPS, out by NFC; a correction of her check-in; Bob's
// check-in synced from a phone offline until the evening, outside the geofence.
cv1::VisitRecord Tuesday() {
  cv1::VisitRecord record;
  record.set_visit_id("vis_9");
  record.set_client_id("cli_1");
  record.set_service_type("morning");
  *record.mutable_service_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  *record.mutable_planned_start() = Utc(12, 3, 7, 0);
  record.set_planned_duration_minutes(30);
  record.set_carers_required(2);
  record.set_state(cv1::DELIVERY_STATE_COMPLETED);
  record.set_recorded_state(cv1::DELIVERY_STATE_SHORT);
  *record.mutable_start_time() = Utc(12, 3, 7, 5);
  *record.mutable_end_time() = Utc(12, 3, 7, 35);
  record.set_actual_minutes(30);
  record.set_visit_outcome(cv1::VISIT_OUTCOME_COMPLETED);
  cv1::CarerSlot& ann = *record.add_slots();
  ann.set_carer_id("car_1");
  ann.set_assigned(true);
  *ann.mutable_check_in_time() = Utc(12, 3, 7, 2);
  ann.set_check_in_method(cv1::CHECK_IN_METHOD_GPS);
  ann.set_check_in_verified(true);
  ann.mutable_check_in_location()->set_latitude(51.52);
  ann.set_check_in_distance_meters(12.4);
  *ann.mutable_check_out_time() = Utc(12, 4, 0, 10);  // past midnight
  ann.set_check_out_method(cv1::CHECK_IN_METHOD_NFC);
  ann.set_check_out_verified(true);
  *ann.mutable_adjusted_check_in_time() = Utc(12, 3, 7, 0);
  cv1::CarerSlot& bob = *record.add_slots();
  bob.set_carer_id("car_2");
  *bob.mutable_check_in_time() = Utc(12, 3, 7, 5);
  bob.set_check_in_method(cv1::CHECK_IN_METHOD_GPS);
  bob.mutable_check_in_location()->set_latitude(51.53);
  bob.set_check_in_distance_meters(412);
  cv1::VisitException& far = *record.add_exceptions();
  far.set_kind(cv1::EXCEPTION_KIND_LOCATION_MISMATCH);
  far.set_carer_id("car_2");
  far.set_event_id("bob-in");
  far.set_detail("412 m from the client's home");
  cv1::TaskOutcome& task = *record.add_task_outcomes();
  task.set_task_id("t2");
  task.set_status(cv1::TASK_STATUS_REFUSED);
  task.set_note("had eaten");
  cv1::AuditEntry& audit = *record.add_audit();
  *audit.mutable_time() = Utc(12, 3, 9, 10);
  audit.set_actor("coordinator:jo");
  audit.set_action("adjust");
  audit.set_field("check_in_time");
  audit.set_carer_id("car_1");
  audit.set_old_value("2030-12-03T07:02:00Z");
  *audit.mutable_time_value() = Utc(12, 3, 7, 0);
  audit.set_reason(cv1::ADJUSTMENT_REASON_CARER_FORGOT);
  audit.set_resolution(cv1::ADJUSTMENT_RESOLUTION_CONFIRMED_WITH_CARER);
  audit.set_note("rang Ann");
  cv1::AuditEntry& state = *record.add_audit();
  *state.mutable_time() = Utc(12, 3, 9, 11);
  state.set_actor("coordinator:jo");
  state.set_action("adjust");
  state.set_field("state");
  state.set_old_value("DELIVERY_STATE_SHORT");
  state.set_state_value(cv1::DELIVERY_STATE_COMPLETED);
  cv1::StoredEvent& late = *record.add_events();
  late.set_event_id("bob-in");
  late.set_carer_id("car_2");
  late.mutable_event()->mutable_check_in()->set_method(cv1::CHECK_IN_METHOD_GPS);
  *late.mutable_estimated_time() = Utc(12, 3, 7, 5);
  *late.mutable_received_time() = Utc(12, 3, 19, 0);
  record.set_version(4);
  return record;
}

TEST(CheckInRenderTest, ARecordAsACoordinatorReviewsIt) {
  std::string text = RenderVisitRecord(Tuesday(), London());
  EXPECT_THAT(text, HasSubstr("client:    Edna Clarke (cli_1)\n"));
  EXPECT_THAT(text, HasSubstr("planned:   Tue 2030-12-03 07:00 for 30m\n"));
  EXPECT_THAT(text, HasSubstr("state:     completed (adjusted; the events say short)\n"));
  EXPECT_THAT(text, HasSubstr("delivered: 07:05-07:35, 30m\n"));
  EXPECT_THAT(text, HasSubstr("tasks:     t2 refused: had eaten\n"));
  EXPECT_THAT(text, HasSubstr("to review: location-mismatch: Bob Hale, 412 m from the client's "
                              "home (event bob-in)\n"));
  // Bob's phone was offline: his event came almost twelve hours after he tapped.
  EXPECT_THAT(text,
              HasSubstr("07:05 in Bob Hale by gps (came 11h55m later, Tue 2030-12-03 19:00)"));
  EXPECT_THAT(text, HasSubstr("coordinator:jo  adjust check_in_time of Ann Lee: 07:02 -> 07:00, "
                              "carer-forgot, confirmed-with-carer: rang Ann"));
  EXPECT_THAT(text, HasSubstr("adjust state: short -> completed"));
  // The slots: how each event was verified, the adjustment beside what was recorded, and a
  // time past midnight with its date.
  EXPECT_THAT(text, HasSubstr("gps 12 m, verified"));
  EXPECT_THAT(text, HasSubstr("Wed 2030-12-04 00:10"));
  EXPECT_THAT(text, HasSubstr("nfc, verified"));
  EXPECT_THAT(text, HasSubstr("in 07:00"));
  EXPECT_THAT(text, HasSubstr("gps 412 m, to review"));
  EXPECT_THAT(text, Not(HasSubstr("DELIVERY_STATE")));
  EXPECT_THAT(text, Not(HasSubstr("not set")));
}

TEST(CheckInRenderTest, RecordsALineEach) {
  cv1::ListVisitRecordsResponse response;
  *response.add_records() = Tuesday();
  response.set_next_page_token("next");
  std::string text = RenderVisitRecords(response, London(), "none");
  EXPECT_THAT(text, HasSubstr("Tue 2030-12-03 07:00  Edna Clarke  completed  2/2 Ann Lee, Bob Hale"
                              "  07:05-07:35  30       1          vis_9"));
  EXPECT_THAT(text, HasSubstr("more: --page-token next\n"));
  EXPECT_EQ(RenderVisitRecords({}, London(), "nothing"), "nothing\n");
  cv1::ListVisitRecordsRequest request;
  request.set_exceptions_only(true);
  request.set_carer_id("car_1");
  *request.mutable_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  EXPECT_EQ(EmptyVisitRecordsMessage(request),
            "no records with exceptions to review for that carer that day");
}

TEST(CheckInRenderTest, AnEventsResultSaysWhetherItWasARepeat) {
  cv1::VisitRecord record = Tuesday();
  std::string stored = RenderEventResult(false, record.exceptions(), record, London());
  EXPECT_THAT(stored, HasSubstr("recorded\nto review:\n  location-mismatch: Bob Hale"));
  std::string repeat = RenderEventResult(true, {}, record, London());
  EXPECT_THAT(repeat, HasSubstr("already recorded (a repeat of that event): nothing changed\n"));
  EXPECT_THAT(repeat, Not(HasSubstr("to review:\n  ")));
}

TEST(CheckInRenderTest, AlertsAsTheBackOfficeSeesThem) {
  cv1::Alert alert;
  alert.set_alert_id("alt_1");
  alert.set_visit_id("vis_9");
  alert.set_kind(cv1::ALERT_KIND_CARER_MISSING);
  alert.set_state(cv1::ALERT_STATE_RESOLVED);
  alert.set_client_id("cli_1");
  alert.add_carer_ids("car_2");
  *alert.mutable_planned_start() = Utc(12, 3, 7, 0);
  alert.set_time_critical(true);
  *alert.mutable_due_time() = Utc(12, 3, 7, 5);
  *alert.mutable_raise_time() = Utc(12, 3, 7, 5);
  *alert.mutable_resolve_time() = Utc(12, 3, 7, 40);
  alert.set_resolved_by("system");
  alert.set_resolution(cv1::ALERT_RESOLUTION_EVIDENCE_ARRIVED);
  alert.set_evidence_event_id("bob-in");
  std::string one = RenderAlert(alert, London());
  EXPECT_THAT(one, HasSubstr("kind:     carer-missing\n"));
  EXPECT_THAT(one, HasSubstr("carers:   Bob Hale\n"));
  EXPECT_THAT(one, HasSubstr("planned:  Tue 2030-12-03 07:00, time-critical\n"));
  EXPECT_THAT(one, HasSubstr("resolved: Tue 2030-12-03 07:40 by system, evidence-arrived "
                             "(event bob-in)\n"));
  EXPECT_THAT(one, Not(HasSubstr("acknowledged")));
  cv1::AlertEvent event;
  *event.mutable_alert() = alert;
  EXPECT_EQ(RenderAlertEvent(event, London()),
            "Tue 2030-12-03 07:05  carer-missing  resolved  Edna Clarke  Bob Hale  "
            "(evidence-arrived by system)  alt_1\n");
  cv1::ListAlertsResponse alerts;
  alert.clear_carer_ids();
  *alerts.add_alerts() = alert;
  EXPECT_THAT(RenderAlerts(alerts, London(), "none"),
              HasSubstr("Tue 2030-12-03 07:05  carer-missing  resolved  Edna Clarke"));
  EXPECT_EQ(RenderAlerts({}, London(), "no alerts"), "no alerts\n");
  EXPECT_THAT(RenderAlert(alert, London()), HasSubstr("carers:   nobody on the visit\n"));
}

TEST(CheckInRenderTest, TheBoardCountsThenLines) {
  cv1::Board board;
  *board.mutable_date() = DateToProto(absl::CivilDay(2030, 12, 3));
  *board.mutable_as_of() = Utc(12, 3, 7, 30);
  cv1::BoardEntry& late = *board.add_entries();
  late.set_visit_id("vis_1");
  late.set_client_id("cli_1");
  late.set_locality_id("north");
  *late.mutable_planned_start() = Utc(12, 3, 7, 0);
  late.set_time_critical(true);
  late.set_carers_required(2);
  late.add_carer_ids("car_1");
  late.set_state(cv1::BOARD_STATE_LATE);
  late.add_open_alerts(cv1::ALERT_KIND_LATE);
  cv1::BoardEntry& in = *board.add_entries();
  in.set_visit_id("vis_2");
  in.set_client_id("cli_2");
  in.set_locality_id("north");
  *in.mutable_planned_start() = Utc(12, 3, 7, 15);
  in.set_carers_required(1);
  in.add_carer_ids("car_2");
  in.set_state(cv1::BOARD_STATE_IN_PROGRESS);
  *in.mutable_start_time() = Utc(12, 3, 7, 12);
  cv1::BoardCount& count = *board.add_counts();
  count.set_locality_id("north");
  count.set_state(cv1::BOARD_STATE_LATE);
  count.set_visits(1);
  *board.add_counts() = count;
  board.mutable_counts(1)->set_state(cv1::BOARD_STATE_IN_PROGRESS);
  std::string text = RenderBoard(board, London(), /*table=*/false);
  EXPECT_THAT(text, HasSubstr("board of 2030-12-03 as of Tue 2030-12-03 07:30 GMT\n"));
  EXPECT_THAT(text, HasSubstr("north: 1 late, 1 in-progress\n"));
  EXPECT_THAT(
      text,
      HasSubstr("07:00*   late         Edna Clarke  1/2 Ann Lee          late    north     vis_1"));
  EXPECT_THAT(text, HasSubstr("07:15    in-progress  cli_2        Bob Hale     07:12-"));
  EXPECT_THAT(RenderBoard(board, London(), /*table=*/true), Not(HasSubstr("board of")));
  cv1::BoardChange change;
  *change.mutable_entry() = late;
  change.mutable_entry()->mutable_local_date()->set_year(2030);
  change.mutable_entry()->mutable_local_date()->set_month(12);
  change.mutable_entry()->mutable_local_date()->set_day(3);
  EXPECT_EQ(RenderBoardChange(change, London()),
            "2030-12-03  07:00*  late  Edna Clarke  1/2 Ann Lee  alerts: late  vis_1\n");
  EXPECT_THAT(RenderBoard(cv1::Board(), London(), false), HasSubstr("no visits that day"));
}

TEST(CheckInRenderTest, PolicyAndTags) {
  cv1::CheckInPolicy policy;
  policy.set_geofence_meters(150);
  policy.mutable_max_clock_skew()->set_seconds(300);
  policy.mutable_standard()->mutable_late_after()->set_seconds(900);
  policy.mutable_standard()->mutable_missed_after()->set_seconds(3600);
  policy.mutable_standard()->mutable_overdue_check_out_after()->set_seconds(1800);
  policy.mutable_standard()->set_short_visit_fraction(0.75);
  policy.set_version(2);
  std::string text = RenderCheckInPolicy(policy, London());
  EXPECT_THAT(text, HasSubstr("geofence:        150 m from the client's home\n"));
  EXPECT_THAT(text, HasSubstr("phone clock:     trusted within 5m\n"));
  EXPECT_THAT(text, HasSubstr("standard visits: late after 15m, missed after 1h, check-out "
                              "overdue after 30m past the end, short under 75% of the length\n"));

  cv1::Tag tag;
  tag.set_tag_id("tag_1");
  tag.set_client_id("cli_1");
  tag.set_kind(cv1::TAG_KIND_LANDLINE);
  tag.set_payload("+441632960001");
  tag.set_label("hall phone");
  *tag.mutable_register_time() = Utc(12, 1, 10, 0);
  tag.set_registered_by("coordinator:jo");
  std::string one = RenderTag(tag, London());
  EXPECT_THAT(one, HasSubstr("number:     +441632960001\n"));
  EXPECT_THAT(one, HasSubstr("registered: Sun 2030-12-01 10:00 GMT by coordinator:jo\n"));
  EXPECT_THAT(one, Not(HasSubstr("retired")));
  cv1::ListTagsResponse tags;
  *tags.add_tags() = tag;
  EXPECT_THAT(RenderTags(tags, London(), "none"), HasSubstr("landline  +441632960001  hall phone"));
  EXPECT_EQ(RenderTags({}, London(), "no tags"), "no tags\n");
}

}  // namespace
}  // namespace homecare::carectl
