#include "tools/carectl/checkin_parsing.h"

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare::carectl {
namespace {

namespace cv1 = checkin::v1;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

TEST(CheckInParsingTest, EnumsByTheWordsCarectlPrints) {
  EXPECT_EQ(*ParseCheckInMethod("NFC"), cv1::CHECK_IN_METHOD_NFC);
  EXPECT_EQ(*ParseCheckInMethod(" telephony "), cv1::CHECK_IN_METHOD_TELEPHONY);
  EXPECT_EQ(*ParseVisitOutcome("client-not-at-home"), cv1::VISIT_OUTCOME_CLIENT_NOT_AT_HOME);
  EXPECT_EQ(*ParseDeliveryState("no-access"), cv1::DELIVERY_STATE_NO_ACCESS);
  EXPECT_EQ(*ParseAdjustmentReason("carer-forgot"), cv1::ADJUSTMENT_REASON_CARER_FORGOT);
  EXPECT_EQ(*ParseAdjustmentResolution("confirmed-with-client"),
            cv1::ADJUSTMENT_RESOLUTION_CONFIRMED_WITH_CLIENT);
  EXPECT_EQ(*ParseTagKind("landline"), cv1::TAG_KIND_LANDLINE);
  EXPECT_THAT(ParseCheckInMethod("bluetooth").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("method \"bluetooth\" is not valid; expected gps, manual, nfc, "
                                 "qr, telephony")));
  // "not set" is what carectl prints for an unset value, never something to send.
  EXPECT_FALSE(ParseDeliveryState("not set").ok());
  EXPECT_FALSE(ParseDeliveryState("unspecified").ok());
}

TEST(CheckInParsingTest, AlertsByTheirWords) {
  EXPECT_EQ(*ParseAlertKind("carer-missing"), cv1::ALERT_KIND_CARER_MISSING);
  EXPECT_EQ(*ParseAlertState("acknowledged"), cv1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(*ParseAlertResolution("another-carer-sent"), cv1::ALERT_RESOLUTION_ANOTHER_CARER_SENT);
  // The service's own resolutions are not a coordinator's to give.
  EXPECT_THAT(ParseAlertResolution("evidence-arrived").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected another-carer-sent, carer-arrived-late, "
                                 "client-not-home, family-covered, other, record-corrected, "
                                 "visit-not-needed")));
}

TEST(CheckInParsingTest, TasksWithTheirNotes) {
  auto tasks =
      ParseTaskOutcomes("t1=done; t2=refused: had eaten, thanks ;meds=not-done: none left");
  ASSERT_TRUE(tasks.ok()) << tasks.status();
  ASSERT_THAT(*tasks, SizeIs(3));
  EXPECT_EQ((*tasks)[0].task_id(), "t1");
  EXPECT_EQ((*tasks)[0].status(), cv1::TASK_STATUS_DONE);
  EXPECT_THAT((*tasks)[0].note(), IsEmpty());
  EXPECT_EQ((*tasks)[1].status(), cv1::TASK_STATUS_REFUSED);
  EXPECT_EQ((*tasks)[1].note(), "had eaten, thanks");
  EXPECT_EQ((*tasks)[2].task_id(), "meds");
  EXPECT_EQ((*tasks)[2].status(), cv1::TASK_STATUS_NOT_DONE);
  EXPECT_EQ((*tasks)[2].note(), "none left");
  // A note may hold a colon of its own.
  EXPECT_EQ((*ParseTaskOutcomes("t1=partially-done: ate half: left the rest"))[0].note(),
            "ate half: left the rest");
}

TEST(CheckInParsingTest, BadTasksAndOutcomesSayWhatWasExpected) {
  EXPECT_THAT(ParseTaskOutcomes("t1 done").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("task \"t1 done\" is not valid; expected <id>=<word>")));
  EXPECT_THAT(ParseTaskOutcomes("=done").status(), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseTaskOutcomes("t1=finished").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected done, not-done, partially-done, refused")));
  EXPECT_THAT(ParseOutcomeNotes("o1=great").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("expected achieved, better, no-change, worse")));
  EXPECT_THAT(*ParseTaskOutcomes(""), IsEmpty());
}

TEST(CheckInParsingTest, OutcomeProgress) {
  auto outcomes = ParseOutcomeNotes("o1=better: walked to the door; o2=no-change");
  ASSERT_TRUE(outcomes.ok()) << outcomes.status();
  ASSERT_THAT(*outcomes, SizeIs(2));
  EXPECT_EQ((*outcomes)[0].outcome_id(), "o1");
  EXPECT_EQ((*outcomes)[0].progress(), cv1::OUTCOME_PROGRESS_BETTER);
  EXPECT_EQ((*outcomes)[0].note(), "walked to the door");
  EXPECT_EQ((*outcomes)[1].progress(), cv1::OUTCOME_PROGRESS_NO_CHANGE);
}

}  // namespace
}  // namespace homecare::carectl
