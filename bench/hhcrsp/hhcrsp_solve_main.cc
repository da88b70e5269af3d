// Solves one instance of the Mankowska et al. (2014) benchmark and writes the solution JSON.
//
//   hhcrsp_solve --instance FILE --seconds 10 [--iterations N] --seed 1 --threads 2 --out FILE
#include <chrono>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>

#include "absl/flags/flag.h"
#include "absl/flags/parse.h"
#include "absl/strings/str_format.h"
#include "bench/hhcrsp/hhcrsp_instance.h"
#include "bench/hhcrsp/solution_json.h"
#include "services/scheduling/solver/solver.h"

ABSL_FLAG(std::string, instance, "", "instance file in the Mankowska format");
ABSL_FLAG(double, seconds, 10, "time limit in seconds (0: none)");
ABSL_FLAG(int64_t, iterations, 0, "iterations per search thread (0: none)");
ABSL_FLAG(uint64_t, seed, 1, "random seed");
ABSL_FLAG(int, threads, 1, "search threads");
ABSL_FLAG(std::string, out, "", "where to write the solution JSON (default: stdout)");
ABSL_FLAG(bool, verbose, false, "print progress to stderr");
// Tuning knobs (defaults: the solver's own).
ABSL_FLAG(int, min_removed, homecare::scheduling::solver::SearchParams().min_removed,
          "fewest tasks removed per iteration");
ABSL_FLAG(int, max_removed, homecare::scheduling::solver::SearchParams().max_removed,
          "most tasks removed per iteration");
ABSL_FLAG(double, max_removed_share, homecare::scheduling::solver::SearchParams().max_removed_share,
          "most tasks removed per iteration, as a share of all tasks");
ABSL_FLAG(double, start_temperature, homecare::scheduling::solver::SearchParams().start_temperature,
          "annealing temperature at the start, as a share of the first cost");
ABSL_FLAG(double, end_temperature, homecare::scheduling::solver::SearchParams().end_temperature,
          "annealing temperature at the end, as a share of the first cost");
ABSL_FLAG(double, blink, homecare::scheduling::solver::SearchParams().blink,
          "probability of skipping an insertion position");
ABSL_FLAG(bool, repair_by_work, homecare::scheduling::solver::SearchParams().repair_by_work,
          "score repair operators per insertion evaluated instead of per call");
ABSL_FLAG(uint32_t, destroy_operators, ~0u, "bit mask of ruin operators");
ABSL_FLAG(uint32_t, repair_operators, ~0u, "bit mask of recreate operators");

namespace {

std::string InstanceName(const std::string& path) {
  std::string name = path.substr(path.find_last_of('/') + 1);
  const size_t dot = name.rfind('.');
  return dot == std::string::npos ? name : name.substr(0, dot);
}

}  // namespace

int main(int argc, char** argv) {
  absl::ParseCommandLine(argc, argv);
  namespace solver = homecare::scheduling::solver;
  const std::string path = absl::GetFlag(FLAGS_instance);
  if (path.empty()) {
    std::cerr << "--instance is required\n";
    return 2;
  }
  const auto begin = std::chrono::steady_clock::now();
  absl::StatusOr<homecare::bench::HhcrspInstance> instance = homecare::bench::ReadHhcrspFile(path);
  if (!instance.ok()) {
    std::cerr << instance.status() << "\n";
    return 1;
  }
  absl::StatusOr<homecare::bench::BenchmarkModel> model = homecare::bench::ToProblem(*instance);
  if (!model.ok()) {
    std::cerr << path << ": " << model.status() << "\n";
    return 1;
  }
  solver::SolveOptions options;
  options.weights = solver::BenchmarkWeights();
  options.seed = absl::GetFlag(FLAGS_seed);
  options.threads = absl::GetFlag(FLAGS_threads);
  options.max_iterations = absl::GetFlag(FLAGS_iterations);
  options.search.min_removed = absl::GetFlag(FLAGS_min_removed);
  options.search.max_removed = absl::GetFlag(FLAGS_max_removed);
  options.search.max_removed_share = absl::GetFlag(FLAGS_max_removed_share);
  options.search.start_temperature = absl::GetFlag(FLAGS_start_temperature);
  options.search.end_temperature = absl::GetFlag(FLAGS_end_temperature);
  options.search.blink = absl::GetFlag(FLAGS_blink);
  options.search.repair_by_work = absl::GetFlag(FLAGS_repair_by_work);
  options.search.destroy_operators = absl::GetFlag(FLAGS_destroy_operators);
  options.search.repair_operators = absl::GetFlag(FLAGS_repair_operators);
  // The clock starts before reading the file: the limit covers the whole run.
  const double seconds = absl::GetFlag(FLAGS_seconds);
  if (seconds > 0) {
    const double spent =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    options.time_limit_seconds = std::max(0.01, seconds - spent);
  }
  // With --verbose, progress every half second (as AutoSchedule streams it), the first plan's
  // building included, and when the first complete plan came.
  double first_plan_seconds = -1;
  if (absl::GetFlag(FLAGS_verbose)) {
    options.progress_interval_seconds = 0.5;
    options.on_progress = [&first_plan_seconds](const solver::Progress& progress) {
      if (!progress.has_plan) {
        std::cerr << absl::StrFormat("%8.3fs building the first plan\n", progress.seconds);
        return;
      }
      if (first_plan_seconds < 0) first_plan_seconds = progress.seconds;
      std::cerr << absl::StrFormat("%8.3fs %10d it  best %.4f  unassigned %d\n", progress.seconds,
                                   progress.iterations, progress.best_objective,
                                   progress.unassigned_visits);
    };
  }
  absl::StatusOr<solver::Solution> solution = solver::Solve(model->problem, options);
  if (!solution.ok()) {
    std::cerr << path << ": " << solution.status() << "\n";
    return 1;
  }
  if (absl::GetFlag(FLAGS_verbose)) {
    std::cerr << absl::StrFormat(
        "%d iterations, %d insertions evaluated, %.3f s; first complete plan after %.3f s "
        "(reported at %.1f s)\n",
        solution->stats.iterations, solution->stats.evaluations, solution->stats.seconds,
        solution->stats.first_plan_seconds, first_plan_seconds);
  }
  const double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  const std::string json =
      homecare::bench::SolutionToJson(InstanceName(path), *model, *solution, elapsed);
  const std::string out = absl::GetFlag(FLAGS_out);
  if (out.empty()) {
    std::cout << json;
  } else {
    std::ofstream file(out);
    file << json;
    if (!file) {
      std::cerr << "cannot write " << out << "\n";
      return 1;
    }
  }
  if (!solution->unassigned.empty()) {
    std::cerr << path << ": " << solution->unassigned.size() << " visits left unassigned\n";
    return 3;
  }
  return 0;
}
