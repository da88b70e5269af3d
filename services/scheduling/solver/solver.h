// The scheduling engine's entry point: Solve(problem, options) plans every carer's route.
//
// Hard rules are never broken in a returned solution: skills, never-visit lists, a required
// gender, pins, double-ups starting together on two different carers, the minimum and maximum gaps
// of linked visits, shift starts and ends, and maximum working minutes. Lateness past a window's
// end is the only soft timing rule. A visit that cannot be placed comes back unassigned with the
// reason.
//
// The search is an adaptive large neighbourhood search (see search.h). It is anytime: it keeps the
// best plan found, and stops at the time limit, at the iteration budget or when *stop is set.
// With several threads each runs its own search with a seed derived from options.seed; they
// exchange their best plans at barriers every fixed number of iterations, so a run with an
// iteration budget gives the same result for the same seed and thread count.
#ifndef SERVICES_SCHEDULING_SOLVER_SOLVER_H_
#define SERVICES_SCHEDULING_SOLVER_SOLVER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "services/scheduling/solver/model.h"
#include "services/scheduling/solver/search_params.h"

namespace homecare::scheduling::solver {

struct ScheduledVisit {
  int visit = 0;
  Minutes start = 0;
  Minutes lateness = 0;
};

struct Route {
  int carer = 0;
  std::vector<ScheduledVisit> visits;
  Minutes travel = 0;
  Minutes working_minutes = 0;
  // Arrival back at the carer's end place (the shift start when the route is empty).
  Minutes end = 0;
};

enum class UnassignedReason {
  // No carer has the skills (and the required gender, and is allowed to see the client).
  kNoQualifiedCarer,
  // A pinned carer lacks a skill, the required gender or is barred from the client.
  kPinnedCarerNotQualified,
  // No qualified carer's shift or working limit can hold the visit even on its own (or reach it
  // by its latest start).
  kOutsideEveryShift,
  // The visit it is linked to cannot be placed.
  kLinkedVisitNotPlaced,
  // Qualified carers exist, but the visit fits none of their routes with the rest of the plan.
  kNoFeasiblePosition,
  // The time limit or the stop flag came before the first plan had tried to place it.
  kStoppedBeforeTried,
};

std::string_view UnassignedReasonName(UnassignedReason reason);

struct UnassignedVisit {
  int visit = 0;
  UnassignedReason reason = UnassignedReason::kNoFeasiblePosition;
};

struct ObjectiveBreakdown {
  int unassigned_visits = 0;
  Minutes travel = 0;
  // Lateness is counted per carer: a late double-up counts twice.
  Minutes total_lateness = 0;
  Minutes max_lateness = 0;
  // Carer-visits by a carer outside the client's preferred list (when it has one).
  int non_preferred_carer = 0;
  // Carer-visits by a carer the client has not met (when the client has a known list).
  int unknown_carer = 0;
  // The continuity term ObjectiveWeights::unknown_carer weighs: over carer-visits of clients
  // with a known list, (1 − Familiarity) × the client's unknown_carer_factor (so unknown_carer
  // itself when no weights or factors are given).
  double unfamiliarity = 0;
  // Carer-visits by a carer of another gender than the client prefers.
  int gender_mismatch = 0;
  // Over clients, the distinct people who visit each in the plan (ObjectiveWeights::client_carer).
  int client_carers = 0;
  // Carer-visits by a carer outside the visit's usual_carers (when it has any).
  int unusual_carer = 0;
  // The weighted sum of the above: the value the search minimises.
  double weighted = 0;
};

struct SolveStats {
  std::int64_t iterations = 0;   // over all threads
  std::int64_t evaluations = 0;  // insertions evaluated, over all threads
  double seconds = 0;
  // From the start to the first complete plan (the first search to build one, before its
  // polish).
  double first_plan_seconds = 0;
  int threads = 1;
};

struct Solution {
  // One route per carer, in the order of Problem::carers.
  std::vector<Route> routes;
  std::vector<UnassignedVisit> unassigned;
  ObjectiveBreakdown objective;
  SolveStats stats;
};

struct Progress {
  std::int64_t iterations = 0;
  double seconds = 0;
  // False while the first plan is being built: best_objective and unassigned_visits are then 0.
  bool has_plan = true;
  double best_objective = 0;
  int unassigned_visits = 0;
};

struct SolveOptions {
  ObjectiveWeights weights;
  std::uint64_t seed = 1;
  // Wall-clock limit; 0 or less for none.
  double time_limit_seconds = 0;
  // Iterations each search thread runs; 0 for none. At least one limit (or a stop flag) is needed.
  // With a budget, threads run in step, exchanging plans after every few hundred iterations, so
  // that the plan does not depend on how they were scheduled; without one each thread trades
  // with the others' best as its own epochs end and never waits for theirs.
  std::int64_t max_iterations = 0;
  int threads = 1;
  // Set from another thread to stop early; the best plan so far is returned.
  const std::atomic<bool>* stop = nullptr;
  // Called from one thread at a time: with progress_interval_seconds 0, after every exchange of
  // plans (every few hundred iterations of a thread, which on a large problem can be seconds apart,
  // and never while the first plan is built); otherwise every that many seconds from the start,
  // building included, from a thread of its own, and once more with the final plan.
  std::function<void(const Progress&)> on_progress;
  double progress_interval_seconds = 0;
  // Ends the solve as soon as the best plan places every visit that can be placed at all (a
  // repair of a few visits wants them placed now more than a shorter route later).
  bool stop_once_all_placed = false;
  // Advanced: the search's tuning.
  SearchParams search;
};

absl::StatusOr<Solution> Solve(const Problem& problem, const SolveOptions& options);

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_SOLVER_H_
