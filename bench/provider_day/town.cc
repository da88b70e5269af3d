#include "bench/provider_day/town.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "common/time/time.h"
#include "services/scheduling/solver/random.h"

namespace homecare::bench {
namespace {

namespace sv1 = scheduling::v1;
namespace rv1 = roster::v1;

// The engine's generator (the same sequence on every platform), with the draws the town needs;
// the standard library's distributions may differ between its versions, and the town must not.
class Random {
 public:
  explicit Random(std::uint64_t seed) : random_(seed) {}
  double Uniform() { return random_.UniformDouble(); }
  double Uniform(double low, double high) { return low + (high - low) * Uniform(); }
  int Below(int n) { return random_.Uniform(n); }
  bool Chance(double p) { return random_.Bernoulli(p); }
  double Normal() {
    const double u = 1 - Uniform();  // (0, 1]
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * Uniform());
  }
  template <typename T>
  T Pick(const std::vector<std::pair<T, double>>& weighted) {
    double total = 0;
    for (const auto& [value, weight] : weighted) total += weight;
    double r = Uniform() * total;
    for (const auto& [value, weight] : weighted) {
      if ((r -= weight) < 0) return value;
    }
    return weighted.back().first;
  }
  template <typename T>
  void Shuffle(std::vector<T>& items) {
    for (int i = static_cast<int>(items.size()) - 1; i > 0; --i)
      std::swap(items[i], items[Below(i + 1)]);
  }

 private:
  scheduling::solver::Random random_;
};

// The town: kilometres east (x) and north (y) of its south-west corner; a 4 x 4 km centre
// and four quarters of the ring around it.
constexpr double kSideKm = 12;
constexpr double kCoreLowKm = 4;
constexpr double kCoreHighKm = 8;
constexpr double kCentreLatitude = 52.20;
constexpr double kCentreLongitude = -1.00;
constexpr double kDegreesLatitudePerKm = 0.00899;
constexpr double kDegreesLongitudePerKm = 0.0147;  // at 52.2 N

struct Point {
  double x = 0;
  double y = 0;
};

enum Locality { kCentral = 0, kNorth, kEast, kSouth, kWest };
constexpr int kLocalities = 5;
const char* const kLocalityNames[] = {"central", "north", "east", "south", "west"};

Locality LocalityOf(Point p) {
  if (p.x >= kCoreLowKm && p.x < kCoreHighKm && p.y >= kCoreLowKm && p.y < kCoreHighKm) {
    return kCentral;
  }
  const double dx = p.x - kSideKm / 2;
  const double dy = p.y - kSideKm / 2;
  if (std::abs(dy) >= std::abs(dx)) return dy > 0 ? kNorth : kSouth;
  return dx > 0 ? kEast : kWest;
}

bool InTown(Point p) { return p.x >= 0 && p.x <= kSideKm && p.y >= 0 && p.y <= kSideKm; }

common::v1::GeoPoint GeoOf(Point p) {
  common::v1::GeoPoint geo;
  geo.set_latitude(kCentreLatitude + (p.y - kSideKm / 2) * kDegreesLatitudePerKm);
  geo.set_longitude(kCentreLongitude + (p.x - kSideKm / 2) * kDegreesLongitudePerKm);
  return geo;
}

Point UniformIn(Locality locality, Random& random) {
  for (;;) {
    Point p{random.Uniform(0, kSideKm), random.Uniform(0, kSideKm)};
    if (LocalityOf(p) == locality) return p;
  }
}

// Estates and villages of an outer quarter, where its clients cluster.
struct Cluster {
  Point centre;
  double sigma_km = 0.5;
  double weight = 1;
};

Point Near(Point centre, double sigma_km, Locality locality, Random& random) {
  for (int attempt = 0; attempt < 50; ++attempt) {
    Point p{centre.x + sigma_km * random.Normal(), centre.y + sigma_km * random.Normal()};
    if (InTown(p) && LocalityOf(p) == locality) return p;
  }
  return centre;
}

// Shares of n by weight, summing to n (largest remainders).
std::vector<int> Apportion(int n, const std::vector<double>& weights) {
  const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
  std::vector<int> shares(weights.size());
  std::vector<std::pair<double, int>> remainders;
  int given = 0;
  for (size_t i = 0; i < weights.size(); ++i) {
    const double exact = total > 0 ? n * weights[i] / total : 0;
    shares[i] = static_cast<int>(std::floor(exact));
    given += shares[i];
    remainders.push_back({exact - shares[i], static_cast<int>(i)});
  }
  std::sort(remainders.begin(), remainders.end(), [](const auto& a, const auto& b) {
    return a.first > b.first || (a.first == b.first && a.second < b.second);
  });
  for (int i = 0; given < n; ++i, ++given) shares[remainders[i % remainders.size()].second] += 1;
  return shares;
}

// Plan types: which calls a client has (README.md, "Demand").
struct PlanType {
  std::array<bool, kCalls> calls;
  double share;
};
const PlanType kPlanTypes[] = {
    {{true, true, true, true}, 0.40},   {{true, true, false, true}, 0.15},
    {{true, false, true, true}, 0.15},  {{true, false, false, true}, 0.10},
    {{true, true, false, false}, 0.10}, {{true, false, false, false}, 0.10},
};

// Prescribed starts a call may have (minutes after midnight), with weights, and its lengths.
std::vector<std::pair<int, double>> StartsOf(Call call) {
  std::vector<std::pair<int, double>> starts;
  switch (call) {
    case kMorning:
      return {{420, 10}, {450, 25}, {480, 30}, {510, 25}, {540, 10}};
    case kLunch:
      for (int t = 705; t <= 780; t += 15) starts.push_back({t, 1});
      return starts;
    case kTea:
      for (int t = 975; t <= 1065; t += 15) starts.push_back({t, 1});
      return starts;
    case kBed:
      for (int t = 1170; t <= 1290; t += 15) starts.push_back({t, 1});
      return starts;
  }
  return starts;
}
std::vector<std::pair<int, double>> DurationsOf(Call call) {
  switch (call) {
    case kMorning:
      return {{30, 45}, {45, 30}, {60, 25}};
    case kLunch:
    case kTea:
      return {{15, 20}, {30, 70}, {45, 10}};
    case kBed:
      return {{15, 10}, {30, 70}, {45, 20}};
  }
  return {};
}
const char* const kCallNames[kCalls] = {"morning", "lunch", "tea", "bed"};
constexpr int kMinMinutesBetweenCalls = 180;
constexpr int kWindowHalfMinutes = 30;

// The span of each peak and the share of a carer's time there that is care. With every visit
// started within its 60-minute window, travel and the waits for windows to open leave about
// 60% (README.md, "Sizing the workforce": at 80%, the design's first estimate, 454 carers, an
// eighth of the visits cannot be placed on time).
constexpr std::array<double, kCalls> kPeakSpanMinutes = {240, 150, 150, 210};
constexpr double kContactShare = 0.6;

struct Shift {
  const char* name;
  std::vector<std::pair<int, int>> blocks;  // local minutes
  int max_minutes_per_day;
  int contracted_minutes_per_week;
};
const Shift kShifts[kPatterns] = {
    {"split (07:00-13:30, 19:00-22:30)", {{420, 810}, {1140, 1350}}, 540, 2400},
    {"split (07:00-11:00, 16:30-22:00)", {{420, 660}, {990, 1320}}, 540, 2400},
    {"morning (07:00-14:00)", {{420, 840}}, 420, 1800},
    {"evening (16:00-22:30)", {{960, 1350}}, 390, 1650},
};

common::v1::LocalTimeRange RangeOf(int start, int end) {
  common::v1::LocalTimeRange range;
  *range.mutable_start() = TimeOfDayFromMinutes(start);
  *range.mutable_end() = TimeOfDayFromMinutes(end);
  return range;
}

}  // namespace

WorkforceSizing SizeWorkforce(const std::vector<TownClient>& clients) {
  WorkforceSizing sizing;
  for (const TownClient& client : clients) {
    for (int call = 0; call < kCalls; ++call) {
      if (client.start[call] < 0) continue;
      sizing.carer_minutes[call] += client.duration[call] * (client.double_up ? 2 : 1);
    }
  }
  for (int call = 0; call < kCalls; ++call) {
    sizing.carers_needed[call] =
        sizing.carer_minutes[call] / (kPeakSpanMinutes[call] * kContactShare);
  }
  // No shift of at most ten hours covers both lunch and tea, so those working each day are at
  // least lunch's carers plus tea's: lunch by the split-at-tea-time and morning shifts, tea by
  // the other split and evening shifts (in the proportions of README.md).
  const int lunch = static_cast<int>(std::ceil(sizing.carers_needed[kLunch]));
  const int tea = static_cast<int>(std::ceil(sizing.carers_needed[kTea]));
  auto& working = sizing.working_per_day;
  working[kSplitLunch] = static_cast<int>(std::lround(lunch * 100.0 / 172));
  working[kMorningOnly] = lunch - working[kSplitLunch];
  working[kSplitTea] = static_cast<int>(std::lround(tea * 75.0 / 148));
  working[kEveningOnly] = tea - working[kSplitTea];
  const int morning = working[kSplitLunch] + working[kSplitTea] + working[kMorningOnly];
  const int morning_needed = static_cast<int>(std::ceil(sizing.carers_needed[kMorning]));
  if (morning < morning_needed) working[kMorningOnly] += morning_needed - morning;
  const int bed = working[kSplitLunch] + working[kSplitTea] + working[kEveningOnly];
  const int bed_needed = static_cast<int>(std::ceil(sizing.carers_needed[kBed]));
  if (bed < bed_needed) working[kEveningOnly] += bed_needed - bed;
  const int per_day = std::accumulate(working.begin(), working.end(), 0);
  sizing.headcount = static_cast<int>(std::ceil(per_day * 7.0 / 5));
  return sizing;
}

Town MakeTown(const TownOptions& options) {
  Town town;
  town.options = options;
  Random random(options.seed);

  // Where the clients live: a quarter of them in the centre (three sheltered-housing schemes
  // at one address each, the rest spread), the rest in the estates of the outer quarters.
  const int n = options.clients;
  const int central = static_cast<int>(std::lround(n * 0.25));
  const std::vector<int> outer = Apportion(n - central, {1, 1, 1, 1});
  std::vector<std::pair<Point, Locality>> homes;
  const int schemes = static_cast<int>(std::lround(3.0 * n / 1000));
  int placed_central = 0;
  for (int s = 0; s < schemes && placed_central < central; ++s) {
    const Point at = UniformIn(kCentral, random);
    const int residents = std::min(central - placed_central, 15 + random.Below(11));
    for (int r = 0; r < residents; ++r) homes.push_back({at, kCentral});
    placed_central += residents;
  }
  for (; placed_central < central; ++placed_central) {
    homes.push_back({UniformIn(kCentral, random), kCentral});
  }
  std::array<std::vector<Cluster>, kLocalities> clusters;
  for (int l = kNorth; l < kLocalities; ++l) {
    const Locality locality = static_cast<Locality>(l);
    const int count = 6 + random.Below(3);
    for (int c = 0; c < count; ++c) {
      clusters[l].push_back(
          {UniformIn(locality, random), random.Uniform(0.4, 0.8), random.Uniform(1, 3)});
    }
    std::vector<std::pair<int, double>> weighted;
    for (int c = 0; c < count; ++c) weighted.push_back({c, clusters[l][c].weight});
    for (int i = 0; i < outer[l - 1]; ++i) {
      const Cluster& cluster = clusters[l][random.Pick(weighted)];
      homes.push_back({Near(cluster.centre, cluster.sigma_km, locality, random), locality});
    }
  }

  // Their care plans.
  std::vector<std::pair<int, double>> plan_types;
  for (int t = 0; t < static_cast<int>(std::size(kPlanTypes)); ++t) {
    plan_types.push_back({t, kPlanTypes[t].share});
  }
  for (int i = 0; i < n; ++i) {
    TownClient client;
    client.location = GeoOf(homes[i].first);
    client.locality = kLocalityNames[homes[i].second];
    sv1::Client& record = client.client;
    record.set_client_id(absl::StrFormat("c%04d", i));
    record.set_display_name(absl::StrCat("Client ", i));
    *record.mutable_location() = client.location;
    record.set_locality_id(client.locality);
    if (random.Chance(0.15)) {
      record.set_preferred_carer_gender(common::v1::GENDER_FEMALE);
      record.set_carer_gender_required(true);
    } else if (random.Chance(0.10 / 0.85)) {
      record.set_preferred_carer_gender(common::v1::GENDER_FEMALE);
    }
    const PlanType& type = kPlanTypes[random.Pick(plan_types)];
    int previous = -kMinMinutesBetweenCalls;
    for (int call = 0; call < kCalls; ++call) {
      if (!type.calls[call]) continue;
      client.start[call] = std::max(random.Pick(StartsOf(static_cast<Call>(call))),
                                    previous + kMinMinutesBetweenCalls);
      previous = client.start[call];
      client.duration[call] = random.Pick(DurationsOf(static_cast<Call>(call)));
      client.medication[call] = random.Chance(0.4);
    }
    town.clients.push_back(std::move(client));
  }
  // Two-handed care is a client's (a hoist), so all their calls: 7.5% of clients, from those
  // with four calls, makes one visit in ten a double-up. Time-critical medication: 8% of the
  // others, every call.
  std::vector<int> four_calls, others;
  for (int i = 0; i < n; ++i) {
    const auto& start = town.clients[i].start;
    (std::all_of(start.begin(), start.end(), [](int s) { return s >= 0; }) ? four_calls : others)
        .push_back(i);
  }
  random.Shuffle(four_calls);
  const int double_ups = std::min<int>(four_calls.size(), std::lround(n * 0.075));
  for (int k = 0; k < static_cast<int>(four_calls.size()); ++k) {
    if (k < double_ups) {
      town.clients[four_calls[k]].double_up = true;
    } else {
      others.push_back(four_calls[k]);
    }
  }
  random.Shuffle(others);
  const int critical = std::min<int>(others.size(), std::lround(n * 0.08));
  for (int k = 0; k < critical; ++k) {
    TownClient& client = town.clients[others[k]];
    client.time_critical = true;
    client.medication.fill(true);
  }

  // The workforce: sized from the demand (or as asked), per pattern, then per locality in
  // proportion to its clients; each carer's two days off in a row, staggered.
  town.sizing = SizeWorkforce(town.clients);
  const int headcount = options.carers > 0 ? options.carers : town.sizing.headcount;
  std::vector<double> pattern_weights(town.sizing.working_per_day.begin(),
                                      town.sizing.working_per_day.end());
  const std::vector<int> per_pattern = Apportion(headcount, pattern_weights);
  std::vector<double> locality_weights(kLocalities, 0);
  for (const auto& [point, locality] : homes) locality_weights[locality] += 1;
  std::array<std::vector<int>, kLocalities> clients_in;
  for (int i = 0; i < n; ++i) clients_in[homes[i].second].push_back(i);
  std::array<int, kLocalities> days_off_next = {0, 0, 0, 0, 0};
  int index = 0;
  for (int p = 0; p < kPatterns; ++p) {
    const std::vector<int> per_locality = Apportion(per_pattern[p], locality_weights);
    for (int l = 0; l < kLocalities; ++l) {
      const Locality locality = static_cast<Locality>(l);
      for (int k = 0; k < per_locality[l]; ++k, ++index) {
        TownCarer carer;
        carer.pattern = static_cast<ShiftPattern>(p);
        rv1::Carer& record = *carer.details.mutable_carer();
        record.set_carer_id(absl::StrFormat("k%04d", index));
        record.set_display_name(absl::StrCat("Carer ", index));
        record.set_gender(random.Chance(0.8) ? common::v1::GENDER_FEMALE : common::v1::GENDER_MALE);
        record.add_skills()->set_skill("personal-care");
        if (random.Chance(0.9)) record.add_skills()->set_skill("medication");
        if (random.Chance(0.7)) record.add_skills()->set_skill("moving-handling");
        record.set_locality_id(kLocalityNames[l]);
        record.set_max_minutes_per_day(kShifts[p].max_minutes_per_day);
        record.set_contracted_minutes_per_week(kShifts[p].contracted_minutes_per_week);
        record.set_active(true);
        record.set_hourly_rate_pence(1300);  // about the National Living Wage
        const bool walks = random.Chance(locality == kCentral ? 0.6 : 0.15);
        record.set_travel_mode(walks ? rv1::TRAVEL_MODE_WALKS : rv1::TRAVEL_MODE_DRIVES);
        Point home;
        if (walks && !clients_in[l].empty()) {
          // Walkers live among the clients they walk to.
          const Point near = homes[clients_in[l][random.Below(clients_in[l].size())]].first;
          home = Near(near, 0.5, locality, random);
        } else if (locality != kCentral && random.Chance(0.1)) {
          // A village outside the town, up to 5 km beyond its edge.
          home = UniformIn(locality, random);
          const double beyond = random.Uniform(0, 5);
          if (locality == kNorth) home.y = kSideKm + beyond;
          if (locality == kSouth) home.y = -beyond;
          if (locality == kEast) home.x = kSideKm + beyond;
          if (locality == kWest) home.x = -beyond;
        } else {
          home = UniformIn(locality, random);
        }
        *record.mutable_home() = GeoOf(home);
        const int first_off = days_off_next[l]++ % 7;
        carer.works[first_off] = carer.works[(first_off + 1) % 7] = false;
        rv1::Availability& availability = *carer.details.mutable_availability();
        availability.set_carer_id(record.carer_id());
        for (int day = 0; day < 7; ++day) {
          if (!carer.works[day]) continue;
          for (const auto& [start, end] : kShifts[p].blocks) {
            rv1::WeeklyBlock& block = *availability.add_weekly();
            block.set_day(static_cast<common::v1::DayOfWeek>(common::v1::DAY_OF_WEEK_MONDAY + day));
            *block.mutable_time() = RangeOf(start, end);
          }
        }
        town.carers.push_back(std::move(carer));
      }
    }
  }
  // One client in fifty will not have one carer of their locality back.
  for (int i = 0; i < n; ++i) {
    if (!random.Chance(0.02)) continue;
    std::vector<int> candidates;
    for (int c = 0; c < static_cast<int>(town.carers.size()); ++c) {
      if (town.carers[c].details.carer().locality_id() == town.clients[i].locality) {
        candidates.push_back(c);
      }
    }
    if (candidates.empty()) continue;
    town.clients[i].client.add_excluded_carer_ids(
        town.carers[candidates[random.Below(candidates.size())]].details.carer().carer_id());
  }
  return town;
}

std::vector<sv1::Visit> VisitsOn(const Town& town, absl::CivilDay date, absl::TimeZone zone) {
  std::vector<sv1::Visit> visits;
  for (const TownClient& client : town.clients) {
    for (int call = 0; call < kCalls; ++call) {
      if (client.start[call] < 0) continue;
      const int half =
          client.time_critical ? town.options.time_critical_tolerance_minutes : kWindowHalfMinutes;
      const absl::Time prescribed =
          LocalToInstant(absl::CivilSecond(date) + 60 * client.start[call], zone);
      sv1::Visit visit;
      visit.set_visit_id(absl::StrCat(client.client.client_id(), "-", absl::FormatCivilTime(date),
                                      "-", kCallNames[call]));
      visit.set_client_id(client.client.client_id());
      visit.set_care_plan_id(client.client.client_id());
      visit.set_pattern_id(kCallNames[call]);
      *visit.mutable_window_start() = TimeToProto(prescribed - absl::Minutes(half));
      *visit.mutable_window_end() = TimeToProto(prescribed + absl::Minutes(half));
      *visit.mutable_planned_start() = visit.window_start();
      visit.set_duration_minutes(client.duration[call]);
      visit.set_carers_required(client.double_up ? 2 : 1);
      visit.add_required_skills("personal-care");
      if (client.medication[call]) visit.add_required_skills("medication");
      if (client.double_up) visit.add_required_skills("moving-handling");
      visit.set_status(sv1::VISIT_STATUS_NEEDS_CARER);
      *visit.mutable_location() = client.location;
      visit.set_time_critical(client.time_critical);
      visit.set_locality_id(client.locality);
      *visit.mutable_local_date() = DateToProto(date);
      visit.set_version(1);
      visits.push_back(std::move(visit));
    }
  }
  return visits;
}

absl::flat_hash_map<std::string, rv1::CarerDetails> RosterOf(const Town& town) {
  absl::flat_hash_map<std::string, rv1::CarerDetails> roster;
  for (const TownCarer& carer : town.carers)
    roster[carer.details.carer().carer_id()] = carer.details;
  return roster;
}

std::string DescribeTown(const Town& town) {
  std::string out;
  std::array<int, kLocalities> clients_per = {};
  std::array<int, kCalls> calls = {};
  std::map<int, int> durations;
  int visits = 0, double_up_visits = 0, critical_visits = 0, double_up_clients = 0,
      critical_clients = 0, required_female = 0;
  for (const TownClient& client : town.clients) {
    for (int l = 0; l < kLocalities; ++l) clients_per[l] += client.locality == kLocalityNames[l];
    double_up_clients += client.double_up;
    critical_clients += client.time_critical;
    required_female += client.client.carer_gender_required();
    for (int call = 0; call < kCalls; ++call) {
      if (client.start[call] < 0) continue;
      ++visits;
      ++calls[call];
      ++durations[client.duration[call]];
      double_up_visits += client.double_up;
      critical_visits += client.time_critical;
    }
  }
  absl::StrAppendFormat(&out, "clients %d: central %d, north %d, east %d, south %d, west %d\n",
                        town.clients.size(), clients_per[0], clients_per[1], clients_per[2],
                        clients_per[3], clients_per[4]);
  absl::StrAppendFormat(&out, "visits a day %d: morning %d, lunch %d, tea %d, bed %d\n", visits,
                        calls[0], calls[1], calls[2], calls[3]);
  absl::StrAppendFormat(&out, "double-ups %d visits (%.1f%%) of %d clients\n", double_up_visits,
                        100.0 * double_up_visits / std::max(1, visits), double_up_clients);
  absl::StrAppendFormat(&out, "time-critical %d visits of %d clients (window +/-%d min)\n",
                        critical_visits, critical_clients,
                        town.options.time_critical_tolerance_minutes);
  absl::StrAppendFormat(&out, "clients requiring a female carer %d\n", required_female);
  std::string mix;
  for (const auto& [minutes, count] : durations) {
    absl::StrAppendFormat(&mix, " %d min %.1f%%", minutes, 100.0 * count / std::max(1, visits));
  }
  absl::StrAppendFormat(&out, "durations:%s\n", mix);
  const WorkforceSizing& s = town.sizing;
  for (int call = 0; call < kCalls; ++call) {
    absl::StrAppendFormat(&out, "peak %-7s %6.0f carer-minutes over %3.0f min: %5.1f carers\n",
                          kCallNames[call], s.carer_minutes[call], kPeakSpanMinutes[call],
                          s.carers_needed[call]);
  }
  absl::StrAppendFormat(&out,
                        "working each day: %d split-lunch, %d split-tea, %d morning, %d evening; "
                        "headcount at 5 days in 7: %d\n",
                        s.working_per_day[0], s.working_per_day[1], s.working_per_day[2],
                        s.working_per_day[3], s.headcount);
  std::array<int, kPatterns> per_pattern = {};
  int walkers = 0;
  for (const TownCarer& carer : town.carers) {
    ++per_pattern[carer.pattern];
    walkers += carer.details.carer().travel_mode() == rv1::TRAVEL_MODE_WALKS;
  }
  absl::StrAppendFormat(&out, "carers %d (%d walk):", town.carers.size(), walkers);
  for (int p = 0; p < kPatterns; ++p)
    absl::StrAppendFormat(&out, " %d %s;", per_pattern[p], kShifts[p].name);
  out += "\n";
  return out;
}

}  // namespace homecare::bench
