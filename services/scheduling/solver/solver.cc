#include "services/scheduling/solver/solver.h"

#include <algorithm>
#include <atomic>
#include <barrier>
#include <chrono>
#include <cmath>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "common/concurrency/ticker.h"
#include "services/scheduling/solver/plan.h"
#include "services/scheduling/solver/search.h"
#include "services/scheduling/solver/task_model.h"

namespace homecare::scheduling::solver {
namespace {

// Iterations between two exchanges of the best plan. Fixed, so that results with an iteration
// budget do not depend on how the threads were scheduled.
constexpr std::int64_t kEpoch = 250;
constexpr int kMaxThreads = 64;

absl::Status ValidateOptions(const SolveOptions& options) {
  if (absl::Status s = ValidateWeights(options.weights); !s.ok()) return s;
  if (options.threads < 1 || options.threads > kMaxThreads) {
    return absl::InvalidArgumentError(
        absl::StrCat("options.threads: must be between 1 and ", kMaxThreads));
  }
  if (!std::isfinite(options.progress_interval_seconds) || options.progress_interval_seconds < 0) {
    return absl::InvalidArgumentError(
        "options.progress_interval_seconds: must be finite and not negative");
  }
  if (!std::isfinite(options.time_limit_seconds)) {
    return absl::InvalidArgumentError("options.time_limit_seconds: must be finite");
  }
  if (options.max_iterations < 0) {
    return absl::InvalidArgumentError("options.max_iterations: must not be negative");
  }
  const SearchParams& search = options.search;
  if (search.min_removed < 1 || search.max_removed < search.min_removed) {
    return absl::InvalidArgumentError("options.search: needs 1 <= min_removed <= max_removed");
  }
  if (!(search.max_removed_share > 0 && search.max_removed_share <= 1)) {
    return absl::InvalidArgumentError("options.search.max_removed_share: must be in (0, 1]");
  }
  if (!(search.start_temperature > 0 && search.end_temperature > 0 &&
        search.end_temperature <= search.start_temperature)) {
    return absl::InvalidArgumentError(
        "options.search: needs 0 < end_temperature <= start_temperature");
  }
  if (!(search.blink >= 0 && search.blink < 1) || search.segment < 1 ||
      !(search.reaction >= 0 && search.reaction <= 1)) {
    return absl::InvalidArgumentError("options.search: blink, segment or reaction out of range");
  }
  if (options.time_limit_seconds <= 0 && options.max_iterations == 0 && options.stop == nullptr) {
    return absl::InvalidArgumentError(
        "options: needs a time limit, an iteration budget or a stop flag");
  }
  return absl::OkStatus();
}

// Whether the carer could do the task with nothing else on the route (nor on the person's
// other stretches).
bool FitsAlone(const TaskModel& model, int task, int carer) {
  const Task& t = model.task(task);
  const CarerShift& shift = model.carer(carer);
  const Minutes out = model.leg(carer, shift.start_location, t.location);
  const Minutes back = model.leg(carer, t.location, shift.end_location);
  const Minutes start = std::max(t.earliest, shift.shift_start + out);
  const Minutes max_work = shift.person >= 0
                               ? std::min(shift.max_work, model.person_max_work(shift.person))
                               : shift.max_work;
  return start <= t.latest && start + t.duration + back <= shift.shift_end + kTimeTolerance &&
         WithinWorkingTime(out + t.duration + back, max_work);
}

UnassignedReason ReasonForTask(const Problem& problem, const TaskModel& model, int task) {
  const Task& t = model.task(task);
  const Visit& visit = problem.visits[t.visit];
  if (model.eligible_carers(task).empty()) {
    if (t.slot < static_cast<int>(visit.pinned_carers.size())) {
      return UnassignedReason::kPinnedCarerNotQualified;
    }
    return UnassignedReason::kNoQualifiedCarer;
  }
  for (int carer : model.eligible_carers(task)) {
    if (FitsAlone(model, task, carer)) return UnassignedReason::kNoFeasiblePosition;
  }
  return UnassignedReason::kOutsideEveryShift;
}

std::vector<UnassignedVisit> UnassignedVisits(const Problem& problem, const TaskModel& model,
                                              const Plan& plan, const std::vector<char>& untried) {
  std::vector<UnassignedVisit> result;
  for (int u = 0; u < model.num_units(); ++u) {
    if (plan.unit_assigned(u)) continue;
    const Unit& unit = model.unit(u);
    if (untried[u]) {
      for (int i = 0; i < unit.size; ++i) {
        const int visit = model.task(unit.tasks[i]).visit;
        if (i == 0 || visit != model.task(unit.tasks[0]).visit) {
          result.push_back({visit, UnassignedReason::kStoppedBeforeTried});
        }
      }
      continue;
    }
    UnassignedReason reasons[2] = {UnassignedReason::kNoFeasiblePosition,
                                   UnassignedReason::kNoFeasiblePosition};
    for (int i = 0; i < unit.size; ++i) reasons[i] = ReasonForTask(problem, model, unit.tasks[i]);
    if (unit.size == 2 && reasons[0] == UnassignedReason::kNoFeasiblePosition &&
        reasons[1] == UnassignedReason::kNoFeasiblePosition &&
        model.task(unit.tasks[0]).distinct_from_partner &&
        model.EligibleAreOnePerson(unit.tasks[0], unit.tasks[1])) {
      reasons[0] = reasons[1] = UnassignedReason::kNoQualifiedCarer;
    }
    const int first_visit = model.task(unit.tasks[0]).visit;
    if (unit.size == 1 || model.task(unit.tasks[1]).visit == first_visit) {
      // One visit: report the most specific reason of its carers.
      UnassignedReason reason = reasons[0];
      if (unit.size == 2 && reasons[1] != UnassignedReason::kNoFeasiblePosition) {
        reason = reasons[1];
      }
      result.push_back({first_visit, reason});
      continue;
    }
    // Two linked visits: the one that can be placed waits for the other.
    for (int i = 0; i < 2; ++i) {
      const bool other_blocked = reasons[1 - i] != UnassignedReason::kNoFeasiblePosition;
      const bool self_blocked = reasons[i] != UnassignedReason::kNoFeasiblePosition;
      UnassignedReason reason = reasons[i];
      if (!self_blocked && other_blocked) reason = UnassignedReason::kLinkedVisitNotPlaced;
      result.push_back({model.task(unit.tasks[i]).visit, reason});
    }
  }
  std::sort(result.begin(), result.end(),
            [](const UnassignedVisit& a, const UnassignedVisit& b) { return a.visit < b.visit; });
  return result;
}

Solution BuildSolution(const Problem& problem, const TaskModel& model, const Plan& plan,
                       const std::vector<char>& untried) {
  Solution solution;
  const ObjectiveWeights& w = model.weights();
  ObjectiveBreakdown& objective = solution.objective;
  std::vector<std::vector<int>> people_of_client(problem.clients.size());
  for (int c = 0; c < plan.num_routes(); ++c) {
    Route route;
    route.carer = c;
    for (int t : plan.route(c)) {
      const Task& task = model.task(t);
      route.visits.push_back({task.visit, plan.start(t), plan.lateness(t)});
      const Visit& visit = problem.visits[task.visit];
      if (!visit.usual_carers.empty() &&
          std::find(visit.usual_carers.begin(), visit.usual_carers.end(), c) ==
              visit.usual_carers.end()) {
        ++objective.unusual_carer;
      }
      if (visit.client < 0) continue;
      std::vector<int>& people = people_of_client[visit.client];
      if (std::find(people.begin(), people.end(), model.identity(c)) == people.end()) {
        people.push_back(model.identity(c));
        ++objective.client_carers;
      }
      const Client& client = problem.clients[visit.client];
      const auto has = [c](const std::vector<int>& list) {
        return std::find(list.begin(), list.end(), c) != list.end();
      };
      if (!client.preferred_carers.empty() && !has(client.preferred_carers)) {
        ++objective.non_preferred_carer;
      }
      if (!client.known_carers.empty()) {
        if (!has(client.known_carers)) ++objective.unknown_carer;
        objective.unfamiliarity += client.unknown_carer_factor * (1 - Familiarity(client, c));
      }
      if (client.preferred_gender != Gender::kUnspecified &&
          client.preferred_gender != problem.carers[c].gender) {
        ++objective.gender_mismatch;
      }
    }
    route.travel = plan.route_travel(c);
    route.working_minutes = plan.route_work(c);
    route.end = plan.route_end(c);
    solution.routes.push_back(std::move(route));
  }
  solution.unassigned = UnassignedVisits(problem, model, plan, untried);
  objective.unassigned_visits = plan.parts().unassigned_visits;
  objective.travel = plan.parts().travel;
  objective.total_lateness = plan.parts().total_lateness;
  objective.max_lateness = plan.parts().max_lateness;
  objective.weighted = plan.cost();
  (void)w;
  return solution;
}

}  // namespace

std::string_view UnassignedReasonName(UnassignedReason reason) {
  switch (reason) {
    case UnassignedReason::kNoQualifiedCarer:
      return "no qualified carer";
    case UnassignedReason::kPinnedCarerNotQualified:
      return "pinned carer not qualified";
    case UnassignedReason::kOutsideEveryShift:
      return "outside every shift";
    case UnassignedReason::kLinkedVisitNotPlaced:
      return "linked visit not placed";
    case UnassignedReason::kNoFeasiblePosition:
      return "no feasible position";
    case UnassignedReason::kStoppedBeforeTried:
      return "stopped before it was tried";
  }
  return "unknown";
}

absl::StatusOr<Solution> Solve(const Problem& problem, const SolveOptions& options) {
  if (absl::Status s = ValidateProblem(problem); !s.ok()) return s;
  if (absl::Status s = ValidateOptions(options); !s.ok()) return s;
  const auto begin = std::chrono::steady_clock::now();
  const int threads = options.threads;
  std::vector<std::unique_ptr<Search>> searches;
  std::atomic<bool> searching{false};  // `searches` made, and not changed from then on

  // With an interval, progress comes from a thread of its own, from what each search publishes,
  // so that it keeps coming while the model is made, a large first plan is built or an epoch
  // runs long.
  const bool ticking = options.on_progress && options.progress_interval_seconds > 0;
  auto published = [&]() {
    Progress progress;
    progress.has_plan = false;
    if (searching.load(std::memory_order_acquire)) {
      for (const auto& search : searches) {
        const Search::Snapshot snapshot = search->Published();
        progress.iterations += snapshot.iterations;
        if (snapshot.has_plan &&
            (!progress.has_plan || snapshot.best_cost < progress.best_objective)) {
          progress.has_plan = true;
          progress.best_objective = snapshot.best_cost;
          progress.unassigned_visits = snapshot.unassigned_visits;
        }
      }
    }
    progress.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    return progress;
  };
  std::optional<Ticker> ticker;
  if (ticking) {
    ticker.emplace(begin,
                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                       std::chrono::duration<double>(options.progress_interval_seconds)),
                   [&] { options.on_progress(published()); });
  }

  const TaskModel model(problem, options.weights);
  const SearchContext context(model);
  // Visits no carer can take at all: a plan is complete without them.
  int unplaceable_visits = 0;
  for (int u = 0; u < model.num_units(); ++u) {
    if (!context.unplaceable[u]) continue;
    unplaceable_visits += model.unit_visits(u);
  }
  const SearchParams& params = options.search;
  for (int i = 0; i < threads; ++i) {
    searches.push_back(std::make_unique<Search>(context, Random::Derive(options.seed, i), params));
  }
  searching.store(true, std::memory_order_release);

  Search::Budget budget;
  budget.total_iterations = options.max_iterations;
  budget.begin = begin;
  budget.has_deadline = options.time_limit_seconds > 0;
  if (budget.has_deadline) {
    budget.deadline = begin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                  std::chrono::duration<double>(options.time_limit_seconds));
  }
  budget.stop = options.stop;
  // On a large day the search leaves a share of the time to polish the final plan whole.
  const bool final_polish = params.final_polish_share > 0 &&
                            model.num_units() > params.whole_polish_max_units &&
                            !options.stop_once_all_placed;
  Search::Budget search_budget = budget;
  if (final_polish && budget.has_deadline) {
    search_budget.deadline =
        begin + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                    std::chrono::duration<double>(options.time_limit_seconds *
                                                  (1 - std::min(1.0, params.final_polish_share))));
  }

  // The exchange: the best plan of all threads, which each adopts when it is better than its
  // own. Threads in step copy it here after every epoch (the barrier's completion step, while
  // every thread waits); threads on their own trade with it as each epoch of theirs ends.
  Plan exchange(model);
  std::vector<char> exchange_untried;  // what the construction of `exchange` left untried
  std::vector<StopReason> reasons(threads, StopReason::kNone);
  bool finished = false;
  // Once `exchange` has changed: a repair may be over, and without a ticker progress is told.
  auto after_exchange = [&] {
    if (options.stop_once_all_placed && exchange.parts().unassigned_visits == unplaceable_visits) {
      finished = true;
    }
    if (options.on_progress && !ticking) {
      Progress progress;
      // What each search published: another thread's may still be running.
      for (const auto& search : searches) progress.iterations += search->Published().iterations;
      progress.seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
      progress.best_objective = exchange.cost();
      progress.unassigned_visits = exchange.parts().unassigned_visits;
      options.on_progress(progress);
    }
  };
  auto complete = [&]() noexcept {
    int leader = 0;
    for (int i = 1; i < threads; ++i) {
      if (searches[i]->best().cost() < searches[leader]->best().cost()) leader = i;
    }
    exchange = searches[leader]->best();
    exchange_untried = searches[leader]->untried();
    for (StopReason reason : reasons) {
      if (reason != StopReason::kNone) finished = true;
    }
    after_exchange();
  };
  std::barrier sync(threads, complete);
  auto in_step = [&](int i) {
    Search& search = *searches[i];
    search.Construct(search_budget);
    sync.arrive_and_wait();
    while (!finished) {
      if (exchange.cost() < search.best().cost() - kImprovement)
        search.Adopt(exchange, exchange_untried);
      reasons[i] = search.Run(kEpoch, search_budget);
      sync.arrive_and_wait();
    }
  };
  // With no iteration budget the plan depends on timing anyway, and threads in step wait for
  // the slowest one's epoch (7-27% of a thread's time on the 3,011-visit day). There each
  // thread trades with the exchange under a lock when its epoch ends, and goes on.
  const bool step_together = threads == 1 || options.max_iterations > 0;
  std::mutex exchange_mutex;
  bool holds_plan = false;   // `exchange` holds a thread's plan
  auto trade = [&](int i) {  // with exchange_mutex held
    const Search& search = *searches[i];
    if (!holds_plan || search.best().cost() < exchange.cost() - kImprovement) {
      exchange = search.best();
      exchange_untried = search.untried();
      holds_plan = true;
    }
    if (reasons[i] != StopReason::kNone) finished = true;
    after_exchange();
  };
  auto on_its_own = [&](int i) {
    Search& search = *searches[i];
    search.Construct(search_budget);
    {
      std::lock_guard<std::mutex> lock(exchange_mutex);
      trade(i);
    }
    while (true) {
      {
        std::lock_guard<std::mutex> lock(exchange_mutex);
        if (finished) break;
        if (exchange.cost() < search.best().cost() - kImprovement)
          search.Adopt(exchange, exchange_untried);
      }
      reasons[i] = search.Run(kEpoch, search_budget);
      std::lock_guard<std::mutex> lock(exchange_mutex);
      trade(i);
    }
  };
  std::function<void(int)> body = step_together ? std::function<void(int)>(in_step) : on_its_own;
  std::vector<std::thread> workers;
  for (int i = 1; i < threads; ++i) workers.emplace_back(body, i);
  body(0);
  for (std::thread& worker : workers) worker.join();
  if (final_polish &&
      std::find(reasons.begin(), reasons.end(), StopReason::kRequested) == reasons.end()) {
    searches[0]->PolishWhole(exchange, budget);
  }
  if (ticking) {
    ticker->Stop();
    Progress last = published();
    last.has_plan = true;
    last.best_objective = exchange.cost();
    last.unassigned_visits = exchange.parts().unassigned_visits;
    options.on_progress(last);
  }

  Solution solution = BuildSolution(problem, model, exchange, exchange_untried);
  for (const auto& search : searches) {
    solution.stats.iterations += search->iterations();
    solution.stats.evaluations += search->evaluations();
  }
  solution.stats.threads = threads;
  auto first_plan = searches[0]->first_plan_time();
  for (const auto& search : searches) first_plan = std::min(first_plan, search->first_plan_time());
  solution.stats.first_plan_seconds = std::chrono::duration<double>(first_plan - begin).count();
  solution.stats.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  return solution;
}

}  // namespace homecare::scheduling::solver
