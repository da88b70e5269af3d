// homecare-roster as a real process against a real redis-server: authentication, tenants,
// health and reflection, and Redis going away (stopped, stalled, killed).
#include <sys/wait.h>

#include <atomic>
#include <latch>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/test_redis.h"
#include "common/testing/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "tools/carectl/reflection_client.h"

namespace homecare {
namespace {

using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::StatusIs;
using ::homecare::testing::TestClock;
using ::homecare::testing::TestRedis;
using ::homecare::testing::TestSecret;
using roster::v1::RosterService;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

class RosterFoundationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto redis = TestRedis::Start();
    ASSERT_TRUE(redis.ok()) << redis.status();
    redis_ = *std::move(redis);
  }

  // Starts homecare-roster; `extra` flags come after the defaults, so they win.
  // `replicas`: 0 for what the test stack says, 1 for a test of one process.
  void StartRoster(std::vector<std::string> extra = {}, int replicas = 0) {
    std::vector<std::string> args = WithRedis({"--secret-file", secret_.path(), "--redis-timeout",
                                               "500ms", "--redis-breaker-open", "200ms"});
    args.insert(args.end(), extra.begin(), extra.end());
    auto service = ServiceProcess::Start(
        {.binary = HOMECARE_ROSTER_BINARY, .args = args, .replicas = replicas});
    ASSERT_TRUE(service.ok()) << service.status();
    roster_ = *std::move(service);
    channel_ = roster_->NewChannel();
    stub_ = RosterService::NewStub(channel_);
  }

  std::string OperatorToken() const { return secret_.Token(Role::kOperator, ""); }

  static roster::v1::CreateTenantRequest TenantRequest(const std::string& id) {
    roster::v1::CreateTenantRequest request;
    request.set_request_id(absl::StrCat("req-", id));
    auto& tenant = *request.mutable_tenant();
    tenant.set_tenant_id(id);
    tenant.set_display_name(absl::StrCat("Provider ", id));
    tenant.set_time_zone("Europe/London");
    auto* locality = tenant.add_localities();
    locality->set_locality_id("north");
    locality->set_display_name("North");
    tenant.set_minimum_hourly_pay_pence(1260);
    return request;
  }

  grpc::Status CreateTenant(const roster::v1::CreateTenantRequest& request,
                            const std::string& token, roster::v1::Tenant* response,
                            absl::Duration timeout = absl::Seconds(10)) {
    grpc::ClientContext context;
    PrepareContext(context, token, timeout);
    return stub_->CreateTenant(&context, request, response);
  }

  grpc::Status GetTenant(const std::string& id, const std::string& token,
                         roster::v1::Tenant* response, absl::Duration timeout = absl::Seconds(10)) {
    grpc::ClientContext context;
    PrepareContext(context, token, timeout);
    roster::v1::GetTenantRequest request;
    request.set_tenant_id(id);
    return stub_->GetTenant(&context, request, response);
  }

  ServingStatus Health(const std::string& service = "") {
    auto status = CheckHealth(*channel_, service, absl::Seconds(5));
    return status.ok() ? *status : ServingStatus::kUnknown;
  }

  // Waits (on the health watch, bounded) until health reports `wanted`.
  bool HealthBecomes(ServingStatus wanted, absl::Duration timeout = absl::Seconds(20)) {
    absl::Status reached = WaitForHealth(*channel_, "", wanted, timeout);
    EXPECT_THAT(reached, IsOk());
    return reached.ok();
  }

  // After Redis comes back, calls succeed again once health is SERVING: the readiness ping that
  // made it so closed the breaker, and the failures before it emptied the pool of connections
  // to the old server.
  bool ServesAgain() {
    if (!HealthBecomes(ServingStatus::kServing)) return false;
    roster::v1::Tenant tenant;
    grpc::Status status = GetTenant("nobody-care", OperatorToken(), &tenant);
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
    return status.error_code() == grpc::StatusCode::NOT_FOUND;
  }

  TestSecret secret_;
  std::vector<std::string> WithRedis(std::vector<std::string> args) const {
    std::vector<std::string> all = redis_->ServiceArgs();
    all.insert(all.end(), args.begin(), args.end());
    return all;
  }

  std::unique_ptr<TestRedis> redis_;
  std::unique_ptr<ServiceProcess> roster_;
  std::shared_ptr<grpc::Channel> channel_;
  std::unique_ptr<RosterService::Stub> stub_;
};

TEST_F(RosterFoundationTest, HealthAndReflectionDescribeTheService) {
  StartRoster();
  EXPECT_EQ(Health(""), ServingStatus::kServing);
  EXPECT_EQ(Health("homecare.roster.v1.RosterService"), ServingStatus::kServing);
  EXPECT_EQ(Health("no.such.Service"), ServingStatus::kServiceUnknown);

  ReflectionClient reflection(channel_, "", absl::Seconds(10));
  auto services = reflection.ListServices();
  ASSERT_TRUE(services.ok()) << services.status();
  EXPECT_THAT(*services, Contains("homecare.roster.v1.RosterService"));
  EXPECT_THAT(*services, Contains("grpc.health.v1.Health"));
  auto roster_files = reflection.FilesContainingSymbol("homecare.roster.v1.RosterService");
  ASSERT_TRUE(roster_files.ok()) << roster_files.status();
  EXPECT_THAT(*roster_files, Contains("homecare/roster/v1/roster.proto"));
  auto health_files = reflection.FilesContainingSymbol("grpc.health.v1.Health");
  ASSERT_TRUE(health_files.ok()) << health_files.status();
  EXPECT_THAT(*health_files, Contains("grpc/health/v1/health.proto"));
}

TEST_F(RosterFoundationTest, TokensAreCheckedOnEveryCall) {
  StartRoster();
  roster::v1::Tenant tenant;
  EXPECT_THAT(GetTenant("", "", &tenant),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED, HasSubstr("missing")));
  std::string expired = secret_.Token(Role::kCoordinator, "acme", "", -absl::Minutes(5));
  EXPECT_THAT(GetTenant("", expired, &tenant),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED, HasSubstr("expired")));
  TestSecret other_secret;
  EXPECT_THAT(GetTenant("", other_secret.Token(Role::kCoordinator, "acme"), &tenant),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED, HasSubstr("signature")));
  EXPECT_THAT(GetTenant("", "not-a-jwt", &tenant), GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED));

  grpc::ClientContext basic;
  basic.AddMetadata("authorization", "Basic dXNlcjpwYXNz");
  roster::v1::GetTenantRequest request;
  EXPECT_THAT(stub_->GetTenant(&basic, request, &tenant),
              GrpcStatusIs(grpc::StatusCode::UNAUTHENTICATED, HasSubstr("Bearer")));
}

TEST_F(RosterFoundationTest, OnlyOperatorsCreateTenants) {
  StartRoster();
  roster::v1::Tenant tenant;
  for (Role role : {Role::kCoordinator, Role::kCarer, Role::kCommissioner, Role::kSystem}) {
    std::string token = secret_.Token(role, "acme", role == Role::kCarer ? "c-1" : "");
    EXPECT_THAT(CreateTenant(TenantRequest("acme"), token, &tenant),
                GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED))
        << RoleName(role);
  }
  EXPECT_THAT(redis_->Command({"KEYS", "*"})->elements, IsEmpty());  // nothing written
}

TEST_F(RosterFoundationTest, CreateThenGetWithTenantIsolation) {
  StartRoster();
  roster::v1::Tenant created;
  ASSERT_THAT(CreateTenant(TenantRequest("sunrise-care"), OperatorToken(), &created),
              GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(created.tenant_id(), "sunrise-care");
  EXPECT_EQ(created.version(), 1);
  EXPECT_GT(created.create_time().seconds(), 0);
  ASSERT_THAT(CreateTenant(TenantRequest("dawn-care"), OperatorToken(), &created),
              GrpcStatusIs(grpc::StatusCode::OK));

  roster::v1::Tenant read;
  ASSERT_THAT(GetTenant("sunrise-care", OperatorToken(), &read),
              GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(read.display_name(), "Provider sunrise-care");
  EXPECT_EQ(read.localities(0).locality_id(), "north");

  std::string coordinator = secret_.Token(Role::kCoordinator, "sunrise-care");
  ASSERT_THAT(GetTenant("", coordinator, &read), GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(read.tenant_id(), "sunrise-care");
  // Another tenant's id is NOT_FOUND, exactly like an id that does not exist.
  EXPECT_THAT(GetTenant("dawn-care", coordinator, &read),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(GetTenant("nobody-care", coordinator, &read),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(GetTenant("nobody-care", OperatorToken(), &read),
              GrpcStatusIs(grpc::StatusCode::NOT_FOUND));
  EXPECT_THAT(GetTenant("", OperatorToken(), &read),
              GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT, HasSubstr("tenant_id")));

  // Stored as DESIGN.md says: the profile in the tenant's hash-tagged key, plus the registry.
  EXPECT_FALSE(redis_->Command({"GET", "hc:{sunrise-care}:roster:tenant"})->is_nil());
  EXPECT_EQ(redis_->Command({"ZCARD", "hc:roster:tenants"})->integer, 2);
}

TEST_F(RosterFoundationTest, CreateIsIdempotentOnRequestId) {
  StartRoster();
  roster::v1::Tenant first, retry, conflict;
  auto request = TenantRequest("sunrise-care");
  ASSERT_THAT(CreateTenant(request, OperatorToken(), &first), GrpcStatusIs(grpc::StatusCode::OK));
  ASSERT_THAT(CreateTenant(request, OperatorToken(), &retry), GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(retry.SerializeAsString(), first.SerializeAsString());  // the stored result

  auto different_payload = request;
  different_payload.mutable_tenant()->set_display_name("Someone Else");
  EXPECT_THAT(CreateTenant(different_payload, OperatorToken(), &conflict),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
  auto different_request = request;
  different_request.set_request_id("another-request");
  EXPECT_THAT(CreateTenant(different_request, OperatorToken(), &conflict),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));
}

TEST_F(RosterFoundationTest, ValidationNamesFieldsInTheDetailsAndWritesNothing) {
  StartRoster();
  auto request = TenantRequest("Not A Slug");
  request.mutable_tenant()->set_time_zone("Europe/Atlantis");
  request.mutable_tenant()->clear_display_name();
  roster::v1::Tenant tenant;
  grpc::Status status = CreateTenant(request, OperatorToken(), &tenant);
  ASSERT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  std::vector<std::string> fields;
  for (const auto& violation : FieldViolationsOf(FromGrpcStatus(status))) {
    fields.push_back(violation.field());
  }
  EXPECT_THAT(fields, ::testing::UnorderedElementsAre("tenant.tenant_id", "tenant.display_name",
                                                      "tenant.time_zone"));
  EXPECT_THAT(redis_->Command({"KEYS", "*"})->elements, IsEmpty());
}

TEST_F(RosterFoundationTest, StoppedRedisIsUnavailableThenRecoversWithoutRestart) {
  StartRoster();
  roster::v1::Tenant tenant;
  ASSERT_THAT(CreateTenant(TenantRequest("sunrise-care"), OperatorToken(), &tenant),
              GrpcStatusIs(grpc::StatusCode::OK));
  ASSERT_THAT(redis_->Stop(), IsOk());

  // UNAVAILABLE from the service, within its Redis timeouts: never the client's own deadline
  // (how fast is measured by bench/redis/redis_failure_bench).
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(GetTenant("sunrise-care", OperatorToken(), &tenant, absl::Seconds(5)),
                GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  }
  EXPECT_TRUE(HealthBecomes(ServingStatus::kNotServing));

  ASSERT_THAT(redis_->Restart(), IsOk());
  EXPECT_TRUE(HealthBecomes(ServingStatus::kServing));
  ASSERT_TRUE(ServesAgain());
  EXPECT_THAT(GetTenant("sunrise-care", OperatorToken(), &tenant),
              GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(tenant.tenant_id(), "sunrise-care");
}

TEST_F(RosterFoundationTest, StalledRedisFailsFastThroughTheBreaker) {
  // A long open period so that the breaker stays open for the whole measurement.
  // One process: each replica has a breaker of its own.
  StartRoster({"--redis-timeout", "700ms", "--redis-breaker-open", "60s"}, /*replicas=*/1);
  ASSERT_THAT(redis_->Pause(), IsOk());
  roster::v1::Tenant tenant;
  // The first calls wait out the Redis timeout; three failures open the breaker (the health
  // monitor's pings count too).
  for (int i = 0; i < 3; ++i) {
    EXPECT_THAT(GetTenant("sunrise-care", OperatorToken(), &tenant),
                GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  }
  // Then the breaker refuses at once, without waiting on Redis (how much faster than the
  // timeout is measured by bench/redis/redis_failure_bench).
  for (int i = 0; i < 10; ++i) {
    EXPECT_THAT(GetTenant("sunrise-care", OperatorToken(), &tenant),
                GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, HasSubstr("circuit breaker")));
  }
  EXPECT_TRUE(HealthBecomes(ServingStatus::kNotServing));
  ASSERT_THAT(redis_->Resume(), IsOk());
}

TEST_F(RosterFoundationTest, KilledRedisLosesNoAcknowledgedTenant) {
  StartRoster();
  // Each writer writes until its first failure; the kill comes once every writer has had 5
  // tenants acknowledged, so that it lands mid-write.
  constexpr size_t kBeforeKill = 5;
  std::vector<std::vector<std::string>> acknowledged(4);
  std::latch all_writing(4);
  std::vector<std::thread> writers;
  for (int w = 0; w < 4; ++w) {
    writers.emplace_back([&, w] {
      auto stub = RosterService::NewStub(channel_);
      for (int i = 0;; ++i) {
        std::string id = absl::StrCat("t", w, "-", i);
        grpc::ClientContext context;
        PrepareContext(context, OperatorToken(), absl::Seconds(5));
        roster::v1::Tenant tenant;
        if (!stub->CreateTenant(&context, TenantRequest(id), &tenant).ok()) break;
        acknowledged[w].push_back(id);
        if (acknowledged[w].size() == kBeforeKill) all_writing.count_down();
      }
      if (acknowledged[w].size() < kBeforeKill) all_writing.count_down();
    });
  }
  all_writing.wait();
  EXPECT_THAT(redis_->Kill(), IsOk());  // kill -9, mid-write; not ASSERT: the writers need it
  for (auto& writer : writers) writer.join();
  // The readiness check has seen the outage, so SERVING below means Redis is back.
  EXPECT_TRUE(HealthBecomes(ServingStatus::kNotServing));

  ASSERT_THAT(redis_->Restart(), IsOk());  // replays the AOF
  ASSERT_TRUE(ServesAgain());
  size_t total = 0;
  for (const auto& ids : acknowledged) {
    for (const std::string& id : ids) {
      roster::v1::Tenant tenant;
      ASSERT_THAT(GetTenant(id, OperatorToken(), &tenant), GrpcStatusIs(grpc::StatusCode::OK))
          << id << " was acknowledged but is gone";
      ++total;
    }
  }
  EXPECT_GT(total, 5u);
}

TEST_F(RosterFoundationTest, PastTheInFlightLimitCallsAreResourceExhausted) {
  StartRoster({"--max-in-flight", "1", "--redis-timeout", "2s", "--redis-breaker-open", "60s"});
  ASSERT_THAT(redis_->Pause(), IsOk());
  // Two calls at once and one slot: whichever gets it holds it for the 2 s Redis timeout, and
  // the other is shed at once.
  std::latch start(2);
  std::vector<grpc::StatusCode> codes(2);
  std::vector<std::thread> callers;
  for (int i = 0; i < 2; ++i) {
    callers.emplace_back([&, i] {
      auto stub = RosterService::NewStub(channel_);
      grpc::ClientContext context;
      PrepareContext(context, OperatorToken(), absl::Seconds(10));
      roster::v1::GetTenantRequest request;
      request.set_tenant_id("sunrise-care");
      roster::v1::Tenant tenant;
      start.arrive_and_wait();
      codes[i] = stub->GetTenant(&context, request, &tenant).error_code();
    });
  }
  for (std::thread& caller : callers) caller.join();
  EXPECT_THAT(codes, UnorderedElementsAre(grpc::StatusCode::UNAVAILABLE,
                                          grpc::StatusCode::RESOURCE_EXHAUSTED));
  ASSERT_THAT(redis_->Resume(), IsOk());
}

TEST_F(RosterFoundationTest, ServesOnAUnixSocketToo) {
  const std::string dir = ::homecare::testing::MakeTempDir("hc-sock");
  std::string socket = dir + "/roster.sock";
  StartRoster({"--unix-socket", socket}, /*replicas=*/1);  // one process on the socket
  EXPECT_EQ(roster_->address(), "unix:" + socket);
  EXPECT_EQ(Health(), ServingStatus::kServing);
  roster_.reset();
  ::homecare::testing::RemoveTree(dir);
}

TEST_F(RosterFoundationTest, SigtermShutsDownCleanly) {
  StartRoster();
  auto exit_status = roster_->Stop();
  ASSERT_TRUE(exit_status.ok()) << exit_status.status();
  EXPECT_TRUE(WIFEXITED(*exit_status) && WEXITSTATUS(*exit_status) == 0)
      << "wait status " << *exit_status << "\n"
      << roster_->log();
  EXPECT_THAT(roster_->log(), HasSubstr("stopped"));
}

// A test clock is for tests: the flag alone (say, copied into a deployment) stops start-up, and
// with the explicit setting the service's records carry the test's time.
TEST_F(RosterFoundationTest, TheTestClockNeedsTheExplicitSettingAndThenSetsNow) {
  const absl::Time now =
      absl::FromCivil(absl::CivilSecond(2031, 2, 3, 4, 5, 6), absl::UTCTimeZone());
  TestClock clock(now);
  std::vector<std::string> args = WithRedis({"--secret-file", secret_.path()});
  std::vector<std::string> flag_only = args;
  flag_only.insert(flag_only.end(), {"--test-clock", clock.path()});
  auto refused = ServiceProcess::Start({.binary = HOMECARE_ROSTER_BINARY, .args = flag_only});
  EXPECT_THAT(refused.status(), StatusIs(absl::StatusCode::kFailedPrecondition,
                                         HasSubstr("HOMECARE_ALLOW_TEST_CLOCK=1")));

  auto service =
      ServiceProcess::Start({.binary = HOMECARE_ROSTER_BINARY, .args = args, .clock = &clock});
  ASSERT_TRUE(service.ok()) << service.status();
  roster_ = *std::move(service);
  channel_ = roster_->NewChannel();
  stub_ = RosterService::NewStub(channel_);
  roster::v1::Tenant created;
  ASSERT_THAT(CreateTenant(TenantRequest("sunrise-care"), OperatorToken(), &created),
              GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(created.create_time().seconds(), absl::ToUnixSeconds(now));
  clock.Advance(absl::Hours(1));
  roster::v1::UpdateTenantRequest update;
  update.mutable_tenant()->set_tenant_id("sunrise-care");
  update.mutable_tenant()->set_display_name("Sunrise");
  update.mutable_update_mask()->add_paths("display_name");
  grpc::ClientContext context;
  PrepareContext(context, OperatorToken(), absl::Seconds(10));
  roster::v1::Tenant updated;
  ASSERT_THAT(stub_->UpdateTenant(&context, update, &updated), GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(updated.update_time().seconds(), absl::ToUnixSeconds(now + absl::Hours(1)));
}

TEST_F(RosterFoundationTest, StartsWhileRedisIsDownAndServesOnceItIsUp) {
  ASSERT_THAT(redis_->Stop(), IsOk());
  std::vector<std::string> args =
      WithRedis({"--secret-file", secret_.path(), "--redis-breaker-open", "100ms"});
  auto service = ServiceProcess::Start(
      {.binary = HOMECARE_ROSTER_BINARY, .args = args, .wait_for_serving = false});
  ASSERT_TRUE(service.ok()) << service.status();
  roster_ = *std::move(service);
  channel_ = roster_->NewChannel();
  EXPECT_EQ(Health(), ServingStatus::kNotServing);
  ASSERT_THAT(redis_->Restart(), IsOk());
  EXPECT_TRUE(HealthBecomes(ServingStatus::kServing));
}

// A second server on a taken port does not start, and says why on its log, where gRPC's own
// messages are JSON lines like the service's.
TEST_F(RosterFoundationTest, APortInUseStopsStartUpAndEveryLogLineIsJson) {
  StartRoster();
  const std::string port = roster_->address().substr(roster_->address().rfind(':') + 1);
  auto second =
      ServiceProcess::Start({.binary = HOMECARE_ROSTER_BINARY,
                             .args = WithRedis({"--secret-file", secret_.path(), "--port", port})});
  ASSERT_FALSE(second.ok());
  const std::string log(second.status().message());
  EXPECT_THAT(log, HasSubstr("\"source\":\"grpc "));
  EXPECT_THAT(log, HasSubstr("cannot start"));
  bool any = false;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    if (!absl::StartsWith(line, "{")) continue;  // the status's own text before the log
    any = true;
    EXPECT_TRUE(absl::EndsWith(line, "}")) << line;
  }
  EXPECT_TRUE(any) << log;
  for (absl::string_view line : absl::StrSplit(log, '\n', absl::SkipEmpty())) {
    EXPECT_FALSE(absl::StartsWith(line, "E1") || absl::StartsWith(line, "I1")) << line;
  }
}

}  // namespace
}  // namespace homecare
