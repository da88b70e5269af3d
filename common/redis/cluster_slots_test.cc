#include "common/redis/cluster_slots.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::testing::Optional;

TEST(KeySlotTest, MatchesRedisClusterSpecification) {
  // The cluster specification's CRC16 check value: "123456789" -> 0x31C3.
  EXPECT_EQ(KeySlot("123456789"), 0x31C3 % kClusterSlots);
  // Values CLUSTER KEYSLOT answers.
  EXPECT_EQ(KeySlot("foo"), 12182);
  EXPECT_EQ(KeySlot("bar"), 5061);
  EXPECT_EQ(KeySlot(""), 0);
}

TEST(KeySlotTest, HashTagsKeepATenantsKeysInOneSlot) {
  EXPECT_EQ(KeySlot("hc:{sunrise-care}:roster:carer:k1"), KeySlot("sunrise-care"));
  EXPECT_EQ(KeySlot("hc:{sunrise-care}:scheduling:visit:v9"), KeySlot("sunrise-care"));
  EXPECT_NE(KeySlot("hc:{sunrise-care}:x"), KeySlot("hc:{dawn-care}:x"));
  // Only the first {...}, and only when it is not empty.
  EXPECT_EQ(KeySlot("a{b}{c}"), KeySlot("b"));
  EXPECT_EQ(KeySlot("a{}{c}"), KeySlot("a{}{c}"));
  EXPECT_NE(KeySlot("a{}{c}"), KeySlot("c"));
  EXPECT_EQ(KeySlot("{user1000}.following"), KeySlot("{user1000}.followers"));
  EXPECT_EQ(KeySlot("no{close"), KeySlot("no{close"));
}

TEST(RoutingKeyTest, FindsTheKeyEachCommandRoutesBy) {
  EXPECT_THAT(RoutingKey({"GET", "hc:{t}:k"}), Optional(std::string("hc:{t}:k")));
  EXPECT_THAT(RoutingKey({"evalsha", "abc", "2", "k1", "k2", "arg"}), Optional(std::string("k1")));
  EXPECT_EQ(RoutingKey({"EVALSHA", "abc", "0", "arg"}), std::nullopt);
  EXPECT_EQ(RoutingKey({"EVALSHA", "abc", "x", "arg"}), std::nullopt);
  EXPECT_THAT(RoutingKey({"XREAD", "COUNT", "10", "BLOCK", "5", "STREAMS", "s1", "0"}),
              Optional(std::string("s1")));
  EXPECT_EQ(RoutingKey({"XREAD", "COUNT", "10"}), std::nullopt);
  EXPECT_EQ(RoutingKey({"PING"}), std::nullopt);
  EXPECT_EQ(RoutingKey({"SCRIPT", "LOAD", "return 1"}), std::nullopt);
  EXPECT_EQ(RoutingKey({"cluster", "slots"}), std::nullopt);
}

RedisReply Int(int64_t value) {
  RedisReply reply;
  reply.type = RedisReply::Type::kInteger;
  reply.integer = value;
  return reply;
}
RedisReply Str(const std::string& text) {
  RedisReply reply;
  reply.type = RedisReply::Type::kString;
  reply.str = text;
  return reply;
}
RedisReply Array(std::vector<RedisReply> elements) {
  RedisReply reply;
  reply.type = RedisReply::Type::kArray;
  reply.elements = std::move(elements);
  return reply;
}
RedisReply Error(const std::string& text) {
  RedisReply reply;
  reply.type = RedisReply::Type::kError;
  reply.str = text;
  return reply;
}

TEST(ParseClusterSlotsTest, ReadsEachRangesMaster) {
  const RedisReply reply = Array({
      Array({Int(0), Int(5460), Array({Str("127.0.0.1"), Int(30001), Str("id1")}),
             Array({Str("127.0.0.1"), Int(30004), Str("id4")})}),
      Array({Int(5461), Int(16383), Array({Str("10.0.0.2"), Int(30002), Str("id2")})}),
  });
  absl::StatusOr<std::vector<SlotRange>> ranges = ParseClusterSlots(reply);
  ASSERT_TRUE(ranges.ok()) << ranges.status();
  ASSERT_EQ(ranges->size(), 2u);
  EXPECT_EQ((*ranges)[0].first, 0);
  EXPECT_EQ((*ranges)[0].last, 5460);
  EXPECT_EQ((*ranges)[0].master.ToString(), "127.0.0.1:30001");
  EXPECT_EQ((*ranges)[1].master.ToString(), "10.0.0.2:30002");
}

TEST(ParseClusterSlotsTest, RefusesOtherShapes) {
  EXPECT_FALSE(ParseClusterSlots(Str("nope")).ok());
  EXPECT_FALSE(ParseClusterSlots(Array({Array({Int(0), Int(5)})})).ok());
  EXPECT_FALSE(ParseClusterSlots(Array({Array({Int(9), Int(5), Array({Str("h"), Int(1)})})})).ok());
  EXPECT_FALSE(
      ParseClusterSlots(Array({Array({Int(0), Int(16384), Array({Str("h"), Int(1)})})})).ok());
}

TEST(ParseRedirectTest, ReadsMovedAndAsk) {
  std::optional<Redirect> moved = ParseRedirect(Error("MOVED 3999 127.0.0.1:6381"));
  ASSERT_TRUE(moved.has_value());
  EXPECT_FALSE(moved->ask);
  EXPECT_EQ(moved->slot, 3999);
  EXPECT_EQ(moved->to.ToString(), "127.0.0.1:6381");
  std::optional<Redirect> ask = ParseRedirect(Error("ASK 12 ::1:7000"));
  ASSERT_TRUE(ask.has_value());
  EXPECT_TRUE(ask->ask);
  EXPECT_EQ(ask->to.host, "::1");
  EXPECT_EQ(ask->to.port, 7000);
  std::optional<Redirect> hostless = ParseRedirect(Error("MOVED 1 :7001"));
  ASSERT_TRUE(hostless.has_value());
  EXPECT_EQ(hostless->to.host, "");
  EXPECT_EQ(ParseRedirect(Error("ERR MOVED 1 h:1")), std::nullopt);
  EXPECT_EQ(ParseRedirect(Error("MOVED x h:1")), std::nullopt);
  EXPECT_EQ(ParseRedirect(Str("MOVED 1 h:1")), std::nullopt);
}

}  // namespace
}  // namespace homecare
