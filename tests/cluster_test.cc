// homecare-roster on a real Redis Cluster (three masters): tenants land on every master and are
// served from each, and the Redis metrics are by node. The integration suites running on the
// cluster as well as on one Redis (one parameterised fixture) are to come.
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

}  // namespace
}  // namespace homecare
