// The two baselines the engine is measured against on provider days: what a rushed coordinator
// does by hand, in one pass over the day in time order, with no second thoughts.
//
//  - kNearest: each visit (earliest window first) to the free eligible carer with the least
//    travel to it.
//  - kKnownFirst: the same, but a carer the client already knows (Client::known_carers) comes
//    first, the best known first, unless they would travel more than known_max_extra_travel
//    minutes beyond the nearest.
//
// A carer is free for a visit when they can reach it by its window's end after their last one,
// finish within their stretch and get home by its end, and stay within their working time
// (the stretch's and the person's over all their stretches): the engine's hard rules, so that
// CheckSolution holds for both. A double-up takes the best pair of two people who can start
// together. Nothing is ever moved once placed.
#ifndef HOMECARE_BENCH_PROVIDER_DAY_GREEDY_H_
#define HOMECARE_BENCH_PROVIDER_DAY_GREEDY_H_

#include "absl/status/statusor.h"
#include "services/scheduling/solver/model.h"
#include "services/scheduling/solver/solver.h"

namespace homecare::bench {

namespace solver = scheduling::solver;

enum class GreedyKind { kNearest, kKnownFirst };

struct GreedyOptions {
  GreedyKind kind = GreedyKind::kNearest;
  solver::Minutes known_max_extra_travel = 20;
};

// The plan as Solve returns it (routes in Problem::carers order, visits left unassigned); its
// objective is left for CheckSolution to compute. INVALID_ARGUMENT for a problem with linked
// visits, which the baselines do not handle (provider days have none).
absl::StatusOr<solver::Solution> GreedyPlan(const solver::Problem& problem,
                                            const GreedyOptions& options);

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_PROVIDER_DAY_GREEDY_H_
