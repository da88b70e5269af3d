// The search's view of a Problem: every carer slot of a visit is a task, and tasks that must be
// placed together (the two halves of a double-up, two linked visits) form a unit.
#ifndef SERVICES_SCHEDULING_SOLVER_TASK_MODEL_H_
#define SERVICES_SCHEDULING_SOLVER_TASK_MODEL_H_

#include <cstdint>
#include <vector>

#include "services/scheduling/solver/model.h"

namespace homecare::scheduling::solver {

struct Task {
  // Fields are ordered so that the struct has no padding: the search walks arrays of them.
  int visit = 0;
  // 0 or 1: which carer of a double-up this task stands for.
  int slot = 0;
  int location = 0;
  // The other task of the unit, or -1. When set, start(partner) - start(this) must lie in
  // [gap_min, gap_max].
  int partner = -1;
  Minutes duration = 0;
  Minutes earliest = 0;
  Minutes due = 0;
  // The latest start allowed: Visit::latest_start (within kTimeTolerance), or the horizon when
  // that is sooner, so that one comparison checks both.
  Minutes latest = kUnlimited;
  Minutes gap_min = 0;
  Minutes gap_max = 0;
  int unit = 0;
  bool distinct_from_partner = false;
};

struct Unit {
  // One or two tasks; a two-task unit's first task starts no later than its second.
  int tasks[2] = {-1, -1};
  int size = 1;
};

struct CarerShift {
  int start_location = 0;
  int end_location = 0;
  Minutes shift_start = 0;
  Minutes shift_end = kUnlimited;
  Minutes max_work = kUnlimited;
  // The person of Problem::people whose stretch this is, or -1.
  int person = -1;
};

class TaskModel {
 public:
  // The problem and weights must already be valid (ValidateProblem, ValidateWeights).
  TaskModel(const Problem& problem, const ObjectiveWeights& weights);

  int num_tasks() const { return static_cast<int>(tasks_.size()); }
  int num_carers() const { return static_cast<int>(carers_.size()); }
  int num_units() const { return static_cast<int>(units_.size()); }

  const Task& task(int t) const { return tasks_[t]; }
  const Unit& unit(int u) const { return units_[u]; }
  // The visits a unit stands for: 1 for a visit or a double-up, 2 for two linked visits.
  int unit_visits(int u) const {
    const Unit& unit = units_[u];
    return unit.size == 2 && tasks_[unit.tasks[0]].visit != tasks_[unit.tasks[1]].visit ? 2 : 1;
  }
  // Their Visit::unassigned_factor summed: what leaving the unit unassigned counts as.
  double unit_unassigned_factor(int u) const { return unit_unassigned_factor_[u]; }
  // How much more than its visits the unit counts as when left (0 when each factor is 1).
  double unit_extra_unassigned_factor(int u) const {
    return unit_unassigned_factor_[u] - unit_visits(u);
  }
  bool has_extra_unassigned_factors() const { return has_extra_unassigned_factors_; }
  const CarerShift& carer(int c) const { return carers_[c]; }
  const std::vector<int>& visit_tasks(int visit) const { return visit_tasks_[visit]; }
  // The client of a task (Visit::client, -1 for none), and every task of a client's visits.
  int client_of(int t) const { return task_client_[t]; }
  int num_clients() const { return static_cast<int>(client_tasks_.size()); }
  const std::vector<int>& client_tasks(int client) const { return client_tasks_[client]; }

  // Split shifts: whether any carer is a stretch of a person, each person's limit and routes.
  bool has_people() const { return !people_max_work_.empty(); }
  int num_people() const { return static_cast<int>(people_max_work_.size()); }
  Minutes person_max_work(int person) const { return people_max_work_[person]; }
  const std::vector<int>& person_routes(int person) const { return person_routes_[person]; }
  // Whether two routes are the same human (the same route, or stretches of one person).
  bool same_person(int a, int b) const { return identity_[a] == identity_[b]; }
  // The human a route is: equal for the same route or stretches of one person.
  int identity(int route) const { return identity_[route]; }
  // Whether every eligible carer of both tasks is one person (the same carer, or the stretches
  // of one split shift): two tasks that need different people can then never both be staffed.
  bool EligibleAreOnePerson(int task_a, int task_b) const;

  // Travel by Problem::travel: for nearness (related visits, neighbour lists), not routes.
  Minutes travel(int from_location, int to_location) const {
    return travel_[from_location * locations_ + to_location];
  }
  Minutes task_travel(int from_task, int to_task) const {
    return travel(tasks_[from_task].location, tasks_[to_task].location);
  }
  // Travel on a route: by its carer's matrix (Carer::travel_profile).
  Minutes leg(int route, int from_location, int to_location) const {
    return travel_[route_offset_[route] + from_location * locations_ + to_location];
  }
  // The same minutes as leg(). On a symmetric matrix it reads the row of `to_location`, so a
  // caller trying one place at many positions reads one row, which stays in cache (the matrix
  // of a provider's day is tens of megabytes, and column reads missed it most of the time).
  Minutes leg_to(int route, int from_location, int to_location) const {
    return symmetric_[route] ? leg(route, to_location, from_location)
                             : leg(route, from_location, to_location);
  }
  Minutes task_leg(int route, int from_task, int to_task) const {
    return leg(route, tasks_[from_task].location, tasks_[to_task].location);
  }

  // Hard eligibility: skills, gender when required, never-visit lists and pins.
  bool eligible(int t, int c) const { return eligible_[t * num_carers() + c] != 0; }
  const std::vector<int>& eligible_carers(int t) const { return eligible_carers_[t]; }
  // The eligible carers whose stretch can hold the task at all: it opens by the task's latest
  // start and closes after its earliest end. Only these need trying: on a provider's day most
  // stretches are mornings, evenings or one half of a split shift, and a morning visit tried on
  // every evening stretch cost the search most of its time for nothing.
  const std::vector<int>& carers_in_shift(int t) const { return carers_in_shift_[t]; }
  // The eligible carers among the task's visit's usual_carers.
  const std::vector<int>& usual_carers(int t) const { return usual_carers_[t]; }
  bool has_usual_carers() const { return has_usual_carers_; }
  // The weighted preference, continuity and gender penalties of giving task t to carer c.
  double assignment_cost(int t, int c) const { return assignment_cost_[t * num_carers() + c]; }

  const ObjectiveWeights& weights() const { return weights_; }
  const Problem& problem() const { return *problem_; }

  // A bound no start time of a feasible schedule exceeds; a label beyond it reveals a cycle.
  Minutes horizon() const { return horizon_; }

 private:
  const Problem* problem_;
  ObjectiveWeights weights_;
  std::vector<Task> tasks_;
  std::vector<Unit> units_;
  std::vector<double> unit_unassigned_factor_;
  bool has_extra_unassigned_factors_ = false;
  std::vector<CarerShift> carers_;
  std::vector<Minutes> people_max_work_;
  std::vector<std::vector<int>> person_routes_;
  std::vector<int> identity_;  // by route: its person's index past the routes, else the route
  std::vector<std::vector<int>> visit_tasks_;
  std::vector<int> task_client_;
  std::vector<std::vector<int>> client_tasks_;
  std::vector<Minutes> travel_;    // Problem::travel, then each of Problem::other_travel
  std::vector<int> route_offset_;  // by route: where its carer's matrix starts in travel_
  std::vector<char> symmetric_;    // by route: whether its carer's matrix is symmetric
  int locations_ = 0;
  std::vector<std::uint8_t> eligible_;
  std::vector<std::vector<int>> eligible_carers_;
  std::vector<std::vector<int>> carers_in_shift_;
  std::vector<std::vector<int>> usual_carers_;
  bool has_usual_carers_ = false;
  std::vector<double> assignment_cost_;
  Minutes horizon_ = 0;
};

}  // namespace homecare::scheduling::solver

#endif  // SERVICES_SCHEDULING_SOLVER_TASK_MODEL_H_
