// Reads the Mankowska et al. (2014) home health care benchmark format and turns an instance into
// the scheduling engine's model: every service a patient needs is a visit, and the two services
// of a double-service patient are two visits linked by their gap (0/0 for a simultaneous start).
#ifndef BENCH_HHCRSP_HHCRSP_INSTANCE_H_
#define BENCH_HHCRSP_HHCRSP_INSTANCE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/scheduling/solver/model.h"

namespace homecare::bench {

// The file's content, 0-based. Node 0 (and its copy, node N-1) is the depot.
struct HhcrspInstance {
  int nodes = 0;
  int vehicles = 0;
  int services = 0;
  std::vector<std::vector<int>> required;   // [node][service] 0/1
  std::vector<int> double_service;          // nodes needing two services
  std::vector<std::vector<int>> qualified;  // [vehicle][service] 0/1
  std::vector<double> distance;             // [from * nodes + to]
  // [node][service], from the first vehicle's rows: every vehicle's rows are checked equal.
  std::vector<std::vector<double>> duration;
  std::vector<double> min_gap, max_gap, open, close;
};

absl::StatusOr<HhcrspInstance> ParseHhcrsp(absl::string_view text);
absl::StatusOr<HhcrspInstance> ReadHhcrspFile(const std::string& path);

struct BenchmarkModel {
  scheduling::solver::Problem problem;
  // For each visit of the problem: the patient's node and the service.
  std::vector<int> visit_node;
  std::vector<int> visit_service;
};

absl::StatusOr<BenchmarkModel> ToProblem(const HhcrspInstance& instance);

}  // namespace homecare::bench

#endif  // BENCH_HHCRSP_HHCRSP_INSTANCE_H_
