#include "bench/hhcrsp/hhcrsp_instance.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <map>
#include <system_error>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace homecare::bench {
namespace {

using scheduling::solver::Carer;
using scheduling::solver::Problem;
using scheduling::solver::Visit;
using scheduling::solver::VisitLink;

bool IsKeyword(absl::string_view token) {
  return !token.empty() && std::isalpha(static_cast<unsigned char>(token[0]));
}

// Calls visit(token) for each whitespace-separated token of `text`, in order.
template <typename Visit>
void ForEachToken(absl::string_view text, Visit visit) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  const char* at = text.data();
  const char* const end = text.data() + text.size();
  while (true) {
    while (at != end && is_space(*at)) ++at;
    if (at == end) return;
    const char* token_end = at;
    while (token_end != end && !is_space(*token_end)) ++token_end;
    visit(absl::string_view(at, static_cast<size_t>(token_end - at)));
    at = token_end;
  }
}

// Every section's numbers, in file order. A generated day of 3,000 visits is 9 million numbers:
// a first pass counts each section's numbers so that each is allocated once, and tokens are
// converted in place by std::from_chars. Splitting into a list, absl::SimpleAtod and growing
// the lists took 1.2 s of a 10-second benchmark run.
absl::StatusOr<std::map<std::string, std::vector<double>>> Sections(absl::string_view text) {
  std::map<std::string, size_t> counts;
  size_t* count = nullptr;
  ForEachToken(text, [&](absl::string_view token) {
    if (IsKeyword(token)) {
      count = &counts[std::string(token)];
    } else if (count != nullptr) {
      ++*count;
    }
  });
  std::map<std::string, std::vector<double>> sections;
  std::vector<double>* current = nullptr;
  std::string current_name;
  absl::Status status;
  ForEachToken(text, [&](absl::string_view token) {
    if (!status.ok()) return;
    if (IsKeyword(token)) {
      current_name = std::string(token);
      if (sections.count(current_name) != 0) {
        status =
            absl::InvalidArgumentError(absl::StrCat("section ", current_name, " appears twice"));
        return;
      }
      current = &sections[current_name];
      current->reserve(counts[current_name]);
      return;
    }
    double value = 0;
    const char* first = token.data();
    const char* const last = token.data() + token.size();
    if (*first == '+') ++first;
    const auto [parsed_end, error] = std::from_chars(first, last, value);
    if (error != std::errc() || parsed_end != last || !std::isfinite(value)) {
      status = absl::InvalidArgumentError(
          absl::StrCat("section ", current_name, ": '", token, "' is not a number"));
    } else if (current == nullptr) {
      status = absl::InvalidArgumentError(absl::StrCat("number '", token, "' before any section"));
    } else {
      current->push_back(value);
    }
  });
  if (!status.ok()) return status;
  return sections;
}

absl::StatusOr<const std::vector<double>*> Section(
    const std::map<std::string, std::vector<double>>& sections, const std::string& name,
    size_t expected) {
  auto it = sections.find(name);
  if (it == sections.end())
    return absl::InvalidArgumentError(absl::StrCat("section ", name, " is missing"));
  if (expected > 0 && it->second.size() != expected) {
    return absl::InvalidArgumentError(absl::StrCat("section ", name, ": expected ", expected,
                                                   " numbers, found ", it->second.size()));
  }
  return &it->second;
}

absl::StatusOr<int> Count(const std::map<std::string, std::vector<double>>& sections,
                          const std::string& name) {
  absl::StatusOr<const std::vector<double>*> values = Section(sections, name, 1);
  if (!values.ok()) return values.status();
  const double value = (**values)[0];
  if (value < 1 || value != std::floor(value) || value > 1e6) {
    return absl::InvalidArgumentError(
        absl::StrCat("section ", name, ": must be a positive integer"));
  }
  return static_cast<int>(value);
}

absl::Status CheckBinary(const std::vector<double>& values, const std::string& name) {
  for (double v : values) {
    if (v != 0 && v != 1)
      return absl::InvalidArgumentError(absl::StrCat("section ", name, ": values must be 0 or 1"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<HhcrspInstance> ParseHhcrsp(absl::string_view text) {
  absl::StatusOr<std::map<std::string, std::vector<double>>> parsed = Sections(text);
  if (!parsed.ok()) return parsed.status();
  const auto& sections = *parsed;
  HhcrspInstance instance;
  absl::StatusOr<int> nodes = Count(sections, "nbNodes");
  if (!nodes.ok()) return nodes.status();
  absl::StatusOr<int> vehicles = Count(sections, "nbVehi");
  if (!vehicles.ok()) return vehicles.status();
  absl::StatusOr<int> services = Count(sections, "nbServi");
  if (!services.ok()) return services.status();
  const int n = instance.nodes = *nodes;
  const int v = instance.vehicles = *vehicles;
  const int s = instance.services = *services;
  if (n < 2)
    return absl::InvalidArgumentError("section nbNodes: needs at least the two depot nodes");
  if (s > scheduling::solver::kMaxSkills) {
    return absl::InvalidArgumentError("section nbServi: too many service types");
  }

  struct Expected {
    const char* name;
    size_t count;
  };
  const Expected expected[] = {{"r", size_t(n) * s}, {"a", size_t(v) * s}, {"x", size_t(n)},
                               {"y", size_t(n)},     {"d", size_t(n) * n}, {"p", size_t(n) * v * s},
                               {"mind", size_t(n)},  {"maxd", size_t(n)},  {"e", size_t(n)},
                               {"l", size_t(n)}};
  std::map<std::string, const std::vector<double>*> values;
  for (const Expected& e : expected) {
    absl::StatusOr<const std::vector<double>*> section = Section(sections, e.name, e.count);
    if (!section.ok()) return section.status();
    values[e.name] = *section;
  }
  absl::StatusOr<const std::vector<double>*> ds = Section(sections, "DS", 0);
  if (!ds.ok()) return ds.status();
  if (absl::Status st = CheckBinary(*values["r"], "r"); !st.ok()) return st;
  if (absl::Status st = CheckBinary(*values["a"], "a"); !st.ok()) return st;

  instance.required.assign(n, std::vector<int>(s));
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < s; ++k)
      instance.required[i][k] = static_cast<int>((*values["r"])[i * s + k]);
  }
  instance.qualified.assign(v, std::vector<int>(s));
  for (int c = 0; c < v; ++c) {
    for (int k = 0; k < s; ++k)
      instance.qualified[c][k] = static_cast<int>((*values["a"])[c * s + k]);
  }
  for (double node : **ds) {
    if (node != std::floor(node) || node < 2 || node > n - 1) {
      return absl::InvalidArgumentError(
          absl::StrCat("section DS: ", node, " is not a 1-based patient node"));
    }
    instance.double_service.push_back(static_cast<int>(node) - 1);
  }
  // The largest section (nodes squared): moved, not copied.
  instance.distance = std::move((*parsed)["d"]);
  for (size_t i = 0; i < instance.distance.size(); ++i) {
    if (instance.distance[i] < 0) {
      return absl::InvalidArgumentError(absl::StrCat("section d: entry ", i, " is negative"));
    }
  }
  const std::vector<double>& p = *values["p"];
  instance.duration.assign(n, std::vector<double>(s));
  for (int i = 0; i < n; ++i) {
    for (int k = 0; k < s; ++k) {
      const double first = p[(size_t(i) * v) * s + k];
      for (int c = 1; c < v; ++c) {
        if (p[(size_t(i) * v + c) * s + k] != first) {
          return absl::InvalidArgumentError(absl::StrCat("section p: node ", i, " service ", k,
                                                         " has carer-dependent durations"));
        }
      }
      if (first < 0)
        return absl::InvalidArgumentError(absl::StrCat("section p: negative duration at node ", i));
      instance.duration[i][k] = first;
    }
  }
  instance.min_gap = *values["mind"];
  instance.max_gap = *values["maxd"];
  instance.open = *values["e"];
  instance.close = *values["l"];
  return instance;
}

absl::StatusOr<HhcrspInstance> ReadHhcrspFile(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read instance file ", path));
  file.seekg(0, std::ios::end);
  std::string content(static_cast<size_t>(std::max<std::streamoff>(0, file.tellg())), '\0');
  file.seekg(0);
  file.read(content.data(), static_cast<std::streamsize>(content.size()));
  if (!file) return absl::NotFoundError(absl::StrCat("cannot read instance file ", path));
  absl::StatusOr<HhcrspInstance> instance = ParseHhcrsp(content);
  if (!instance.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", instance.status().message()));
  }
  return instance;
}

absl::StatusOr<BenchmarkModel> ToProblem(const HhcrspInstance& instance) {
  BenchmarkModel model;
  Problem& problem = model.problem;
  const int n = instance.nodes;
  problem.travel.size = n;
  problem.travel.minutes = instance.distance;
  for (int c = 0; c < instance.vehicles; ++c) {
    Carer carer;
    carer.id = absl::StrCat("carer", c);
    for (int k = 0; k < instance.services; ++k) {
      if (instance.qualified[c][k]) carer.skills |= scheduling::solver::SkillSet{1} << k;
    }
    // Every carer starts and ends at the depot; the benchmark has no shift end.
    carer.start_location = carer.end_location = 0;
    carer.shift_start = 0;
    problem.carers.push_back(carer);
  }
  std::vector<bool> is_double(n, false);
  for (int node : instance.double_service) is_double[node] = true;
  for (int i = 1; i + 1 < n; ++i) {
    std::vector<int> services;
    for (int k = 0; k < instance.services; ++k) {
      if (instance.required[i][k]) services.push_back(k);
    }
    const size_t wanted = is_double[i] ? 2 : 1;
    if (services.size() != wanted) {
      return absl::InvalidArgumentError(
          absl::StrCat("node ", i, " needs ", services.size(), " services, expected ", wanted));
    }
    if (instance.close[i] < instance.open[i]) {
      return absl::InvalidArgumentError(absl::StrCat("node ", i, ": l is before e"));
    }
    const int first_visit = static_cast<int>(problem.visits.size());
    for (int k : services) {
      Visit visit;
      visit.id = absl::StrCat("node", i, "/service", k);
      visit.location = i;
      visit.window_start = instance.open[i];
      visit.window_end = instance.close[i];
      visit.duration = instance.duration[i][k];
      visit.required_skills = scheduling::solver::SkillSet{1} << k;
      problem.visits.push_back(visit);
      model.visit_node.push_back(i);
      model.visit_service.push_back(k);
    }
    if (is_double[i]) {
      // The lower service starts first; both are done by different carers.
      VisitLink link;
      link.first_visit = first_visit;
      link.second_visit = first_visit + 1;
      link.min_gap = instance.min_gap[i];
      link.max_gap = instance.max_gap[i];
      link.distinct_carers = true;
      if (link.max_gap < link.min_gap || link.min_gap < 0) {
        return absl::InvalidArgumentError(absl::StrCat("node ", i, ": bad mind/maxd"));
      }
      problem.links.push_back(link);
    }
  }
  if (absl::Status s = scheduling::solver::ValidateProblem(problem); !s.ok()) return s;
  return model;
}

}  // namespace homecare::bench
