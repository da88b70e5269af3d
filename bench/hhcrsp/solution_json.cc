#include "bench/hhcrsp/solution_json.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace homecare::bench {
namespace {

// Round-trip precision, so that the checker sees exactly the solver's numbers.
std::string Number(double value) { return absl::StrFormat("%.17g", value); }

}  // namespace

std::string SolutionToJson(const std::string& instance_name, const BenchmarkModel& model,
                           const scheduling::solver::Solution& solution, double seconds) {
  const auto& objective = solution.objective;
  const double value = (objective.travel + objective.total_lateness + objective.max_lateness) / 3.0;
  std::string out = absl::StrCat(
      "{\"instance\": \"", instance_name, "\", \"objective\": ", Number(value),
      ", \"travel\": ", Number(objective.travel),
      ", \"total_tardiness\": ", Number(objective.total_lateness),
      ", \"max_tardiness\": ", Number(objective.max_lateness), ", \"seconds\": ", Number(seconds),
      ", \"unassigned\": ", solution.unassigned.size(), ",\n \"routes\": [");
  for (size_t r = 0; r < solution.routes.size(); ++r) {
    const auto& route = solution.routes[r];
    absl::StrAppend(&out, r == 0 ? "" : ",", "\n  {\"carer\": ", route.carer, ", \"visits\": [");
    for (size_t i = 0; i < route.visits.size(); ++i) {
      const auto& visit = route.visits[i];
      absl::StrAppend(&out, i == 0 ? "" : ", ", "{\"node\": ", model.visit_node[visit.visit],
                      ", \"service\": ", model.visit_service[visit.visit],
                      ", \"start\": ", Number(visit.start), "}");
    }
    absl::StrAppend(&out, "]}");
  }
  absl::StrAppend(&out, "\n]}\n");
  return out;
}

}  // namespace homecare::bench
