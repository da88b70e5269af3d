// A provider's town for the engine's benchmark on real provider days: about 1,000 clients with
// about 3,000 visits a day in five localities of a 12 x 12 km UK town, and a workforce sized to
// cover them (about 450 carers working five days in seven on split, morning or evening
// shifts). Every figure, and where it comes from, is in README.md. Deterministic for a seed.
//
// The town is made of the service's own records (clients, roster carers with availability,
// visits), so that the benchmark plans it through the service's model (BuildSolverModel) and
// travel function, as AutoSchedule does.
#ifndef HOMECARE_BENCH_PROVIDER_DAY_TOWN_H_
#define HOMECARE_BENCH_PROVIDER_DAY_TOWN_H_

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/time/civil_time.h"
#include "absl/time/time.h"
#include "homecare/roster/v1/roster.pb.h"
#include "homecare/scheduling/v1/scheduling.pb.h"

namespace homecare::bench {

struct TownOptions {
  int clients = 1000;
  // 0: sized from the demand (see SizeWorkforce).
  int carers = 0;
  // A time-critical visit's window is its prescribed time plus or minus this.
  int time_critical_tolerance_minutes = 15;
  std::uint64_t seed = 1;
};

// The daily calls of a care plan.
enum Call { kMorning = 0, kLunch, kTea, kBed };
inline constexpr int kCalls = 4;

// The four shift patterns (README.md, "Workforce").
enum ShiftPattern { kSplitLunch = 0, kSplitTea, kMorningOnly, kEveningOnly };
inline constexpr int kPatterns = 4;

struct TownClient {
  scheduling::v1::Client client;
  common::v1::GeoPoint location;
  std::string locality;
  bool double_up = false;
  bool time_critical = false;
  // Each call's prescribed start (minutes after midnight) or -1, and its length and skills.
  std::array<int, kCalls> start = {-1, -1, -1, -1};
  std::array<int, kCalls> duration = {0, 0, 0, 0};
  std::array<bool, kCalls> medication = {false, false, false, false};
};

struct TownCarer {
  roster::v1::CarerDetails details;  // carer, weekly availability (no absences)
  ShiftPattern pattern = kSplitLunch;
  // 0 = Monday .. 6 = Sunday.
  std::array<bool, 7> works = {true, true, true, true, true, true, true};
};

// How the workforce was sized from the demand: carers needed at each peak, and the headcount.
struct WorkforceSizing {
  // Carer-minutes of care (a double-up counts twice) per call, and the carers each peak needs
  // at 80% contact (the rest travel and waiting) over its span.
  std::array<double, kCalls> carer_minutes = {0, 0, 0, 0};
  std::array<double, kCalls> carers_needed = {0, 0, 0, 0};
  // Carers working each day per pattern, and the headcount at five days in seven.
  std::array<int, kPatterns> working_per_day = {0, 0, 0, 0};
  int headcount = 0;
};

struct Town {
  TownOptions options;
  std::vector<TownClient> clients;
  std::vector<TownCarer> carers;
  WorkforceSizing sizing;
};

Town MakeTown(const TownOptions& options);

// The carers needed for `clients`' calls (README.md, "Sizing the workforce").
WorkforceSizing SizeWorkforce(const std::vector<TownClient>& clients);

// Every visit of `date` (in `zone`), unassigned, ids "<client>-<date>-<call>".
std::vector<scheduling::v1::Visit> VisitsOn(const Town& town, absl::CivilDay date,
                                            absl::TimeZone zone);

// The roster's view of the carers, by id.
absl::flat_hash_map<std::string, roster::v1::CarerDetails> RosterOf(const Town& town);

// The figures of the town, one per line (--describe).
std::string DescribeTown(const Town& town);

}  // namespace homecare::bench

#endif  // HOMECARE_BENCH_PROVIDER_DAY_TOWN_H_
