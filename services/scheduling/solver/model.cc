#include "services/scheduling/solver/model.h"

#include <cmath>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"

namespace homecare::scheduling::solver {
namespace {

absl::Status Invalid(const std::string& field, const std::string& rule) {
  return absl::InvalidArgumentError(absl::StrCat(field, ": ", rule));
}

bool IsTime(Minutes t) { return std::isfinite(t); }

absl::Status CheckIndexList(const std::vector<int>& list, int size, const std::string& field) {
  for (size_t i = 0; i < list.size(); ++i) {
    if (list[i] < 0 || list[i] >= size) {
      return Invalid(absl::StrCat(field, "[", i, "]"),
                     absl::StrCat("index ", list[i], " is outside [0, ", size, ")"));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateTravel(const TravelMatrix& travel, const std::string& field = "travel") {
  if (travel.size < 0) return Invalid(field + ".size", "must not be negative");
  if (travel.minutes.size() != static_cast<size_t>(travel.size) * travel.size) {
    return Invalid(field + ".minutes",
                   absl::StrCat("must hold size*size = ", travel.size * travel.size,
                                " entries, has ", travel.minutes.size()));
  }
  for (size_t i = 0; i < travel.minutes.size(); ++i) {
    if (!std::isfinite(travel.minutes[i]) || travel.minutes[i] < 0) {
      return Invalid(absl::StrCat(field, ".minutes[", i, "]"), "must be finite and not negative");
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateCarer(const Carer& carer, int index, const Problem& problem) {
  const std::string field = absl::StrCat("carers[", index, "]");
  const int locations = problem.travel.size;
  if (carer.start_location < 0 || carer.start_location >= locations) {
    return Invalid(field + ".start_location", "is not a location of the travel matrix");
  }
  if (carer.end_location < 0 || carer.end_location >= locations) {
    return Invalid(field + ".end_location", "is not a location of the travel matrix");
  }
  if (!IsTime(carer.shift_start)) return Invalid(field + ".shift_start", "must be finite");
  if (std::isnan(carer.shift_end) || carer.shift_end < carer.shift_start) {
    return Invalid(field + ".shift_end", "must not be before shift_start");
  }
  if (std::isnan(carer.max_working_minutes) || carer.max_working_minutes < 0) {
    return Invalid(field + ".max_working_minutes", "must not be negative");
  }
  if (carer.travel_profile < 0 ||
      carer.travel_profile > static_cast<int>(problem.other_travel.size())) {
    return Invalid(field + ".travel_profile", "is neither 0 nor a matrix of other_travel");
  }
  if (carer.person < -1 || carer.person >= static_cast<int>(problem.people.size())) {
    return Invalid(field + ".person", "is neither -1 nor a person of the problem");
  }
  return CheckIndexList(carer.never_visit_clients, static_cast<int>(problem.clients.size()),
                        field + ".never_visit_clients");
}

absl::Status ValidateClient(const Client& client, int index, const Problem& problem) {
  const std::string field = absl::StrCat("clients[", index, "]");
  const int carers = static_cast<int>(problem.carers.size());
  if (absl::Status s = CheckIndexList(client.preferred_carers, carers, field + ".preferred_carers");
      !s.ok()) {
    return s;
  }
  if (!client.known_carer_weights.empty()) {
    if (client.known_carer_weights.size() != client.known_carers.size()) {
      return Invalid(field + ".known_carer_weights", "must be empty or one per known carer");
    }
    for (double weight : client.known_carer_weights) {
      if (!(weight >= 0 && weight <= 1)) {
        return Invalid(field + ".known_carer_weights", "must each be between 0 and 1");
      }
    }
  }
  if (!(client.unknown_carer_factor >= 0 && client.unknown_carer_factor <= 100)) {
    return Invalid(field + ".unknown_carer_factor", "must be from 0 to 100");
  }
  if (client.gender_required && client.preferred_gender == Gender::kUnspecified) {
    return Invalid(field + ".gender_required", "needs a preferred_gender");
  }
  return CheckIndexList(client.known_carers, carers, field + ".known_carers");
}

absl::Status ValidateVisit(const Visit& visit, int index, const Problem& problem) {
  const std::string field = absl::StrCat("visits[", index, "]");
  if (visit.client < -1 || visit.client >= static_cast<int>(problem.clients.size())) {
    return Invalid(field + ".client", "must be -1 or an index into clients");
  }
  if (visit.location < 0 || visit.location >= problem.travel.size) {
    return Invalid(field + ".location", "is not a location of the travel matrix");
  }
  if (!IsTime(visit.window_start)) return Invalid(field + ".window_start", "must be finite");
  if (!IsTime(visit.window_end) || visit.window_end < visit.window_start) {
    return Invalid(field + ".window_end", "must be finite and not before window_start");
  }
  if (std::isnan(visit.latest_start) || visit.latest_start < visit.window_start) {
    return Invalid(field + ".latest_start", "must not be before window_start");
  }
  if (!std::isfinite(visit.unassigned_factor) || visit.unassigned_factor <= 0) {
    return Invalid(field + ".unassigned_factor", "must be finite and above 0");
  }
  if (!std::isfinite(visit.duration) || visit.duration < 0) {
    return Invalid(field + ".duration", "must be finite and not negative");
  }
  if (visit.carers_required != 1 && visit.carers_required != 2) {
    return Invalid(field + ".carers_required", "must be 1 or 2");
  }
  if (static_cast<int>(visit.pinned_carers.size()) > visit.carers_required) {
    return Invalid(field + ".pinned_carers", "must not name more carers than carers_required");
  }
  if (visit.pinned_carers.size() == 2 && visit.pinned_carers[0] == visit.pinned_carers[1]) {
    return Invalid(field + ".pinned_carers", "a double-up needs two different carers");
  }
  if (absl::Status pinned = CheckIndexList(
          visit.pinned_carers, static_cast<int>(problem.carers.size()), field + ".pinned_carers");
      !pinned.ok()) {
    return pinned;
  }
  return CheckIndexList(visit.usual_carers, static_cast<int>(problem.carers.size()),
                        field + ".usual_carers");
}

absl::Status ValidateLinks(const Problem& problem) {
  const int visits = static_cast<int>(problem.visits.size());
  std::vector<int> linked_in(visits, -1);
  for (size_t i = 0; i < problem.links.size(); ++i) {
    const VisitLink& link = problem.links[i];
    const std::string field = absl::StrCat("links[", i, "]");
    for (int v : {link.first_visit, link.second_visit}) {
      if (v < 0 || v >= visits) return Invalid(field, "refers to a visit that does not exist");
      if (problem.visits[v].carers_required != 1) {
        return Invalid(field, absl::StrCat("visit ", v, " is a double-up and cannot be linked"));
      }
      if (linked_in[v] >= 0) {
        return Invalid(field,
                       absl::StrCat("visit ", v, " is already in links[", linked_in[v], "]"));
      }
      linked_in[v] = static_cast<int>(i);
    }
    if (link.first_visit == link.second_visit) {
      return Invalid(field, "links a visit to itself");
    }
    if (!std::isfinite(link.min_gap) || link.min_gap < 0) {
      return Invalid(field + ".min_gap", "must be finite and not negative");
    }
    if (!std::isfinite(link.max_gap) || link.max_gap < link.min_gap) {
      return Invalid(field + ".max_gap", "must be finite and not below min_gap");
    }
  }
  return absl::OkStatus();
}

}  // namespace

ObjectiveWeights BenchmarkWeights() {
  ObjectiveWeights weights;
  weights.travel = 1.0 / 3.0;
  weights.total_lateness = 1.0 / 3.0;
  weights.max_lateness = 1.0 / 3.0;
  return weights;
}

absl::Status ValidateWeights(const ObjectiveWeights& weights) {
  const std::pair<const char*, double> all[] = {
      {"unassigned_visit", weights.unassigned_visit},
      {"travel", weights.travel},
      {"total_lateness", weights.total_lateness},
      {"client_carer", weights.client_carer},
      {"max_lateness", weights.max_lateness},
      {"non_preferred_carer", weights.non_preferred_carer},
      {"unknown_carer", weights.unknown_carer},
      {"gender_mismatch", weights.gender_mismatch},
      {"unusual_carer", weights.unusual_carer},
  };
  for (const auto& [name, value] : all) {
    if (!std::isfinite(value) || value < 0) {
      return Invalid(absl::StrCat("weights.", name), "must be finite and not negative");
    }
  }
  return absl::OkStatus();
}

// Each person's limit, and stretches that do not overlap: a person is in one place at a time.
absl::Status ValidatePeople(const Problem& problem) {
  std::vector<std::vector<int>> stretches(problem.people.size());
  for (size_t i = 0; i < problem.carers.size(); ++i) {
    if (problem.carers[i].person >= 0) {
      stretches[problem.carers[i].person].push_back(static_cast<int>(i));
    }
  }
  for (size_t p = 0; p < problem.people.size(); ++p) {
    const Minutes limit = problem.people[p].max_working_minutes;
    if (std::isnan(limit) || limit < 0) {
      return Invalid(absl::StrCat("people[", p, "].max_working_minutes"), "must not be negative");
    }
    std::vector<int>& own = stretches[p];
    std::sort(own.begin(), own.end(), [&](int a, int b) {
      return problem.carers[a].shift_start < problem.carers[b].shift_start;
    });
    for (size_t k = 1; k < own.size(); ++k) {
      if (problem.carers[own[k]].shift_start < problem.carers[own[k - 1]].shift_end) {
        return Invalid(
            absl::StrCat("carers[", own[k], "].shift_start"),
            absl::StrCat("overlaps carers[", own[k - 1], "], a stretch of the same person"));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateProblem(const Problem& problem) {
  if (absl::Status s = ValidateTravel(problem.travel); !s.ok()) return s;
  for (size_t k = 0; k < problem.other_travel.size(); ++k) {
    const std::string field = absl::StrCat("other_travel[", k, "]");
    if (problem.other_travel[k].size != problem.travel.size) {
      return Invalid(field + ".size", "must be travel.size: the same locations");
    }
    if (absl::Status s = ValidateTravel(problem.other_travel[k], field); !s.ok()) return s;
  }
  for (size_t i = 0; i < problem.carers.size(); ++i) {
    if (absl::Status s = ValidateCarer(problem.carers[i], static_cast<int>(i), problem); !s.ok()) {
      return s;
    }
  }
  if (absl::Status s = ValidatePeople(problem); !s.ok()) return s;
  for (size_t i = 0; i < problem.clients.size(); ++i) {
    if (absl::Status s = ValidateClient(problem.clients[i], static_cast<int>(i), problem);
        !s.ok()) {
      return s;
    }
  }
  for (size_t i = 0; i < problem.visits.size(); ++i) {
    if (absl::Status s = ValidateVisit(problem.visits[i], static_cast<int>(i), problem); !s.ok()) {
      return s;
    }
  }
  return ValidateLinks(problem);
}

}  // namespace homecare::scheduling::solver
