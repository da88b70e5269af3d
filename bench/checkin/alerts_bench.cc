// Benchmark of the alert engine: a provider's day of about 3,000 visits (1,000 clients, their
// morning, lunch, tea and bed visits; a third of them, every client's morning visit, planned at
// 07:30) played by the carer-app simulator's day plans (tools/carer_sim/day_plan.h) at 60x speed
// on the services' test clock, with a share of carers late and a share missing. By default it
// plays the morning peak (07:00-09:00); --whole-day plays 07:00-22:00. It measures, on a
// WatchAlerts stream, the delay from each threshold passing (in real time) to its alert arriving,
// with one homecare-checkin and then with two; compares the alerts raised with those the plans
// imply; and reports the CPU the check-in replicas and Redis spent per 1,000 visits due. Real
// redis-server (appendfsync always), homecare-roster, homecare-scheduling and homecare-checkin.
//
//   build/bench/alerts_bench [--clients 1000] [--speed 60] [--late 0.2] [--missing 0.05]
//                            [--whole-day]
//
// All the morning visits start at 07:30, so their LATE checks (07:45), MISSED checks (08:30)
// and OVERDUE checks (08:45) each come due in the same instant: the worst minute the engine
// can meet. Each replica runs its checks every second (--alert-interval).
#include <sys/types.h>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bench/load/service_bench.h"
#include "bench/scheduling/provider.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/ids/ids.h"
#include "common/testing/redis_server.h"
#include "common/testing/service_process.h"
#include "common/testing/test_clock.h"
#include "common/testing/tokens.h"
#include "common/testing/watch_reader.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/carer_sim/day_plan.h"

namespace homecare::bench {
namespace {

namespace cv1 = checkin::v1;
namespace sv1 = scheduling::v1;
using cv1::CheckInService;
using sv1::SchedulingService;

// Simulated time runs `speed` times faster than real time from a common start.
struct Timeline {
  absl::Time sim_start;
  absl::Time real_start;
  double speed = 60;
  absl::Time SimNow() const { return sim_start + (absl::Now() - real_start) * speed; }
  absl::Time RealAt(absl::Time sim) const { return real_start + (sim - sim_start) / speed; }
};

// CPU seconds a process has used (user and system), from /proc.
double ProcessCpuSeconds(pid_t pid) {
  std::ifstream stat(absl::StrCat("/proc/", pid, "/stat"));
  std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
  // The fields after the command name (which may hold spaces) start after its ')'.
  std::vector<std::string> fields = absl::StrSplit(text.substr(text.rfind(')') + 2), ' ');
  int64_t user = 0, system = 0;
  if (fields.size() < 13 || !absl::SimpleAtoi(fields[11], &user) ||
      !absl::SimpleAtoi(fields[12], &system)) {
    return 0;
  }
  return static_cast<double>(user + system) / sysconf(_SC_CLK_TCK);
}

double RedisCpuSeconds(testing::RedisServer& redis) {
  absl::StatusOr<RedisReply> info = redis.Command({"INFO", "cpu"});
  double total = 0;
  if (!info.ok()) return 0;
  for (absl::string_view line : absl::StrSplit(info->str, "\r\n")) {
    for (absl::string_view field : {"used_cpu_sys:", "used_cpu_user:"}) {
      double value = 0;
      if (absl::ConsumePrefix(&line, field) && absl::SimpleAtod(line, &value)) total += value;
    }
  }
  return total;
}

struct Played {
  int visits = 0;
  std::set<std::pair<std::string, cv1::AlertKind>> expected;
  std::set<std::pair<std::string, cv1::AlertKind>> raised;
  int settled_by_evidence = 0;  // raised, then an event sent a moment late showed otherwise
  std::vector<absl::Duration> delays;
  double checkin_cpu = 0;
  double redis_cpu = 0;
  int events = 0;
};

// Plays `day`'s staffed `visits` from 07:00 to `until` (local hour) of simulated time.
absl::StatusOr<Played> PlayDay(testing::TestClock& clock, testing::RedisServer& redis,
                               const std::vector<testing::ServiceProcess*>& checkins,
                               SchedulingService::Stub& scheduling,
                               const testing::TestSecret& secret, const std::string& token,
                               const std::vector<sv1::Visit>& visits, absl::CivilDay day, int until,
                               double speed, double late_share, double missing_share) {
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  Played played;
  // Each carer's day as the simulator plans it: late carers up to 35 minutes late.
  struct Tap {
    std::string carer;
    carer_sim::PlannedEvent planned;
  };
  std::vector<Tap> events;
  std::set<std::string> by_visit;
  std::set<std::string> carers;
  for (const sv1::Visit& visit : visits) {
    by_visit.insert(visit.visit_id());
    carers.insert(visit.carer_ids().begin(), visit.carer_ids().end());
  }
  std::map<std::string, std::string> carer_token;
  for (const std::string& carer : carers) {
    sv1::GetRotaRequest request;
    request.set_carer_id(carer);
    *request.mutable_start_date() = DateToProto(day);
    *request.mutable_end_date() = DateToProto(day);
    sv1::Rota rota;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(30));
    if (grpc::Status status = scheduling.GetRota(&context, request, &rota); !status.ok()) {
      return absl::InternalError("GetRota: " + status.error_message());
    }
    // A carer's fate by a hash of their id: the same carers are late or missing on every run.
    const double draw =
        static_cast<double>(std::stoull(Sha256Hex(carer).substr(0, 8), nullptr, 16)) / 0xffffffff;
    if (draw < missing_share) continue;  // no signal, no show: nothing is sent
    carer_sim::DayPlanOptions options;
    options.seed = 7;
    options.late_up_to_minutes = draw < missing_share + late_share ? 35 : 10;
    absl::StatusOr<carer_sim::DayPlan> plan = carer_sim::PlanDay(rota, options);
    if (!plan.ok()) return plan.status();
    carer_token[carer] = secret.Token(Role::kCarer, kBenchTenant, carer);
    for (carer_sim::PlannedEvent& event : plan->events) {
      events.push_back({carer, std::move(event)});
    }
  }
  std::sort(events.begin(), events.end(), [](const Tap& a, const Tap& b) {
    return a.planned.device_time < b.planned.device_time;
  });

  // What the plans imply, under the default policy.
  const absl::Time sim_start = LocalToInstant(absl::CivilSecond(day) + 7 * 3600, zone);
  const absl::Time sim_end = LocalToInstant(absl::CivilSecond(day) + until * 3600, zone);
  struct Times {
    std::optional<absl::Time> in, out;
  };
  std::map<std::pair<std::string, std::string>, Times> times;  // by visit and carer
  for (const Tap& tap : events) {
    if (tap.planned.device_time >= sim_end) break;
    ++played.events;
    Times& carer_times = times[{tap.planned.visit_id, tap.carer}];
    (tap.planned.is_check_out ? carer_times.out : carer_times.in) = tap.planned.device_time;
  }
  for (const sv1::Visit& visit : visits) {
    const absl::Time start = StoredTime(visit.planned_start());
    const absl::Time late = start + (visit.time_critical() ? absl::Minutes(5) : absl::Minutes(15));
    const absl::Time missed = std::max(start + absl::Minutes(60), StoredTime(visit.window_end()));
    const absl::Time overdue = start + absl::Minutes(visit.duration_minutes() + 30);
    auto carers_in_by = [&](absl::Time at) {
      int in = 0;
      for (const std::string& carer : visit.carer_ids()) {
        const Times& carer_times = times[{visit.visit_id(), carer}];
        in += carer_times.in && *carer_times.in <= at ? 1 : 0;
      }
      return in;
    };
    auto still_in_at = [&](absl::Time at) {
      return std::any_of(visit.carer_ids().begin(), visit.carer_ids().end(), [&](const auto& c) {
        const Times& carer_times = times[{visit.visit_id(), c}];
        return carer_times.in && *carer_times.in <= at &&
               (!carer_times.out || *carer_times.out > at);
      });
    };
    if (late < sim_end && carers_in_by(late) == 0) {
      played.expected.insert({visit.visit_id(), cv1::ALERT_KIND_LATE});
    }
    if (late < sim_end && carers_in_by(late) > 0 && carers_in_by(late) < visit.carer_ids_size()) {
      played.expected.insert({visit.visit_id(), cv1::ALERT_KIND_CARER_MISSING});
    }
    if (missed < sim_end && carers_in_by(missed) == 0) {
      played.expected.insert({visit.visit_id(), cv1::ALERT_KIND_MISSED});
    }
    if (overdue < sim_end && still_in_at(overdue)) {
      played.expected.insert({visit.visit_id(), cv1::ALERT_KIND_OVERDUE_CHECK_OUT});
    }
  }
  played.visits = static_cast<int>(visits.size());

  // The watch, from before the first event.
  clock.Set(sim_start);
  auto watch_stub = CheckInService::NewStub(checkins.front()->NewChannel());
  testing::WatchReader<cv1::AlertEvent> watch([&](grpc::ClientContext& context) {
    context.AddMetadata("authorization", "Bearer " + token);
    return watch_stub->WatchAlerts(&context, cv1::WatchAlertsRequest());
  });
  watch.WaitUntilWatching();
  Timeline timeline{sim_start, absl::Now(), speed};
  std::mutex seen_mutex;
  std::map<std::string, absl::Time> arrived;  // alert id -> when it first came
  std::thread reader([&] {
    while (std::optional<cv1::AlertEvent> event = watch.Next()) {
      const cv1::Alert& alert = event->alert();
      // Visits not played (nobody on them) pass their thresholds too, some as the clock jumps
      // to this morning: not this run's.
      if (!by_visit.contains(alert.visit_id())) continue;
      std::lock_guard<std::mutex> lock(seen_mutex);
      if (alert.state() == cv1::ALERT_STATE_OPEN && !arrived.contains(alert.alert_id())) {
        arrived[alert.alert_id()] = absl::Now();
        played.raised.insert({alert.visit_id(), alert.kind()});
        played.delays.push_back(absl::Now() - timeline.RealAt(StoredTime(alert.due_time())));
      }
      if (alert.resolution() == cv1::ALERT_RESOLUTION_EVIDENCE_ARRIVED) {
        ++played.settled_by_evidence;
        played.raised.erase({alert.visit_id(), alert.kind()});
      }
    }
  });

  std::vector<double> cpu_before;
  for (testing::ServiceProcess* checkin : checkins) {
    cpu_before.push_back(ProcessCpuSeconds(checkin->pid()));
  }
  const double redis_before = RedisCpuSeconds(redis);
  // The clock moves on; each event is sent when its time comes, by 8 phones at once.
  std::atomic<bool> playing{true};
  std::thread clock_driver([&] {
    while (playing) {
      clock.Set(std::min(timeline.SimNow(), sim_end + absl::Minutes(1)));
      absl::SleepFor(absl::Milliseconds(20));
    }
  });
  std::mutex queue_mutex;
  std::condition_variable queued;
  std::deque<const Tap*> queue;
  bool all_queued = false;
  std::atomic<int> failures{0};
  std::vector<std::thread> phones;
  for (int i = 0; i < 8; ++i) {
    phones.emplace_back([&, i] {
      auto stub = CheckInService::NewStub(checkins[i % checkins.size()]->NewChannel());
      while (true) {
        const Tap* event;
        {
          std::unique_lock<std::mutex> lock(queue_mutex);
          queued.wait(lock, [&] { return !queue.empty() || all_queued; });
          if (queue.empty()) return;
          event = queue.front();
          queue.pop_front();
        }
        cv1::SyncEventsRequest request;
        *request.add_events() = event->planned.event;
        const google::protobuf::Timestamp sent = TimeToProto(timeline.SimNow());
        cv1::QueuedEvent& sending = *request.mutable_events(0);
        *(sending.has_check_in() ? sending.mutable_check_in()->mutable_sent_time()
                                 : sending.mutable_check_out()->mutable_sent_time()) = sent;
        const std::string& carer = event->carer;
        cv1::SyncEventsResponse response;
        grpc::ClientContext context;
        PrepareContext(context, carer_token[carer], absl::Seconds(10));
        grpc::Status status = stub->SyncEvents(&context, request, &response);
        if (!status.ok() || response.results(0).code() != 0) ++failures;
      }
    });
  }
  for (const Tap& event : events) {
    if (event.planned.device_time >= sim_end) break;
    absl::SleepFor(timeline.RealAt(event.planned.device_time) - absl::Now());
    std::lock_guard<std::mutex> lock(queue_mutex);
    queue.push_back(&event);
    queued.notify_one();
  }
  {
    std::lock_guard<std::mutex> lock(queue_mutex);
    all_queued = true;
    queued.notify_all();
  }
  for (std::thread& phone : phones) phone.join();
  // To the end of the window, then a few seconds for the last alerts to come.
  absl::SleepFor(timeline.RealAt(sim_end) - absl::Now() + absl::Seconds(5));
  playing = false;
  clock_driver.join();
  for (size_t i = 0; i < checkins.size(); ++i) {
    played.checkin_cpu += ProcessCpuSeconds(checkins[i]->pid()) - cpu_before[i];
  }
  played.redis_cpu = RedisCpuSeconds(redis) - redis_before;
  watch.Cancel();
  reader.join();
  if (failures > 0) return absl::InternalError(absl::StrCat(failures.load(), " events failed"));
  return played;
}

std::string Summary(const std::string& name, const Played& played) {
  std::vector<absl::Duration> sorted = played.delays;
  std::sort(sorted.begin(), sorted.end());
  auto at = [&](double q) {
    return sorted.empty()
               ? absl::ZeroDuration()
               : sorted[std::min(sorted.size() - 1, static_cast<size_t>(q * sorted.size()))];
  };
  std::set<std::pair<std::string, cv1::AlertKind>> missing, extra;
  std::set_difference(played.expected.begin(), played.expected.end(), played.raised.begin(),
                      played.raised.end(), std::inserter(missing, missing.end()));
  std::set_difference(played.raised.begin(), played.raised.end(), played.expected.begin(),
                      played.expected.end(), std::inserter(extra, extra.end()));
  return absl::StrFormat(
      "%s: %d visits due, %d events; alerts expected %d, raised %d (%s; %d more raised and "
      "settled by an event sent a moment late); threshold -> alert on the stream: p50 %s, p99 "
      "%s, max %s; CPU per 1,000 visits due (recording their events and the alert engine "
      "together): homecare-checkin %.2f s, redis-server %.2f s\n",
      name, played.visits, played.events, played.expected.size(), played.raised.size(),
      missing.empty() && extra.empty()
          ? "the same alerts"
          : absl::StrCat(missing.size(), " missing, ", extra.size(), " unexpected"),
      played.settled_by_evidence, absl::FormatDuration(at(0.5)), absl::FormatDuration(at(0.99)),
      absl::FormatDuration(sorted.empty() ? absl::ZeroDuration() : sorted.back()),
      played.checkin_cpu * 1000 / std::max(1, played.visits),
      played.redis_cpu * 1000 / std::max(1, played.visits));
}

int Main(int argc, char** argv) {
  int clients = 1000;
  double speed = 60;
  double late = 0.2;
  double missing = 0.05;
  bool smoke = false;
  bool whole_day = false;
  FlagSet flags("alerts_bench");
  flags.AddInt("clients", &clients, "Clients, each with a morning visit at 07:30");
  flags.AddBool("whole-day", &whole_day,
                "Play every visit from 07:00 to 22:00, not only the morning peak to 09:00");
  flags.AddDouble("speed", &speed, "Simulated seconds per real second");
  flags.AddDouble("late", &late, "Share of carers up to 35 minutes late");
  flags.AddDouble("missing", &missing, "Share of carers who never come");
  flags.AddBool("smoke", &smoke, "A few visits at 600x, to check that the benchmark works");
  absl::StatusOr<std::vector<std::string>> parsed = flags.Parse(argc, argv);
  if (!parsed.ok()) {
    std::cerr << parsed.status().message() << "\n" << flags.Usage();
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (smoke) {
    clients = std::min(clients, 20);
    speed = 600;
  }

  testing::TestSecret secret;
  const absl::CivilDay monday = NextMonday();
  const absl::TimeZone zone = *LoadTimeZone("Europe/London");
  testing::TestClock clock(LocalToInstant(absl::CivilSecond(monday - 7), zone));
  absl::StatusOr<SchedulingStack> stack =
      StartSchedulingStack(secret, HOMECARE_ROSTER_BINARY, HOMECARE_SCHEDULING_BINARY, &clock);
  if (!stack.ok()) {
    std::cerr << stack.status() << "\n";
    return 1;
  }
  auto start_checkin = [&]() {
    return testing::ServiceProcess::Start(
        {.binary = HOMECARE_CHECKIN_BINARY,
         .args = {"--redis", stack->redis->address(), "--secret-file", secret.path(),
                  "--scheduling", stack->scheduling->address()},
         .clock = &clock});
  };
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> first = start_checkin();
  if (!first.ok()) {
    std::cerr << first.status() << "\n";
    return 1;
  }
  const std::string token = secret.Token(Role::kCoordinator, kBenchTenant);
  auto scheduling = SchedulingService::NewStub(stack->scheduling->NewChannel());
  auto roster = roster::v1::RosterService::NewStub(stack->roster->NewChannel());
  absl::StatusOr<std::vector<std::string>> carers = SeedCarers(*roster, token, clients);
  absl::Status seeded = carers.status();
  if (seeded.ok()) seeded = SeedClients(*scheduling, token, clients, monday);
  if (seeded.ok()) seeded = GenerateDays(*scheduling, token, monday, 2);
  absl::StatusOr<std::vector<sv1::Visit>> all = absl::CancelledError("not seeded");
  if (seeded.ok()) {
    all = ListDays(*scheduling, token, monday, 2);
    seeded = all.status();
  }
  if (!seeded.ok()) {
    std::cerr << seeded.message() << "\n";
    return 1;
  }
  // Every visit played gets carers of its own in its slot (a pattern on a day): the single
  // visits the first carers, the double-ups two each from the last.
  std::map<absl::CivilDay, std::vector<sv1::Visit>> played_visits;
  auto staff = [&](const sv1::Visit& visit, absl::CivilDay day, std::vector<int> carer_indexes) {
    sv1::AssignCarersRequest request;
    request.set_visit_id(visit.visit_id());
    for (int index : carer_indexes) request.add_carer_ids((*carers)[index]);
    sv1::AssignCarersResponse response;
    grpc::ClientContext context;
    PrepareContext(context, token, absl::Seconds(30));
    grpc::Status status = scheduling->AssignCarers(&context, request, &response);
    if (!status.ok()) std::cerr << "AssignCarers: " << status.error_message() << "\n";
    played_visits[day].push_back(response.visit());
    return status.ok();
  };
  std::map<std::pair<absl::CivilDay, std::string>, int> doubles_in_slot;
  for (const sv1::Visit& visit : *all) {
    if (visit.carers_required() < 2) continue;  // OneCarerEach staffs the others below
    if (!whole_day && visit.pattern_id() != "morning") continue;
    const absl::CivilDay day = *DateFromProto(visit.local_date(), "local_date");
    int& doubles = doubles_in_slot[{day, visit.pattern_id()}];
    std::vector<int> indexes;
    while (static_cast<int>(indexes.size()) < visit.carers_required()) {
      indexes.push_back(clients - 1 - doubles++);
    }
    if (!staff(visit, day, indexes)) return 1;
  }
  for (const Staffing& staffing : OneCarerEach(*all, clients)) {
    if (!whole_day && staffing.visit->pattern_id() != "morning") continue;
    if (!staff(*staffing.visit, staffing.day, {staffing.carer})) return 1;
  }
  // The check-in service has every view (and so every check) before the clock moves.
  auto checkin_stub = CheckInService::NewStub((*first)->NewChannel());
  for (const auto& [day, visits] : played_visits) {
    cv1::GetBoardRequest request;
    *request.mutable_date() = DateToProto(day);
    const absl::Time give_up = absl::Now() + absl::Minutes(5);
    while (true) {
      cv1::Board board;
      grpc::ClientContext context;
      PrepareContext(context, token, absl::Seconds(30));
      grpc::Status status = checkin_stub->GetBoard(&context, request, &board);
      int staffed = 0, places = 0;
      for (const cv1::BoardEntry& entry : board.entries()) staffed += entry.carer_ids_size();
      for (const sv1::Visit& visit : visits) places += visit.carers_required();
      if (status.ok() && staffed >= places) break;
      if (absl::Now() > give_up) {
        std::cerr << "the check-in service did not follow the assignments within 5 minutes\n";
        return 1;
      }
      absl::SleepFor(absl::Milliseconds(200));
    }
  }

  const int until = whole_day ? 22 : 9;
  std::cout << absl::StrFormat(
      "%d clients, %d visits on the first day, %d of them at 07:30 (window 07:30-08:30, 45 "
      "minutes), each with carers of its own; %.0f%% of carers up to 35 minutes late, %.0f%% "
      "never come; played 07:00-%02d:00 at %.0fx\n",
      clients,
      std::count_if(all->begin(), all->end(),
                    [&](const sv1::Visit& visit) {
                      return *DateFromProto(visit.local_date(), "local_date") == monday;
                    }),
      std::count_if(played_visits[monday].begin(), played_visits[monday].end(),
                    [](const sv1::Visit& visit) { return visit.pattern_id() == "morning"; }),
      late * 100, missing * 100, until, speed);
  absl::StatusOr<Played> one =
      PlayDay(clock, *stack->redis, {first->get()}, *scheduling, secret, token,
              played_visits[monday], monday, until, speed, late, missing);
  if (!one.ok()) {
    std::cerr << one.status() << "\n";
    return 1;
  }
  std::cout << Summary("one replica", *one);
  absl::StatusOr<std::unique_ptr<testing::ServiceProcess>> second = start_checkin();
  if (!second.ok()) {
    std::cerr << second.status() << "\n";
    return 1;
  }
  absl::StatusOr<Played> two =
      PlayDay(clock, *stack->redis, {first->get(), second->get()}, *scheduling, secret, token,
              played_visits[monday + 1], monday + 1, until, speed, late, missing);
  if (!two.ok()) {
    std::cerr << two.status() << "\n";
    return 1;
  }
  std::cout << Summary("two replicas", *two);
  const bool same = one->expected == one->raised && two->expected == two->raised;
  return same ? 0 : 1;
}

}  // namespace
}  // namespace homecare::bench

int main(int argc, char** argv) { return homecare::bench::Main(argc, argv); }
