#include "common/server/call_runner.h"

#include <grpcpp/test/default_reactor_test_peer.h>

#include <atomic>

#include "absl/synchronization/notification.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace homecare {
namespace {

using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::StatusIs;
using ::testing::HasSubstr;

constexpr absl::string_view kSecret = "0123456789abcdef0123456789abcdef-call-runner";

class AuthorizeBearerTest : public ::testing::Test {
 protected:
  AuthorizeBearerTest()
      : clock_(absl::FromUnixSeconds(1800000000)),
        verifier_(std::string(kSecret), "homecare", "homecare", &clock_) {}

  std::string Token(Role role) {
    TokenClaims claims;
    claims.principal.subject = "s";
    claims.principal.role = role;
    claims.principal.tenant = "acme";
    claims.issued_at = clock_.Now();
    claims.expires_at = clock_.Now() + absl::Hours(1);
    return MintToken(claims, kSecret);
  }

  absl::StatusOr<Principal> Authorize(absl::string_view header, absl::Span<const Role> allowed) {
    return AuthorizeBearer(&header, verifier_, allowed);
  }

  FakeClock clock_;
  JwtVerifier verifier_;
};

TEST_F(AuthorizeBearerTest, BearerSchemeIsCaseInsensitive) {
  std::string token = Token(Role::kCoordinator);
  EXPECT_TRUE(Authorize("Bearer " + token, {Role::kCoordinator}).ok());
  EXPECT_TRUE(Authorize("bearer  " + token, {Role::kCoordinator}).ok());
}

TEST_F(AuthorizeBearerTest, MissingOrMalformedIsUnauthenticated) {
  EXPECT_THAT(AuthorizeBearer(nullptr, verifier_, {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("missing")));
  EXPECT_THAT(Authorize("Basic abc", {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kUnauthenticated, HasSubstr("Bearer")));
  EXPECT_THAT(Authorize("Bearer ", {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kUnauthenticated));
  EXPECT_THAT(Authorize("Bearer x.y.z", {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kUnauthenticated));
}

TEST_F(AuthorizeBearerTest, WrongRoleIsPermissionDenied) {
  EXPECT_THAT(Authorize("Bearer " + Token(Role::kCarer), {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kUnauthenticated));  // carer token without carer_id
  EXPECT_THAT(Authorize("Bearer " + Token(Role::kCommissioner), {Role::kCoordinator}),
              StatusIs(absl::StatusCode::kPermissionDenied));
}

// The handler path without a server: an unauthenticated call finishes at once and its work
// never runs.
TEST(CallRunnerTest, UnauthenticatedCallNeverRunsItsWork) {
  FakeClock clock(absl::FromUnixSeconds(1800000000));
  JwtVerifier verifier(std::string(kSecret), "homecare", "homecare", &clock);
  WorkerPool pool(1);
  InFlightLimiter limiter(4);
  CallRunner runner(&pool, &limiter, &verifier);

  grpc::CallbackServerContext context;
  absl::Notification finished;
  grpc::Status finished_with;
  grpc::testing::DefaultReactorTestPeer peer(&context, [&](grpc::Status status) {
    finished_with = status;
    finished.Notify();
  });
  std::atomic<bool> ran{false};
  grpc::ServerUnaryReactor* reactor =
      runner.Unary(&context, {Role::kCoordinator}, [&](const Principal&) {
        ran = true;
        return absl::OkStatus();
      });
  EXPECT_EQ(reactor, peer.reactor());
  ASSERT_TRUE(finished.WaitForNotificationWithTimeout(absl::Seconds(10)));
  EXPECT_THAT(finished_with, GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));
  pool.Shutdown();
  EXPECT_FALSE(ran.load());
  EXPECT_EQ(limiter.in_flight(), 0);
}

}  // namespace
}  // namespace homecare
