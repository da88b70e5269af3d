#include "common/redis/record.h"

#include <google/protobuf/timestamp.pb.h>

#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::google::protobuf::Timestamp;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;

const LuaScript kScript("create_thing", "return {'created'}", 1);

RedisReply Reply(std::vector<std::string> parts) {
  RedisReply reply;
  reply.type = RedisReply::Type::kArray;
  for (std::string& part : parts) {
    RedisReply& element = reply.elements.emplace_back();
    element.type = RedisReply::Type::kString;
    element.str = std::move(part);
  }
  return reply;
}

Timestamp At(int64_t seconds) {
  Timestamp time;
  time.set_seconds(seconds);
  return time;
}

CreateOnceReplies Replies() {
  return {.what = "thing",
          .exists = absl::AlreadyExistsError("request_id was used for another thing"),
          .refusals = {{"conflict", absl::AbortedError("the thing changed")},
                       {"missing", absl::NotFoundError("no owner")}}};
}

TEST(ParseCreateOnceTest, CreatedIsTheRecordWritten) {
  absl::StatusOr<Created<Timestamp>> created =
      ParseCreateOnce(kScript, Reply({"created"}), At(7), Replies());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->record.seconds(), 7);
  EXPECT_FALSE(created->duplicate);
}

TEST(ParseCreateOnceTest, ADuplicateIsTheStoredRecordOfTheFirstCall) {
  absl::StatusOr<Created<Timestamp>> created =
      ParseCreateOnce(kScript, Reply({"duplicate", At(3).SerializeAsString()}), At(7), Replies());
  ASSERT_TRUE(created.ok()) << created.status();
  EXPECT_EQ(created->record.seconds(), 3);
  EXPECT_TRUE(created->duplicate);
}

TEST(ParseCreateOnceTest, ExistsAndRefusalsAreTheirErrors) {
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({"exists"}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kAlreadyExists, HasSubstr("another thing")));
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({"conflict"}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kAborted));
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({"missing"}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(ParseCreateOnceTest, WhatTheScriptShouldNeverSayIsOurFault) {
  EXPECT_THAT(
      ParseCreateOnce(kScript, Reply({"duplicate", "not a timestamp"}), At(7), Replies()).status(),
      StatusIs(absl::StatusCode::kDataLoss, HasSubstr("thing")));
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({"duplicate"}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({"updated"}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kInternal, HasSubstr("create_thing")));
  EXPECT_THAT(ParseCreateOnce(kScript, Reply({}), At(7), Replies()).status(),
              StatusIs(absl::StatusCode::kInternal));
}

}  // namespace
}  // namespace homecare
