#include "common/api/request.h"

#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

google::protobuf::Timestamp At(int64_t seconds) {
  google::protobuf::Timestamp timestamp;
  timestamp.set_seconds(seconds);
  return timestamp;
}

TEST(RequestFingerprintTest, SameRequestSameFingerprint) {
  EXPECT_EQ(RequestFingerprint("r1", At(5)), RequestFingerprint("r1", At(5)));
  EXPECT_NE(RequestFingerprint("r1", At(5)), RequestFingerprint("r1", At(6)));
  EXPECT_NE(RequestFingerprint("r1", At(5)), RequestFingerprint("r2", At(5)));
  // The length prefix keeps the id from running into the payload.
  EXPECT_NE(RequestFingerprint("", At(5)), RequestFingerprint("\x08\x05", At(0)));
}

TEST(PageSizeTest, DefaultsCapsAndRefusesNegative) {
  EXPECT_EQ(*PageSize(0), kDefaultPageSize);
  EXPECT_EQ(*PageSize(7), 7);
  EXPECT_EQ(*PageSize(100000), kMaxPageSize);
  absl::StatusOr<int> negative = PageSize(-1);
  EXPECT_THAT(negative.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  ASSERT_EQ(FieldViolationsOf(negative.status()).size(), 1u);
  EXPECT_EQ(FieldViolationsOf(negative.status())[0].field(), "page_size");
}

TEST(PageTokenTest, RoundTripsTheCursorForTheSameQuery) {
  std::string token = MakePageToken("car_123", "locality=north");
  EXPECT_EQ(*ReadPageToken(token, "locality=north"), "car_123");
  EXPECT_EQ(*ReadPageToken("", "locality=north"), "");
}

TEST(PageTokenTest, RefusesATokenOfAnotherQueryOrGarbage) {
  std::string token = MakePageToken("car_123", "locality=north");
  EXPECT_THAT(ReadPageToken(token, "locality=south").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadPageToken("not a token!", "q").status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReadPageToken("YWJj", "q").status(), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(UpdatePathsTest, AcceptsKnownPathsOnce) {
  google::protobuf::FieldMask mask;
  mask.add_paths("name");
  mask.add_paths("home");
  mask.add_paths("name");
  EXPECT_THAT(*UpdatePaths(mask, {"name", "home", "active"}), ElementsAre("name", "home"));
}

TEST(UpdatePathsTest, NamesEachUnknownPathAndRefusesAnEmptyMask) {
  google::protobuf::FieldMask mask;
  mask.add_paths("name");
  mask.add_paths("carer_id");
  mask.add_paths("version");
  absl::StatusOr<std::vector<std::string>> paths = UpdatePaths(mask, {"name"});
  ASSERT_THAT(paths.status(), StatusIs(absl::StatusCode::kInvalidArgument));
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(paths.status())) {
    fields.push_back(violation.field());
  }
  EXPECT_THAT(fields, ElementsAre("update_mask.paths[1]", "update_mask.paths[2]"));
  EXPECT_THAT(UpdatePaths(google::protobuf::FieldMask(), {"name"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ApplyUpdatePathsTest, ReplacesNamedFieldsOnly) {
  google::protobuf::FieldMask target;
  target.add_paths("a");
  target.add_paths("b");
  google::protobuf::FieldMask changes;
  changes.add_paths("c");
  ApplyUpdatePaths(changes, {"paths"}, target);
  EXPECT_THAT(target.paths(), ElementsAre("c"));  // replaced, not appended to

  google::protobuf::Timestamp time = At(5);
  time.set_nanos(7);
  ApplyUpdatePaths(At(9), {"seconds"}, time);
  EXPECT_EQ(time.seconds(), 9);
  EXPECT_EQ(time.nanos(), 7);
}

TEST(CheckTextTest, LengthPresenceAndCharactersEachNameTheField) {
  FieldViolations violations;
  CheckText(violations, "client.display_name", "Edna Clarke", {200, /*required=*/true});
  EXPECT_TRUE(violations.empty());
  CheckText(violations, "client.display_name", "", {200, /*required=*/true});
  CheckText(violations, "client.address_line", std::string(501, 'a'), {500});
  CheckText(violations, "carer.display_name", std::string("Ann\0Lee", 7), {200, true});
  CheckText(violations, "carer.display_name", "Ann \u202eeeL", {200, true});
  CheckText(violations, "client.access_notes", "Key safe\nby the back door",
            {2000, false, TextLines::kMultiple});
  CheckText(violations, "cancellation.requested_by", "Sue\nClarke", {200, true});
  CheckText(violations, "absence.note", "\x1b[2J", {2000, false, TextLines::kMultiple});
  auto details = FieldViolationsOf(violations.ToStatus());
  ASSERT_EQ(details.size(), 6u);
  EXPECT_EQ(details[0].description(), "must be 1 to 200 characters");
  EXPECT_EQ(details[1].description(), "must be at most 500 characters");
  EXPECT_THAT(details[2].description(), HasSubstr("control character (U+0000"));
  EXPECT_THAT(details[3].description(), HasSubstr("bidirectional override"));
  EXPECT_EQ(details[4].field(), "cancellation.requested_by");
  EXPECT_THAT(details[4].description(), HasSubstr("line break"));
  EXPECT_EQ(details[5].field(), "absence.note");
}

}  // namespace
}  // namespace homecare
