// Exact cost of inserting one task or a linked pair into a plan, without editing the plan.
//
// Inserting tasks only adds constraints, so start times can only move later. The evaluator pushes
// the delay forward from the inserted tasks along routes and across links (a pushed half of a
// double-up pushes its partner, a pushed second visit may pull its first one later through the
// maximum gap), in an overlay on top of the plan's times. It stops as soon as the cost can no
// longer beat the caller's bound, and falls back to a full reschedule of a copy in the rare case
// the propagation keeps revisiting tasks.
#ifndef SERVICES_SCHEDULING_SOLVER_INSERTION_H_
#define SERVICES_SCHEDULING_SOLVER_INSERTION_H_

#include <cstdint>
#include <limits>
#include <vector>

#include "services/scheduling/solver/plan.h"
#include "services/scheduling/solver/task_model.h"

namespace homecare::scheduling::solver {

inline constexpr double kInfeasible = std::numeric_limits<double>::infinity();

struct Insertion {
  int size = 1;
  int task[2] = {-1, -1};
  int route[2] = {-1, -1};
  // Index in the route, as it is before the insertion, in front of which the task goes. Two tasks
  // at the same index of one route go in the order given.
  int position[2] = {-1, -1};
};

// Applies an insertion to the plan's routes (start times stay stale until Plan::Refresh()).
void ApplyInsertion(const Insertion& insertion, Plan& plan);

class InsertionEvaluator {
 public:
  explicit InsertionEvaluator(const TaskModel& model);

  // The change of the weighted objective, leaving out the unassigned-visit term, if the insertion
  // is applied; kInfeasible when the result would break a hard rule. A value >= bound may be
  // returned early as soon as the change is known not to be below bound.
  double Evaluate(const Plan& plan, const Insertion& insertion, double bound = kInfeasible);

  // After an evaluation that returned a value below its bound: the new maximum lateness of the
  // plan and the start of the i-th inserted task. After one that stopped at its bound, the
  // maximum lateness is a lower bound of the true one.
  Minutes last_max_lateness() const { return result_max_; }
  Minutes last_start(int i) const { return result_start_[i]; }

  // Evaluations, and those that needed a full reschedule (for tests and profiling).
  std::int64_t evaluations() const { return evaluations_; }
  std::int64_t fallbacks() const { return fallbacks_; }

 private:
  int InsertedIndex(int task) const {
    for (int i = 0; i < count_; ++i) {
      if (tasks_[i] == task) return i;
    }
    return -1;
  }
  int NextOf(const Plan& plan, int task) const;
  int RouteOf(const Plan& plan, int task) const;
  Minutes Current(const Plan& plan, int task) const;
  // Raises the task's start to at least `candidate`, as required by `parent` (-1 for a seed).
  // Returns false when that closes a positive cycle, runs past the horizon or keeps revisiting
  // the task (then revisited_ is set).
  bool Relax(const Plan& plan, int task, Minutes candidate, int parent);
  double Exact(const Plan& plan, const Insertion& insertion);

  const TaskModel& model_;
  // Overlay of new start times; valid where seen_ == stamp_.
  std::vector<Minutes> label_;
  std::vector<int> parent_;
  std::vector<std::uint32_t> seen_;
  std::vector<std::uint32_t> queued_;
  std::vector<int> updates_;
  std::uint32_t stamp_ = 0;
  std::vector<int> queue_;
  std::vector<int> changed_;
  bool revisited_ = false;

  // The inserted tasks and where they go.
  int count_ = 0;
  int tasks_[2];
  int routes_[2];
  int succ_[2];
  // Existing tasks (or -1) whose successor becomes an inserted task.
  int override_from_[2];
  int override_to_[2];
  int overrides_ = 0;

  // Running lateness bookkeeping of the overlay.
  double lateness_delta_ = 0;
  Minutes max_lateness_ = 0;

  Minutes result_max_ = 0;
  Minutes result_start_[2] = {0, 0};

  Plan exact_;
  std::int64_t evaluations_ = 0;
  std::int64_t fallbacks_ = 0;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_INSERTION_H_
