// Tuning knobs of the search. The defaults were tuned on the HHCRSP benchmark; callers normally
// leave them alone.
#ifndef SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_
#define SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_

namespace homecare::scheduling::solver {

// The ruin and recreate operators. kMaxValue must name the last one: the operator counts, and so
// the sizes of the search's per-operator tables, follow from it. It is an alias, not a value of
// its own, so a switch over the operators needs no case for it.
enum class DestroyOperator { kRandom, kWorst, kRelated, kString, kRoute, kMaxValue = kRoute };
enum class RepairOperator { kGreedy, kGreedyByWindow, kRegret2, kRegret3, kMaxValue = kRegret3 };

inline constexpr int kNumDestroyOperators = static_cast<int>(DestroyOperator::kMaxValue) + 1;
inline constexpr int kNumRepairOperators = static_cast<int>(RepairOperator::kMaxValue) + 1;

// SearchParams enables operators by bit in an unsigned mask.
static_assert(kNumDestroyOperators <= 32 && kNumRepairOperators <= 32);

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
  // Which ruin and recreate operators may run: bit i enables the operator whose value is i.
  unsigned destroy_operators = ~0u;
  unsigned repair_operators = ~0u;
  // A new best is polished: each unit moved to its best place while that lowers the cost. Up
  // to this many units, every unit is tried on every route. On a larger day that costs seconds
  // (at 3,000 visits, millions of insertions), so only the units of the routes the move changed
  // are tried, each on the routes of its polish_neighbours nearest tasks. Past the same size, a
  // double-up's positions are sorted only as far as they are read, and the first plan staffs
  // double-ups before single visits.
  int whole_polish_max_units = 1000;
  int polish_neighbours = 40;
  // Past whole_polish_max_units units, regret repair keeps each unit's options from one round
  // to the next and reads again only the routes the last insertion changed (off: every route,
  // every round; the options chosen are the same but for ties).
  bool keep_regret_options = true;
  // Past whole_polish_max_units units, where a new best is polished only on the routes the move
  // changed, the final plan is polished whole (each unit on the routes near it) until that
  // stops paying, in this share of the time limit kept back from the search. 0: no final
  // polish. Not when the solve was stopped or stops once every visit is placed (a repair).
  double final_polish_share = 0.05;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_SEARCH_PARAMS_H_
