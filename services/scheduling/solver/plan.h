// A plan: which carer does which task in which order, with the earliest start times that honour
// every timing rule, and the objective's parts.
//
// Start times follow from the routes: every constraint is a lower bound "start(j) >= start(i) + w"
// (route order with durations and travel, window openings, the gaps of linked tasks; a maximum gap
// is such a bound read backwards). The least solution of that system is the earliest schedule; it
// minimises every start at once, so it is optimal for lateness, and travel does not depend on
// time. A positive cycle (for example two double-ups in opposite orders on two routes) has no
// solution.
#ifndef SERVICES_SCHEDULING_SOLVER_PLAN_H_
#define SERVICES_SCHEDULING_SOLVER_PLAN_H_

#include <utility>
#include <vector>

#include "services/scheduling/solver/task_model.h"

namespace homecare::scheduling::solver {

// The objective's parts of a plan, unweighted except for the preference penalties.
struct PlanCost {
  double travel = 0;
  double total_lateness = 0;
  double max_lateness = 0;
  double assignment = 0;  // Weighted preference, continuity and gender penalties.
  int client_carers = 0;  // over clients, the distinct people who visit each (0 unweighted)
  int unassigned_visits = 0;
  // Over the unassigned visits, their Visit::unassigned_factor summed (unassigned_visits when
  // every factor is 1): what ObjectiveWeights::unassigned_visit weighs.
  double unassigned_factors = 0;
};

class Plan {
 public:
  // Up to this many units, Refresh re-times the whole plan and sums its costs task by task, as
  // it always has (so the public benchmark's plans stay what they were). Past it, Refresh
  // re-times only the routes edited since the last one, with every route tied to them by a
  // double-up or a link, and sums the costs route by route: the same start times, sums that
  // may differ in their last bits. On a day of 3,000 visits the whole plan took 41% of the
  // search's time, re-timed after every insertion. (Double-ups tie half the routes of such a
  // day into one group, so an edit there re-times half the day: still half the work.)
  static constexpr int kWholeRefreshMaxUnits = 1000;

  explicit Plan(const TaskModel& model) : Plan(model, model.num_units() > kWholeRefreshMaxUnits) {}
  Plan(const TaskModel& model, bool incremental);

  const TaskModel& model() const { return *model_; }

  int num_routes() const { return static_cast<int>(routes_.size()); }
  const std::vector<int>& route(int carer) const { return routes_[carer]; }
  bool assigned(int task) const { return route_of_[task] >= 0; }
  int route_of(int task) const { return route_of_[task]; }
  int position_of(int task) const { return position_of_[task]; }
  Minutes start(int task) const { return start_[task]; }
  Minutes lateness(int task) const;
  // The task after `task` on its route, or -1 at the end.
  int next(int task) const {
    const std::vector<int>& r = routes_[route_of_[task]];
    const int p = position_of_[task] + 1;
    return p < static_cast<int>(r.size()) ? r[p] : -1;
  }
  int previous(int task) const {
    const int p = position_of_[task];
    return p > 0 ? routes_[route_of_[task]][p - 1] : -1;
  }
  // When `task` ends, or when the carer of `route` is free to leave for its first visit when task
  // is -1.
  Minutes ready_time(int route, int task) const {
    return task < 0 ? model_->carer(route).shift_start : start_[task] + model_->task(task).duration;
  }
  int location_after(int route, int task) const {
    return task < 0 ? model_->carer(route).start_location : model_->task(task).location;
  }
  int location_before(int route, int task) const {
    return task < 0 ? model_->carer(route).end_location : model_->task(task).location;
  }
  Minutes route_travel(int route) const { return route_travel_[route]; }
  // Travel plus visit durations of the route: the paid working minutes.
  Minutes route_work(int route) const { return route_work_[route]; }
  // The most working time the route may have with the person's other stretches as they are:
  // the carer's own limit, lowered by what a split shift's other stretches already take.
  Minutes route_max_work(int route) const { return route_max_work_[route]; }
  // Arrival back at the carer's end place.
  Minutes route_end(int route) const { return route_end_[route]; }

  // The positions [first, end) of the route at which `task` may be inserted; all others break a
  // hard rule. Starts only grow along a route, so none lies before a visit that must start
  // before the task could end, nor after one that ends past the task's latest start.
  std::pair<int, int> InsertablePositions(int task, int route) const;

  // Structural edits. Start times and costs are stale until Refresh() is called.
  void Insert(int task, int route, int position);
  void Remove(int task);
  // Removes both tasks of the task's unit.
  void RemoveUnit(int unit);
  bool unit_assigned(int unit) const { return assigned(model_->unit(unit).tasks[0]); }

  // Recomputes the earliest schedule and the costs. Returns false when the routes admit no
  // schedule that keeps every hard rule (a cycle, a maximum gap, a shift end or working minutes);
  // the plan is then not usable until edited back.
  bool Refresh();

  const PlanCost& parts() const { return parts_; }
  // The weighted cost of one more person for the task's client if the task went to `route`:
  // ObjectiveWeights::client_carer unless that route's person already has another of the
  // client's tasks (`also` too: a task to be inserted with it, on `also_route`).
  double ClientCarerCost(int task, int route, int also = -1, int also_route = -1) const {
    // Inline for the common case of no weight: the search asks for every position it bounds.
    if (model_->weights().client_carer == 0) return 0;
    return ClientCarerCostSlow(task, route, also, also_route);
  }
  // The weighted objective.
  double cost() const { return cost_; }
  double WeightedCost(const PlanCost& parts) const;

  int num_unassigned_units() const;

 private:
  double ClientCarerCostSlow(int task, int route, int also, int also_route) const;

  // The earliest starts of the tasks on `routes`, their partners elsewhere held where they
  // are (an input, not re-timed).
  bool ComputeStarts(const std::vector<int>& routes);
  bool ComputeStartsOf(const std::vector<int>& routes);
  // Adds to the edited routes every route tied to them, directly or not.
  void ExpandToTiedRoutes();
  void RefreshWhole(bool& ok);
  // Re-times what was edited, with every route tied to it.
  void RefreshEdited(bool& ok);
  // The route's travel, working time, lateness, preference costs and return; false when it
  // ends past its shift. With `running`, each task's lateness and preference cost are added to
  // it too, in route order (the whole refresh's sums).
  bool RouteFigures(int route, PlanCost* running);
  void MarkEdited(int route);
  // `task` placed on or taken off `route`: that route, its partner's and its client edited.
  void MarkEditedTask(int task, int route);
  int ClientPeople(int client) const;

  const TaskModel* model_;
  std::vector<std::vector<int>> routes_;
  std::vector<int> route_of_;
  std::vector<int> position_of_;
  std::vector<Minutes> start_;
  std::vector<Minutes> route_travel_;
  std::vector<Minutes> route_work_;
  std::vector<Minutes> route_max_work_;
  std::vector<Minutes> route_end_;
  PlanCost parts_;
  double cost_ = 0;

  // Incremental refresh: what was edited since the last Refresh, and the figures by route and
  // client it sums.
  bool incremental_ = false;
  bool whole_ = true;  // the next Refresh does the whole plan (the first, or after a failed one)
  std::vector<char> edited_;  // by route
  std::vector<int> edited_routes_;
  std::vector<int> edited_clients_;
  std::vector<Minutes> route_lateness_;
  std::vector<Minutes> route_max_lateness_;
  std::vector<double> route_assignment_;
  std::vector<int> client_people_;
  std::vector<int> all_routes_;
  std::vector<char> timing_;                   // scratch, by route: being re-timed now
  std::vector<std::pair<int, Minutes>> held_;  // scratch: tasks tied across, and their starts

  // Scratch for ComputeStarts.
  std::vector<int> order_;
  std::vector<int> queue_;
  std::vector<char> done_;
  std::vector<int> pending_;
  std::vector<Minutes> floor_;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_PLAN_H_
