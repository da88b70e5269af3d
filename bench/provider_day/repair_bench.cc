// The repair when a carer is off, on a provider day of the town (town.h) held by real services
// (issue 13): roster, scheduling and Redis on a test clock at 05:00 of the day; the day's visits
// made with CreateVisit, auto-scheduled and applied; then, one after another, the carers with
// the most visits that day are recorded absent for the rest of it, and the time from each
// RecordAbsence to its repair proposal is measured (and the service's own figure, from the
// roster's change reaching it). README.md has the figures.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_cat.h"
#include "bench/load/service_bench.h"
#include "bench/provider_day/town.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/testing/test_clock.h"
#include "common/testing/tokens.h"
#include "common/time/time.h"

ABSL_FLAG(int, clients, 1000, "clients in the town");
ABSL_FLAG(int, absences, 5, "carers recorded absent, one after another");
ABSL_FLAG(int, solve_seconds, 10, "AutoSchedule's time limit for the day");
ABSL_FLAG(uint64_t, seed, 1, "the town's seed");
ABSL_FLAG(bool, smoke, false, "a small town (60 clients) and two absences");
ABSL_FLAG(bool, rerun, false,
          "AutoSchedule the day a second time before the absences, and count what it moved "
          "(every assignment is then the scheduler's own, so each may move)");

namespace homecare::bench {
namespace {

namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;
using Clock = std::chrono::steady_clock;

double Since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

template <typename Call>
bool Ok(const char* what, Call call) {
  grpc::Status status = call();
  if (!status.ok()) std::fprintf(stderr, "%s: %s\n", what, status.error_message().c_str());
  return status.ok();
}

int Main() {
  const bool smoke = absl::GetFlag(FLAGS_smoke);
  TownOptions options;
  options.clients = smoke ? 60 : absl::GetFlag(FLAGS_clients);
  options.seed = absl::GetFlag(FLAGS_seed);
  const Town town = MakeTown(options);
  const int absences = smoke ? 2 : absl::GetFlag(FLAGS_absences);

  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const absl::CivilDay day = NextMonday();
  testing::TestSecret secret;
  testing::TestClock clock(LocalToInstant(absl::CivilSecond(day) + 5 * 3600, zone));
  absl::StatusOr<SchedulingStack> stack =
      StartSchedulingStack(secret, HOMECARE_ROSTER_BINARY, HOMECARE_SCHEDULING_BINARY, &clock);
  if (!stack.ok()) {
    std::fprintf(stderr, "%s\n", stack.status().ToString().c_str());
    return 1;
  }
  const std::string token = secret.Token(Role::kCoordinator, kBenchTenant);
  auto roster = rv1::RosterService::NewStub(stack->roster->NewChannel());
  auto scheduling = sv1::SchedulingService::NewStub(stack->scheduling->NewChannel());
  auto context = [&](grpc::ClientContext& c, int seconds = 30) {
    PrepareContext(c, token, absl::Seconds(seconds));
  };

  // The town into the services: carers and their weeks, clients (their exclusions by the
  // carers' new ids), the day's visits.
  const auto seeding = Clock::now();
  std::map<std::string, std::string> carer_id;  // town id -> roster id
  for (const TownCarer& carer : town.carers) {
    rv1::CreateCarerRequest create;
    *create.mutable_carer() = carer.details.carer();
    create.mutable_carer()->clear_carer_id();
    rv1::Carer made;
    if (!Ok("CreateCarer", [&] {
          grpc::ClientContext c;
          context(c);
          return roster->CreateCarer(&c, create, &made);
        })) {
      return 1;
    }
    carer_id[carer.details.carer().carer_id()] = made.carer_id();
    rv1::SetAvailabilityRequest set;
    *set.mutable_availability() = carer.details.availability();
    set.mutable_availability()->set_carer_id(made.carer_id());
    rv1::Availability stored;
    if (!Ok("SetAvailability", [&] {
          grpc::ClientContext c;
          context(c);
          return roster->SetAvailability(&c, set, &stored);
        })) {
      return 1;
    }
  }
  std::map<std::string, std::string> client_id;
  for (const TownClient& client : town.clients) {
    sv1::CreateClientRequest create;
    *create.mutable_client() = client.client;
    create.mutable_client()->clear_client_id();
    create.mutable_client()->clear_excluded_carer_ids();
    for (const std::string& excluded : client.client.excluded_carer_ids()) {
      create.mutable_client()->add_excluded_carer_ids(carer_id.at(excluded));
    }
    create.mutable_client()->set_address_line("1 High Street");
    sv1::Client made;
    if (!Ok("CreateClient", [&] {
          grpc::ClientContext c;
          context(c);
          return scheduling->CreateClient(&c, create, &made);
        })) {
      return 1;
    }
    client_id[client.client.client_id()] = made.client_id();
  }
  int visits = 0;
  for (const sv1::Visit& visit : VisitsOn(town, day, zone)) {
    sv1::CreateVisitRequest create;
    sv1::Visit& made_visit = *create.mutable_visit();
    made_visit.set_client_id(client_id.at(visit.client_id()));
    *made_visit.mutable_window_start() = visit.window_start();
    *made_visit.mutable_window_end() = visit.window_end();
    made_visit.set_duration_minutes(visit.duration_minutes());
    made_visit.set_carers_required(visit.carers_required());
    *made_visit.mutable_required_skills() = visit.required_skills();
    made_visit.set_time_critical(visit.time_critical());
    sv1::Visit made;
    if (!Ok("CreateVisit", [&] {
          grpc::ClientContext c;
          context(c);
          return scheduling->CreateVisit(&c, create, &made);
        })) {
      return 1;
    }
    ++visits;
  }
  std::printf("seeded %zu carers, %zu clients and %d visits on %s in %.1f s\n", town.carers.size(),
              town.clients.size(), visits, absl::FormatCivilTime(day).c_str(), Since(seeding));

  // The day planned and applied (twice with --rerun).
  sv1::AutoScheduleRequest request;
  *request.mutable_date() = DateToProto(day);
  request.set_time_limit_seconds(absl::GetFlag(FLAGS_solve_seconds));
  sv1::SchedulePlan plan;
  auto solve_day = [&](const char* name) {
    const auto solving = Clock::now();
    grpc::ClientContext c;
    context(c, 600);
    auto stream = scheduling->AutoSchedule(&c, request);
    sv1::AutoScheduleUpdate update;
    // Where the call's time goes: the search's last report says when it ended (loading the
    // day and building the model came first); from the first APPLYING report to the plan is
    // writing it. And the stream's silences: before the first report and between two.
    double first_heard = -1, searched_until = 0, applying_from = -1, last_heard = 0, silence = 0;
    while (stream->Read(&update)) {
      const double now = Since(solving);
      if (first_heard < 0) first_heard = now;
      silence = std::max(silence, now - last_heard);
      last_heard = now;
      if (update.has_plan()) plan = update.plan();
      if (update.has_progress()) {
        const sv1::AutoScheduleProgress& progress = update.progress();
        if (progress.phase() == sv1::AUTO_SCHEDULE_PHASE_SOLVING) {
          searched_until = progress.elapsed_seconds();
        } else if (progress.phase() == sv1::AUTO_SCHEDULE_PHASE_APPLYING && applying_from < 0) {
          applying_from = now;
        }
      }
    }
    if (!Ok("AutoSchedule", [&] { return stream->Finish(); })) return false;
    const double total = Since(solving);
    std::printf("%s: %d visits assigned, %d not, in %.1f s (solve limit %d s)\n", name,
                plan.assignments_size(), plan.unassigned_size(), total,
                absl::GetFlag(FLAGS_solve_seconds));
    std::printf(
        "  the search ended %.1f s into the call (loading the day first), then %.1f s applying "
        "the plan; the first report after %.2f s, at most %.2f s without one\n",
        searched_until, applying_from < 0 ? 0 : total - applying_from, first_heard, silence);
    std::map<std::string, int> reasons;
    for (const sv1::UnassignedVisit& visit : plan.unassigned()) ++reasons[visit.reason()];
    for (const auto& [reason, count] : reasons) std::printf("  %d: %s\n", count, reason.c_str());
    return true;
  };
  if (!solve_day("AutoSchedule")) return 1;
  if (absl::GetFlag(FLAGS_rerun)) {
    const sv1::SchedulePlan first = plan;
    if (!solve_day("AutoSchedule again")) return 1;
    std::map<std::string, const sv1::PlannedAssignment*> before;
    for (const sv1::PlannedAssignment& assignment : first.assignments()) {
      before[assignment.visit_id()] = &assignment;
    }
    int other_carers = 0;
    int other_time = 0;
    for (const sv1::PlannedAssignment& assignment : plan.assignments()) {
      auto found = before.find(assignment.visit_id());
      if (found == before.end()) continue;
      std::set<std::string> now(assignment.carer_ids().begin(), assignment.carer_ids().end());
      std::set<std::string> then(found->second->carer_ids().begin(),
                                 found->second->carer_ids().end());
      if (now != then) {
        ++other_carers;
      } else if (StoredTime(assignment.planned_start()) !=
                 StoredTime(found->second->planned_start())) {
        ++other_time;
      }
    }
    std::printf(
        "  of %d visits: %d given to other carers, %d kept their carers at another time; "
        "continuity %.2f carers per client this day\n",
        plan.assignments_size(), other_carers, other_time,
        plan.continuity().distinct_carers_per_client());
  }

  // The carers with the most visits, off for the rest of the day one after another.
  std::map<std::string, int> visits_of;
  for (const sv1::PlannedAssignment& assignment : plan.assignments()) {
    for (const std::string& carer : assignment.carer_ids()) ++visits_of[carer];
  }
  std::vector<std::pair<int, std::string>> busiest;
  for (const auto& [carer, count] : visits_of) busiest.push_back({count, carer});
  std::sort(busiest.rbegin(), busiest.rend());
  std::printf(
      "\n| carer off | visits taken off | placed again | left unassigned | seconds, absence "
      "reaching scheduling to proposal | seconds, RecordAbsence returned to proposal listed |\n"
      "|---|---|---|---|---|---|\n");
  int failures = 0;
  for (int i = 0; i < absences && i < static_cast<int>(busiest.size()); ++i) {
    const std::string& carer = busiest[i].second;
    rv1::RecordAbsenceRequest record;
    record.mutable_absence()->set_carer_id(carer);
    record.mutable_absence()->set_kind(rv1::ABSENCE_KIND_SICKNESS);
    *record.mutable_absence()->mutable_start_time() = TimeToProto(clock.now());
    *record.mutable_absence()->mutable_end_time() =
        TimeToProto(LocalToInstant(absl::CivilSecond(day + 1), zone));
    record.set_request_id(absl::StrCat("off-", i));
    rv1::Absence absence;
    if (!Ok("RecordAbsence", [&] {
          grpc::ClientContext c;
          context(c);
          return roster->RecordAbsence(&c, record, &absence);
        })) {
      return 1;
    }
    const auto recorded = Clock::now();
    std::optional<sv1::ReplanProposal> proposal;
    while (!proposal.has_value() && Since(recorded) < 60) {
      sv1::ListReplanProposalsRequest list;
      *list.mutable_date() = DateToProto(day);
      sv1::ListReplanProposalsResponse listed;
      if (!Ok("ListReplanProposals", [&] {
            grpc::ClientContext c;
            context(c);
            return scheduling->ListReplanProposals(&c, list, &listed);
          })) {
        return 1;
      }
      for (const sv1::ReplanProposal& p : listed.proposals()) {
        if (p.carer_id() == carer) proposal = p;
      }
      if (!proposal.has_value()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    const double seen = Since(recorded);
    if (!proposal.has_value()) {
      std::printf("| %s | no proposal within 60 s |\n", carer.c_str());
      ++failures;
      continue;
    }
    std::printf("| %s | %d | %d | %d | %.3f | %.3f |\n", carer.c_str(), proposal->visit_ids_size(),
                proposal->plan().assignments_size(), proposal->plan().unassigned_size(),
                proposal->seconds_to_propose(), seen);
    std::fflush(stdout);
  }
  return failures == 0 ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return homecare::bench::Main();
}
