#include "common/redis/lease.h"

#include <memory>

#include "common/testing/redis_server.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

class LeaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<testing::RedisServer>> server = testing::RedisServer::Start();
    ASSERT_TRUE(server.ok()) << server.status();
    server_ = *std::move(server);
    RedisOptions options;
    options.address = server_->address();
    absl::StatusOr<std::unique_ptr<RedisClient>> client = RedisClient::Create(options);
    ASSERT_TRUE(client.ok()) << client.status();
    redis_ = *std::move(client);
  }
  int64_t MillisecondsLeft() {
    absl::StatusOr<RedisReply> reply = redis_->Command({"PTTL", kKey});
    EXPECT_TRUE(reply.ok()) << reply.status();
    return reply.ok() ? reply->integer : -3;
  }

  static constexpr char kKey[] = "hc:{t1}:test:lease:2030-12-03";
  std::unique_ptr<testing::RedisServer> server_;
  std::unique_ptr<RedisClient> redis_;
};

TEST_F(LeaseTest, OneHolderAtATimeAndOnlyTheHolderRenewsOrLetsGo) {
  EXPECT_EQ(*TakeLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)), true);
  EXPECT_EQ(*TakeLease(*redis_, kKey, "replica-b/1", absl::Seconds(30)), false);
  EXPECT_EQ(*TakeLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)), false);
  const int64_t left = MillisecondsLeft();
  EXPECT_GT(left, 0);
  EXPECT_LE(left, 30000);

  EXPECT_EQ(*RenewLease(*redis_, kKey, "replica-b/1", absl::Minutes(5)), false);
  EXPECT_EQ(*RenewLease(*redis_, kKey, "replica-a/1", absl::Minutes(5)), true);
  EXPECT_GT(MillisecondsLeft(), 30000);

  EXPECT_EQ(*ReleaseLease(*redis_, kKey, "replica-b/1"), false);
  EXPECT_GT(MillisecondsLeft(), 0) << "another's release leaves it held";
  EXPECT_EQ(*ReleaseLease(*redis_, kKey, "replica-a/1"), true);
  EXPECT_EQ(MillisecondsLeft(), -2) << "gone";
  EXPECT_EQ(*ReleaseLease(*redis_, kKey, "replica-a/1"), false);
  EXPECT_EQ(*TakeLease(*redis_, kKey, "replica-b/1", absl::Seconds(30)), true);
}

TEST_F(LeaseTest, ALapsedLeaseIsNotRenewedByItsFormerHolder) {
  ASSERT_EQ(*TakeLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)), true);
  // The lease lapses (as Redis would once its time passed) and another replica takes it.
  ASSERT_TRUE(redis_->Command({"DEL", kKey}).ok());
  ASSERT_EQ(*TakeLease(*redis_, kKey, "replica-b/2", absl::Seconds(30)), true);
  EXPECT_EQ(*RenewLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)), false);
  EXPECT_EQ(*ReleaseLease(*redis_, kKey, "replica-a/1"), false);
  EXPECT_EQ(*RenewLease(*redis_, kKey, "replica-b/2", absl::Seconds(30)), true);
}

TEST_F(LeaseTest, RedisGoneIsAnError) {
  server_.reset();
  EXPECT_FALSE(TakeLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)).ok());
  EXPECT_FALSE(RenewLease(*redis_, kKey, "replica-a/1", absl::Seconds(30)).ok());
  EXPECT_FALSE(ReleaseLease(*redis_, kKey, "replica-a/1").ok());
}

}  // namespace
}  // namespace homecare
