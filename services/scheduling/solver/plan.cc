#include "services/scheduling/solver/plan.h"

#include <algorithm>
#include <limits>
#include <numeric>

#include "absl/container/inlined_vector.h"

namespace homecare::scheduling::solver {
namespace {

bool IsSync(const Task& task) {
  return task.partner >= 0 && task.gap_min == 0 && task.gap_max == 0;
}

// The first task of a linked pair with a real gap: its partner is scheduled after it.
bool LeadsPartner(const Task& task) {
  return task.partner >= 0 && !IsSync(task) && task.gap_min >= 0;
}

}  // namespace

Plan::Plan(const TaskModel& model, bool incremental)
    : model_(&model),
      routes_(model.num_carers()),
      route_of_(model.num_tasks(), -1),
      position_of_(model.num_tasks(), -1),
      start_(model.num_tasks(), 0),
      route_travel_(model.num_carers(), 0),
      route_work_(model.num_carers(), 0),
      route_max_work_(model.num_carers(), 0),
      route_end_(model.num_carers(), 0),
      incremental_(incremental),
      edited_(model.num_carers(), 0),
      route_lateness_(model.num_carers(), 0),
      route_max_lateness_(model.num_carers(), 0),
      route_assignment_(model.num_carers(), 0),
      client_people_(model.num_clients(), 0),
      all_routes_(model.num_carers()),
      timing_(model.num_carers(), 0),
      done_(model.num_tasks(), 0),
      pending_(model.num_tasks(), 0),
      floor_(model.num_tasks(), 0) {
  std::iota(all_routes_.begin(), all_routes_.end(), 0);
  Refresh();
}

Minutes Plan::lateness(int task) const {
  return std::max<Minutes>(0, start_[task] - model_->task(task).due);
}

void Plan::MarkEdited(int route) {
  if (!incremental_ || whole_ || edited_[route]) return;
  edited_[route] = 1;
  edited_routes_.push_back(route);
}

void Plan::MarkEditedTask(int task, int route) {
  if (!incremental_ || whole_) return;
  MarkEdited(route);
  // A partner placed elsewhere is tied to it, or no longer: its start may change.
  const int partner = model_->task(task).partner;
  if (partner >= 0 && assigned(partner)) MarkEdited(route_of_[partner]);
  edited_clients_.push_back(model_->client_of(task));
}

std::pair<int, int> Plan::InsertablePositions(int task, int route) const {
  const Task& t = model_->task(task);
  const std::vector<int>& r = routes_[route];
  if (ready_time(route, -1) > t.latest) return {0, 0};
  int first = 0;
  for (int i = 0; i < static_cast<int>(r.size()); ++i) {
    if (model_->task(r[i]).latest < t.earliest + t.duration) first = i + 1;
    if (ready_time(route, r[i]) > t.latest) return {first, i + 1};
  }
  return {first, static_cast<int>(r.size()) + 1};
}

void Plan::Insert(int task, int route, int position) {
  MarkEditedTask(task, route);
  std::vector<int>& r = routes_[route];
  r.insert(r.begin() + position, task);
  route_of_[task] = route;
  for (int p = position; p < static_cast<int>(r.size()); ++p) position_of_[r[p]] = p;
}

void Plan::Remove(int task) {
  const int route = route_of_[task];
  if (route < 0) return;
  MarkEditedTask(task, route);
  std::vector<int>& r = routes_[route];
  const int position = position_of_[task];
  r.erase(r.begin() + position);
  for (int p = position; p < static_cast<int>(r.size()); ++p) position_of_[r[p]] = p;
  route_of_[task] = -1;
  position_of_[task] = -1;
}

void Plan::RemoveUnit(int unit) {
  const Unit& u = model_->unit(unit);
  for (int i = 0; i < u.size; ++i) Remove(u.tasks[i]);
}

int Plan::num_unassigned_units() const {
  int count = 0;
  for (int u = 0; u < model_->num_units(); ++u) count += unit_assigned(u) ? 0 : 1;
  return count;
}

bool Plan::ComputeStarts(const std::vector<int>& routes) {
  for (int route : routes) timing_[route] = 1;
  const bool timed = ComputeStartsOf(routes);
  for (int route : routes) timing_[route] = 0;
  return timed;
}

bool Plan::ComputeStartsOf(const std::vector<int>& routes) {
  const TaskModel& m = *model_;
  // A partner on a route not being re-timed is held where it is: its start is an input.
  auto tied = [&](int x) {
    const int partner = m.task(x).partner;
    return partner >= 0 && assigned(partner) && timing_[route_of_[partner]];
  };
  order_.clear();
  int assigned_count = 0;
  // pending_[t]: predecessors of t in the acyclic part of the constraint graph not yet scheduled.
  std::vector<int>& queue = queue_;
  queue.clear();
  std::vector<char>& done = done_;
  for (int route : routes) {
    for (int t : routes_[route]) {
      done[t] = 0;
      ++assigned_count;
      const Task& task = m.task(t);
      int count = position_of_[t] > 0 ? 1 : 0;
      if (tied(t) && LeadsPartner(m.task(task.partner))) ++count;
      pending_[t] = count;
      floor_[t] = task.earliest;
    }
  }
  for (int route : routes) {
    if (!routes_[route].empty() && pending_[routes_[route][0]] == 0) {
      queue.push_back(routes_[route][0]);
    }
  }
  // Topological order; a synchronised pair is one node, ready when both of its halves are.
  for (size_t head = 0; head < queue.size(); ++head) {
    const int t = queue[head];
    if (done[t]) continue;
    const Task& task = m.task(t);
    const bool sync = IsSync(task) && tied(t);
    if (sync && pending_[task.partner] != 0) continue;
    done[t] = 1;
    order_.push_back(t);
    if (sync) done[task.partner] = 1;
    for (int k = 0; k < (sync ? 2 : 1); ++k) {
      const int x = k == 0 ? t : task.partner;
      const int after = next(x);
      if (after >= 0 && --pending_[after] == 0) queue.push_back(after);
      const Task& tx = m.task(x);
      if (LeadsPartner(tx) && tied(x) && --pending_[tx.partner] == 0) {
        queue.push_back(tx.partner);
      }
    }
  }
  int scheduled = 0;
  for (int t : order_) scheduled += IsSync(m.task(t)) && tied(t) ? 2 : 1;
  if (scheduled != assigned_count) return false;

  auto earliest_of = [&](int x) {
    const Task& task = m.task(x);
    const int route = route_of_[x];
    const int before = previous(x);
    Minutes t = std::max(floor_[x], ready_time(route, before) +
                                        m.leg(route, location_after(route, before), task.location));
    if (task.partner >= 0 && assigned(task.partner) && LeadsPartner(m.task(task.partner))) {
      t = std::max(t, start_[task.partner] + m.task(task.partner).gap_min);
    }
    return t;
  };

  const int max_passes = 2 + static_cast<int>(model_->num_units());
  for (int pass = 0; pass < max_passes; ++pass) {
    for (int t : order_) {
      const Task& task = m.task(t);
      Minutes value = earliest_of(t);
      if (IsSync(task) && assigned(task.partner)) {
        value = std::max(value, earliest_of(task.partner));
        if (tied(t)) start_[task.partner] = value;
      }
      start_[t] = value;
    }
    // A maximum gap reads "first >= second - gap_max": raise the first and schedule again.
    bool raised = false;
    for (int t : order_) {
      const Task& task = m.task(t);
      if (!LeadsPartner(task) || !assigned(task.partner)) continue;
      const Minutes need = start_[task.partner] - task.gap_max;
      if (start_[t] < need - kTimeTolerance) {
        floor_[t] = need;
        raised = true;
      }
    }
    if (!raised) {
      for (int t : order_) {
        if (start_[t] > m.task(t).latest) return false;
      }
      return true;
    }
  }
  return false;
}

bool Plan::Refresh() {
  const TaskModel& m = *model_;
  bool ok = true;
  if (!incremental_ || whole_) {
    RefreshWhole(ok);
  } else {
    RefreshEdited(ok);
  }
  for (int route : edited_routes_) edited_[route] = 0;
  edited_routes_.clear();
  edited_clients_.clear();
  for (int route = 0; route < num_routes(); ++route) {
    route_max_work_[route] = m.carer(route).max_work;
    if (!WithinWorkingTime(route_work_[route], route_max_work_[route])) ok = false;
  }
  if (m.has_people()) {
    for (int person = 0; person < m.num_people(); ++person) {
      Minutes work = 0;
      for (int route : m.person_routes(person)) work += route_work_[route];
      if (!WithinWorkingTime(work, m.person_max_work(person))) ok = false;
      for (int route : m.person_routes(person)) {
        route_max_work_[route] = std::min(route_max_work_[route],
                                          m.person_max_work(person) - (work - route_work_[route]));
      }
    }
  }
  parts_.unassigned_visits = 0;
  parts_.unassigned_factors = 0;
  for (int u = 0; u < m.num_units(); ++u) {
    if (unit_assigned(u)) continue;
    parts_.unassigned_visits += m.unit_visits(u);
    parts_.unassigned_factors += m.unit_unassigned_factor(u);
  }
  cost_ = WeightedCost(parts_);
  // A plan that breaks a rule is edited back before it is used again, and then re-timed whole.
  whole_ = !ok;
  return ok;
}

void Plan::RefreshWhole(bool& ok) {
  const TaskModel& m = *model_;
  ok = ComputeStarts(all_routes_) && ok;
  parts_ = PlanCost();
  for (int route = 0; route < num_routes(); ++route) {
    // Summed task by task across the plan, as always.
    if (!RouteFigures(route, &parts_)) ok = false;
    parts_.travel += route_travel_[route];
  }
  if (m.weights().client_carer > 0) {
    for (int client = 0; client < m.num_clients(); ++client) {
      client_people_[client] = ClientPeople(client);
      parts_.client_carers += client_people_[client];
    }
  }
}

void Plan::RefreshEdited(bool& ok) {
  const TaskModel& m = *model_;
  // First the edited routes alone, their partners on other routes held where they are. That is
  // the plan when none of the tasks tied across moves: nothing else then can.
  held_.clear();
  for (int route : edited_routes_) {
    for (int t : routes_[route]) {
      const int partner = m.task(t).partner;
      if (partner >= 0 && assigned(partner) && !edited_[route_of_[partner]]) {
        held_.push_back({t, start_[t]});
      }
    }
  }
  bool timed = ComputeStarts(edited_routes_);
  bool kept = timed;
  for (const auto& [t, before] : held_) kept = kept && start_[t] == before;
  if (!kept && !held_.empty()) {
    ExpandToTiedRoutes();
    timed = ComputeStarts(edited_routes_);
  }
  ok = timed && ok;
  for (int route : edited_routes_) {
    if (!RouteFigures(route, nullptr)) ok = false;
  }
  parts_.travel = parts_.total_lateness = parts_.max_lateness = parts_.assignment = 0;
  for (int route = 0; route < num_routes(); ++route) {
    parts_.travel += route_travel_[route];
    parts_.total_lateness += route_lateness_[route];
    parts_.max_lateness = std::max(parts_.max_lateness, route_max_lateness_[route]);
    parts_.assignment += route_assignment_[route];
  }
  if (m.weights().client_carer > 0) {
    for (int client : edited_clients_) {
      if (client < 0) continue;
      const int people = ClientPeople(client);
      parts_.client_carers += people - client_people_[client];
      client_people_[client] = people;
    }
  }
}

void Plan::ExpandToTiedRoutes() {
  const TaskModel& m = *model_;
  // The edited routes and every route tied to them through a double-up or a link: no task
  // elsewhere depends on them, so nothing elsewhere moves.
  for (size_t i = 0; i < edited_routes_.size(); ++i) {
    for (int t : routes_[edited_routes_[i]]) {
      const int partner = m.task(t).partner;
      if (partner < 0 || !assigned(partner)) continue;
      const int other = route_of_[partner];
      if (edited_[other]) continue;
      edited_[other] = 1;
      edited_routes_.push_back(other);
    }
  }
}

bool Plan::RouteFigures(int route, PlanCost* running) {
  const TaskModel& m = *model_;
  const CarerShift& carer = m.carer(route);
  route_lateness_[route] = route_max_lateness_[route] = route_assignment_[route] = 0;
  if (routes_[route].empty()) {
    route_travel_[route] = route_work_[route] = 0;
    route_end_[route] = carer.shift_start;
    return true;
  }
  Minutes travel = 0;
  Minutes work = 0;
  int location = carer.start_location;
  for (int t : routes_[route]) {
    const Task& task = m.task(t);
    travel += m.leg(route, location, task.location);
    work += task.duration;
    location = task.location;
    route_lateness_[route] += lateness(t);
    route_max_lateness_[route] = std::max(route_max_lateness_[route], lateness(t));
    route_assignment_[route] += m.assignment_cost(t, route);
    if (running != nullptr) {
      running->total_lateness += lateness(t);
      running->max_lateness = std::max(running->max_lateness, lateness(t));
      running->assignment += m.assignment_cost(t, route);
    }
  }
  travel += m.leg(route, location, carer.end_location);
  route_travel_[route] = travel;
  route_work_[route] = travel + work;
  route_end_[route] = start_[routes_[route].back()] + m.task(routes_[route].back()).duration +
                      m.leg(route, location, carer.end_location);
  return route_end_[route] <= carer.shift_end + kTimeTolerance;
}

int Plan::ClientPeople(int client) const {
  const TaskModel& m = *model_;
  absl::InlinedVector<int, 8> people;  // a client's few carers, without the heap
  for (int t : m.client_tasks(client)) {
    if (assigned(t)) people.push_back(m.identity(route_of_[t]));
  }
  std::sort(people.begin(), people.end());
  return static_cast<int>(std::unique(people.begin(), people.end()) - people.begin());
}

double Plan::WeightedCost(const PlanCost& parts) const {
  const ObjectiveWeights& w = model_->weights();
  return w.unassigned_visit * parts.unassigned_factors + w.travel * parts.travel +
         w.total_lateness * parts.total_lateness + w.max_lateness * parts.max_lateness +
         parts.assignment + w.client_carer * parts.client_carers;
}

double Plan::ClientCarerCostSlow(int task, int route, int also, int also_route) const {
  const TaskModel& m = *model_;
  const double weight = m.weights().client_carer;
  const int client = m.client_of(task);
  if (client < 0) return 0;
  const int person = m.identity(route);
  if (also >= 0 && m.client_of(also) == client && m.identity(also_route) == person) return 0;
  for (int t : m.client_tasks(client)) {
    if (t != task && assigned(t) && m.identity(route_of_[t]) == person) return 0;
  }
  return weight;
}

}  // namespace homecare::scheduling::solver
