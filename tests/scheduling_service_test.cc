// homecare-scheduling as a real process, with a real homecare-roster (for the tenant's time zone
// and localities) and a real redis-server: client -> plan -> visits -> one-off change ->
// cancellation, repeated and overlapping generation, urgent visits, tenant and role isolation
// for every RPC, and the roster or Redis going away.
#include <grpcpp/create_channel.h>
#include <sys/wait.h>

#include <atomic>
#include <cstdio>
#include <functional>
#include <optional>
#include <set>
#include <thread>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/resume_token.h"
#include "common/client/channel.h"
#include "common/server/grpc_status.h"
#include "common/status/errors.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/status_matchers.h"
#include "common/testing/subprocess.h"
#include "common/testing/tokens.h"
#include "common/testing/watch_reader.h"
#include "common/time/time.h"
#include "gmock/gmock.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "services/roster/sample_carer.h"
#include "tests/scheduling_fixture.h"

namespace homecare {
namespace {

using ::homecare::testing::At;
using ::homecare::testing::Day;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::homecare::testing::IsOk;
using ::homecare::testing::kOak;
using ::homecare::testing::kSunrise;
using ::homecare::testing::Local;
using ::homecare::testing::London;
using ::homecare::testing::NewClient;
using ::homecare::testing::Pattern;
using ::homecare::testing::ServiceProcess;
using ::homecare::testing::Stub;
using ::homecare::testing::TestClock;
using ::homecare::testing::TestSecret;
using ::homecare::testing::ViolatedFields;
using ::homecare::testing::VisitWatch;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::SizeIs;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;

using SchedulingServiceTest = ::homecare::testing::SchedulingFixture;

// Dates after the services' clock (25 November 2030): December 2030 (GMT) and the March 2031
// clock change.

TEST_F(SchedulingServiceTest, ClientPlanVisitsOneOffChangeAndCancellation) {
  sv1::Client client = CreateClient(NewClient("Edna"));
  EXPECT_EQ(client.status(), sv1::CLIENT_STATUS_ACTIVE);
  EXPECT_EQ(client.version(), 1);

  sv1::CreateCarePlanResponse plan = CreatePlan(
      client.client_id(), {Pattern("morning", 7, 8, 30), Pattern("bed", 21, 22, 45, /*carers=*/2)},
      Day(2030, 12, 2), /*budget=*/600);
  EXPECT_EQ(plan.care_plan().version(), 1);
  ASSERT_THAT(plan.warnings(), SizeIs(1)) << "7x30 + 7x45x2 = 840 minutes over a 600 budget";
  EXPECT_THAT(plan.warnings(0), HasSubstr("OVER_BUDGET"));

  // Monday 2 to Sunday 8 December 2030: 14 visits.
  sv1::GenerateVisitsResponse generated = Generate(Day(2030, 12, 2), Day(2030, 12, 8));
  EXPECT_EQ(generated.visits_created(), 14);
  EXPECT_EQ(generated.visits_already_present(), 0);

  sv1::ListVisitsRequest by_client;
  by_client.set_client_id(client.client_id());
  std::vector<sv1::Visit> tuesday =
      ListAll(by_client, Local(2030, 12, 3, 0), Local(2030, 12, 4, 0));
  ASSERT_THAT(tuesday, SizeIs(2));
  const sv1::Visit& morning = tuesday[0];
  EXPECT_EQ(At(morning.planned_start()), Local(2030, 12, 3, 7));
  EXPECT_EQ(At(morning.window_end()), Local(2030, 12, 3, 8));
  EXPECT_EQ(morning.status(), sv1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_EQ(morning.care_plan_id(), plan.care_plan().care_plan_id());
  EXPECT_EQ(morning.tasks(0).task_id(), "t1");
  EXPECT_EQ(tuesday[1].carers_required(), 2);

  // One-off change: later in the window, longer.
  sv1::UpdateVisitRequest update;
  update.mutable_visit()->set_visit_id(morning.visit_id());
  *update.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 7, 45));
  update.mutable_visit()->set_duration_minutes(40);
  update.mutable_update_mask()->add_paths("planned_start");
  update.mutable_update_mask()->add_paths("duration_minutes");
  update.set_expected_version(morning.version());
  sv1::Visit changed;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), update, &changed), GrpcOk());
  EXPECT_EQ(At(changed.planned_start()), Local(2030, 12, 3, 7, 45));
  EXPECT_EQ(changed.duration_minutes(), 40);
  // Out of the window: refused, naming the field, nothing written.
  *update.mutable_visit()->mutable_planned_start() = TimeToProto(Local(2030, 12, 3, 8, 30));
  update.set_expected_version(changed.version());
  sv1::Visit refused;
  grpc::Status out_of_window = Call(&Stub::UpdateVisit, Coordinator(), update, &refused);
  EXPECT_THAT(out_of_window, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(out_of_window), ElementsAre("visit.planned_start"));
  // A stale version is ABORTED.
  update.set_expected_version(1);
  EXPECT_THAT(Call(&Stub::UpdateVisit, Coordinator(), update, &refused),
              GrpcStatusIs(grpc::StatusCode::ABORTED));

  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(morning.visit_id());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  cancel.mutable_cancellation()->set_requested_by("Sue (daughter), by phone");
  sv1::Visit cancelled;
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk());
  EXPECT_EQ(cancelled.status(), sv1::VISIT_STATUS_CANCELLED);
  EXPECT_GT(cancelled.cancellation().notice_minutes(), 24 * 60);
  EXPECT_FALSE(cancelled.cancellation().cancelled_by().empty());
  sv1::Visit again;
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &again), GrpcOk()) << "a retry";
  EXPECT_EQ(again.version(), cancelled.version());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_PROVIDER);
  EXPECT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &again),
              GrpcStatusIs(grpc::StatusCode::FAILED_PRECONDITION));
  sv1::GetVisitRequest get;
  get.set_visit_id(morning.visit_id());
  sv1::Visit read;
  ASSERT_THAT(Call(&Stub::GetVisit, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.status(), sv1::VISIT_STATUS_CANCELLED);
  sv1::ListVisitsRequest cancelled_only;
  cancelled_only.set_status(sv1::VISIT_STATUS_CANCELLED);
  EXPECT_THAT(ListAll(cancelled_only, Local(2030, 12, 1, 0), Local(2030, 12, 9, 0)), SizeIs(1));

  // A new version from Friday the 6th drops the bedtime visit and moves the morning one: the
  // future visits follow it; the cancelled one stays cancelled; earlier days keep version 1.
  sv1::CreateCarePlanResponse second =
      CreatePlan(client.client_id(), {Pattern("morning", 9, 10, 30)}, Day(2030, 12, 6), 600,
                 plan.care_plan().care_plan_id());
  EXPECT_EQ(second.care_plan().version(), 2);
  EXPECT_THAT(second.warnings(), IsEmpty());
  sv1::GenerateVisitsResponse regenerated = Generate(Day(2030, 12, 2), Day(2030, 12, 8));
  EXPECT_EQ(regenerated.visits_created(), 0);
  EXPECT_EQ(regenerated.visits_updated(), 3);    // mornings of the 6th, 7th and 8th
  EXPECT_EQ(regenerated.visits_withdrawn(), 3);  // bedtimes of the 6th, 7th and 8th
  EXPECT_EQ(regenerated.visits_already_present(), 8);
  std::vector<sv1::Visit> saturday =
      ListAll(by_client, Local(2030, 12, 7, 0), Local(2030, 12, 8, 0));
  ASSERT_THAT(saturday, SizeIs(2));
  EXPECT_EQ(At(saturday[0].planned_start()), Local(2030, 12, 7, 9));
  EXPECT_EQ(saturday[0].care_plan_version(), 2);
  EXPECT_EQ(saturday[1].status(), sv1::VISIT_STATUS_CANCELLED);
  EXPECT_EQ(saturday[1].cancellation().reason(), sv1::CANCELLATION_REASON_CARE_PLAN_CHANGED);

  sv1::GetCarePlanRequest first_version;
  first_version.set_care_plan_id(plan.care_plan().care_plan_id());
  first_version.set_version(1);
  sv1::CarePlan stored_first;
  ASSERT_THAT(Call(&Stub::GetCarePlan, Coordinator(), first_version, &stored_first), GrpcOk());
  EXPECT_EQ(stored_first.patterns_size(), 2) << "a version never changes";
}

TEST_F(SchedulingServiceTest, RepeatedOverlappingAndConcurrentGenerationCreateEachVisitOnce) {
  for (int i = 0; i < 5; ++i) {
    sv1::Client client = CreateClient(NewClient(absl::StrCat("Client ", i)));
    CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30), Pattern("pm", 17, 18, 30)},
               Day(2030, 12, 1), 420);
  }
  sv1::GenerateVisitsResponse first = Generate(Day(2030, 12, 2), Day(2030, 12, 8));
  EXPECT_EQ(first.visits_created(), 5 * 2 * 7);
  sv1::GenerateVisitsResponse repeat = Generate(Day(2030, 12, 2), Day(2030, 12, 8));
  EXPECT_EQ(repeat.visits_created(), 0);
  EXPECT_EQ(repeat.visits_already_present(), 70);
  sv1::GenerateVisitsResponse overlap = Generate(Day(2030, 12, 6), Day(2030, 12, 12));
  EXPECT_EQ(overlap.visits_created(), 5 * 2 * 4);
  EXPECT_EQ(overlap.visits_already_present(), 5 * 2 * 3);

  // Two coordinators generating the same fortnight at once: every visit made exactly once.
  std::atomic<int> created{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&] {
      sv1::GenerateVisitsRequest request;
      *request.mutable_start_date() = Day(2030, 12, 13);
      *request.mutable_end_date() = Day(2030, 12, 26);
      sv1::GenerateVisitsResponse response;
      grpc::ClientContext context;
      PrepareContext(context, Coordinator(), absl::Seconds(20));
      grpc::Status status = stub_->GenerateVisits(&context, request, &response);
      EXPECT_TRUE(status.ok()) << status.error_message();
      created += response.visits_created();
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(created.load(), 5 * 2 * 14);
  std::vector<sv1::Visit> all = ListAll({}, Local(2030, 12, 1, 0), Local(2031, 1, 1, 0));
  EXPECT_THAT(all, SizeIs(5 * 2 * 25));
  std::set<std::string> ids;
  for (const sv1::Visit& visit : all) ids.insert(visit.visit_id());
  EXPECT_EQ(ids.size(), all.size()) << "no visit twice, across pages";
}

TEST_F(SchedulingServiceTest, EightOClockStaysEightAcrossTheClockChangeAndSuspensionsSkipDays) {
  sv1::Client client = CreateClient(NewClient("Arthur"));
  CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30)}, Day(2031, 3, 1), 210);
  // Clocks go forward on Sunday 30 March 2031.
  Generate(Day(2031, 3, 29), Day(2031, 3, 31));
  std::vector<sv1::Visit> visits = ListAll({}, Local(2031, 3, 29, 0), Local(2031, 4, 1, 0));
  ASSERT_THAT(visits, SizeIs(3));
  for (const sv1::Visit& visit : visits) {
    absl::CivilSecond local = absl::ToCivilSecond(At(visit.planned_start()), London());
    EXPECT_EQ(local.hour(), 8);
    EXPECT_EQ(local.minute(), 0);
  }
  EXPECT_EQ(At(visits[1].planned_start()) - At(visits[0].planned_start()), absl::Hours(23));

  // A hospital stay from 3 to 5 April: no visits are due; the ones already made are withdrawn.
  Generate(Day(2031, 4, 1), Day(2031, 4, 7));
  sv1::UpdateClientRequest update;
  update.mutable_client()->set_client_id(client.client_id());
  sv1::Suspension& stay = *update.mutable_client()->add_suspensions();
  stay.set_reason(sv1::SUSPENSION_REASON_HOSPITAL);
  *stay.mutable_start_date() = Day(2031, 4, 3);
  *stay.mutable_end_date() = Day(2031, 4, 5);
  update.mutable_update_mask()->add_paths("suspensions");
  update.set_expected_version(client.version());
  sv1::Client suspended;
  ASSERT_THAT(Call(&Stub::UpdateClient, Coordinator(), update, &suspended), GrpcOk());
  EXPECT_FALSE(suspended.suspensions(0).suspension_id().empty());
  // The visits already made for those days are withdrawn at once, for the stay's reason.
  sv1::ListVisitsRequest cancelled;
  cancelled.set_status(sv1::VISIT_STATUS_CANCELLED);
  std::vector<sv1::Visit> withdrawn =
      ListAll(cancelled, Local(2031, 4, 1, 0), Local(2031, 4, 8, 0));
  ASSERT_THAT(withdrawn, SizeIs(3));
  EXPECT_EQ(withdrawn[0].cancellation().reason(), sv1::CANCELLATION_REASON_CLIENT_IN_HOSPITAL);
  // Generation makes none for those days and nothing twice.
  sv1::GenerateVisitsResponse again = Generate(Day(2031, 4, 1), Day(2031, 4, 14));
  EXPECT_EQ(again.days_skipped_suspended(), 3);
  EXPECT_EQ(again.visits_withdrawn(), 0);
  EXPECT_EQ(again.visits_created(), 7);

  // Home a day early: the stay now ends on the 4th, and the 5th's visit is back.
  *update.mutable_client()->mutable_suspensions(0)->mutable_end_date() = Day(2031, 4, 4);
  *update.mutable_client()->mutable_suspensions(0)->mutable_suspension_id() =
      suspended.suspensions(0).suspension_id();
  update.set_expected_version(suspended.version());
  sv1::Client shortened;
  ASSERT_THAT(Call(&Stub::UpdateClient, Coordinator(), update, &shortened), GrpcOk());
  withdrawn = ListAll(cancelled, Local(2031, 4, 1, 0), Local(2031, 4, 8, 0));
  EXPECT_THAT(withdrawn, SizeIs(2));
  sv1::ListVisitsRequest needing;
  needing.set_status(sv1::VISIT_STATUS_NEEDS_CARER);
  EXPECT_THAT(ListAll(needing, Local(2031, 4, 5, 0), Local(2031, 4, 6, 0)), SizeIs(1));
}

// A stay recorded late changes only what is still to come: early on Wednesday, a stay from
// Tuesday to Thursday withdraws Wednesday's and Thursday's visits and leaves Tuesday's, which has
// passed; later that morning, a visit already due is left alone too.
TEST_F(SchedulingServiceTest, ASuspensionRecordedLateLeavesThePastAlone) {
  sv1::Client client = CreateClient(NewClient("Arthur"));
  CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30)}, Day(2030, 12, 1), 210);
  Generate(Day(2030, 12, 2), Day(2030, 12, 8));
  clock_.Set(Local(2030, 12, 4, 6));
  sv1::UpdateClientRequest update;
  update.mutable_client()->set_client_id(client.client_id());
  sv1::Suspension& stay = *update.mutable_client()->add_suspensions();
  stay.set_reason(sv1::SUSPENSION_REASON_HOSPITAL);
  *stay.mutable_start_date() = Day(2030, 12, 3);
  *stay.mutable_end_date() = Day(2030, 12, 5);
  update.mutable_update_mask()->add_paths("suspensions");
  sv1::Client suspended;
  ASSERT_THAT(Call(&Stub::UpdateClient, Coordinator(), update, &suspended), GrpcOk());
  sv1::ListVisitsRequest cancelled;
  cancelled.set_status(sv1::VISIT_STATUS_CANCELLED);
  std::vector<sv1::Visit> withdrawn =
      ListAll(cancelled, Local(2030, 12, 1, 0), Local(2030, 12, 9, 0));
  ASSERT_THAT(withdrawn, SizeIs(2));
  EXPECT_EQ(At(withdrawn[0].planned_start()), Local(2030, 12, 4, 8));
  EXPECT_EQ(At(withdrawn[1].planned_start()), Local(2030, 12, 5, 8));
  EXPECT_THAT(ListAll({}, Local(2030, 12, 3, 0), Local(2030, 12, 4, 0)),
              ElementsAre(::testing::Property(&sv1::Visit::status, sv1::VISIT_STATUS_NEEDS_CARER)));

  // At 10:00, home a day early (the stay ends on Wednesday): Thursday's visit is back, and
  // Wednesday's 08:00 visit, whose time has passed, stays withdrawn.
  clock_.Set(Local(2030, 12, 4, 10));
  *update.mutable_client()->mutable_suspensions(0) = suspended.suspensions(0);
  *update.mutable_client()->mutable_suspensions(0)->mutable_end_date() = Day(2030, 12, 4);
  ASSERT_THAT(Call(&Stub::UpdateClient, Coordinator(), update, &suspended), GrpcOk());
  withdrawn = ListAll(cancelled, Local(2030, 12, 1, 0), Local(2030, 12, 9, 0));
  ASSERT_THAT(withdrawn, SizeIs(1));
  EXPECT_EQ(At(withdrawn[0].planned_start()), Local(2030, 12, 4, 8));
}

TEST_F(SchedulingServiceTest, UrgentDischargeVisitStandsOutAndIsIdempotent) {
  sv1::Client client = CreateClient(NewClient("Doris"));
  CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30)}, Day(2030, 12, 1), 210);
  Generate(Day(2030, 12, 2), Day(2030, 12, 2));
  sv1::CreateVisitRequest request;
  request.set_request_id("discharge-doris");
  sv1::Visit& visit = *request.mutable_visit();
  visit.set_client_id(client.client_id());
  *visit.mutable_window_start() = TimeToProto(Local(2030, 12, 2, 14));
  *visit.mutable_window_end() = TimeToProto(Local(2030, 12, 2, 16));
  visit.set_duration_minutes(60);
  visit.set_urgent(true);
  visit.add_tasks()->set_description("Settle in, check medication from the ward");
  sv1::Visit created;
  ASSERT_THAT(Call(&Stub::CreateVisit, Coordinator(), request, &created), GrpcOk());
  EXPECT_TRUE(created.urgent());
  sv1::Visit retried;
  ASSERT_THAT(Call(&Stub::CreateVisit, Coordinator(), request, &retried), GrpcOk());
  EXPECT_EQ(retried.visit_id(), created.visit_id());
  visit.set_duration_minutes(90);
  EXPECT_THAT(Call(&Stub::CreateVisit, Coordinator(), request, &retried),
              GrpcStatusIs(grpc::StatusCode::ALREADY_EXISTS));

  std::vector<sv1::Visit> day = ListAll({}, Local(2030, 12, 2, 0), Local(2030, 12, 3, 0));
  ASSERT_THAT(day, SizeIs(2));
  EXPECT_FALSE(day[0].urgent());
  EXPECT_TRUE(day[1].urgent());
  sv1::ListVisitsRequest urgent;
  urgent.set_urgent_only(true);
  std::vector<sv1::Visit> urgent_only =
      ListAll(urgent, Local(2030, 12, 2, 0), Local(2030, 12, 3, 0));
  ASSERT_THAT(urgent_only, SizeIs(1));
  EXPECT_EQ(urgent_only[0].visit_id(), created.visit_id());
  // A repeat generation leaves the one-off visit alone.
  sv1::GenerateVisitsResponse repeat = Generate(Day(2030, 12, 2), Day(2030, 12, 2));
  EXPECT_EQ(repeat.visits_withdrawn(), 0);
}

TEST_F(SchedulingServiceTest, ValidationNamesFieldsAndWritesNothing) {
  sv1::CreateClientRequest bad;
  *bad.mutable_client() = NewClient("Nobody", "east");
  bad.mutable_client()->clear_location();
  sv1::Client client;
  grpc::Status status = Call(&Stub::CreateClient, Coordinator(), bad, &client);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("client.location", "client.locality_id"));
  sv1::ListClientsResponse clients;
  ASSERT_THAT(Call(&Stub::ListClients, Coordinator(), sv1::ListClientsRequest(), &clients),
              GrpcOk());
  EXPECT_THAT(clients.clients(), IsEmpty());

  sv1::Client real = CreateClient(NewClient("Edna"));
  sv1::CreateCarePlanRequest plan;
  plan.mutable_care_plan()->set_client_id(real.client_id());
  *plan.mutable_care_plan()->mutable_effective_date() = Day(2030, 12, 1);
  plan.mutable_care_plan()->set_weekly_budget_minutes(300);
  sv1::VisitPattern impossible = Pattern("am", 8, 8, 0);
  *plan.mutable_care_plan()->add_patterns() = impossible;
  sv1::CreateCarePlanResponse response;
  status = Call(&Stub::CreateCarePlan, Coordinator(), plan, &response);
  EXPECT_THAT(ViolatedFields(status), ElementsAre("care_plan.patterns[0].start_window",
                                                  "care_plan.patterns[0].duration_minutes"));
  sv1::ListCarePlansRequest plans;
  plans.set_client_id(real.client_id());
  sv1::ListCarePlansResponse listed;
  ASSERT_THAT(Call(&Stub::ListCarePlans, Coordinator(), plans, &listed), GrpcOk());
  EXPECT_THAT(listed.care_plans(), IsEmpty());

  sv1::GenerateVisitsRequest backwards;
  *backwards.mutable_start_date() = Day(2030, 12, 8);
  *backwards.mutable_end_date() = Day(2030, 12, 1);
  sv1::GenerateVisitsResponse counts;
  EXPECT_THAT(ViolatedFields(Call(&Stub::GenerateVisits, Coordinator(), backwards, &counts)),
              ElementsAre("end_date"));
}

// Preferred and excluded carers are asked of the roster: an id that is not a carer of the
// client's provider (made up, or another provider's carer) is refused with its field named.
TEST_F(SchedulingServiceTest, PreferredAndExcludedCarersMustBeCarersOfTheProvider) {
  auto roster_stub = rv1::RosterService::NewStub(roster_->NewChannel());
  auto new_carer = [&](const std::string& tenant, const std::string& name) {
    rv1::CreateCarerRequest request;
    request.set_request_id(absl::StrCat("carer-", tenant, "-", name));
    *request.mutable_carer() = roster::SampleCarer(name);
    grpc::ClientContext context;
    PrepareContext(context, Coordinator(tenant), absl::Seconds(10));
    rv1::Carer created;
    EXPECT_THAT(roster_stub->CreateCarer(&context, request, &created), GrpcOk());
    return created.carer_id();
  };
  const std::string ours = new_carer(kSunrise, "Ada");
  const std::string theirs = new_carer(kOak, "Bea");

  sv1::CreateClientRequest request;
  request.set_request_id("client-with-carers");
  *request.mutable_client() = NewClient("Edna");
  request.mutable_client()->add_preferred_carer_ids(ours);
  request.mutable_client()->add_preferred_carer_ids("car_nope");
  request.mutable_client()->add_excluded_carer_ids(theirs);
  sv1::Client client;
  grpc::Status status = Call(&Stub::CreateClient, Coordinator(), request, &client);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status),
              ElementsAre("client.preferred_carer_ids[1]", "client.excluded_carer_ids[0]"));
  EXPECT_THAT(status.error_message(), HasSubstr("car_nope"));
  sv1::ListClientsResponse clients;
  ASSERT_THAT(Call(&Stub::ListClients, Coordinator(), sv1::ListClientsRequest(), &clients),
              GrpcOk());
  EXPECT_THAT(clients.clients(), IsEmpty());

  request.mutable_client()->mutable_preferred_carer_ids()->RemoveLast();
  request.mutable_client()->clear_excluded_carer_ids();
  ASSERT_THAT(Call(&Stub::CreateClient, Coordinator(), request, &client), GrpcOk());
  EXPECT_THAT(client.preferred_carer_ids(), ElementsAre(ours));

  sv1::UpdateClientRequest update;
  update.mutable_client()->set_client_id(client.client_id());
  update.mutable_client()->add_excluded_carer_ids(theirs);
  update.mutable_update_mask()->add_paths("excluded_carer_ids");
  sv1::Client updated;
  status = Call(&Stub::UpdateClient, Coordinator(), update, &updated);
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("client.excluded_carer_ids[0]"));
  sv1::GetClientRequest get;
  get.set_client_id(client.client_id());
  ASSERT_THAT(Call(&Stub::GetClient, Coordinator(), get, &updated), GrpcOk());
  EXPECT_THAT(updated.excluded_carer_ids(), IsEmpty());
}

// An outside client has gRPC's default limits (8 KiB of metadata): a request that breaks
// hundreds of rules must still reach it as INVALID_ARGUMENT with readable details, not as
// RESOURCE_EXHAUSTED "received initial metadata size exceeds limit".
TEST_F(SchedulingServiceTest, ManyViolationsReachAClientWithDefaultLimits) {
  auto channel = grpc::CreateChannel(ChannelTarget(scheduling_->address()),
                                     grpc::InsecureChannelCredentials());
  auto stub = sv1::SchedulingService::NewStub(channel);
  auto call = [&](auto method, const auto& request, auto* response) {
    grpc::ClientContext context;
    context.AddMetadata("authorization", "Bearer " + Coordinator());
    context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
    return (stub.get()->*method)(&context, request, response);
  };
  const std::string client_id = CreateClient(NewClient("Edna")).client_id();

  sv1::CreateCarePlanRequest plan;
  plan.set_request_id("fifty-bad-patterns");
  plan.mutable_care_plan()->set_client_id(client_id);
  *plan.mutable_care_plan()->mutable_effective_date() = Day(2031, 1, 6);
  plan.mutable_care_plan()->set_weekly_budget_minutes(600);
  for (int i = 0; i < 50; ++i) {
    sv1::VisitPattern& pattern = *plan.mutable_care_plan()->add_patterns();
    pattern.set_pattern_id(absl::StrCat("p", i));
    pattern.set_duration_minutes(-5);
    pattern.set_carers_required(9);
  }
  sv1::CreateCarePlanResponse planned;
  grpc::Status plan_status = call(&Stub::CreateCarePlan, plan, &planned);

  sv1::CreateClientRequest client;
  *client.mutable_client() = NewClient("Contacts");
  for (int i = 0; i < 20; ++i) {
    sv1::Contact& contact = *client.mutable_client()->add_contacts();
    contact.set_relationship(std::string(300, 'x'));
    contact.set_phone("not a phone");
  }
  sv1::Client created;
  grpc::Status client_status = call(&Stub::CreateClient, client, &created);

  sv1::UpdateClientRequest update;
  update.mutable_client()->set_client_id(client_id);
  for (int i = 0; i < 10000; ++i) update.mutable_update_mask()->add_paths(absl::StrCat("no_", i));
  sv1::Client updated;
  grpc::Status update_status = call(&Stub::UpdateClient, update, &updated);

  for (const grpc::Status* status : {&plan_status, &client_status, &update_status}) {
    EXPECT_EQ(status->error_code(), grpc::StatusCode::INVALID_ARGUMENT) << status->error_message();
    EXPECT_THAT(status->error_message(), HasSubstr(" more"));
    EXPECT_GE(ViolatedFields(*status).size(), 10u);
  }
  EXPECT_THAT(ViolatedFields(update_status), Contains("update_mask.paths[0]"));
}

// The same, from Python's grpcio knowing only the standard google.rpc names
// (tests/standard_status_client.py).
TEST_F(SchedulingServiceTest, ErrorDetailsDecodeWithTheStandardGoogleRpcNames) {
  const std::string log = testing::MakeTempDir("python") + "/client.log";
  auto process = testing::Subprocess::Spawn(
      {HOMECARE_DEBIAN_PYTHON, HOMECARE_STANDARD_STATUS_CLIENT, "--address",
       ChannelTarget(scheduling_->address()), "--token", Coordinator(), "--protoc", HOMECARE_PROTOC,
       "--proto-dir", HOMECARE_PROTO_DIR},
      log);
  ASSERT_TRUE(process.ok()) << process.status();
  absl::StatusOr<int> exit = process->Wait(absl::Seconds(60));
  ASSERT_TRUE(exit.ok()) << exit.status();
  std::string output = testing::ReadFileOrEmpty(log);
  EXPECT_TRUE(WIFEXITED(*exit) && WEXITSTATUS(*exit) == 0) << output;
  EXPECT_THAT(output, HasSubstr("update mask of 10,000 unknown paths: INVALID_ARGUMENT"));
}

TEST_F(SchedulingServiceTest, OverdueReviewsAreListedForCoordinators) {
  sv1::Client edna = CreateClient(NewClient("Edna"));
  sv1::Client arthur = CreateClient(NewClient("Arthur"));
  sv1::CreateCarePlanRequest request;
  request.set_request_id("edna-plan");
  sv1::CarePlan& plan = *request.mutable_care_plan();
  plan.set_client_id(edna.client_id());
  *plan.mutable_effective_date() = Day(2030, 1, 6);
  *plan.mutable_review_date() = Day(2030, 11, 24);  // yesterday
  plan.set_weekly_budget_minutes(210);
  *plan.add_patterns() = Pattern("am", 8, 9, 30);
  sv1::CreateCarePlanResponse overdue;
  ASSERT_THAT(Call(&Stub::CreateCarePlan, Coordinator(), request, &overdue), GrpcOk());
  sv1::CreateCarePlanResponse retried;
  ASSERT_THAT(Call(&Stub::CreateCarePlan, Coordinator(), request, &retried), GrpcOk());
  EXPECT_EQ(retried.care_plan().care_plan_id(), overdue.care_plan().care_plan_id());
  EXPECT_EQ(retried.care_plan().version(), 1) << "a retry makes no second version";
  request.set_request_id("arthur-plan");
  plan.set_client_id(arthur.client_id());
  *plan.mutable_review_date() = Day(2030, 11, 25);  // today: due, not yet overdue
  sv1::CreateCarePlanResponse current;
  ASSERT_THAT(Call(&Stub::CreateCarePlan, Coordinator(), request, &current), GrpcOk());

  sv1::ListCarePlansRequest list;
  list.set_review_overdue_only(true);
  sv1::ListCarePlansResponse listed;
  ASSERT_THAT(Call(&Stub::ListCarePlans, Coordinator(), list, &listed), GrpcOk());
  ASSERT_THAT(listed.care_plans(), SizeIs(1));
  EXPECT_EQ(listed.care_plans(0).client_id(), edna.client_id());
  // A day on, Arthur's review is overdue too, asked of every plan or of his alone.
  clock_.Advance(absl::Hours(24));
  ASSERT_THAT(Call(&Stub::ListCarePlans, Coordinator(), list, &listed), GrpcOk());
  EXPECT_THAT(listed.care_plans(), SizeIs(2));
  list.set_client_id(arthur.client_id());
  ASSERT_THAT(Call(&Stub::ListCarePlans, Coordinator(), list, &listed), GrpcOk());
  EXPECT_THAT(listed.care_plans(), SizeIs(1));
  list.clear_client_id();
  list.set_review_overdue_only(false);
  ASSERT_THAT(Call(&Stub::ListCarePlans, Coordinator(), list, &listed), GrpcOk());
  EXPECT_THAT(listed.care_plans(), SizeIs(2));
}

// Every RPC, called by each caller who may not, and by another tenant's coordinator on this
// tenant's ids.
TEST_F(SchedulingServiceTest, TenantAndRoleIsolationForEveryRpc) {
  sv1::Client client = CreateClient(NewClient("Edna"));
  sv1::CreateCarePlanResponse plan =
      CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30)}, Day(2030, 12, 1), 210);
  Generate(Day(2030, 12, 2), Day(2030, 12, 2));
  std::vector<sv1::Visit> visits = ListAll({}, Local(2030, 12, 2, 0), Local(2030, 12, 3, 0));
  ASSERT_THAT(visits, SizeIs(1));
  const std::string visit_id = visits[0].visit_id();

  struct Rpc {
    std::string name;
    std::function<grpc::Status(const std::string& token)> call;
    bool names_an_id;  // another tenant gets NOT_FOUND
  };
  std::vector<Rpc> rpcs;
  {
    sv1::CreateClientRequest r;
    *r.mutable_client() = NewClient("Intruder");
    rpcs.push_back({"CreateClient",
                    [=, this](const std::string& t) {
                      sv1::Client x;
                      return Call(&Stub::CreateClient, t, r, &x);
                    },
                    false});
  }
  {
    sv1::GetClientRequest r;
    r.set_client_id(client.client_id());
    rpcs.push_back({"GetClient",
                    [=, this](const std::string& t) {
                      sv1::Client x;
                      return Call(&Stub::GetClient, t, r, &x);
                    },
                    true});
  }
  {
    sv1::UpdateClientRequest r;
    r.mutable_client()->set_client_id(client.client_id());
    r.mutable_client()->set_access_notes("changed");
    r.mutable_update_mask()->add_paths("access_notes");
    rpcs.push_back({"UpdateClient",
                    [=, this](const std::string& t) {
                      sv1::Client x;
                      return Call(&Stub::UpdateClient, t, r, &x);
                    },
                    true});
  }
  rpcs.push_back({"ListClients",
                  [=, this](const std::string& t) {
                    sv1::ListClientsResponse x;
                    return Call(&Stub::ListClients, t, sv1::ListClientsRequest(), &x);
                  },
                  false});
  {
    sv1::CreateCarePlanRequest r;
    r.mutable_care_plan()->set_care_plan_id(plan.care_plan().care_plan_id());
    *r.mutable_care_plan()->mutable_effective_date() = Day(2030, 12, 20);
    r.mutable_care_plan()->set_weekly_budget_minutes(210);
    *r.mutable_care_plan()->add_patterns() = Pattern("am", 8, 9, 30);
    rpcs.push_back({"CreateCarePlan",
                    [=, this](const std::string& t) {
                      sv1::CreateCarePlanResponse x;
                      return Call(&Stub::CreateCarePlan, t, r, &x);
                    },
                    true});
  }
  {
    sv1::GetCarePlanRequest r;
    r.set_care_plan_id(plan.care_plan().care_plan_id());
    rpcs.push_back({"GetCarePlan",
                    [=, this](const std::string& t) {
                      sv1::CarePlan x;
                      return Call(&Stub::GetCarePlan, t, r, &x);
                    },
                    true});
  }
  {
    sv1::ListCarePlansRequest r;
    r.set_client_id(client.client_id());
    rpcs.push_back({"ListCarePlans",
                    [=, this](const std::string& t) {
                      sv1::ListCarePlansResponse x;
                      return Call(&Stub::ListCarePlans, t, r, &x);
                    },
                    true});
  }
  {
    sv1::GenerateVisitsRequest r;
    *r.mutable_start_date() = Day(2030, 12, 3);
    *r.mutable_end_date() = Day(2030, 12, 3);
    r.set_client_id(client.client_id());
    rpcs.push_back({"GenerateVisits",
                    [=, this](const std::string& t) {
                      sv1::GenerateVisitsResponse x;
                      return Call(&Stub::GenerateVisits, t, r, &x);
                    },
                    true});
  }
  {
    sv1::CreateVisitRequest r;
    r.mutable_visit()->set_client_id(client.client_id());
    *r.mutable_visit()->mutable_window_start() = TimeToProto(Local(2030, 12, 4, 10));
    *r.mutable_visit()->mutable_window_end() = TimeToProto(Local(2030, 12, 4, 11));
    r.mutable_visit()->set_duration_minutes(30);
    rpcs.push_back({"CreateVisit",
                    [=, this](const std::string& t) {
                      sv1::Visit x;
                      return Call(&Stub::CreateVisit, t, r, &x);
                    },
                    true});
  }
  {
    sv1::GetVisitRequest r;
    r.set_visit_id(visit_id);
    rpcs.push_back({"GetVisit",
                    [=, this](const std::string& t) {
                      sv1::Visit x;
                      return Call(&Stub::GetVisit, t, r, &x);
                    },
                    true});
  }
  rpcs.push_back({"ListVisits",
                  [=, this](const std::string& t) {
                    sv1::ListVisitsResponse x;
                    return Call(&Stub::ListVisits, t, sv1::ListVisitsRequest(), &x);
                  },
                  false});
  {
    sv1::UpdateVisitRequest r;
    r.mutable_visit()->set_visit_id(visit_id);
    r.mutable_visit()->set_duration_minutes(35);
    r.mutable_update_mask()->add_paths("duration_minutes");
    rpcs.push_back({"UpdateVisit",
                    [=, this](const std::string& t) {
                      sv1::Visit x;
                      return Call(&Stub::UpdateVisit, t, r, &x);
                    },
                    true});
  }
  {
    sv1::CancelVisitRequest r;
    r.set_visit_id(visit_id);
    r.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_CLIENT);
    r.mutable_cancellation()->set_requested_by("client");
    rpcs.push_back({"CancelVisit",
                    [=, this](const std::string& t) {
                      sv1::Visit x;
                      return Call(&Stub::CancelVisit, t, r, &x);
                    },
                    true});
  }

  const std::vector<std::pair<std::string, std::string>> refused = {
      {"no token", ""},
      {"carer", secret_.Token(Role::kCarer, kSunrise, "car_1")},
      {"commissioner", secret_.Token(Role::kCommissioner, kSunrise)},
      {"operator", secret_.Token(Role::kOperator, "")},
      {"system for every tenant", secret_.Token(Role::kSystem, "*")},
  };
  // Carers read visits, but only their own (tests/assignment_test covers them): one who is on
  // no visit finds none.
  for (const Rpc& rpc : rpcs) {
    for (const auto& [who, token] : refused) {
      if (who == "carer" && (rpc.name == "GetVisit" || rpc.name == "ListVisits")) {
        grpc::Status status = rpc.call(token);
        EXPECT_EQ(status.error_code(),
                  rpc.name == "GetVisit" ? grpc::StatusCode::NOT_FOUND : grpc::StatusCode::OK)
            << rpc.name << " by a carer on no visit: " << status.error_message();
        continue;
      }
      grpc::Status status = rpc.call(token);
      EXPECT_THAT(status.error_code(), ::testing::AnyOf(grpc::StatusCode::UNAUTHENTICATED,
                                                        grpc::StatusCode::PERMISSION_DENIED))
          << rpc.name << " by " << who << ": " << status.error_message();
      EXPECT_EQ(status.error_code() == grpc::StatusCode::UNAUTHENTICATED, token.empty())
          << rpc.name << " by " << who;
    }
    grpc::Status other_tenant = rpc.call(Coordinator(kOak));
    if (rpc.names_an_id) {
      EXPECT_THAT(other_tenant, GrpcStatusIs(grpc::StatusCode::NOT_FOUND))
          << rpc.name << " by another tenant's coordinator";
    }
  }
  // Nothing of sunrise's leaked into oak's lists, and nothing the refused calls asked for
  // happened.
  sv1::ListClientsResponse oak_clients;
  ASSERT_THAT(Call(&Stub::ListClients, Coordinator(kOak), sv1::ListClientsRequest(), &oak_clients),
              GrpcOk());
  for (const sv1::Client& c : oak_clients.clients()) EXPECT_NE(c.client_id(), client.client_id());
  sv1::GetVisitRequest get;
  get.set_visit_id(visit_id);
  sv1::Visit unchanged;
  ASSERT_THAT(Call(&Stub::GetVisit, Coordinator(), get, &unchanged), GrpcOk());
  EXPECT_EQ(unchanged.version(), 1);
  EXPECT_EQ(unchanged.status(), sv1::VISIT_STATUS_NEEDS_CARER);
  // The tenant's own system token may do what its coordinators do.
  EXPECT_THAT(rpcs[1].call(secret_.Token(Role::kSystem, kSunrise)), GrpcOk());
}

// ---- The visit stream

TEST_F(SchedulingServiceTest, WatchVisitsStreamsEveryChangeAndResumesExactly) {
  sv1::Client client = CreateClient(NewClient("Edna"));
  CreatePlan(client.client_id(), {Pattern("morning", 7, 8, 30)}, Day(2030, 12, 2));
  auto watch = std::make_unique<VisitWatch>(*stub_, Coordinator(), "");
  watch->WaitUntilWatching();
  const common::v1::Date tuesday = Day(2030, 12, 3);
  VisitWatch on_tuesday(*stub_, Coordinator(), "", &tuesday);
  on_tuesday.WaitUntilWatching();

  ASSERT_EQ(Generate(Day(2030, 12, 2), Day(2030, 12, 4)).visits_created(), 3);
  std::vector<sv1::VisitChange> created;
  for (int i = 0; i < 3; ++i) {
    std::optional<sv1::VisitChange> change = watch->Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->kind(), sv1::VisitChange::KIND_GENERATED);
    EXPECT_EQ(change->tenant_id(), kSunrise);
    EXPECT_FALSE(change->resume_token().empty());
    created.push_back(*change);
  }
  std::set<int> days;
  for (const sv1::VisitChange& change : created) days.insert(change.visit().local_date().day());
  EXPECT_THAT(days, ElementsAre(2, 3, 4));

  // Tuesday's visit changed, then cancelled.
  const sv1::Visit& visit = created[1].visit();
  ASSERT_EQ(visit.local_date().day(), 3);
  sv1::UpdateVisitRequest update;
  update.mutable_visit()->set_visit_id(visit.visit_id());
  update.mutable_visit()->set_duration_minutes(40);
  update.mutable_update_mask()->add_paths("duration_minutes");
  sv1::Visit changed;
  ASSERT_THAT(Call(&Stub::UpdateVisit, Coordinator(), update, &changed), GrpcOk());
  sv1::CancelVisitRequest cancel;
  cancel.set_visit_id(visit.visit_id());
  cancel.mutable_cancellation()->set_reason(sv1::CANCELLATION_REASON_CANCELLED_BY_FAMILY);
  cancel.mutable_cancellation()->set_requested_by("Sue (daughter), by phone");
  sv1::Visit cancelled;
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk());
  ASSERT_THAT(Call(&Stub::CancelVisit, Coordinator(), cancel, &cancelled), GrpcOk())
      << "a retry, which changes nothing and adds no change";

  std::optional<sv1::VisitChange> updated = watch->Next();
  ASSERT_TRUE(updated.has_value());
  EXPECT_EQ(updated->kind(), sv1::VisitChange::KIND_UPDATED);
  EXPECT_EQ(updated->visit().duration_minutes(), 40);
  std::optional<sv1::VisitChange> cancellation = watch->Next();
  ASSERT_TRUE(cancellation.has_value());
  EXPECT_EQ(cancellation->kind(), sv1::VisitChange::KIND_CANCELLED);
  EXPECT_EQ(cancellation->visit().status(), sv1::VISIT_STATUS_CANCELLED);

  // The date filter: only Tuesday's visit, each of its three changes.
  std::vector<sv1::VisitChange::Kind> tuesday_kinds;
  for (int i = 0; i < 3; ++i) {
    std::optional<sv1::VisitChange> change = on_tuesday.Next();
    ASSERT_TRUE(change.has_value());
    EXPECT_EQ(change->visit().visit_id(), visit.visit_id());
    tuesday_kinds.push_back(change->kind());
  }
  EXPECT_THAT(tuesday_kinds,
              ElementsAre(sv1::VisitChange::KIND_GENERATED, sv1::VisitChange::KIND_UPDATED,
                          sv1::VisitChange::KIND_CANCELLED));
  watch.reset();

  // Resumed after the first change: exactly the four after it, in order, and nothing more.
  VisitWatch resumed(*stub_, Coordinator(), created[0].resume_token());
  std::vector<sv1::VisitChange::Kind> kinds;
  for (int i = 0; i < 4; ++i) {
    std::optional<sv1::VisitChange> change = resumed.Next();
    ASSERT_TRUE(change.has_value());
    kinds.push_back(change->kind());
  }
  EXPECT_THAT(kinds, ElementsAre(sv1::VisitChange::KIND_GENERATED, sv1::VisitChange::KIND_GENERATED,
                                 sv1::VisitChange::KIND_UPDATED, sv1::VisitChange::KIND_CANCELLED));

  // A system watcher of every tenant, from that token, sees the same and another tenant's too.
  VisitWatch everyone(*stub_, secret_.Token(Role::kSystem, "*"), cancellation->resume_token());
  sv1::Client olive = CreateClient(NewClient("Olive"), kOak);
  CreatePlan(olive.client_id(), {Pattern("morning", 7, 8, 30)}, Day(2030, 12, 2), 600, "", kOak);
  sv1::GenerateVisitsRequest generate;
  *generate.mutable_start_date() = Day(2030, 12, 2);
  *generate.mutable_end_date() = Day(2030, 12, 2);
  sv1::GenerateVisitsResponse generated;
  ASSERT_THAT(Call(&Stub::GenerateVisits, Coordinator(kOak), generate, &generated), GrpcOk());
  std::optional<sv1::VisitChange> oak = everyone.Next();
  ASSERT_TRUE(oak.has_value());
  EXPECT_EQ(oak->tenant_id(), kOak);
  EXPECT_EQ(oak->visit().client_id(), olive.client_id());
}

TEST_F(SchedulingServiceTest, WatchVisitsRefusesBadRequestsAndOtherRoles) {
  common::v1::Date bad;
  bad.set_year(2030);
  bad.set_month(13);
  bad.set_day(1);
  VisitWatch bad_date(*stub_, Coordinator(), "", &bad);
  EXPECT_FALSE(bad_date.Next().has_value());
  grpc::Status status = bad_date.Finish();
  EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
  EXPECT_THAT(ViolatedFields(status), ElementsAre("date"));
  for (const std::string& token : {std::string("garbage!"), EncodeResumeToken({{kOak, "1-0"}})}) {
    VisitWatch foreign(*stub_, Coordinator(), token);
    EXPECT_FALSE(foreign.Next().has_value());
    status = foreign.Finish();
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_THAT(ViolatedFields(status), ElementsAre("resume_token"));
  }
  // Carers watch their own visits (tests/assignment_test).
  for (Role role : {Role::kCommissioner, Role::kOperator}) {
    VisitWatch refused(*stub_, secret_.Token(role, kSunrise), "");
    EXPECT_FALSE(refused.Next().has_value());
    EXPECT_THAT(refused.Finish(), GrpcStatusIs(grpc::StatusCode::PERMISSION_DENIED));
  }
}

TEST_F(SchedulingServiceTest, RosterDownIsUnavailableWithinTheTimeoutAndWritesNothing) {
  sv1::Client client = CreateClient(NewClient("Edna"));
  CreatePlan(client.client_id(), {Pattern("am", 8, 9, 30)}, Day(2030, 12, 1), 210);
  ASSERT_THAT(roster_->Stop(), IsOk());
  // Each call is UNAVAILABLE from the scheduling service within --roster-timeout (1 s), not
  // the client's own 5 s deadline: never a hang.
  auto call = [&](auto method, const auto& request, auto* response) {
    grpc::ClientContext context;
    PrepareContext(context, Coordinator(), absl::Seconds(5));
    return (stub_.get()->*method)(&context, request, response);
  };
  sv1::CreateClientRequest create;
  *create.mutable_client() = NewClient("Arthur");
  sv1::Client created;
  EXPECT_THAT(call(&Stub::CreateClient, create, &created),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, HasSubstr("roster")));
  sv1::GenerateVisitsRequest generate;
  *generate.mutable_start_date() = Day(2030, 12, 2);
  *generate.mutable_end_date() = Day(2030, 12, 8);
  sv1::GenerateVisitsResponse counts;
  EXPECT_THAT(call(&Stub::GenerateVisits, generate, &counts),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE, HasSubstr("roster")));
  // What needs no tenant profile still works, and shows nothing was written.
  sv1::ListClientsResponse clients;
  ASSERT_THAT(Call(&Stub::ListClients, Coordinator(), sv1::ListClientsRequest(), &clients),
              GrpcOk());
  EXPECT_THAT(clients.clients(), SizeIs(1));
  EXPECT_THAT(ListAll({}, Local(2030, 12, 1, 0), Local(2030, 12, 10, 0)), IsEmpty());
}

TEST_F(SchedulingServiceTest, RedisDownIsUnavailableAndRecovers) {
  sv1::Client client = CreateClient(NewClient("Edna"));
  ASSERT_THAT(redis_->Stop(), IsOk());
  sv1::GetClientRequest get;
  get.set_client_id(client.client_id());
  sv1::Client read;
  EXPECT_THAT(Call(&Stub::GetClient, Coordinator(), get, &read),
              GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  // Health shows the outage and then the recovery; once SERVING, calls work again.
  auto channel = scheduling_->NewChannel();
  EXPECT_THAT(WaitForHealth(*channel, "", ServingStatus::kNotServing, absl::Seconds(20)), IsOk());
  ASSERT_THAT(redis_->Restart(), IsOk());
  EXPECT_THAT(WaitForHealth(*channel, "", ServingStatus::kServing, absl::Seconds(20)), IsOk());
  EXPECT_THAT(Call(&Stub::GetClient, Coordinator(), get, &read), GrpcOk());
  EXPECT_EQ(read.display_name(), "Edna");
}

TEST_F(SchedulingServiceTest, CarectlDrivesTheRealService) {
  auto run = [&](std::vector<std::string> args, std::vector<std::string> connection) {
    args.insert(args.end(), connection.begin(), connection.end());
    return RunCarectl(args);
  };
  auto carectl = [&](std::vector<std::string> args) { return Carectl(args); };
  auto [created, created_output] =
      carectl({"client", "create", "--name", "Ann Lee", "--locality", "north", "--location",
               "51.5,-0.12", "--request-id", "ann"});
  ASSERT_EQ(created, 0) << created_output;
  EXPECT_THAT(created_output, HasSubstr("client:   Ann Lee (cli_"));
  sv1::ListClientsResponse clients;
  ASSERT_THAT(Call(&Stub::ListClients, Coordinator(), sv1::ListClientsRequest(), &clients),
              GrpcOk());
  ASSERT_THAT(clients.clients(), SizeIs(1));
  const std::string client_id = clients.clients(0).client_id();
  auto [planned, plan_output] =
      carectl({"plan", "create", "--client", client_id, "--effective", "2030-12-01", "--budget",
               "100", "--patterns",
               "morning daily 07:30-08:30 30m tasks=\"Breakfast|Medication\"; bed daily "
               "21:00-22:00 45m carers=2"});
  ASSERT_EQ(planned, 0) << plan_output;
  EXPECT_THAT(plan_output, HasSubstr("OVER_BUDGET"));
  EXPECT_THAT(plan_output, HasSubstr("in force from: 2030-12-01"));
  auto [generated, generated_output] =
      carectl({"visits", "generate", "--from", "2030-12-02", "--to", "2030-12-08"});
  ASSERT_EQ(generated, 0) << generated_output;
  EXPECT_THAT(generated_output, HasSubstr("visits created:"));
  EXPECT_THAT(generated_output, HasSubstr(" 14\n"));

  // A table in local time with the client's name; --table, once needed for it, still works.
  for (std::string extra : {"--json=false", "--table"}) {
    auto [listed, listed_output] = carectl({"visit", "list", "--date", "2030-12-03", extra});
    ASSERT_EQ(listed, 0) << listed_output;
    EXPECT_THAT(listed_output, HasSubstr("START                 WINDOW       LENGTH  STATUS"));
    EXPECT_THAT(listed_output, ::testing::ContainsRegex(
                                   "Tue 2030-12-03 07:30 +07:30-08:30 +30m +needs-carer +Ann Lee "
                                   "+0/1 +vis_"));
    EXPECT_THAT(listed_output, HasSubstr("Tue 2030-12-03 21:00"));
  }
  // --json is the proto JSON the service returns, unchanged.
  auto [json, json_output] = carectl({"visit", "list", "--date", "2030-12-03", "--json"});
  ASSERT_EQ(json, 0) << json_output;
  sv1::ListVisitsResponse from_json;
  ASSERT_TRUE(google::protobuf::util::JsonStringToMessage(json_output, &from_json).ok())
      << json_output;
  std::vector<sv1::Visit> direct = ListAll({}, Local(2030, 12, 3, 0), Local(2030, 12, 4, 0));
  ASSERT_THAT(from_json.visits(), SizeIs(2));
  ASSERT_THAT(direct, SizeIs(2));
  for (int i = 0; i < 2; ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(from_json.visits(i), direct[i]));
  }
  EXPECT_THAT(json_output, HasSubstr("\"status\": \"VISIT_STATUS_NEEDS_CARER\""));
  auto [empty, empty_output] = carectl({"visit", "list", "--date", "2031-01-05"});
  ASSERT_EQ(empty, 0) << empty_output;
  EXPECT_EQ(empty_output, "no visits on that day\n");

  // A refused request names the flags, not the fields: end_date is --to, start_date --from.
  auto [bad, bad_output] =
      carectl({"visits", "generate", "--from", "2030-12-08", "--to", "2030-12-01"});
  EXPECT_NE(bad, 0);
  EXPECT_THAT(bad_output, ::testing::StartsWith("error: --to: "));
  EXPECT_THAT(bad_output, Not(HasSubstr("end_date")));
  auto [typo, typo_output] = carectl({"visit", "lst", "--date", "2030-12-03"});
  EXPECT_EQ(typo, 2);
  EXPECT_THAT(typo_output,
              HasSubstr("unknown command \"visit lst\"; did you mean \"visit list\"?"));

  // carectl rpc against this service too, and its NOT_FOUND.
  auto rpc = [&](std::vector<std::string> args) {
    return run(args, {"--addr", scheduling_->address(), "--token", Coordinator()});
  };
  auto [services, services_output] = rpc({"rpc", "list"});
  ASSERT_EQ(services, 0) << services_output;
  EXPECT_THAT(services_output, HasSubstr("homecare.scheduling.v1.SchedulingService\n"));
  auto [called, called_output] =
      rpc({"rpc", "call", "homecare.scheduling.v1.SchedulingService.GetClient", "--data",
           absl::StrCat("{\"client_id\": \"", client_id, "\"}")});
  ASSERT_EQ(called, 0) << called_output;
  EXPECT_THAT(called_output, HasSubstr("\"display_name\": \"Ann Lee\""));
  auto [missing, missing_output] =
      rpc({"rpc", "call", "homecare.scheduling.v1.SchedulingService/GetClient", "--data",
           "{\"client_id\": \"cli_nobody\"}"});
  EXPECT_EQ(missing, 1);
  EXPECT_THAT(missing_output, ::testing::StartsWith("error: NOT_FOUND: "));
}

// Every call has a request id: the caller's, when it sends a sane one, else a new one; it comes
// back in the response's metadata, is on the service's log lines (--access-log: one a call) and
// goes with the calls the service makes to the roster, onto the roster's lines.
TEST_F(SchedulingServiceTest, ARequestIdFollowsACallIntoTheRosterAndTheLogs) {
  auto traced = StartScheduling({"--access-log"});
  ASSERT_TRUE(traced.ok()) << traced.status();
  auto stub = sv1::SchedulingService::NewStub((*traced)->NewChannel());
  auto create = [&](const std::string& name, const std::string& request_id,
                    std::string* echoed) -> grpc::Status {
    sv1::CreateClientRequest request;
    *request.mutable_client() = NewClient(name);
    request.set_request_id(absl::StrCat("client-", name));
    sv1::Client created;
    grpc::ClientContext context;
    PrepareContext(context, Coordinator(), absl::Seconds(10));
    if (!request_id.empty()) context.AddMetadata("x-request-id", request_id);
    grpc::Status status = stub->CreateClient(&context, request, &created);
    auto found = context.GetServerInitialMetadata().find("x-request-id");
    if (found != context.GetServerInitialMetadata().end()) {
      echoed->assign(found->second.data(), found->second.size());
    }
    return status;
  };
  std::string echoed;
  ASSERT_THAT(create("Edna Traced", "trace-42.a_b:c", &echoed), GrpcOk());
  EXPECT_EQ(echoed, "trace-42.a_b:c");
  // A new client's locality is checked against the tenant's, which scheduling asks the roster.
  auto logged = [](const testing::ServiceProcess& service, const std::string& needle) {
    const absl::Time deadline = absl::Now() + absl::Seconds(10);
    while (absl::Now() < deadline) {
      if (absl::StrContains(service.log(), needle)) return true;
      absl::SleepFor(absl::Milliseconds(20));
    }
    return false;
  };
  EXPECT_TRUE(logged(**traced,
                     "\"message\":\"rpc\",\"request_id\":\"trace-42.a_b:c\",\"method\":"
                     "\"/homecare.scheduling.v1.SchedulingService/CreateClient\",\"code\":\"OK\""))
      << (*traced)->log();
  EXPECT_TRUE(logged(*roster_,
                     "\"request_id\":\"trace-42.a_b:c\",\"method\":\"/"
                     "homecare.roster.v1.RosterService/"))
      << roster_->log();

  // No id, or one not kept as it is (spaces, too long): a new one, sent back and logged.
  for (const std::string& given :
       {std::string(), std::string("has spaces"), std::string(65, 'x')}) {
    echoed.clear();
    ASSERT_THAT(create(absl::StrCat("Olive ", given.size()), given, &echoed), GrpcOk());
    EXPECT_EQ(echoed.size(), 32u) << echoed;
    EXPECT_NE(echoed, given);
    EXPECT_TRUE(logged(**traced, absl::StrCat("\"request_id\":\"", echoed, "\"")));
  }
  // Every line of the log is one JSON object.
  for (absl::string_view line : absl::StrSplit((*traced)->log(), '\n', absl::SkipEmpty())) {
    EXPECT_TRUE(absl::StartsWith(line, "{\"time\":\"") && absl::EndsWith(line, "}")) << line;
  }
}

}  // namespace
}  // namespace homecare
