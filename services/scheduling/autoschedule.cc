// Scheduling::AutoSchedule: load the day, build the engine's model, solve, apply.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "absl/functional/function_ref.h"
#include "absl/hash/hash.h"
#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/api/write.h"
#include "common/concurrency/ticker.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "services/scheduling/autoschedule_model.h"
#include "services/scheduling/scheduling.h"
#include "services/scheduling/solver/solver.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {
namespace {

constexpr int kVisitBatch = 500;
constexpr int kClientBatch = 100;
constexpr int kCarerBatch = 200;
// The lease outlasts the solve by this, for loading the day and applying the plan.
constexpr absl::Duration kLeaseMargin = absl::Minutes(5);
// A planned visit from a proposal, whose version was not kept: checked by its status instead.
constexpr int64_t kAnyVersion = -1;
// Applying a visit is a few reads and one script, mostly waiting on Redis and the roster: one
// after another, a town's 3,024 visits took 5-6 s. This many apply side by side, each holding
// one connection of the store's pool at a time, so that others' requests keep the rest.
constexpr int kApplyThreads = 4;
// How often the call reports progress, searching and applying: the promise is at least every
// half second as the caller hears it, and a report takes a few milliseconds to arrive (0.51 s
// apart at a 0.5 s tick in repair_bench), so the ticks keep a margin.
constexpr absl::Duration kProgressInterval = absl::Milliseconds(400);

// Runs `apply(i)` for every planned visit on kApplyThreads threads. All the visits whose first
// carer is one carer go to one thread, in the plan's order, so that writes to a carer's day
// seldom race; those that do (a double-up's second carer is another thread's) read again and
// retry, as any concurrent write does.
void ApplySideBySide(const std::vector<PlannedVisit>& visits,
                     absl::FunctionRef<void(size_t)> apply) {
  std::vector<std::vector<size_t>> shares(kApplyThreads);
  for (size_t i = 0; i < visits.size(); ++i) {
    const std::string& carer =
        visits[i].carer_ids.empty() ? visits[i].visit_id : visits[i].carer_ids.front();
    shares[absl::Hash<std::string>{}(carer) % kApplyThreads].push_back(i);
  }
  std::vector<std::thread> threads;
  for (const std::vector<size_t>& share : shares) {
    threads.emplace_back([&apply, &share] {
      for (size_t i : share) apply(i);
    });
  }
  for (std::thread& thread : threads) thread.join();
}

// The call's progress, at once and then every kProgressInterval until the plan: LOADING until
// the search begins, then the search's own reports (SOLVING, from the engine's ticker), then
// APPLYING while the plan is written. Elapsed seconds count from the call's start.
class ProgressReports {
 public:
  explicit ProgressReports(const Scheduling::AutoScheduleRun& run)
      : run_(run), began_(std::chrono::steady_clock::now()) {
    latest_.set_phase(v1::AUTO_SCHEDULE_PHASE_LOADING);
    if (!run_.on_progress) return;
    Tick();
    ticker_.emplace(began_, absl::ToChronoNanoseconds(kProgressInterval), [this] { Tick(); });
  }
  ~ProgressReports() { Stop(); }

  // The engine starts: it reports from now on, its first report one tick away.
  void Searching() {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_.set_phase(v1::AUTO_SCHEDULE_PHASE_SOLVING);
    SendLocked();
  }

  // A report of the engine's, passed on as it comes.
  void Searched(const solver::Progress& progress) {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_.set_phase(v1::AUTO_SCHEDULE_PHASE_SOLVING);
    latest_.set_iterations(progress.iterations);
    latest_.set_best_objective(progress.best_objective);
    latest_.set_unassigned_visits(progress.unassigned_visits);
    SendLocked();
  }

  // The plan is being written: the search's last figures stay, with how far writing has gone.
  void Applying(int visits_to_apply) {
    std::lock_guard<std::mutex> lock(mutex_);
    latest_.set_phase(v1::AUTO_SCHEDULE_PHASE_APPLYING);
    latest_.set_visits_to_apply(visits_to_apply);
    SendLocked();
  }
  // One more visit of the plan written or refused; any thread.
  void Applied() { applied_.fetch_add(1, std::memory_order_relaxed); }

  // No report after this: the plan comes next.
  void Stop() {
    if (ticker_.has_value()) ticker_->Stop();
  }

 private:
  void Tick() {
    std::lock_guard<std::mutex> lock(mutex_);
    // While searching, the engine's ticker reports, with figures only it has.
    if (latest_.phase() != v1::AUTO_SCHEDULE_PHASE_SOLVING) SendLocked();
  }

  void SendLocked() {
    if (!run_.on_progress) return;
    latest_.set_elapsed_seconds(
        std::chrono::duration<double>(std::chrono::steady_clock::now() - began_).count());
    if (latest_.phase() == v1::AUTO_SCHEDULE_PHASE_APPLYING) {
      latest_.set_visits_applied(applied_.load(std::memory_order_relaxed));
    }
    run_.on_progress(latest_);
  }

  const Scheduling::AutoScheduleRun& run_;
  const std::chrono::steady_clock::time_point began_;
  std::mutex mutex_;
  v1::AutoScheduleProgress latest_;
  std::atomic<int> applied_{0};
  std::optional<Ticker> ticker_;  // last: stopped and joined before the rest goes
};

}  // namespace

absl::StatusOr<v1::SchedulePlan> Scheduling::AutoSchedule(const std::string& tenant_id,
                                                          const v1::AutoScheduleRequest& request,
                                                          const AutoScheduleRun& run) {
  FieldViolations violations;
  absl::StatusOr<absl::CivilDay> date = DateFromProto(request.date(), "date");
  if (!request.has_date()) {
    violations.Add("date", "is required");
  } else if (!date.ok()) {
    violations.AddFrom(date.status());
  }
  if (!request.locality_id().empty()) {
    violations.AddFrom(ValidateId("locality_id", request.locality_id()));
  }
  if (request.time_limit_seconds() < 0 || request.time_limit_seconds() > kMaxSolveSeconds) {
    violations.Add("time_limit_seconds",
                   absl::StrCat("must be from 0 (the default, ", kDefaultSolveSeconds, ") to ",
                                kMaxSolveSeconds));
  }
  violations.AddFrom(ValidateRequestId(request.request_id()));
  if (!violations.empty()) return violations.ToStatus();
  const std::string fingerprint =
      RequestFingerprint(absl::StrCat("AutoSchedule:", request.request_id()), request);
  if (!request.request_id().empty()) {
    absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> earlier =
        store_.ReadRequest(tenant_id, request.request_id());
    if (!earlier.ok()) return earlier.status();
    if (earlier->has_value()) {
      if ((*earlier)->fingerprint != fingerprint) {
        return absl::AlreadyExistsError("this request_id was used by another request");
      }
      v1::SchedulePlan plan;
      if (!plan.ParseFromString((*earlier)->response)) return CorruptRecord("AutoSchedule request");
      return plan;
    }
  }
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  if (!request.locality_id().empty() && !tenant->HasLocality(request.locality_id())) {
    return InvalidArgumentError("locality_id", "is not a locality of the tenant");
  }
  const int seconds =
      request.time_limit_seconds() > 0 ? request.time_limit_seconds() : kDefaultSolveSeconds;
  absl::StatusOr<bool> leased = store_.TakeSolveLease(tenant_id, *date, run.lease_token,
                                                      absl::Seconds(seconds) + kLeaseMargin);
  if (!leased.ok()) return leased.status();
  if (!*leased) {
    return absl::AbortedError(absl::StrCat("an AutoSchedule of ", absl::FormatCivilTime(*date),
                                           " is running; try again when it has finished"));
  }
  absl::StatusOr<v1::SchedulePlan> plan =
      SolveAndApply(tenant_id, *tenant, *date, seconds, request, fingerprint, run);
  // A lease not let go lapses by itself; the plan stands either way.
  (void)store_.ReleaseSolveLease(tenant_id, *date, run.lease_token);
  return plan;
}

absl::Status Scheduling::LoadDay(const std::string& tenant_id, const TenantProfile& tenant,
                                 absl::CivilDay date, const v1::SchedulingSettings& settings,
                                 const std::function<bool(const v1::Visit&)>& to_plan,
                                 AutoScheduleInput& input) {
  input.date = date;
  input.zone = tenant.zone;
  input.now = clock_.Now();
  input.settings = &settings;
  // Every visit of the tenant from the day before to the day after: the day's (of the
  // locality) to plan, the others with carers on them as what those carers keep.
  absl::Status read =
      ForEachVisit(tenant_id, {}, DayStart(date - 1, tenant.zone), DayStart(date + 2, tenant.zone),
                   kVisitBatch, [&](v1::Visit& visit) {
                     if (LocalDate(visit) == date && to_plan(visit)) {
                       input.visits.push_back(std::move(visit));
                     } else if (visit.carer_ids_size() > 0) {
                       input.commitments.push_back(std::move(visit));
                     }
                   });
  if (!read.ok()) return read;
  std::set<std::string> client_set;
  for (const v1::Visit& visit : input.visits) client_set.insert(visit.client_id());
  const std::vector<std::string> client_ids(client_set.begin(), client_set.end());
  for (size_t i = 0; i < client_ids.size(); i += kClientBatch) {
    const std::vector<std::string> batch(
        client_ids.begin() + i, client_ids.begin() + std::min(client_ids.size(), i + kClientBatch));
    absl::StatusOr<std::vector<v1::Client>> clients = store_.ReadClients(tenant_id, batch);
    if (!clients.ok()) return clients.status();
    input.clients.insert(input.clients.end(), clients->begin(), clients->end());
    absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> history =
        store_.ReadVisitsOfClients(tenant_id, batch, DayStart(date - kContinuityDays, tenant.zone),
                                   DayStart(date, tenant.zone));
    if (!history.ok()) return history.status();
    for (const auto& of_client : *history) {
      for (const Snapshot<v1::Visit>& visit : of_client) input.history.push_back(visit.record);
    }
  }
  absl::StatusOr<std::vector<std::string>> carer_ids = tenants_.ActiveCarerIds(tenant_id);
  if (!carer_ids.ok()) return carer_ids.status();
  for (size_t i = 0; i < carer_ids->size(); i += kCarerBatch) {
    TenantDirectory::CarerQuery query{
        .carer_ids = {carer_ids->begin() + i,
                      carer_ids->begin() + std::min(carer_ids->size(), i + kCarerBatch)},
        .with_availability = true,
        .absences_from = DayStart(date - 1, tenant.zone),
        // The week ahead's too: a carer on leave then is no cover who fits the week.
        .absences_until = DayStart(date + kRotaDays + 1, tenant.zone)};
    absl::StatusOr<absl::flat_hash_map<std::string, roster::v1::CarerDetails>> carers =
        tenants_.GetCarers(tenant_id, query);
    if (!carers.ok()) return carers.status();
    for (auto& [id, details] : *carers) input.carers[id] = std::move(details);
  }

  return absl::OkStatus();
}

absl::StatusOr<v1::SchedulePlan> Scheduling::SolveAndApply(const std::string& tenant_id,
                                                           const TenantProfile& tenant,
                                                           absl::CivilDay date, int seconds,
                                                           const v1::AutoScheduleRequest& request,
                                                           const std::string& fingerprint,
                                                           const AutoScheduleRun& run) {
  ProgressReports progress(run);
  absl::StatusOr<v1::SchedulingSettings> settings = SettingsInForce(tenant_id);
  if (!settings.ok()) return settings.status();
  AutoScheduleInput input;
  absl::Status loaded = LoadDay(
      tenant_id, tenant, date, *settings,
      [&](const v1::Visit& visit) {
        return request.locality_id().empty() || visit.locality_id() == request.locality_id();
      },
      input);
  if (!loaded.ok()) return loaded;
  absl::StatusOr<SolverModel> model = BuildSolverModel(input);
  if (!model.ok()) return model.status();
  solver::SolveOptions options;
  options.weights = model->weights;
  options.time_limit_seconds = seconds;
  options.threads = run.threads;
  options.stop = run.stop;
  options.progress_interval_seconds = absl::ToDoubleSeconds(kProgressInterval);
  options.on_progress = [&progress](const solver::Progress& searched) {
    progress.Searched(searched);
  };
  progress.Searching();
  absl::StatusOr<solver::Solution> solution = solver::Solve(model->problem, options);
  if (!solution.ok()) return solution.status();
  if (run.stop != nullptr && run.stop->load()) {
    return absl::CancelledError("AutoSchedule stopped before its plan was applied");
  }
  AutoSchedulePlan planned = PlanFromSolution(*model, *solution);

  if (!request.dry_run()) {
    // Writing a town's plan takes seconds: the caller hears that it has begun, then how far
    // it has gone.
    progress.Applying(static_cast<int>(planned.assignments.size()));
    // As a coordinator would, in two steps so that carers who swap visits do not refuse each
    // other: first the scheduler's carers come off each visit the plan moves or gives to
    // others; then each visit gets its planned start if it moved, and its carers, checked by
    // every hard rule again. What fails is reported, the rest stands; a visit emptied in the
    // first step and refused in the second gets its carers back where they still fit.
    // Each step runs side by side (ApplySideBySide); what follows them is in the plan's order.
    std::vector<std::string> refusals(planned.assignments.size());
    std::vector<std::vector<std::string>> released(planned.assignments.size());
    ApplySideBySide(planned.assignments, [&](size_t i) {
      PlannedVisit& visit = planned.assignments[i];
      const bool moved = visit.planned_start != visit.scheduled_start;
      std::vector<std::string> leaving;
      for (const std::string& carer : visit.scheduled_carer_ids) {
        if (moved || std::find(visit.carer_ids.begin(), visit.carer_ids.end(), carer) ==
                         visit.carer_ids.end()) {
          leaving.push_back(carer);
        }
      }
      if (leaving.empty()) return;
      absl::StatusOr<int64_t> version =
          ReleaseScheduledCarers(tenant_id, visit.visit_id, visit.version, leaving);
      if (!version.ok()) {
        refusals[i] = std::string(version.status().message());
        return;
      }
      visit.version = *version;
      released[i] = std::move(leaving);
    });
    std::vector<absl::Status> outcomes(planned.assignments.size());
    ApplySideBySide(planned.assignments, [&](size_t i) {
      if (refusals[i].empty()) {
        outcomes[i] = ApplyPlanned(tenant_id, planned.assignments[i], request.request_id());
      }
      progress.Applied();
    });
    std::vector<PlannedVisit> applied;
    for (size_t i = 0; i < planned.assignments.size(); ++i) {
      PlannedVisit& visit = planned.assignments[i];
      if (!refusals[i].empty()) {
        planned.unassigned.push_back({visit.visit_id, refusals[i]});
        continue;
      }
      const absl::Status& done = outcomes[i];
      if (done.ok()) {
        applied.push_back(std::move(visit));
        continue;
      }
      if (!released[i].empty()) {
        PlannedVisit before;
        before.visit_id = visit.visit_id;
        before.client_id = visit.client_id;  // counted in the plan's continuity figures
        before.version = kAnyVersion;
        before.carer_ids = released[i];
        before.planned_start = visit.scheduled_start;
        for (const std::string& carer : visit.carer_ids) {
          if (std::find(visit.scheduled_carer_ids.begin(), visit.scheduled_carer_ids.end(),
                        carer) == visit.scheduled_carer_ids.end()) {
            before.carer_ids.push_back(carer);  // a coordinator's, never taken off
          }
        }
        if (ApplyPlanned(tenant_id, before, "").ok()) {
          before.scheduled_carer_ids = std::move(released[i]);
          before.scheduled_start = visit.scheduled_start;
          applied.push_back(std::move(before));
          continue;
        }
      }
      planned.unassigned.push_back({visit.visit_id, std::string(done.message())});
    }
    planned.assignments = std::move(applied);
  }
  progress.Stop();
  v1::SchedulePlan plan = PlanToProto(planned);
  if (!request.request_id().empty()) {
    absl::Status kept = store_.KeepRequest(tenant_id, request.request_id(),
                                           {fingerprint, plan.SerializeAsString()});
    if (!kept.ok()) return kept;
  }
  return plan;
}

absl::Status Scheduling::ProposeRepair(const std::string& tenant_id, const TenantProfile& tenant,
                                       absl::CivilDay date, const std::string& carer_id,
                                       const std::vector<std::string>& visit_ids,
                                       std::chrono::steady_clock::time_point since) {
  absl::StatusOr<v1::SchedulingSettings> settings = SettingsInForce(tenant_id);
  if (!settings.ok()) return settings.status();
  const std::set<std::string> affected(visit_ids.begin(), visit_ids.end());
  AutoScheduleInput input;
  input.move_scheduled_carers = false;
  absl::Status loaded = LoadDay(
      tenant_id, tenant, date, *settings,
      [&](const v1::Visit& visit) { return affected.contains(visit.visit_id()); }, input);
  if (!loaded.ok()) return loaded;
  absl::StatusOr<SolverModel> model = BuildSolverModel(input);
  if (!model.ok()) return model.status();
  solver::SolveOptions options;
  options.weights = model->weights;
  options.time_limit_seconds = kRepairSeconds;
  options.stop_once_all_placed = true;
  absl::StatusOr<solver::Solution> solution = solver::Solve(model->problem, options);
  if (!solution.ok()) return solution.status();
  v1::ReplanProposal proposal;
  proposal.set_proposal_id(RandomId("rpl"));
  *proposal.mutable_date() = DateToProto(date);
  proposal.set_carer_id(carer_id);
  for (const std::string& id : visit_ids) proposal.add_visit_ids(id);
  *proposal.mutable_plan() = PlanToProto(PlanFromSolution(*model, *solution));
  proposal.set_state(v1::REPLAN_STATE_PROPOSED);
  *proposal.mutable_create_time() = TimeToProto(clock_.Now());
  proposal.set_seconds_to_propose(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count());
  if (settings->apply_repairs_at_once()) ApplyProposal(tenant_id, "repair", proposal);
  return store_.PutReplanProposal(tenant_id, proposal);
}

void Scheduling::ApplyProposal(const std::string& tenant_id, const std::string& actor,
                               v1::ReplanProposal& proposal) {
  v1::SchedulePlan& plan = *proposal.mutable_plan();
  google::protobuf::RepeatedPtrField<v1::PlannedAssignment> proposed;
  proposed.Swap(plan.mutable_assignments());
  // A proposal stored before assignments named their clients keeps the figures it proposed.
  const bool recount = std::all_of(proposed.begin(), proposed.end(), [](const auto& assignment) {
    return !assignment.client_id().empty();
  });
  for (const v1::PlannedAssignment& assignment : proposed) {
    PlannedVisit planned;
    planned.visit_id = assignment.visit_id();
    planned.version = kAnyVersion;
    planned.carer_ids = {assignment.carer_ids().begin(), assignment.carer_ids().end()};
    planned.planned_start = StoredTime(assignment.planned_start());
    absl::Status done =
        ApplyPlanned(tenant_id, planned, absl::StrCat("replan/", proposal.proposal_id()));
    if (done.ok()) {
      *plan.add_assignments() = assignment;
    } else {
      v1::UnassignedVisit& refused = *plan.add_unassigned();
      refused.set_visit_id(assignment.visit_id());
      refused.set_reason(std::string(done.message()));
    }
  }
  if (recount) *plan.mutable_continuity() = ContinuityOf(plan.assignments());
  proposal.set_state(v1::REPLAN_STATE_APPLIED);
  *proposal.mutable_apply_time() = TimeToProto(clock_.Now());
  proposal.set_applied_by(actor);
}

absl::StatusOr<v1::ListReplanProposalsResponse> Scheduling::ListReplanProposals(
    const std::string& tenant_id, const v1::ListReplanProposalsRequest& request) {
  absl::StatusOr<absl::CivilDay> date = DateFromProto(request.date(), "date");
  if (!request.has_date()) return InvalidArgumentError("date", "is required");
  if (!date.ok()) return date.status();
  if (!v1::ReplanState_IsValid(request.state())) {
    return InvalidArgumentError("state", "is not a ReplanState");
  }
  absl::StatusOr<std::vector<v1::ReplanProposal>> proposals =
      store_.ReadReplanProposals(tenant_id, *date);
  if (!proposals.ok()) return proposals.status();
  v1::ListReplanProposalsResponse response;
  for (v1::ReplanProposal& proposal : *proposals) {
    if (request.state() != v1::REPLAN_STATE_UNSPECIFIED && proposal.state() != request.state()) {
      continue;
    }
    *response.add_proposals() = std::move(proposal);
  }
  return response;
}

absl::StatusOr<v1::ReplanProposal> Scheduling::ApplyReplanProposal(
    const std::string& tenant_id, const std::string& actor,
    const v1::ApplyReplanProposalRequest& request) {
  if (absl::Status valid = ValidateId("proposal_id", request.proposal_id()); !valid.ok()) {
    return valid;
  }
  absl::StatusOr<v1::ReplanProposal> proposal =
      store_.ReadReplanProposal(tenant_id, request.proposal_id());
  if (!proposal.ok()) return proposal.status();
  // Applied already (by a coordinator, a retry or at once): as it was.
  if (proposal->state() == v1::REPLAN_STATE_APPLIED) return proposal;
  ApplyProposal(tenant_id, actor, *proposal);
  if (absl::Status kept = store_.PutReplanProposal(tenant_id, *proposal); !kept.ok()) return kept;
  return proposal;
}

absl::Status Scheduling::ApplyPlanned(const std::string& tenant_id, const PlannedVisit& planned,
                                      const std::string& request_id) {
  absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, planned.visit_id);
  if (!read.ok()) return read.status();
  const v1::Visit& visit = read->record;
  if (planned.version == kAnyVersion) {
    // A proposal: the visit must still want the carers it was planned for, unless it has them
    // at the planned time already (a retry of an apply whose record was not kept).
    const bool made =
        visit.status() == v1::VISIT_STATUS_SCHEDULED &&
        StoredTime(visit.planned_start()) == planned.planned_start &&
        std::all_of(planned.carer_ids.begin(), planned.carer_ids.end(), [&](const std::string& c) {
          return std::find(visit.carer_ids().begin(), visit.carer_ids().end(), c) !=
                 visit.carer_ids().end();
        });
    if (made) return absl::OkStatus();
    if (visit.status() != v1::VISIT_STATUS_NEEDS_CARER) {
      return absl::AbortedError("staffed or cancelled since the proposal: kept as it is");
    }
  } else if (visit.version() != planned.version) {
    return absl::AbortedError("changed during the solve: kept as it was changed");
  }
  if (StoredTime(visit.planned_start()) != planned.planned_start) {
    v1::UpdateVisitRequest move;
    move.mutable_visit()->set_visit_id(visit.visit_id());
    *move.mutable_visit()->mutable_planned_start() = TimeToProto(planned.planned_start);
    move.mutable_update_mask()->add_paths("planned_start");
    move.set_expected_version(visit.version());
    absl::StatusOr<v1::Visit> moved = UpdateVisit(tenant_id, move);
    if (!moved.ok()) return moved.status();
  }
  v1::AssignCarersRequest assign;
  assign.set_visit_id(visit.visit_id());
  for (const std::string& carer : planned.carer_ids) {
    if (std::find(visit.carer_ids().begin(), visit.carer_ids().end(), carer) ==
        visit.carer_ids().end()) {
      assign.add_carer_ids(carer);
    }
  }
  if (assign.carer_ids().empty()) return absl::OkStatus();
  // The engine weighed the preferences; only the hard rules may refuse now.
  assign.set_override_preferences(true);
  if (!request_id.empty()) assign.set_request_id(absl::StrCat(request_id, "/", visit.visit_id()));
  return AssignCarers(tenant_id, assign, AssignedBy::kScheduler).status();
}

}  // namespace homecare::scheduling
