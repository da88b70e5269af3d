#include "services/scheduling/solver/search.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <optional>
#include <utility>

#include "services/scheduling/solver/by_lower_bound.h"

namespace homecare::scheduling::solver {
namespace {

// Roulette scores of Ropke and Pisinger: new best, better than current, accepted.
constexpr double kScoreBest = 33;
constexpr double kScoreBetter = 9;
constexpr double kScoreAccepted = 13;

}  // namespace

void SearchContext::MakeNeighbours() const {
  const int n = model.num_tasks();
  const int kept = std::min(n - 1, kMaxNeighbours);
  neighbours_.resize(n);
  // By travel, then index: the order a stable sort by travel gives, so that a day of at most
  // kMaxNeighbours + 1 tasks gets the very lists it always had.
  std::vector<std::pair<Minutes, int>> others;
  others.reserve(n);
  for (int t = 0; t < n; ++t) {
    others.clear();
    for (int o = 0; o < n; ++o) {
      if (o != t) others.emplace_back(model.task_travel(t, o), o);
    }
    if (kept < static_cast<int>(others.size())) {
      std::nth_element(others.begin(), others.begin() + kept, others.end());
      others.resize(kept);
    }
    std::sort(others.begin(), others.end());
    std::vector<int>& list = neighbours_[t];
    list.reserve(others.size());
    for (const auto& [travel, o] : others) list.push_back(o);
  }
}

SearchContext::SearchContext(const TaskModel& model) : model(model) {
  unplaceable.assign(model.num_units(), false);
  for (int u = 0; u < model.num_units(); ++u) {
    const Unit& unit = model.unit(u);
    for (int i = 0; i < unit.size; ++i) {
      if (model.eligible_carers(unit.tasks[i]).empty()) unplaceable[u] = true;
    }
    if (unit.size == 2 && !unplaceable[u] && model.task(unit.tasks[0]).distinct_from_partner &&
        model.EligibleAreOnePerson(unit.tasks[0], unit.tasks[1])) {
      unplaceable[u] = true;
    }
  }
}

Search::Search(const SearchContext& context, std::uint64_t seed, const SearchParams& params)
    : context_(context),
      model_(context.model),
      params_(params),
      random_(seed),
      evaluator_(context.model),
      current_(context.model),
      best_(context.model),
      candidate_(context.model),
      scratch_(context.model),
      is_removed_(context.model.num_units(), 0),
      untried_(context.model.num_units(), 0) {
  destroy_weight_.fill(0);
  destroy_score_.fill(0);
  destroy_uses_.fill(0);
  repair_weight_.fill(0);
  repair_score_.fill(0);
  repair_uses_.fill(0);
  repair_work_.fill(0);
  for (int d = 0; d < kNumDestroyOperators; ++d) {
    if (params.destroy_operators & (1u << d)) destroy_weight_[d] = 1;
  }
  for (int r = 0; r < kNumRepairOperators; ++r) {
    if (params.repair_operators & (1u << r)) repair_weight_[r] = 1;
  }
  // At least one of each must run.
  if (std::all_of(destroy_weight_.begin(), destroy_weight_.end(),
                  [](double w) { return w == 0; })) {
    destroy_weight_[static_cast<int>(DestroyOperator::kRandom)] = 1;
  }
  if (std::all_of(repair_weight_.begin(), repair_weight_.end(), [](double w) { return w == 0; })) {
    repair_weight_[static_cast<int>(RepairOperator::kGreedy)] = 1;
  }
}

void Search::Construct(const Budget& budget) {
  budget_ = &budget;
  constructing_ = true;
  candidate_ = Plan(model_);
  std::vector<int> not_reached;
  if (model_.has_usual_carers()) {
    // The rota rolls over: each call goes first to its usual carers where it still fits, in
    // window order, so that their rounds come back whole before other calls fill the gaps.
    const CarerSet before = std::exchange(carer_set_, CarerSet::kUsual);
    GreedyInsert(candidate_, /*by_window=*/true);
    carer_set_ = before;
  }
  GreedyInsert(candidate_, /*by_window=*/true, &not_reached);
  for (int u : not_reached) untried_[u] = 1;
  // A complete plan already; reported before the polish, which takes longer on a large day.
  best_ = candidate_;
  PublishBest();
  first_plan_time_ = std::chrono::steady_clock::now();
  constructing_ = false;
  Relocate(candidate_);
  budget_ = nullptr;
  current_ = candidate_;
  best_ = candidate_;
  start_cost_ = std::max(
      1.0, best_.cost() - model_.weights().unassigned_visit * best_.parts().unassigned_factors);
  PublishBest();
}

void Search::PolishWhole(Plan& plan, const Budget& budget) {
  budget_ = &budget;
  while (!Interrupted()) {
    const double before = plan.cost();
    Relocate(plan);
    if (plan.cost() >= before - kImprovement) break;
  }
  budget_ = nullptr;
}

void Search::Adopt(const Plan& plan, const std::vector<char>& untried) {
  best_ = plan;
  current_ = plan;
  untried_ = untried;
  PublishBest();
}

bool Search::Interrupted() {
  if (budget_ == nullptr) return false;
  // A clock read costs tens of nanoseconds; a unit placed costs microseconds or more.
  if (++interrupt_checks_ % 8 != 0) return false;
  if (budget_->stop != nullptr && budget_->stop->load(std::memory_order_relaxed)) return true;
  return budget_->has_deadline && std::chrono::steady_clock::now() >= budget_->deadline;
}

void Search::PublishBest() {
  published_cost_.store(best_.cost(), std::memory_order_relaxed);
  published_unassigned_.store(best_.parts().unassigned_visits, std::memory_order_relaxed);
  published_has_plan_.store(true, std::memory_order_release);
}

Search::Snapshot Search::Published() const {
  Snapshot snapshot;
  snapshot.iterations = published_iterations_.load(std::memory_order_relaxed);
  snapshot.has_plan = published_has_plan_.load(std::memory_order_acquire);
  if (snapshot.has_plan) {
    snapshot.best_cost = published_cost_.load(std::memory_order_relaxed);
    snapshot.unassigned_visits = published_unassigned_.load(std::memory_order_relaxed);
  }
  return snapshot;
}

double Search::Temperature(double progress) const {
  const double start = params_.start_temperature * start_cost_;
  const double end = params_.end_temperature * start_cost_;
  return start * std::pow(end / start, std::clamp(progress, 0.0, 1.0));
}

StopReason Search::Run(std::int64_t count, const Budget& budget) {
  budget_ = &budget;
  const StopReason reason = RunIterations(count, budget);
  budget_ = nullptr;
  return reason;
}

StopReason Search::RunIterations(std::int64_t count, const Budget& budget) {
  for (std::int64_t i = 0; i < count; ++i) {
    if (budget.stop != nullptr && budget.stop->load(std::memory_order_relaxed)) {
      return StopReason::kRequested;
    }
    if (budget.total_iterations > 0 && iterations_ >= budget.total_iterations) {
      return StopReason::kIterations;
    }
    double progress = 0;
    const auto now = std::chrono::steady_clock::now();
    if (budget.has_deadline) {
      if (now >= budget.deadline) return StopReason::kTime;
      if (budget.total_iterations <= 0) {
        progress =
            std::chrono::duration<double>(now - budget.begin).count() /
            std::max(1e-9, std::chrono::duration<double>(budget.deadline - budget.begin).count());
      }
    }
    if (budget.total_iterations > 0) {
      progress = static_cast<double>(iterations_) / static_cast<double>(budget.total_iterations);
    }
    Iterate(progress);
    ++iterations_;
    published_iterations_.store(iterations_, std::memory_order_relaxed);
  }
  return StopReason::kNone;
}

int Search::Choose(std::span<const double> weights) {
  const int count = static_cast<int>(weights.size());
  double total = 0;
  for (int i = 0; i < count; ++i) total += weights[i];
  double pick = random_.UniformDouble() * total;
  for (int i = 0; i < count; ++i) {
    pick -= weights[i];
    if (pick < 0) return i;
  }
  return count - 1;
}

void Search::Iterate(double progress) {
  candidate_ = current_;
  removed_.clear();
  const int target = RemovalTarget();
  const int destroy = Choose(destroy_weight_);
  const int repair = Choose(repair_weight_);
  // No default arms: -Wswitch then names any operator added to the enums but not run here.
  switch (static_cast<DestroyOperator>(destroy)) {
    case DestroyOperator::kRandom:
      RandomRemoval(candidate_, target);
      break;
    case DestroyOperator::kWorst:
      WorstRemoval(candidate_, target);
      break;
    case DestroyOperator::kRelated:
      RelatedRemoval(candidate_, target);
      break;
    case DestroyOperator::kString:
      StringRemoval(candidate_, target);
      break;
    case DestroyOperator::kRoute:
      RouteRemoval(candidate_, target);
      break;
  }
  for (int u : removed_) is_removed_[u] = 0;
  // Removing visits only relaxes constraints; a travel matrix that breaks the triangle
  // inequality could still lengthen a route past a limit, and then the move is dropped.
  if (!candidate_.Refresh()) return;
  const std::int64_t evaluations_before = evaluator_.evaluations();
  switch (static_cast<RepairOperator>(repair)) {
    case RepairOperator::kGreedy:
      GreedyInsert(candidate_, false, nullptr, /*near_first=*/true);
      break;
    case RepairOperator::kGreedyByWindow:
      GreedyInsert(candidate_, true, nullptr, /*near_first=*/true);
      break;
    case RepairOperator::kRegret2:
      RegretInsert(candidate_, 2);
      break;
    case RepairOperator::kRegret3:
      RegretInsert(candidate_, 3);
      break;
  }

  // Counted before the polish of a new best, which is not the repair's doing.
  const double work = 1 + static_cast<double>(evaluator_.evaluations() - evaluations_before);
  const double cost = candidate_.cost();
  double score = 0;
  if (cost < best_.cost() - kImprovement) {
    if (model_.num_units() > params_.whole_polish_max_units) {
      Relocate(candidate_, ChangedUnits(candidate_));
    } else {
      Relocate(candidate_);
    }
    best_ = candidate_;
    current_ = candidate_;
    PublishBest();
    score = kScoreBest;
  } else if (cost < current_.cost() - kImprovement) {
    current_ = candidate_;
    score = kScoreBetter;
  } else {
    const double temperature = Temperature(progress);
    const double u = std::max(1e-300, random_.UniformDouble());
    if (cost - current_.cost() < -temperature * std::log(u)) {
      current_ = candidate_;
      score = kScoreAccepted;
    }
  }
  destroy_score_[destroy] += score;
  ++destroy_uses_[destroy];
  repair_score_[repair] += score;
  ++repair_uses_[repair];
  repair_work_[repair] += work;
  if ((iterations_ + 1) % params_.segment == 0) {
    for (int d = 0; d < kNumDestroyOperators; ++d) {
      if (destroy_uses_[d] == 0 || destroy_weight_[d] == 0) continue;
      destroy_weight_[d] =
          std::max(0.05, (1 - params_.reaction) * destroy_weight_[d] +
                             params_.reaction * destroy_score_[d] / destroy_uses_[d]);
      destroy_score_[d] = 0;
      destroy_uses_[d] = 0;
    }
    // Regret insertion costs several times what greedy does per call. Scoring a repair per unit
    // of work (insertions evaluated, a deterministic stand-in for time) keeps an expensive one
    // in play only while it pays for itself.
    double total_work = 0;
    int total_uses = 0;
    for (int r = 0; r < kNumRepairOperators; ++r) {
      total_work += repair_work_[r];
      total_uses += repair_uses_[r];
    }
    const double mean_work = total_uses > 0 ? total_work / total_uses : 1;
    for (int r = 0; r < kNumRepairOperators; ++r) {
      if (repair_uses_[r] == 0 || repair_weight_[r] == 0) continue;
      double rate = repair_score_[r] / repair_uses_[r];
      if (params_.repair_by_work) rate /= (repair_work_[r] / repair_uses_[r]) / mean_work;
      repair_weight_[r] =
          std::max(0.05, (1 - params_.reaction) * repair_weight_[r] + params_.reaction * rate);
      repair_score_[r] = 0;
      repair_uses_[r] = 0;
      repair_work_[r] = 0;
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Ruin.

int Search::RemovalTarget() {
  const int tasks = model_.num_tasks();
  const int cap =
      std::max(1, std::min(params_.max_removed,
                           static_cast<int>(std::ceil(params_.max_removed_share * tasks))));
  const int low = std::min(params_.min_removed, cap);
  return random_.UniformBetween(low, cap);
}

void Search::RemoveUnit(Plan& plan, int unit) {
  if (is_removed_[unit] || !plan.unit_assigned(unit)) return;
  is_removed_[unit] = 1;
  removed_.push_back(unit);
  plan.RemoveUnit(unit);
}

namespace {

int RemovedTasks(const TaskModel& model, const std::vector<int>& units) {
  int count = 0;
  for (int u : units) count += model.unit(u).size;
  return count;
}

std::vector<int> AssignedUnits(const Plan& plan) {
  std::vector<int> units;
  for (int u = 0; u < plan.model().num_units(); ++u) {
    if (plan.unit_assigned(u)) units.push_back(u);
  }
  return units;
}

}  // namespace

void Search::RandomRemoval(Plan& plan, int target) {
  std::vector<int> units = AssignedUnits(plan);
  for (int i = static_cast<int>(units.size()) - 1;
       i >= 0 && RemovedTasks(model_, removed_) < target; --i) {
    std::swap(units[i], units[random_.Uniform(i + 1)]);
    RemoveUnit(plan, units[i]);
  }
}

void Search::WorstRemoval(Plan& plan, int target) {
  const ObjectiveWeights& w = model_.weights();
  std::vector<int> units = AssignedUnits(plan);
  std::vector<double> score(model_.num_units(), 0);
  for (int u : units) {
    const Unit& unit = model_.unit(u);
    for (int i = 0; i < unit.size; ++i) {
      const int t = unit.tasks[i];
      const int route = plan.route_of(t);
      const int before = plan.previous(t);
      const int after = plan.next(t);
      const int location = model_.task(t).location;
      const Minutes detour =
          model_.leg(route, plan.location_after(route, before), location) +
          model_.leg(route, location, plan.location_before(route, after)) -
          (before < 0 && after < 0 ? 0
                                   : model_.leg(route, plan.location_after(route, before),
                                                plan.location_before(route, after)));
      score[u] += w.travel * detour + (w.total_lateness + w.max_lateness) * plan.lateness(t) +
                  model_.assignment_cost(t, route);
    }
  }
  std::sort(units.begin(), units.end(), [&](int a, int b) { return score[a] > score[b]; });
  while (!units.empty() && RemovedTasks(model_, removed_) < target) {
    const double y = random_.UniformDouble();
    const int index = static_cast<int>(std::pow(y, 3) * static_cast<double>(units.size()));
    RemoveUnit(plan, units[index]);
    units.erase(units.begin() + index);
  }
}

void Search::RelatedRemoval(Plan& plan, int target) {
  std::vector<int> units = AssignedUnits(plan);
  if (units.empty()) return;
  const int seed = units[random_.Uniform(static_cast<int>(units.size()))];
  const int seed_task = model_.unit(seed).tasks[0];
  // Relatedness by place, by time, or both.
  const int kind = random_.Uniform(3);
  const double place_weight = kind == 1 ? 0.0 : 1.0;
  const double time_weight = kind == 0 ? 0.0 : 1.0;
  std::vector<double> distance(model_.num_units(), 0);
  for (int u : units) {
    const int t = model_.unit(u).tasks[0];
    distance[u] = place_weight * model_.task_travel(seed_task, t) +
                  time_weight * std::fabs(plan.start(t) - plan.start(seed_task));
  }
  std::sort(units.begin(), units.end(), [&](int a, int b) { return distance[a] < distance[b]; });
  while (!units.empty() && RemovedTasks(model_, removed_) < target) {
    const double y = random_.UniformDouble();
    const int index = static_cast<int>(std::pow(y, 4) * static_cast<double>(units.size()));
    RemoveUnit(plan, units[index]);
    units.erase(units.begin() + index);
  }
}

void Search::StringRemoval(Plan& plan, int target) {
  // Strings of consecutive visits from the routes around a seed (Christiaens and Vanden Berghe's
  // SISR ruin), so that the routes can be rebuilt crossing each other.
  std::vector<int> assigned_tasks;
  int routes_used = 0;
  for (int r = 0; r < plan.num_routes(); ++r) {
    if (plan.route(r).empty()) continue;
    ++routes_used;
    assigned_tasks.insert(assigned_tasks.end(), plan.route(r).begin(), plan.route(r).end());
  }
  if (assigned_tasks.empty()) return;
  const double average_length =
      static_cast<double>(assigned_tasks.size()) / std::max(1, routes_used);
  const int max_string = std::max(1, std::min(10, static_cast<int>(std::lround(average_length))));
  const int seed = assigned_tasks[random_.Uniform(static_cast<int>(assigned_tasks.size()))];
  std::vector<char> route_done(plan.num_routes(), 0);
  const std::vector<int>& near = context_.neighbours(seed);
  for (int k = -1; k < static_cast<int>(near.size()); ++k) {
    if (RemovedTasks(model_, removed_) >= target) break;
    const int t = k < 0 ? seed : near[k];
    if (!plan.assigned(t)) continue;
    const int route = plan.route_of(t);
    if (route_done[route]) continue;
    route_done[route] = 1;
    const std::vector<int>& r = plan.route(route);
    const int size = static_cast<int>(r.size());
    const int length = random_.UniformBetween(1, std::min(size, max_string));
    const int position = plan.position_of(t);
    const int first = std::clamp(position - random_.Uniform(length), 0, size - length);
    std::vector<int> string(r.begin() + first, r.begin() + first + length);
    for (int s : string) RemoveUnit(plan, model_.task(s).unit);
  }
}

void Search::RouteRemoval(Plan& plan, int target) {
  std::vector<int> routes;
  for (int r = 0; r < plan.num_routes(); ++r) {
    if (!plan.route(r).empty()) routes.push_back(r);
  }
  while (!routes.empty() && RemovedTasks(model_, removed_) < target) {
    const int i = random_.Uniform(static_cast<int>(routes.size()));
    const std::vector<int> tasks = plan.route(routes[i]);
    for (int t : tasks) RemoveUnit(plan, model_.task(t).unit);
    routes.erase(routes.begin() + i);
  }
}

// ---------------------------------------------------------------------------------------------
// Recreate.

namespace {

// Keeps the k cheapest options, distinct by route (by pair of routes for two-task units),
// cheapest first.
class OptionKeeper {
 public:
  OptionKeeper(int k, int unit_size, Search::Option* options)
      : k_(k), pair_(unit_size == 2), options_(options) {}

  int kept() const { return kept_; }
  double threshold() const { return kept_ < k_ ? kInfeasible : options_[k_ - 1].cost; }

  void Keep(const Search::Option& option) {
    int same = -1;
    for (int i = 0; i < kept_; ++i) {
      if (options_[i].insertion.route[0] == option.insertion.route[0] &&
          (!pair_ || options_[i].insertion.route[1] == option.insertion.route[1])) {
        same = i;
      }
    }
    if (same >= 0) {
      if (options_[same].cost <= option.cost) return;
      for (int i = same; i + 1 < kept_; ++i) options_[i] = options_[i + 1];
      --kept_;
    }
    if (kept_ == k_ && options_[k_ - 1].cost <= option.cost) return;
    int i = std::min(kept_, k_ - 1);
    while (i > 0 && options_[i - 1].cost > option.cost) {
      options_[i] = options_[i - 1];
      --i;
    }
    options_[i] = option;
    kept_ = std::min(k_, kept_ + 1);
  }

 private:
  int k_;
  bool pair_;
  Search::Option* options_;
  int kept_ = 0;
};

}  // namespace

void Search::FillSolo(const Plan& plan, int task, int carer, SoloTable& table) {
  const ObjectiveWeights& w = model_.weights();
  const Task& t = model_.task(task);
  std::vector<SoloPosition>& list = table.routes[carer];
  double& floor = table.floor[carer];
  list.clear();
  floor = kInfeasible;
  const std::vector<int>& r = plan.route(carer);
  const int n = static_cast<int>(r.size());
  const auto [first, end] = plan.InsertablePositions(task, carer);
  if (first == end) return;
  const Minutes max_work = plan.route_max_work(carer);
  const double fixed_cost = model_.assignment_cost(task, carer) + plan.ClientCarerCost(task, carer);
  for (int p = first; p < end; ++p) {
    const int before = p > 0 ? r[p - 1] : -1;
    const int after = p < n ? r[p] : -1;
    const int from = plan.location_after(carer, before);
    const int to = plan.location_before(carer, after);
    const Minutes detour = model_.leg_to(carer, from, t.location) +
                           model_.leg(carer, t.location, to) -
                           (n > 0 ? model_.leg(carer, from, to) : 0);
    if (!WithinWorkingTime(plan.route_work(carer) + detour + t.duration, max_work)) continue;
    SoloPosition s;
    s.route = carer;
    s.position = p;
    s.start = std::max(t.earliest,
                       plan.ready_time(carer, before) + model_.leg_to(carer, from, t.location));
    if (s.start > t.latest) continue;
    s.lower =
        w.travel * detour + fixed_cost + w.total_lateness * std::max<Minutes>(0, s.start - t.due);
    floor = std::min(floor, s.lower);
    list.push_back(s);
  }
}

void Search::Refine(const Plan& plan, int task, SoloPosition& position, double bound) {
  if (position.exact || position.lower >= bound) return;
  const ObjectiveWeights& w = model_.weights();
  const Minutes current_max = plan.parts().max_lateness;
  Insertion solo;
  solo.task[0] = task;
  solo.route[0] = position.route;
  solo.position[0] = position.position;
  const double cost = evaluator_.Evaluate(plan, solo, bound);
  if (cost == kInfeasible) {
    position.lower = kInfeasible;
    position.exact = true;
    return;
  }
  const double without_max = cost - w.max_lateness * (evaluator_.last_max_lateness() - current_max);
  if (cost < bound) {
    position.exact = true;
    position.lower = without_max;
    position.start = evaluator_.last_start(0);
    position.max_lateness = evaluator_.last_max_lateness();
  } else {
    position.lower = std::max(position.lower, without_max);
  }
}

int Search::OptionsFromSolo(const Plan& plan, int unit, SoloTable* tables, int k, double blink,
                            Option* options, const std::vector<char>* changed,
                            std::span<const Option> kept) {
  const Unit& u = model_.unit(unit);
  const ObjectiveWeights& w = model_.weights();
  const Minutes current_max = plan.parts().max_lateness;
  auto full_cost = [&](const SoloPosition& s) {
    return s.lower + w.max_lateness * (std::max(s.max_lateness, current_max) - current_max);
  };
  OptionKeeper keeper(k, u.size, options);
  for (const Option& option : kept) keeper.Keep(option);
  // A large day passes over routes by their floors (skipping a route leaves its list unsorted,
  // which could order equal bounds otherwise: a small day keeps the order it always had).
  const bool lazy = model_.num_units() > params_.whole_polish_max_units;
  if (u.size == 1) {
    const int t = u.tasks[0];
    auto read_route = [&](int carer) {
      double& floor = tables[0].floor[carer];
      std::vector<SoloPosition>& list = tables[0].routes[carer];
      // Cheapest bound first, so that the best of the route is found with few evaluations.
      std::sort(list.begin(), list.end(),
                [](const SoloPosition& a, const SoloPosition& b) { return a.lower < b.lower; });
      Option best;
      for (SoloPosition& s : list) {
        const double bound = std::min(best.cost, keeper.threshold());
        if (s.lower >= bound) break;
        if (blink > 0 && random_.UniformDouble() < blink) continue;
        Refine(plan, t, s, bound);
        if (!s.exact || s.lower == kInfeasible) continue;
        const double cost = full_cost(s);
        if (cost < best.cost) {
          best.cost = cost;
          best.insertion.size = 1;
          best.insertion.task[0] = t;
          best.insertion.route[0] = carer;
          best.insertion.position[0] = s.position;
        }
      }
      if (lazy) {
        // Refined bounds only grew.
        floor = kInfeasible;
        for (const SoloPosition& s : list) floor = std::min(floor, s.lower);
      }
      if (best.cost < keeper.threshold()) keeper.Keep(best);
    };
    if (!lazy) {
      for (int carer : Candidates(t)) read_route(carer);
      return keeper.kept();
    }
    // Routes in order of their floors, so that the kept options are soon the cheapest and the
    // rest are passed over at their floors, unevaluated.
    by_floor_.clear();
    for (int carer : Candidates(t)) {
      if (changed != nullptr && !(*changed)[carer]) continue;
      const double floor = tables[0].floor[carer];
      if (floor < keeper.threshold()) by_floor_.push_back({floor, carer});
    }
    std::sort(by_floor_.begin(), by_floor_.end());
    for (const auto& [floor, carer] : by_floor_) {
      if (floor >= keeper.threshold()) break;
      read_route(carer);
    }
    return keeper.kept();
  }

  // A task's solo cost (without the maximum-lateness term, which the two share) bounds its share
  // of the pair's cost: adding the partner only adds constraints, and only tasks pushed by both
  // at once could be counted twice. Pairs are evaluated cheapest bound first while the bound can
  // still beat the kept options; solo positions are evaluated only when a pair reaches them.
  const Task& ta = model_.task(u.tasks[0]);
  const Task& tb = model_.task(u.tasks[1]);
  const bool distinct = ta.distinct_from_partner;
  Option option;
  option.insertion.size = 2;
  option.insertion.task[0] = u.tasks[0];
  option.insertion.task[1] = u.tasks[1];
  auto pairs = [&](std::vector<SoloPosition*>& first_list,
                   std::vector<SoloPosition*>& second_list) {
    // A small day sorts them whole, as it always has (the order of equal bounds is a sort's).
    ByLowerBound<SoloPosition> first(first_list, lazy);
    ByLowerBound<SoloPosition> second(second_list, lazy);
    if (first.size() == 0 || second.size() == 0) return;
    const double second_floor = second[0]->lower;
    for (size_t i = 0; i < first.size(); ++i) {
      SoloPosition* a = first[i];
      if (a->lower + second_floor >= keeper.threshold()) break;
      Refine(plan, u.tasks[0], *a, kInfeasible);
      if (a->lower + second_floor >= keeper.threshold()) continue;
      for (size_t j = 0; j < second.size(); ++j) {
        SoloPosition* b = second[j];
        const double limit = keeper.threshold();
        if (a->lower + b->lower >= limit) {
          // The list is sorted by the bounds it had then; refined ones only grew.
          if (!b->exact) break;
          continue;
        }
        if (a->route == b->route && a->position > b->position) continue;
        if (distinct && model_.same_person(a->route, b->route)) continue;
        Refine(plan, u.tasks[1], *b, kInfeasible);
        if (a->lower + b->lower >= limit) continue;
        if (a->route != b->route) {
          // The link can only move both starts later than alone.
          const Minutes start_a = std::max(a->start, b->start + tb.gap_min);
          const Minutes start_b = std::max(b->start, start_a + ta.gap_min);
          const Minutes late_a = std::max<Minutes>(0, start_a - ta.due);
          const Minutes late_b = std::max<Minutes>(0, start_b - tb.due);
          const double lower =
              a->lower + b->lower +
              w.total_lateness * (late_a - std::max<Minutes>(0, a->start - ta.due) + late_b -
                                  std::max<Minutes>(0, b->start - tb.due)) +
              w.max_lateness *
                  (std::max({a->max_lateness, b->max_lateness, late_a, late_b, current_max}) -
                   current_max);
          if (lower >= limit) continue;
        }
        if (blink > 0 && random_.UniformDouble() < blink) continue;
        option.insertion.route[0] = a->route;
        option.insertion.position[0] = a->position;
        option.insertion.route[1] = b->route;
        option.insertion.position[1] = b->position;
        option.cost = evaluator_.Evaluate(plan, option.insertion, limit);
        if (option.cost < limit) keeper.Keep(option);
      }
    }
  };
  // Without `changed` every route counts as changed.
  auto is_changed = [&](int carer) { return changed == nullptr || (*changed)[carer]; };
  // Task i's positions on the routes that are (or are not) changed, in candidate order; with
  // `other_floor`, only routes whose floor plus it is below the kept options' threshold.
  auto list_of = [&](int i, bool on_changed, bool on_unchanged,
                     std::optional<double> other_floor = std::nullopt) {
    std::vector<SoloPosition*>& list = solo_[i];
    list.clear();
    for (int carer : Candidates(u.tasks[i])) {
      if (!(is_changed(carer) ? on_changed : on_unchanged)) continue;
      if (other_floor && tables[i].floor[carer] + *other_floor >= keeper.threshold()) continue;
      for (SoloPosition& s : tables[i].routes[carer]) list.push_back(&s);
    }
  };
  if (changed == nullptr) {
    list_of(0, true, true);
    list_of(1, true, true);
    pairs(solo_[0], solo_[1]);
    return keeper.kept();
  }
  // Only pairs with a changed route can differ from the kept options: first the first task on
  // a changed route with the second anywhere, then the first on an unchanged route with the
  // second on a changed one. A route whose floor plus the other list's cannot beat the kept
  // options is passed over unread.
  auto changed_floor = [&](int i) {
    double floor = kInfeasible;
    for (int carer : Candidates(u.tasks[i])) {
      if (is_changed(carer)) floor = std::min(floor, tables[i].floor[carer]);
    }
    return floor;
  };
  list_of(0, true, false);
  list_of(1, true, true, changed_floor(0));
  pairs(solo_[0], solo_[1]);
  list_of(1, true, false);
  list_of(0, false, true, changed_floor(1));
  pairs(solo_[0], solo_[1]);
  return keeper.kept();
}

int Search::BestOptions(const Plan& plan, int unit, int k, double blink, Option* options) {
  const Unit& u = model_.unit(unit);
  if (u.size == 2) {
    for (int i = 0; i < 2; ++i) {
      SoloTable& table = fresh_[i];
      table.Resize(model_.num_carers());
      for (int carer : Candidates(u.tasks[i])) FillSolo(plan, u.tasks[i], carer, table);
    }
    return OptionsFromSolo(plan, unit, fresh_, k, blink, options);
  }
  // One task: positions evaluated against the best so far, so most stop at their lower bound.
  OptionKeeper keeper(k, 1, options);
  const int t = u.tasks[0];
  Option option;
  option.insertion.size = 1;
  option.insertion.task[0] = t;
  for (int carer : Candidates(t)) {
    const auto [first, end] = plan.InsertablePositions(t, carer);
    Option best;
    for (int p = first; p < end; ++p) {
      if (blink > 0 && random_.UniformDouble() < blink) continue;
      option.insertion.route[0] = carer;
      option.insertion.position[0] = p;
      const double bound = std::min(best.cost, keeper.threshold());
      option.cost = evaluator_.Evaluate(plan, option.insertion, bound);
      if (option.cost < bound) best = option;
    }
    if (best.cost < keeper.threshold()) keeper.Keep(best);
  }
  return keeper.kept();
}

bool Search::Commit(Plan& plan, const Option& option) {
  ApplyInsertion(option.insertion, plan);
  if (plan.Refresh()) return true;
  for (int i = 0; i < option.insertion.size; ++i) plan.Remove(option.insertion.task[i]);
  plan.Refresh();
  return false;
}

void Search::NearCarers(const Plan& plan, int unit) {
  const Unit& u = model_.unit(unit);
  near_route_.assign(model_.num_carers(), 0);
  for (int i = 0; i < u.size; ++i) {
    const int t = u.tasks[i];
    if (plan.assigned(t)) near_route_[plan.route_of(t)] = 1;
    int seen = 0;
    for (int other : context_.neighbours(t)) {
      if (seen++ >= params_.polish_neighbours) break;
      if (plan.assigned(other)) near_route_[plan.route_of(other)] = 1;
    }
  }
  for (int i = 0; i < 2; ++i) {
    near_task_[i] = i < u.size ? u.tasks[i] : -1;
    near_carers_[i].clear();
    if (i >= u.size) continue;
    for (int carer : model_.carers_in_shift(u.tasks[i])) {
      if (near_route_[carer]) near_carers_[i].push_back(carer);
    }
  }
}

std::vector<int> Search::ChangedUnits(const Plan& plan) const {
  std::vector<char> changed(model_.num_carers(), 0);
  for (int unit : removed_) {
    const Unit& u = model_.unit(unit);
    for (int i = 0; i < u.size; ++i) {
      const int t = u.tasks[i];
      if (current_.assigned(t)) changed[current_.route_of(t)] = 1;
      if (plan.assigned(t)) changed[plan.route_of(t)] = 1;
    }
  }
  std::vector<char> listed(model_.num_units(), 0);
  std::vector<int> units;
  for (int route = 0; route < model_.num_carers(); ++route) {
    if (!changed[route]) continue;
    for (int t : plan.route(route)) {
      const int unit = model_.task(t).unit;
      if (!listed[unit]) {
        listed[unit] = 1;
        units.push_back(unit);
      }
    }
  }
  return units;
}

int Search::BestOptionsAmong(CarerSet carers, const Plan& plan, int unit, int k, double blink,
                             Option* options) {
  const CarerSet before = std::exchange(carer_set_, carers);
  const int found = BestOptions(plan, unit, k, blink, options);
  carer_set_ = before;
  return found;
}

void Search::GreedyInsert(Plan& plan, bool by_window, std::vector<int>* not_reached,
                          bool near_first) {
  std::vector<int> units;
  for (int u = 0; u < model_.num_units(); ++u) {
    if (!plan.unit_assigned(u) && !context_.unplaceable[u]) units.push_back(u);
  }
  for (int i = static_cast<int>(units.size()) - 1; i > 0; --i) {
    std::swap(units[i], units[random_.Uniform(i + 1)]);
  }
  if (by_window) {
    std::stable_sort(units.begin(), units.end(), [&](int a, int b) {
      return model_.task(model_.unit(a).tasks[0]).earliest <
             model_.task(model_.unit(b).tasks[0]).earliest;
    });
  }
  // The first plan of a large day staffs the double-ups first, as a coordinator does: a pair
  // needs two routes free at once, and placed last it takes whatever the singles left. On the
  // provider days this took double-handed clients from 12.5-14.6 distinct carers in 14 days
  // to 10.4-12.8 (five towns); on the generated 3,011-visit day the 10 s objective was 0.2-1.2%
  // lower over two sets of five seeds, within the noise. Repairs keep their order: done there too,
  // it cost single-handed clients continuity. (The public benchmark's days are small, and their
  // plans stay as they were.)
  if (constructing_ && model_.num_units() > params_.whole_polish_max_units) {
    auto rank = [&](int unit) {
      const Unit& u = model_.unit(unit);
      if (u.size < 2) return 1;
      // On the usual carers only, a pair short of one would take anyone as its second carer,
      // quite likely someone else's usual: it waits for the singles.
      if (carer_set_ == CarerSet::kUsual && model_.usual_carers(u.tasks[1]).size() < 2) return 2;
      return 0;
    };
    std::stable_sort(units.begin(), units.end(), [&](int a, int b) { return rank(a) < rank(b); });
  }
  // Units that count for more when left unassigned (time-critical visits) go first.
  if (model_.has_extra_unassigned_factors()) {
    std::stable_sort(units.begin(), units.end(), [&](int a, int b) {
      return model_.unit_extra_unassigned_factor(a) > model_.unit_extra_unassigned_factor(b);
    });
  }
  Option option;
  for (size_t i = 0; i < units.size(); ++i) {
    if (Interrupted()) {
      if (not_reached != nullptr) not_reached->assign(units.begin() + i, units.end());
      return;
    }
    int found = 0;
    if (near_first && model_.num_units() > params_.whole_polish_max_units) {
      NearCarers(plan, units[i]);
      found = BestOptionsAmong(CarerSet::kNear, plan, units[i], 1, params_.blink, &option);
    }
    if (found == 0) found = BestOptions(plan, units[i], 1, params_.blink, &option);
    if (found > 0) Commit(plan, option);
  }
}

void Search::RegretInsert(Plan& plan, int k) {
  std::vector<int> units;
  for (int u = 0; u < model_.num_units(); ++u) {
    if (!plan.unit_assigned(u) && !context_.unplaceable[u]) units.push_back(u);
  }
  // Every unit's solo positions, route by route; after an insertion only the routes whose
  // times changed are evaluated again.
  if (regret_tables_.size() < units.size()) regret_tables_.resize(units.size());
  std::vector<std::array<SoloTable, 2>*> tables;
  for (size_t i = 0; i < units.size(); ++i) {
    for (SoloTable& table : regret_tables_[i]) table.Resize(model_.num_carers());
    tables.push_back(&regret_tables_[i]);
  }
  // On a large day each unit's options are kept from round to round too: while none of them is
  // on a changed route, a round reads only the changed routes (a double-up's pairs with one).
  // Re-reading every route each round was most of the regret repair's time at 3,000 visits.
  const bool keep_options =
      params_.keep_regret_options && model_.num_units() > params_.whole_polish_max_units;
  struct Kept {
    std::array<Option, 4> options;
    int found = -1;  // -1: none kept
    Minutes max_lateness = 0;
  };
  std::vector<Kept> kept(units.size());
  std::vector<char> dirty(model_.num_carers(), 1);
  std::vector<char> unit_dirty(units.size(), 1);
  std::vector<Minutes> before(model_.num_tasks());
  int changed_client = -1;
  auto drop = [&](int i) {
    units[i] = units.back();
    units.pop_back();
    std::swap(tables[i], tables.back());
    tables.pop_back();
    unit_dirty[i] = unit_dirty.back();
    unit_dirty.pop_back();
    kept[i] = kept.back();
    kept.pop_back();
  };
  Option options[4];
  Option chosen;
  while (!units.empty() && !Interrupted()) {
    int chosen_index = -1;
    double chosen_regret = -1;
    chosen.cost = kInfeasible;
    for (int i = 0; i < static_cast<int>(units.size());) {
      const Unit& unit = model_.unit(units[i]);
      // Kept options stay valid while their routes are unchanged, the plan's maximum lateness
      // (which their costs count from) too, and no visit of the client (whose carers in the
      // day they count) was placed.
      bool reuse = keep_options && kept[i].found >= 0 && !unit_dirty[i] &&
                   kept[i].max_lateness == plan.parts().max_lateness &&
                   (changed_client < 0 || model_.client_of(unit.tasks[0]) != changed_client);
      for (int j = 0; reuse && j < kept[i].found; ++j) {
        const Insertion& insertion = kept[i].options[j].insertion;
        for (int t = 0; t < insertion.size; ++t) reuse = reuse && !dirty[insertion.route[t]];
      }
      for (int j = 0; j < unit.size; ++j) {
        for (int carer : model_.carers_in_shift(unit.tasks[j])) {
          if (dirty[carer] || unit_dirty[i]) FillSolo(plan, unit.tasks[j], carer, (*tables[i])[j]);
        }
      }
      unit_dirty[i] = 0;
      const int found =
          reuse ? OptionsFromSolo(plan, units[i], tables[i]->data(), k, params_.blink, options,
                                  &dirty, std::span(kept[i].options.data(), kept[i].found))
                : OptionsFromSolo(plan, units[i], tables[i]->data(), k, params_.blink, options);
      if (found == 0) {
        // No place for it now; it stays unassigned.
        drop(i);
        continue;
      }
      if (keep_options) {
        std::copy(options, options + found, kept[i].options.begin());
        kept[i].found = found;
        kept[i].max_lateness = plan.parts().max_lateness;
      }
      double regret = 0;
      for (int j = 1; j < k; ++j) {
        regret += (j < found ? options[j].cost : options[0].cost + 1e6) - options[0].cost;
      }
      // A unit that counts for more when left unassigned (a time-critical visit) goes first.
      regret += model_.weights().unassigned_visit * model_.unit_extra_unassigned_factor(units[i]);
      if (regret > chosen_regret || (regret == chosen_regret && options[0].cost < chosen.cost)) {
        chosen_regret = regret;
        chosen_index = i;
        chosen = options[0];
      }
      ++i;
    }
    if (chosen_index < 0) break;
    for (int r = 0; r < plan.num_routes(); ++r) {
      for (int t : plan.route(r)) before[t] = plan.start(t);
    }
    std::fill(dirty.begin(), dirty.end(), 0);
    changed_client = -1;
    if (!Commit(plan, chosen)) {
      // Its cached positions were stale: look at this unit afresh.
      unit_dirty[chosen_index] = 1;
      continue;
    }
    changed_client = model_.client_of(chosen.insertion.task[0]);
    for (int r = 0; r < plan.num_routes(); ++r) {
      for (int t : plan.route(r)) {
        if (dirty[r]) break;
        if (std::fabs(plan.start(t) - before[t]) > 1e-9) dirty[r] = 1;
      }
    }
    for (int j = 0; j < chosen.insertion.size; ++j) {
      dirty[chosen.insertion.route[j]] = 1;
      before[chosen.insertion.task[j]] = 0;
      // The person's other stretches now have less working time left.
      const int person = model_.carer(chosen.insertion.route[j]).person;
      if (person >= 0) {
        for (int route : model_.person_routes(person)) dirty[route] = 1;
      }
    }
    drop(chosen_index);
  }
}

void Search::Relocate(Plan& plan) { Relocate(plan, AssignedUnits(plan)); }

void Search::Relocate(Plan& plan, std::vector<int> units) {
  for (int i = static_cast<int>(units.size()) - 1; i > 0; --i) {
    std::swap(units[i], units[random_.Uniform(i + 1)]);
  }
  const double unassigned_weight = model_.weights().unassigned_visit;
  const bool near_only = model_.num_units() > params_.whole_polish_max_units;
  for (int u : units) {
    if (Interrupted()) return;
    if (!plan.unit_assigned(u)) continue;
    if (near_only) NearCarers(plan, u);
    scratch_ = plan;
    scratch_.RemoveUnit(u);
    if (!scratch_.Refresh()) continue;
    const double without =
        scratch_.cost() -
        unassigned_weight * (scratch_.parts().unassigned_factors - plan.parts().unassigned_factors);
    Option option;
    const int found = near_only ? BestOptionsAmong(CarerSet::kNear, scratch_, u, 1, 0, &option)
                                : BestOptions(scratch_, u, 1, 0, &option);
    if (found == 0) continue;
    if (without + option.cost >= plan.cost() - kImprovement) continue;
    if (Commit(scratch_, option) && scratch_.cost() < plan.cost() - kImprovement) {
      std::swap(plan, scratch_);
    }
  }
}

}  // namespace homecare::scheduling::solver
