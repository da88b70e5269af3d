// Tuning knobs of the search. The defaults were tuned on the HHCRSP benchmark; callers normally
// leave them alone.
#ifndef SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_
#define SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_

namespace homecare::scheduling::solver {

struct SearchParams {
  // Tasks removed per iteration: uniform between these, capped by a share of all tasks.
  int min_removed = 4;
  int max_removed = 40;
  double max_removed_share = 0.35;
  // Simulated annealing temperature at the start and at the end of the run, as shares of the
  // first plan's cost; it falls geometrically in between.
  double start_temperature = 0.1;
  double end_temperature = 0.0002;
  // Probability of skipping a position while searching insertions (keeps greedy varied).
  double blink = 0.01;
  // Iterations between updates of the operators' weights.
  int segment = 100;
  double reaction = 0.2;
  // Scores each repair operator per insertion it evaluated rather than per call.
  bool repair_by_work = true;
  // Which ruin and recreate operators may run, one bit each in the order of Search's enums.
  unsigned destroy_operators = ~0u;
  unsigned repair_operators = ~0u;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_
