// homecare-roster on a real Redis Cluster (three masters): tenants land on every master and are
// served from each, the Redis metrics are by node, two replicas share one channel's calls, and
// a master killed mid-stream is ridden out without a restart or a lost write. (Every integration
// suite also runs on a cluster: homecare_test BOTH_REDIS.)
#include <optional>
#include <set>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "common/client/channel.h"
#include "common/metrics/metrics_server.h"
#include "common/redis/cluster_slots.h"
#include "common/testing/redis_cluster.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/tokens.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare {
namespace {

using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::RedisCluster;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::TestSecret;
using roster::v1::RosterService;

roster::v1::CreateTenantRequest TenantRequest(const std::string& id) {
  roster::v1::CreateTenantRequest request;
  request.set_request_id(absl::StrCat("req-", id));
  request.mutable_tenant()->set_tenant_id(id);
  request.mutable_tenant()->set_display_name(absl::StrCat("Provider ", id));
  request.mutable_tenant()->set_time_zone("Europe/London");
  auto* locality = request.mutable_tenant()->add_localities();
  locality->set_locality_id("north");
  locality->set_display_name("North");
  request.mutable_tenant()->set_minimum_hourly_pay_pence(1260);
  return request;
}

TEST(ClusterTest, TheRosterServesTenantsFromEveryMaster) {
  auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 0});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  TestSecret secret;
  auto roster = ServiceProcess::Start(
      {.binary = HOMECARE_ROSTER_BINARY,
       .args = {"--redis-cluster", (*cluster)->address(0), "--secret-file", secret.path()}});
  ASSERT_TRUE(roster.ok()) << roster.status();
  auto stub = RosterService::NewStub((*roster)->NewChannel());
  const std::string token = secret.Token(Role::kOperator, "");

  std::set<int> masters;
  std::vector<std::string> tenants;
  for (int t = 0; t < 12; ++t) {
    const std::string id = absl::StrCat("provider-", t);
    tenants.push_back(id);
    masters.insert(*(*cluster)->MasterOf(KeySlot(id)));
    const roster::v1::CreateTenantRequest request = TenantRequest(id);
    roster::v1::Tenant created;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    ASSERT_THAT(stub->CreateTenant(&context, request, &created),
                GrpcStatusIs(grpc::StatusCode::OK));
  }
  ASSERT_EQ(masters.size(), 3u);  // the tenants are spread over the three masters
  for (const std::string& id : tenants) {
    roster::v1::GetTenantRequest request;
    request.set_tenant_id(id);
    roster::v1::Tenant tenant;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    ASSERT_THAT(stub->GetTenant(&context, request, &tenant), GrpcStatusIs(grpc::StatusCode::OK));
    EXPECT_EQ(tenant.tenant_id(), id);
  }
  roster::v1::ListTenantsRequest list;
  list.set_page_size(100);
  roster::v1::ListTenantsResponse listed;
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Seconds(10));
  ASSERT_THAT(stub->ListTenants(&context, list, &listed), GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(listed.tenants_size(), 12);

  // Redis calls are counted by node: every master served some.
  absl::StatusOr<std::string> metrics = (*roster)->MetricsAddress();
  ASSERT_TRUE(metrics.ok()) << metrics.status();
  std::vector<std::string> host_port = absl::StrSplit(*metrics, ':');
  absl::StatusOr<HttpResponse> scraped = HttpGet(host_port[0], std::stoi(host_port[1]), "/metrics");
  ASSERT_TRUE(scraped.ok()) << scraped.status();
  for (int node = 0; node < (*cluster)->size(); ++node) {
    EXPECT_THAT(scraped->body,
                ::testing::HasSubstr(absl::StrCat("homecare_redis_calls_total{node=\"",
                                                  (*cluster)->address(node), "\"}")))
        << scraped->body;
  }
}

// Two replicas of the roster on one cluster behind one round-robin channel: both serve calls,
// and what one writes the other reads.
TEST(ClusterTest, TwoReplicasShareTheCallsOfOneChannel) {
  auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 0});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  TestSecret secret;
  std::vector<std::unique_ptr<ServiceProcess>> replicas;
  std::vector<std::string> addresses;
  for (int r = 0; r < 2; ++r) {
    auto roster = ServiceProcess::Start(
        {.binary = HOMECARE_ROSTER_BINARY,
         .args = {"--redis-cluster", (*cluster)->seeds(), "--secret-file", secret.path()}});
    ASSERT_TRUE(roster.ok()) << roster.status();
    addresses.push_back((*roster)->address());
    replicas.push_back(*std::move(roster));
  }
  auto stub = RosterService::NewStub(MakeChannel(absl::StrJoin(addresses, ",")));
  const std::string token = secret.Token(Role::kOperator, "");
  for (int t = 0; t < 20; ++t) {
    const std::string id = absl::StrCat("shared-", t);
    const roster::v1::CreateTenantRequest request = TenantRequest(id);
    roster::v1::Tenant created;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    ASSERT_THAT(stub->CreateTenant(&context, request, &created),
                GrpcStatusIs(grpc::StatusCode::OK));
    roster::v1::GetTenantRequest get;
    get.set_tenant_id(id);
    roster::v1::Tenant read;
    grpc::ClientContext get_context;
    PrepareContext(get_context, token, absl::Seconds(10));
    ASSERT_THAT(stub->GetTenant(&get_context, get, &read), GrpcStatusIs(grpc::StatusCode::OK));
  }
  // Each replica answered some of the 40 calls.
  double total = 0;
  for (const auto& replica : replicas) {
    absl::StatusOr<std::string> metrics = replica->MetricsAddress();
    ASSERT_TRUE(metrics.ok()) << metrics.status();
    std::vector<std::string> host_port = absl::StrSplit(*metrics, ':');
    absl::StatusOr<HttpResponse> scraped =
        HttpGet(host_port[0], std::stoi(host_port[1]), "/metrics");
    ASSERT_TRUE(scraped.ok()) << scraped.status();
    // Round robin alternates once both connections are up: each replica serves about half.
    double served = 0;
    for (absl::string_view line : absl::StrSplit(scraped->body, '\n')) {
      if (!absl::ConsumePrefix(&line,
                               "homecare_rpc_server_handled_total{method=\"/"
                               "homecare.roster.v1.RosterService/")) {
        continue;
      }
      double value = 0;
      if (absl::SimpleAtod(line.substr(line.rfind(' ') + 1), &value)) served += value;
    }
    EXPECT_GE(served, 10) << replica->address() << "\n" << scraped->body;
    total += served;
  }
  EXPECT_EQ(total, 40);
}

roster::v1::CreateCarerRequest CarerRequest(int n) {
  roster::v1::CreateCarerRequest request;
  request.set_request_id(absl::StrCat("carer-", n));
  roster::v1::Carer& carer = *request.mutable_carer();
  carer.set_display_name(absl::StrCat("Carer ", n));
  carer.set_gender(common::v1::GENDER_FEMALE);
  carer.set_locality_id("north");
  carer.mutable_home()->set_latitude(51.5);
  carer.mutable_home()->set_longitude(-0.1);
  carer.set_travel_mode(roster::v1::TRAVEL_MODE_DRIVES);
  carer.set_contracted_minutes_per_week(37 * 60);
  carer.set_max_minutes_per_day(600);
  carer.set_hourly_rate_pence(1300);
  return request;
}

// The master serving a tenant killed with SIGKILL while a coordinator adds carers one after
// another, each retried with its request_id until acknowledged, on a roster that acknowledges
// only what a replica has (--redis-min-replicas-acked 1). The roster finds the promoted replica
// without a restart; every carer acknowledged is there afterwards, once.
TEST(ClusterTest, TheRosterRidesOutAKilledMasterAndLosesNoAcknowledgedWrite) {
  auto cluster = RedisCluster::Start({.masters = 3, .replicas_per_master = 1});
  ASSERT_TRUE(cluster.ok()) << cluster.status();
  TestSecret secret;
  auto roster = ServiceProcess::Start(
      {.binary = HOMECARE_ROSTER_BINARY,
       .args = {"--redis-cluster", (*cluster)->seeds(), "--redis-min-replicas-acked", "1",
                "--redis-timeout", "500ms", "--redis-breaker-open", "100ms", "--secret-file",
                secret.path()}});
  ASSERT_TRUE(roster.ok()) << roster.status();
  const pid_t pid = (*roster)->pid();
  auto stub = RosterService::NewStub((*roster)->NewChannel());
  const std::string tenant = "victim-care";
  {
    roster::v1::Tenant created;
    grpc::ClientContext context;
    PrepareContext(context, secret.Token(Role::kOperator, ""), absl::Seconds(10));
    ASSERT_THAT(stub->CreateTenant(&context, TenantRequest(tenant), &created),
                GrpcStatusIs(grpc::StatusCode::OK));
  }
  absl::StatusOr<int> victim = (*cluster)->MasterOf(KeySlot(tenant));
  ASSERT_TRUE(victim.ok()) << victim.status();
  const std::string token = secret.Token(Role::kCoordinator, tenant);

  std::vector<std::string> acknowledged;
  int refused = 0;
  int acknowledged_after_kill = 0;
  std::optional<absl::Time> killed_at;
  std::optional<absl::Duration> failed_over_after;
  std::optional<absl::Duration> resumed_after;
  const absl::Time deadline = absl::Now() + absl::Seconds(60);
  for (int n = 0; absl::Now() < deadline && acknowledged_after_kill < 30;) {
    if (!killed_at && acknowledged.size() == 30) {
      ASSERT_THAT((*cluster)->KillNode(*victim), IsOk());
      killed_at = absl::Now();
    }
    if (killed_at && !failed_over_after) {
      absl::StatusOr<int> master = (*cluster)->MasterOf(KeySlot(tenant));
      if (master.ok() && *master != *victim) {
        failed_over_after = absl::Now() - *killed_at;
        ASSERT_THAT((*cluster)->RestartNode(*victim), IsOk());  // back, as the new replica
      }
    }
    roster::v1::Carer created;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(5));
    grpc::Status status = stub->CreateCarer(&context, CarerRequest(n), &created);
    if (status.ok()) {
      acknowledged.push_back(created.carer_id());
      ++n;  // the next carer; a refused one is sent again with its request_id
      if (killed_at) {
        if (!resumed_after) resumed_after = absl::Now() - *killed_at;
        ++acknowledged_after_kill;
      }
    } else {
      ASSERT_TRUE(killed_at.has_value()) << "refused before the kill: " << status.error_message();
      ASSERT_THAT(status, GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
      ++refused;
      absl::SleepFor(absl::Milliseconds(50));  // the client's retry
    }
  }
  ASSERT_TRUE(failed_over_after.has_value()) << "no replica took over";
  ASSERT_TRUE(resumed_after.has_value()) << "writes did not resume\n" << (*roster)->log();
  EXPECT_EQ(acknowledged_after_kill, 30);
  EXPECT_GT(refused, 0);
  std::printf("failover after %s; CreateCarer refused %d times, acknowledged again after %s\n",
              absl::FormatDuration(absl::Trunc(*failed_over_after, absl::Milliseconds(1))).c_str(),
              refused,
              absl::FormatDuration(absl::Trunc(*resumed_after, absl::Milliseconds(1))).c_str());

  // The same process throughout, serving again.
  EXPECT_EQ((*roster)->pid(), pid);
  absl::StatusOr<ServingStatus> health =
      CheckHealth(*(*roster)->NewChannel(), "", absl::Seconds(5));
  ASSERT_TRUE(health.ok()) << health.status();
  EXPECT_EQ(*health, ServingStatus::kServing);
  // Every carer acknowledged is there, and no retry made one twice.
  for (const std::string& carer_id : acknowledged) {
    roster::v1::GetCarerRequest get;
    get.set_carer_id(carer_id);
    roster::v1::Carer carer;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(10));
    EXPECT_THAT(stub->GetCarer(&context, get, &carer), GrpcStatusIs(grpc::StatusCode::OK))
        << carer_id << " was acknowledged and is lost";
  }
  roster::v1::ListCarersRequest list;
  list.set_page_size(200);
  roster::v1::ListCarersResponse listed;
  grpc::ClientContext context;
  PrepareContext(context, token, absl::Seconds(10));
  ASSERT_THAT(stub->ListCarers(&context, list, &listed), GrpcStatusIs(grpc::StatusCode::OK));
  EXPECT_EQ(listed.carers_size(), static_cast<int>(acknowledged.size()));
}

}  // namespace
}  // namespace homecare
