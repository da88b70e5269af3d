// One adaptive large neighbourhood search: ruin part of the plan (always both halves of a
// double-up or a linked pair together), rebuild it by greedy or regret insertion, accept by
// simulated annealing, and polish new best plans by moving units between routes.
#ifndef SERVICES_SCHEDULING_SOLVER_SEARCH_H_
#define SERVICES_SCHEDULING_SOLVER_SEARCH_H_

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <span>
#include <utility>
#include <vector>

#include "services/scheduling/solver/insertion.h"
#include "services/scheduling/solver/plan.h"
#include "services/scheduling/solver/random.h"
#include "services/scheduling/solver/search_params.h"
#include "services/scheduling/solver/task_model.h"

namespace homecare::scheduling::solver {

// Read-only data shared by every search thread.
struct SearchContext {
  explicit SearchContext(const TaskModel& model);

  const TaskModel& model;
  // For each task, the kMaxNeighbours other tasks nearest to it, by increasing travel. Made on
  // first use, after the first plan (building it does not need them). The ruin walks these
  // only until it has removed enough (at most SearchParams' max_removed, 40 by default), and
  // the polish reads the first polish_neighbours: every other task would only take memory and
  // time (a provider's day of 3,300 tasks sorted whole took most of a second).
  static constexpr int kMaxNeighbours = 400;
  const std::vector<int>& neighbours(int task) const {
    std::call_once(neighbours_made_, [this] { MakeNeighbours(); });
    return neighbours_[task];
  }
  // Units that no carer can take at all; the search leaves them out.
  std::vector<bool> unplaceable;

 private:
  void MakeNeighbours() const;
  mutable std::once_flag neighbours_made_;
  mutable std::vector<std::vector<int>> neighbours_;
};

// How much lower a cost must be to count as better: the same plan's cost summed in another order
// differs by rounding, and that must not pass for progress (a new best, an adopted plan).
inline constexpr double kImprovement = 1e-9;

enum class StopReason { kNone, kIterations, kTime, kRequested };

class Search {
 public:
  // A way to insert a unit and its cost.
  struct Option {
    double cost = kInfeasible;
    Insertion insertion;
  };

  Search(const SearchContext& context, std::uint64_t seed, const SearchParams& params);

  struct Budget {
    std::int64_t total_iterations = 0;  // 0: no iteration budget
    std::chrono::steady_clock::time_point begin;
    std::chrono::steady_clock::time_point deadline;
    bool has_deadline = false;
    const std::atomic<bool>* stop = nullptr;
  };

  // Builds the first plan by greedy insertion in order of window and polishes it. When the
  // deadline passes or *stop is set first, it stops with what it has placed (a valid plan) and
  // the units it never tried are listed by untried().
  void Construct(const Budget& budget);

  // Runs iterations until `count` more have run, the deadline passes or *stop is set. progress
  // (0 to 1) drives the annealing temperature; with an iteration budget it is computed from
  // iterations only, so runs are reproducible. The polish of a new best also stops at the
  // deadline or *stop, so that a limit is kept on a large day.
  StopReason Run(std::int64_t count, const Budget& budget);

  const Plan& best() const { return best_; }
  // Polishes `plan` whole, round after round while a round lowers its cost, until the budget's
  // deadline or stop flag.
  void PolishWhole(Plan& plan, const Budget& budget);
  // When construction had a complete plan (before its polish).
  std::chrono::steady_clock::time_point first_plan_time() const { return first_plan_time_; }
  // By unit: 1 for those construction never tried because it was stopped.
  const std::vector<char>& untried() const { return untried_; }
  // What another thread may read while the search runs (for progress reports): iterations run,
  // and the best plan's cost and unassigned visits once construction has made one.
  struct Snapshot {
    std::int64_t iterations = 0;
    bool has_plan = false;
    double best_cost = 0;
    int unassigned_visits = 0;
  };
  Snapshot Published() const;
  const Plan& current() const { return current_; }
  std::int64_t iterations() const { return iterations_; }
  std::int64_t evaluations() const { return evaluator_.evaluations(); }
  // Takes another search's best plan (and what its construction left untried) as this search's
  // best and current plan.
  void Adopt(const Plan& plan, const std::vector<char>& untried);

 private:
  // One task placed alone. `lower` bounds its cost without the maximum-lateness term from below:
  // first from its detour and own lateness only, then, once evaluated, exactly (with its start
  // and the plan's maximum lateness then) or at least up to the bound it was evaluated against.
  struct SoloPosition {
    double lower = 0;
    bool exact = false;
    Minutes start = 0;
    Minutes max_lateness = 0;
    int route = 0;
    int position = 0;
  };
  // A task's solo positions, indexed by carer.
  struct SoloTable {
    std::vector<std::vector<SoloPosition>> routes;
    // By carer: no position of the route costs less (kInfeasible when it has none). Regret
    // repair reads these in one array to pass over the routes that cannot beat its options,
    // where reading each route's own list missed the cache for most of the search's time.
    std::vector<double> floor;
    void Resize(int carers) {
      routes.resize(carers);
      floor.resize(carers, kInfeasible);
    }
  };

  double Temperature(double progress) const;
  void Iterate(double progress);

  // Ruin.
  int RemovalTarget();
  void RemoveUnit(Plan& plan, int unit);
  void RandomRemoval(Plan& plan, int target);
  void WorstRemoval(Plan& plan, int target);
  void RelatedRemoval(Plan& plan, int target);
  void StringRemoval(Plan& plan, int target);
  void RouteRemoval(Plan& plan, int target);

  // Whether the budget's deadline has passed or *stop is set; only looked at every few calls
  // (and never without a budget), since it is asked once per unit placed.
  bool Interrupted();
  void PublishBest();

  StopReason RunIterations(std::int64_t count, const Budget& budget);

  // Recreate. Both stop early when Interrupted(); GreedyInsert then lists the units it did not
  // reach in `not_reached`, when given.
  // With near_first on a day of more than params_.whole_polish_max_units units, each unit is
  // tried on the routes near it (NearCarers) first, and on every eligible carer only when none
  // of those has room.
  void GreedyInsert(Plan& plan, bool by_window, std::vector<int>* not_reached = nullptr,
                    bool near_first = false);
  void RegretInsert(Plan& plan, int k);
  // The k cheapest options for a unit, distinct by route (by route pair for two-task units),
  // cheapest first; fewer when fewer exist.
  int BestOptions(const Plan& plan, int unit, int k, double blink, Option* options);
  // Which carers BestOptions tries for a task.
  enum class CarerSet {
    // The eligible carers whose stretch can hold it (TaskModel::carers_in_shift).
    kInShift,
    // Its usual carers. A double-up of whose usual pair only one can come keeps that one, with
    // anyone for the second carer.
    kUsual,
    // Those of near_carers_ (NearCarers).
    kNear,
  };
  const std::vector<int>& Candidates(int task) const {
    switch (carer_set_) {
      case CarerSet::kInShift:
        return model_.carers_in_shift(task);
      case CarerSet::kUsual: {
        const std::vector<int>& usual = model_.usual_carers(task);
        if (model_.task(task).slot == 1 && usual.size() < 2) return model_.carers_in_shift(task);
        return usual;
      }
      case CarerSet::kNear:
        return near_carers_[task == near_task_[0] ? 0 : 1];
    }
    return model_.carers_in_shift(task);
  }
  // BestOptions over `carers`, carer_set_ put back afterwards.
  int BestOptionsAmong(CarerSet carers, const Plan& plan, int unit, int k, double blink,
                       Option* options);
  // Fills near_carers_ for the unit's tasks: the eligible carers whose routes in `plan` hold the
  // unit or one of its tasks' params_.polish_neighbours nearest tasks.
  void NearCarers(const Plan& plan, int unit);
  // The assigned units of the routes a move changed: where the removed units were in current_
  // and where they are in `plan`.
  std::vector<int> ChangedUnits(const Plan& plan) const;
  // Lists the task's positions in the carer's route with their cheap lower bounds, and sets the
  // route's floor.
  void FillSolo(const Plan& plan, int task, int carer, SoloTable& table);
  // Evaluates a solo position against `bound` (on the full cost) unless already known.
  void Refine(const Plan& plan, int task, SoloPosition& position, double bound);
  // The k cheapest options from the unit's tables. Given `changed` (by carer) and the options
  // `kept` when no route was changed, only pairs and positions with a changed route are read
  // and the rest are taken as kept.
  int OptionsFromSolo(const Plan& plan, int unit, SoloTable* tables, int k, double blink,
                      Option* options, const std::vector<char>* changed = nullptr,
                      std::span<const Option> kept = {});
  bool Commit(Plan& plan, const Option& option);

  // Moves single units to their best place while that lowers the cost, until Interrupted().
  void Relocate(Plan& plan);
  // The same for the given units only; on a day of more than params_.whole_polish_max_units
  // units, each tried only on the routes near it (NearCarers).
  void Relocate(Plan& plan, std::vector<int> units);

  // Roulette wheel: an index drawn with probability proportional to its weight.
  int Choose(std::span<const double> weights);

  const SearchContext& context_;
  const TaskModel& model_;
  SearchParams params_;
  Random random_;
  InsertionEvaluator evaluator_;
  Plan current_;
  Plan best_;
  Plan candidate_;
  Plan scratch_;
  bool constructing_ = false;  // while Construct builds the first plan (before its polish)
  std::vector<SoloPosition*> solo_[2];
  std::vector<std::pair<double, int>> by_floor_;  // (floor, carer)
  SoloTable fresh_[2];
  std::vector<std::array<SoloTable, 2>> regret_tables_;
  std::vector<int> removed_;
  std::vector<char> is_removed_;
  double start_cost_ = 1;
  std::int64_t iterations_ = 0;
  const Budget* budget_ = nullptr;  // while Construct or Run runs
  int interrupt_checks_ = 0;
  CarerSet carer_set_ = CarerSet::kInShift;
  std::vector<int> near_carers_[2];
  int near_task_[2] = {-1, -1};
  std::vector<char> near_route_;
  std::vector<char> untried_;
  std::chrono::steady_clock::time_point first_plan_time_;
  std::atomic<std::int64_t> published_iterations_{0};
  std::atomic<bool> published_has_plan_{false};
  std::atomic<double> published_cost_{0};
  std::atomic<int> published_unassigned_{0};

  std::array<double, kNumDestroyOperators> destroy_weight_;
  std::array<double, kNumDestroyOperators> destroy_score_;
  std::array<int, kNumDestroyOperators> destroy_uses_;
  std::array<double, kNumRepairOperators> repair_weight_;
  std::array<double, kNumRepairOperators> repair_score_;
  std::array<int, kNumRepairOperators> repair_uses_;
  // Insertions evaluated by each repair in the current segment.
  std::array<double, kNumRepairOperators> repair_work_;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_SEARCH_H_
