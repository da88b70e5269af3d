// The engine on realistic provider days (issue 13), against two greedy baselines: a town made by
// town.h planned day after day for --days days, each day's plan taken as delivered and so the
// next day's continuity history, through the service's own model (BuildSolverModel). Every plan
// of every planner is checked against every hard rule (CheckSolution); a broken one fails the
// run. README.md has the figures and the commands.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bench/provider_day/greedy.h"
#include "bench/provider_day/town.h"
#include "common/time/time.h"
#include "services/scheduling/assignment_rules.h"
#include "services/scheduling/autoschedule_model.h"
#include "services/scheduling/settings_rules.h"
#include "services/scheduling/solver/solution_check.h"
#include "services/scheduling/solver/solver.h"

ABSL_FLAG(int, clients, 1000, "clients in the town");
ABSL_FLAG(int, carers, 0, "carers (0: sized from the demand)");
ABSL_FLAG(int, days, 14, "consecutive days to plan, from Monday 4 January 2027");
ABSL_FLAG(double, seconds, 10, "the engine's time limit a day");
ABSL_FLAG(int, threads, 2, "the engine's search threads");
ABSL_FLAG(uint64_t, seed, 1, "the town's seed (the engine's too)");
ABSL_FLAG(int, tc_tolerance, 15, "a time-critical visit's window: prescribed time +/- minutes");
ABSL_FLAG(double, known_max_extra_travel, 20,
          "the known-carer baseline: most minutes a known carer may travel beyond the nearest");
ABSL_FLAG(int, continuity_minutes, 0,
          "the tenant's continuity weight, minutes of travel a visit by a carer the client does "
          "not know costs (0: the default)");
ABSL_FLAG(int, carer_in_day_minutes, 0,
          "the tenant's weight of each carer a client sees in a day (0: the default)");
ABSL_FLAG(int, usual_carer_minutes, 0,
          "the tenant's weight of a visit by a carer other than the same call's a week and a day "
          "before (0: the default)");
ABSL_FLAG(int, fortnight_carers_threshold, 0,
          "the tenant's threshold of carers a client met in the last fortnight past which new "
          "faces cost ten times (0: the default; 50: off in effect)");
ABSL_FLAG(bool, covers, true,
          "favour covers who fit the week (AutoScheduleInput::covers_who_fit_the_week)");
ABSL_FLAG(std::string, planners, "engine,nearest,known", "which planners to run");
ABSL_FLAG(bool, describe, true, "print the town's figures first");
ABSL_FLAG(bool, daily, false, "print each day's figures");

namespace homecare::bench {
namespace {

namespace sv1 = scheduling::v1;

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

struct DayFigures {
  double first_plan_seconds = 0;
  double final_plan_seconds = 0;
  int visits = 0;
  int unassigned = 0;
  int time_critical = 0;
  int time_critical_late = 0;
  int time_critical_unassigned = 0;
  double contact = 0;         // carer-minutes of care
  double travel_between = 0;  // between visits of a stretch: paid
  double travel_home = 0;     // to the first visit and back from the last: not paid
  int working_carers = 0;
  std::int64_t iterations = 0;  // the engine's, over its threads
  // Over clients with a visit placed that day: the distinct carers each saw that day.
  int clients_seen = 0;
  int client_carers = 0;
};

// Mean and 90th percentile of the distinct carers each client saw.
struct Continuity {
  double mean = 0;
  int p90 = 0;
  int clients = 0;
};

Continuity ContinuityOf(const std::vector<int>& counts) {
  Continuity c;
  std::vector<int> sorted = counts;
  std::sort(sorted.begin(), sorted.end());
  c.clients = static_cast<int>(sorted.size());
  if (sorted.empty()) return c;
  double sum = 0;
  for (int n : sorted) sum += n;
  c.mean = sum / sorted.size();
  c.p90 = sorted[static_cast<size_t>(std::ceil(0.9 * sorted.size())) - 1];
  return c;
}

struct Run {
  std::string planner;
  std::vector<DayFigures> days;
  // Client id -> the carers who visited them over the days so far.
  std::map<std::string, std::set<std::string>> seen;
  std::map<std::string, std::set<std::string>> seen_first_day;
  // Client id -> carer id -> on how many days the carer visited the client.
  std::map<std::string, std::map<std::string, int>> days_together;
  std::map<std::string, bool> double_up;
  // After the first day, how many client-days (single-handed, double-handed) brought each
  // number of carers the client had not seen before.
  std::map<int, int> new_faces_a_day[2];
};

int RunPlanner(const Town& town, const std::string& planner, Run& run) {
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  const absl::CivilDay first(2027, 1, 4);
  sv1::SchedulingSettings stored;
  stored.mutable_auto_schedule()->set_continuity_minutes(absl::GetFlag(FLAGS_continuity_minutes));
  stored.mutable_auto_schedule()->set_carer_in_day_minutes(
      absl::GetFlag(FLAGS_carer_in_day_minutes));
  stored.mutable_auto_schedule()->set_usual_carer_minutes(absl::GetFlag(FLAGS_usual_carer_minutes));
  stored.mutable_auto_schedule()->set_fortnight_carers_threshold(
      absl::GetFlag(FLAGS_fortnight_carers_threshold));
  const sv1::SchedulingSettings settings = scheduling::EffectiveSettings(stored);
  const auto roster = RosterOf(town);
  std::vector<sv1::Client> clients;
  for (const TownClient& client : town.clients) {
    clients.push_back(client.client);
    run.double_up[client.client.client_id()] = client.double_up;
  }
  std::vector<sv1::Visit> history;
  for (int d = 0; d < absl::GetFlag(FLAGS_days); ++d) {
    const absl::CivilDay date = first + d;
    scheduling::AutoScheduleInput input;
    input.date = date;
    input.zone = zone;
    input.now = LocalToInstant(absl::CivilSecond(date - 1), zone);
    input.settings = &settings;
    input.visits = VisitsOn(town, date, zone);
    input.clients = clients;
    input.carers = roster;
    input.history = history;
    input.covers_who_fit_the_week = absl::GetFlag(FLAGS_covers);
    std::map<std::string, const sv1::Visit*> by_id;
    for (const sv1::Visit& visit : input.visits) by_id[visit.visit_id()] = &visit;

    const auto start = std::chrono::steady_clock::now();
    absl::StatusOr<scheduling::SolverModel> model = scheduling::BuildSolverModel(input);
    if (!model.ok()) {
      std::fprintf(stderr, "%s: %s\n", planner.c_str(), model.status().ToString().c_str());
      return 1;
    }
    const double built = Since(start);
    DayFigures day;
    absl::StatusOr<solver::Solution> solution;
    if (planner == "engine") {
      solver::SolveOptions options;
      options.weights = model->weights;
      options.seed = absl::GetFlag(FLAGS_seed);
      options.time_limit_seconds = absl::GetFlag(FLAGS_seconds);
      options.threads = absl::GetFlag(FLAGS_threads);
      solution = solver::Solve(model->problem, options);
      if (solution.ok()) {
        day.first_plan_seconds = built + solution->stats.first_plan_seconds;
        day.final_plan_seconds = built + solution->stats.seconds;
        day.iterations = solution->stats.iterations;
      }
    } else {
      GreedyOptions options;
      options.kind = planner == "known" ? GreedyKind::kKnownFirst : GreedyKind::kNearest;
      options.known_max_extra_travel = absl::GetFlag(FLAGS_known_max_extra_travel);
      solution = GreedyPlan(model->problem, options);
      day.first_plan_seconds = day.final_plan_seconds = Since(start);
    }
    if (!solution.ok()) {
      std::fprintf(stderr, "%s: %s\n", planner.c_str(), solution.status().ToString().c_str());
      return 1;
    }
    absl::StatusOr<solver::ObjectiveBreakdown> checked =
        solver::CheckSolution(model->problem, model->weights, *solution);
    if (!checked.ok()) {
      std::fprintf(stderr, "%s, %s: the plan breaks a rule: %s\n", planner.c_str(),
                   absl::FormatCivilTime(date).c_str(), checked.status().ToString().c_str());
      return 1;
    }

    // The day's figures, from the routes.
    const solver::Problem& problem = model->problem;
    std::set<std::string> working;
    for (const solver::Route& route : solution->routes) {
      if (route.visits.empty()) continue;
      working.insert(model->route_carer_ids[route.carer]);
      const solver::Carer& carer = problem.carers[route.carer];
      const solver::TravelMatrix& travel = solver::TravelOf(problem, carer);
      int at = carer.start_location;
      for (size_t i = 0; i < route.visits.size(); ++i) {
        const solver::Visit& visit = problem.visits[route.visits[i].visit];
        (i == 0 ? day.travel_home : day.travel_between) += travel(at, visit.location);
        day.contact += visit.duration;
        at = visit.location;
      }
      day.travel_home += travel(at, carer.end_location);
    }
    day.working_carers = static_cast<int>(working.size());
    for (const sv1::Visit& visit : input.visits) day.time_critical += visit.time_critical();
    day.visits = static_cast<int>(input.visits.size());
    const scheduling::AutoSchedulePlan plan = scheduling::PlanFromSolution(*model, *solution);
    day.unassigned = static_cast<int>(plan.unassigned.size());
    for (const scheduling::LeftOut& left : plan.unassigned) {
      day.time_critical_unassigned += by_id.at(left.visit_id)->time_critical();
    }
    std::map<std::string, std::set<std::string>> today;
    for (const scheduling::PlannedVisit& planned : plan.assignments) {
      const sv1::Visit& visit = *by_id.at(planned.visit_id);
      if (visit.time_critical() && planned.planned_start > StoredTime(visit.window_end())) {
        ++day.time_critical_late;
      }
      sv1::Visit delivered = visit;
      for (const std::string& carer : planned.carer_ids) {
        delivered.add_carer_ids(carer);
        today[visit.client_id()].insert(carer);
      }
      *delivered.mutable_planned_start() = TimeToProto(planned.planned_start);
      delivered.set_status(sv1::VISIT_STATUS_SCHEDULED);
      history.push_back(std::move(delivered));
    }
    day.clients_seen = static_cast<int>(today.size());
    for (const auto& [client, carers] : today) {
      day.client_carers += carers.size();
      std::set<std::string>& seen = run.seen[client];
      int new_faces = 0;
      for (const std::string& carer : carers) {
        ++run.days_together[client][carer];
        new_faces += seen.insert(carer).second;
      }
      if (d > 0) ++run.new_faces_a_day[run.double_up.at(client)][new_faces];
    }
    std::erase_if(history, [&](const sv1::Visit& visit) {
      return scheduling::PlannedStart(visit) <
             input.now - absl::Hours(24 * scheduling::kContinuityDays);
    });
    if (absl::GetFlag(FLAGS_daily)) {
      const sv1::PlanContinuity continuity = scheduling::PlanToProto(plan).continuity();
      double seen_so_far = 0, doubles_seen = 0;
      int doubles = 0;
      for (const auto& [client, carers] : run.seen) {
        seen_so_far += carers.size();
        if (run.double_up.at(client)) {
          doubles_seen += carers.size();
          ++doubles;
        }
      }
      std::printf(
          "%-7s %s: first %.2f s, final %.2f s, %lld iterations, unassigned %d, tc late %d, "
          "travel %.1f%%, distinct carers so far %.2f (double-handed %.2f); carer-visits %d, "
          "new to the client %d, off the rota %d\n",
          planner.c_str(), absl::FormatCivilTime(date).c_str(), day.first_plan_seconds,
          day.final_plan_seconds, static_cast<long long>(day.iterations), day.unassigned,
          day.time_critical_late, 100 * day.travel_between / (day.contact + day.travel_between),
          seen_so_far / std::max<size_t>(1, run.seen.size()), doubles_seen / std::max(1, doubles),
          continuity.carer_visits(), continuity.carer_visits_new_to_client(),
          continuity.carer_visits_off_rota());
      std::fflush(stdout);
    }
    run.days.push_back(day);
    if (d == 0) run.seen_first_day = run.seen;
  }
  return 0;
}

void PrintRow(const Run& run, int days, const std::map<std::string, std::set<std::string>>& seen) {
  DayFigures sum;
  double first_max = 0, final_max = 0;
  for (int d = 0; d < days; ++d) {
    const DayFigures& day = run.days[d];
    sum.first_plan_seconds += day.first_plan_seconds;
    sum.final_plan_seconds += day.final_plan_seconds;
    first_max = std::max(first_max, day.first_plan_seconds);
    final_max = std::max(final_max, day.final_plan_seconds);
    sum.visits += day.visits;
    sum.unassigned += day.unassigned;
    sum.time_critical += day.time_critical;
    sum.time_critical_late += day.time_critical_late;
    sum.time_critical_unassigned += day.time_critical_unassigned;
    sum.contact += day.contact;
    sum.travel_between += day.travel_between;
    sum.travel_home += day.travel_home;
    sum.working_carers += day.working_carers;
    sum.clients_seen += day.clients_seen;
    sum.client_carers += day.client_carers;
  }
  std::vector<int> all, single, doubles;
  for (const auto& [client, carers] : seen) {
    const int n = static_cast<int>(carers.size());
    all.push_back(n);
    (run.double_up.at(client) ? doubles : single).push_back(n);
  }
  const Continuity c_all = ContinuityOf(all);
  const Continuity c_single = ContinuityOf(single);
  const Continuity c_double = ContinuityOf(doubles);
  std::printf(
      "| %s | %d | %.2f (max %.2f) | %.2f | %d (%.2f%%) | %d, %d of %d | %.1f%% | %.1f%% | %.2f / "
      "%d "
      "| %.2f / %d | %.2f / %d | %.2f | %.1f |\n",
      run.planner.c_str(), days, sum.first_plan_seconds / days, first_max,
      sum.final_plan_seconds / days, sum.unassigned, 100.0 * sum.unassigned / sum.visits,
      sum.time_critical_late, sum.time_critical_unassigned, sum.time_critical,
      100 * sum.travel_between / (sum.contact + sum.travel_between),
      100 * (sum.travel_between + sum.travel_home) /
          (sum.contact + sum.travel_between + sum.travel_home),
      c_all.mean, c_all.p90, c_single.mean, c_single.p90, c_double.mean, c_double.p90,
      static_cast<double>(sum.client_carers) / std::max(1, sum.clients_seen),
      (sum.contact + sum.travel_between) / 60 / std::max(1, sum.working_carers));
  std::fflush(stdout);
}

// How many clients saw each number of distinct carers over the run, single- and double-handed.
void PrintSpread(const Run& run) {
  std::map<int, int> single, doubles;
  for (const auto& [client, carers] : run.seen) {
    ++(run.double_up.at(client) ? doubles : single)[static_cast<int>(carers.size())];
  }
  for (const auto& [label, spread] :
       {std::pair{"single-handed", &single}, {"double-handed", &doubles}}) {
    std::printf("%s clients by distinct carers:", label);
    for (const auto& [carers, clients] : *spread) std::printf(" %d: %d", carers, clients);
    std::printf("\n");
  }
  // A cover who comes one weekday a week shows as a pair of two days in 14; one who takes a
  // regular's two days off in a row, as four.
  std::map<int, int> pairs[2];
  for (const auto& [client, carers] : run.days_together) {
    for (const auto& [carer, days] : carers) ++pairs[run.double_up.at(client)][days];
  }
  for (const bool double_up : {false, true}) {
    std::printf("%s client-carer pairs by days together:",
                double_up ? "double-handed" : "single-handed");
    for (const auto& [days, n] : pairs[double_up]) std::printf(" %d: %d", days, n);
    std::printf("\n%s client-days after the first by carers new to the client:",
                double_up ? "double-handed" : "single-handed");
    for (const auto& [faces, n] : run.new_faces_a_day[double_up]) std::printf(" %d: %d", faces, n);
    std::printf("\n");
  }
}

void PrintHeader() {
  std::printf(
      "| planner | days | first plan, s (mean, max) | final plan, s | unassigned | time-critical "
      "late, unassigned | travel / paid time | travel incl. home legs | distinct carers per "
      "client, mean / "
      "p90 | single-handed | double-handed | distinct carers per client a day | paid hours per "
      "working carer |\n"
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
}

int Main() {
  TownOptions options;
  options.clients = absl::GetFlag(FLAGS_clients);
  options.carers = absl::GetFlag(FLAGS_carers);
  options.seed = absl::GetFlag(FLAGS_seed);
  options.time_critical_tolerance_minutes = absl::GetFlag(FLAGS_tc_tolerance);
  const Town town = MakeTown(options);
  if (absl::GetFlag(FLAGS_describe)) std::printf("%s\n", DescribeTown(town).c_str());
  const int days = absl::GetFlag(FLAGS_days);
  for (const std::string& planner : std::vector<std::string>(
           absl::StrSplit(absl::GetFlag(FLAGS_planners), ',', absl::SkipEmpty()))) {
    if (planner != "engine" && planner != "nearest" && planner != "known") {
      std::fprintf(stderr, "unknown planner %s\n", planner.c_str());
      return 2;
    }
    Run run;
    run.planner = planner;
    if (RunPlanner(town, planner, run) != 0) return 1;
    PrintHeader();
    PrintRow(run, 1, run.seen_first_day);
    if (days > 1) PrintRow(run, days, run.seen);
    if (absl::GetFlag(FLAGS_daily)) PrintSpread(run);
    std::printf("\n");
  }
  return 0;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  return homecare::bench::Main();
}
