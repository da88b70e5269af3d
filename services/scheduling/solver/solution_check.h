// Verifies a solution against every hard rule of its problem, from the routes and start times
// alone, and recomputes the objective. The tests use it on everything Solve returns; the service
// can use it on plans edited by hand.
#ifndef SERVICES_SCHEDULING_SOLVER_SOLUTION_CHECK_H_
#define SERVICES_SCHEDULING_SOLVER_SOLUTION_CHECK_H_

#include "absl/status/statusor.h"
#include "services/scheduling/solver/model.h"
#include "services/scheduling/solver/solver.h"

namespace homecare::scheduling::solver {

// FAILED_PRECONDITION listing every broken rule, or the objective recomputed from the routes.
absl::StatusOr<ObjectiveBreakdown> CheckSolution(const Problem& problem,
                                                 const ObjectiveWeights& weights,
                                                 const Solution& solution);

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_SOLUTION_CHECK_H_
