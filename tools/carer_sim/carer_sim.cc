// homecare-carer-sim: carers' phones playing a day against the real services, for demos and load.
//
// For each carer (one thread each) it mints the carer's token from the services' secret file,
// reads the carer's rota for the day (GetRota), plans the day (day_plan.h: check-in at the
// client's door with GPS noise and some lateness, check-out after the visit with its tasks, an
// offline stretch whose events are queued) and sends it: each event live when tapped, and the
// queue in one SyncEvents when the stretch ends.
//
// Time: the phone stamps each event with device_time (when tapped) and sent_time (its clock when
// this copy is sent, also on a retry), so that the service's estimate received - (sent - device)
// is the tap. With --pace fast the events go out at once, except those a phone could not have
// tapped yet (after the phone's clock): the day stops there. With --pace realtime each one waits
// for its moment. --now sets the phone's clock (for services on a test clock): it stands still
// with --pace fast and runs from there with --pace realtime.
//
// Events have ids from the seed, so a rerun with the same seed retries the same events (each
// answered `duplicate`). Calls that fail with UNAVAILABLE or DEADLINE_EXCEEDED are retried with
// backoff, repeating the event id. Exit code: 0 when every event sent was accepted, 1 when one was
// refused or a call failed after its retries, 2 for bad flags.
#include <algorithm>
#include <cmath>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/civil_time.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/client/channel.h"
#include "common/config/flags.h"
#include "common/ids/ids.h"
#include "common/time/time.h"
#include "homecare/checkin/v1/checkin.grpc.pb.h"
#include "homecare/roster/v1/roster.grpc.pb.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/carer_sim/day_plan.h"

namespace homecare::carer_sim {
namespace {

namespace cv1 = checkin::v1;
namespace rv1 = roster::v1;
namespace sv1 = scheduling::v1;

struct Config {
  std::string roster = "127.0.0.1:50051";
  std::string scheduling = "127.0.0.1:50052";
  std::string checkin = "127.0.0.1:50053";
  std::string secret_file = "var/dev-secret";
  std::string token_issuer = std::string(kDefaultTokenIssuer);
  std::string token_audience = std::string(kDefaultTokenAudience);
  std::string tenant;
  std::string carers;
  std::string date;
  int64_t seed = 1;
  double gps_noise = 15;
  int late_up_to = 10;
  double all_tasks_done = 0.9;
  std::string offline;
  std::string pace = "fast";
  std::string now;
  bool quiet = false;
  absl::Duration timeout = absl::Seconds(5);
  int attempts = 4;
  absl::Duration backoff = absl::Milliseconds(200);
};

// The phone's clock: the real one, or --now standing still (fast pace) or running from there.
class PhoneClock {
 public:
  PhoneClock(std::optional<absl::Time> set, bool runs)
      : real_start_(absl::Now()), start_(set.value_or(real_start_)), runs_(runs || !set) {}
  absl::Time Now() const { return runs_ ? start_ + (absl::Now() - real_start_) : start_; }

 private:
  absl::Time real_start_;
  absl::Time start_;
  bool runs_;
};

// One carer's token, minted from the secret as `carectl token --role carer` does, on the phone's
// clock (which is what the services' clock is, under test), and minted again before it expires.
class CarerToken {
 public:
  CarerToken(const Config& config, std::string secret, std::string carer_id,
             const PhoneClock* clock)
      : config_(config),
        secret_(std::move(secret)),
        carer_id_(std::move(carer_id)),
        clock_(clock) {}

  const std::string& Get() {
    const absl::Time now = clock_->Now();
    if (token_.empty() || now > expires_ - absl::Hours(1)) {
      TokenClaims claims;
      claims.issuer = config_.token_issuer;
      claims.audience = config_.token_audience;
      claims.principal.role = Role::kCarer;
      claims.principal.tenant = config_.tenant;
      claims.principal.carer_id = carer_id_;
      claims.principal.subject = absl::StrCat("carer-sim:", carer_id_);
      claims.issued_at = now;
      claims.expires_at = now + absl::Hours(12);
      token_ = MintToken(claims, secret_);
      expires_ = claims.expires_at;
    }
    return token_;
  }

 private:
  const Config& config_;
  std::string secret_;
  std::string carer_id_;
  const PhoneClock* clock_;
  std::string token_;
  absl::Time expires_;
};

// Lines from every carer's thread, whole.
class Out {
 public:
  void Line(const std::string& line) {
    absl::MutexLock lock(&mutex_);
    std::cout << line << std::endl;
  }
  void Error(const std::string& line) {
    absl::MutexLock lock(&mutex_);
    std::cerr << line << std::endl;
  }

 private:
  absl::Mutex mutex_;
};

std::string CodeName(int code) {
  return absl::StatusCodeToString(static_cast<absl::StatusCode>(code));
}

std::string Describe(const grpc::Status& status) {
  return absl::StrCat(CodeName(status.error_code()), ": ", status.error_message());
}

bool Retryable(const grpc::Status& status) {
  return status.error_code() == grpc::StatusCode::UNAVAILABLE ||
         status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED;
}

std::string KindName(cv1::ExceptionKind kind) {
  return std::string(absl::StripPrefix(cv1::ExceptionKind_Name(kind), "EXCEPTION_KIND_"));
}

std::string ExceptionsText(const google::protobuf::RepeatedPtrField<cv1::VisitException>& list) {
  if (list.empty()) return "none";
  std::vector<std::string> parts;
  for (const cv1::VisitException& exception : list) {
    std::string part = KindName(exception.kind());
    if (exception.kind() == cv1::EXCEPTION_KIND_LOCATION_MISMATCH) {
      absl::StrAppend(&part, "(", static_cast<int>(std::lround(exception.distance_meters())),
                      " m)");
    }
    parts.push_back(std::move(part));
  }
  return absl::StrJoin(parts, ",");
}

// Nearest-rank percentile, in milliseconds.
double Percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::clamp<size_t>(rank, 1, values.size()) - 1];
}

struct Report {
  std::string carer_id;
  bool played = false;
  int visits = 0;         // on the plan
  int visits_played = 0;  // with an event accepted
  int planned = 0;
  int accepted = 0;
  int duplicates = 0;
  int refused = 0;
  int not_yet = 0;
  std::optional<absl::Time> next_tap;
  std::map<std::string, int> exceptions;
  std::vector<double> latencies_ms;
  int calls = 0;
  std::string failure;  // a call that failed after its retries, or what stopped the day
  bool ok() const { return refused == 0 && failure.empty(); }
};

class CarerDay {
 public:
  CarerDay(const Config& config, const std::string& secret, std::string carer_id,
           const PhoneClock& clock, absl::TimeZone zone, absl::CivilDay day, Out& out)
      : config_(config),
        clock_(clock),
        zone_(zone),
        day_(day),
        out_(out),
        token_(config, secret, carer_id, &clock) {
    report_.carer_id = std::move(carer_id);
    ChannelOptions options;
    scheduling_ = sv1::SchedulingService::NewStub(MakeChannel(config.scheduling, options));
    checkin_ = cv1::CheckInService::NewStub(MakeChannel(config.checkin, options));
  }

  Report Play(const DayPlanOptions& options) {
    sv1::GetRotaRequest request;
    *request.mutable_start_date() = DateToProto(day_);
    *request.mutable_end_date() = DateToProto(day_);
    sv1::Rota rota;
    grpc::Status status = Call("homecare-scheduling", config_.scheduling, [&](auto& context) {
      return scheduling_->GetRota(&context, request, &rota);
    });
    if (!status.ok()) {
      if (report_.failure.empty()) {
        report_.failure = absl::StrCat("could not read the rota: ", Describe(status));
      }
      return report_;
    }
    if (rota.carer_id().empty()) rota.set_carer_id(report_.carer_id);
    absl::StatusOr<DayPlan> plan = PlanDay(rota, options);
    if (!plan.ok()) {
      report_.failure = std::string(plan.status().message());
      return report_;
    }
    report_.played = true;
    report_.visits = plan->visits_played;
    report_.planned = static_cast<int>(plan->events.size());
    for (const std::string& skipped : plan->skipped) {
      if (!config_.quiet) out_.Line(absl::StrCat(report_.carer_id, ": skipped ", skipped));
    }
    std::vector<Send> sends = SendOrder(*plan);
    for (size_t i = 0; i < sends.size(); ++i) {
      const Send& send = sends[i];
      absl::Time now = clock_.Now();
      if (send.at > now && config_.pace == "fast") {
        // A phone cannot tap in the future: the rest of the day is still to come.
        for (size_t j = i; j < sends.size(); ++j) {
          report_.not_yet += static_cast<int>(sends[j].indexes.size());
        }
        report_.next_tap = plan->events[send.indexes.front()].device_time;
        break;
      }
      if (config_.pace == "realtime" && !config_.quiet && send.at > now) {
        out_.Line(
            absl::StrCat(report_.carer_id, ": next ", send.batch ? "the offline batch" : "event",
                         " at ", absl::FormatTime("%H:%M:%S", send.at, zone_), " (in ",
                         absl::FormatDuration(absl::Trunc(send.at - now, absl::Seconds(1))), ")"));
      }
      if (send.at > now && config_.pace == "realtime") absl::SleepFor(send.at - now);
      const bool sent =
          send.batch ? SendBatch(*plan, send) : SendLive(plan->events[send.indexes[0]]);
      if (!sent) {
        int unsent = 0;
        for (size_t j = i; j < sends.size(); ++j) {
          unsent += static_cast<int>(sends[j].indexes.size());
        }
        absl::StrAppend(&report_.failure, "; ", unsent, " events not sent");
        break;
      }
    }
    report_.visits_played = static_cast<int>(played_.size());
    return report_;
  }

 private:
  // Calls `rpc` (a function of a prepared context) up to config_.attempts times while it fails
  // with UNAVAILABLE or DEADLINE_EXCEEDED, backing off between attempts. Records a failure in the
  // report when the retries run out.
  template <typename Rpc>
  grpc::Status Call(absl::string_view service, const std::string& address, Rpc rpc) {
    grpc::Status status;
    absl::Duration backoff = config_.backoff;
    for (int attempt = 1; attempt <= config_.attempts; ++attempt) {
      grpc::ClientContext context;
      PrepareContext(context, token_.Get(), config_.timeout);
      const absl::Time start = absl::Now();
      status = rpc(context);
      ++report_.calls;
      if (!Retryable(status)) {
        if (status.ok()) {
          report_.latencies_ms.push_back(absl::ToDoubleMilliseconds(absl::Now() - start));
        }
        return status;
      }
      if (attempt < config_.attempts) {
        absl::SleepFor(backoff);
        backoff *= 2;
      }
    }
    report_.failure = absl::StrCat("could not reach ", service, " at ", address, " after ",
                                   config_.attempts, " attempts (", Describe(status), ")");
    return status;
  }

  void Print(const PlannedEvent& event, bool batch, const std::string& result, bool duplicate,
             const std::string& exceptions) {
    if (config_.quiet) return;
    out_.Line(absl::StrCat(absl::FormatTime("%Y-%m-%d %H:%M:%S", event.device_time, zone_), " ",
                           report_.carer_id, " ", event.visit_id, " ",
                           event.is_check_out ? "out" : "in ", " ", batch ? "batch" : "live ", " ",
                           result, " exceptions=", exceptions, duplicate ? " duplicate" : ""));
  }

  void Count(const PlannedEvent& event, bool duplicate,
             const google::protobuf::RepeatedPtrField<cv1::VisitException>& exceptions) {
    played_.insert(event.visit_id);
    ++report_.accepted;
    if (duplicate) ++report_.duplicates;
    for (const cv1::VisitException& exception : exceptions) {
      ++report_.exceptions[KindName(exception.kind())];
    }
  }

  // False when the call failed after its retries (the day stops).
  bool SendLive(const PlannedEvent& event) {
    grpc::Status status;
    bool duplicate = false;
    google::protobuf::RepeatedPtrField<cv1::VisitException> exceptions;
    if (event.is_check_out) {
      cv1::CheckOutRequest request = event.event.check_out();
      cv1::CheckOutResponse response;
      status = Call("homecare-checkin", config_.checkin, [&](auto& context) {
        *request.mutable_sent_time() = TimeToProto(clock_.Now());
        return checkin_->CheckOut(&context, request, &response);
      });
      duplicate = response.duplicate();
      exceptions = response.exceptions();
    } else {
      cv1::CheckInRequest request = event.event.check_in();
      cv1::CheckInResponse response;
      status = Call("homecare-checkin", config_.checkin, [&](auto& context) {
        *request.mutable_sent_time() = TimeToProto(clock_.Now());
        return checkin_->CheckIn(&context, request, &response);
      });
      duplicate = response.duplicate();
      exceptions = response.exceptions();
    }
    if (status.ok()) {
      Count(event, duplicate, exceptions);
      Print(event, false, "accepted", duplicate, ExceptionsText(exceptions));
      return true;
    }
    if (Retryable(status)) {
      Print(event, false, absl::StrCat("failed (", Describe(status), ")"), false, "-");
      return false;
    }
    ++report_.refused;
    Print(event, false, absl::StrCat("refused (", Describe(status), ")"), false, "-");
    return true;
  }

  bool SendBatch(const DayPlan& plan, const Send& send) {
    cv1::SyncEventsRequest request;
    for (int index : send.indexes) *request.add_events() = plan.events[index].event;
    cv1::SyncEventsResponse response;
    grpc::Status status = Call("homecare-checkin", config_.checkin, [&](auto& context) {
      const google::protobuf::Timestamp sent = TimeToProto(clock_.Now());
      for (cv1::QueuedEvent& event : *request.mutable_events()) {
        *(event.has_check_out() ? event.mutable_check_out()->mutable_sent_time()
                                : event.mutable_check_in()->mutable_sent_time()) = sent;
      }
      return checkin_->SyncEvents(&context, request, &response);
    });
    if (!status.ok()) {
      const bool failed = Retryable(status);
      if (!failed) report_.refused += static_cast<int>(send.indexes.size());
      for (int index : send.indexes) {
        Print(plan.events[index], true,
              absl::StrCat(failed ? "failed (" : "refused (", Describe(status), ")"), false, "-");
      }
      return !failed;
    }
    for (size_t i = 0; i < send.indexes.size(); ++i) {
      const PlannedEvent& event = plan.events[send.indexes[i]];
      if (static_cast<int>(i) >= response.results_size()) {
        ++report_.refused;
        Print(event, true, "refused (no result for it in the reply)", false, "-");
        continue;
      }
      const cv1::EventResult& result = response.results(static_cast<int>(i));
      if (result.code() == 0) {
        Count(event, result.duplicate(), result.exceptions());
        Print(event, true, "accepted", result.duplicate(), ExceptionsText(result.exceptions()));
      } else {
        ++report_.refused;
        Print(event, true,
              absl::StrCat("refused (", CodeName(result.code()), ": ", result.message(), ")"),
              false, "-");
      }
    }
    return true;
  }

  const Config& config_;
  const PhoneClock& clock_;
  absl::TimeZone zone_;
  absl::CivilDay day_;
  Out& out_;
  CarerToken token_;
  std::unique_ptr<sv1::SchedulingService::Stub> scheduling_;
  std::unique_ptr<cv1::CheckInService::Stub> checkin_;
  Report report_;
  std::set<std::string> played_;  // visits with an event accepted
};

std::string Summary(const Report& report, absl::CivilDay day, absl::TimeZone zone) {
  std::string line = absl::StrCat("carer ", report.carer_id, ": ");
  if (!report.played) {
    return absl::StrCat(line, "nothing played: ", report.failure);
  }
  if (report.planned == 0) {
    absl::StrAppend(&line, "no visits on ", absl::FormatCivilTime(day), ": nothing to play");
  } else {
    std::vector<std::string> kinds;
    for (const auto& [kind, count] : report.exceptions)
      kinds.push_back(absl::StrCat(kind, "=", count));
    absl::StrAppend(&line, report.visits_played, " of ", report.visits, " visits played, ",
                    report.planned, " events: ", report.accepted, " accepted (", report.duplicates,
                    " duplicates), ", report.refused,
                    " refused; exceptions: ", kinds.empty() ? "none" : absl::StrJoin(kinds, " "),
                    "; ", report.calls, " calls, latency p50 ",
                    absl::StrFormat("%.1f", Percentile(report.latencies_ms, 0.5)), " ms p99 ",
                    absl::StrFormat("%.1f", Percentile(report.latencies_ms, 0.99)), " ms");
  }
  if (report.not_yet > 0) {
    absl::StrAppend(&line, "; ", report.not_yet, " events not sent yet: the next is tapped at ",
                    absl::FormatTime("%Y-%m-%d %H:%M:%S", *report.next_tap, zone),
                    ", after the phone's clock");
  }
  if (!report.failure.empty()) absl::StrAppend(&line, "; FAILED: ", report.failure);
  return line;
}

absl::StatusOr<absl::Time> ParseNow(const std::string& text) {
  absl::Time now;
  std::string error;
  if (!absl::ParseTime(absl::RFC3339_full, text, &now, &error)) {
    return absl::InvalidArgumentError(
        absl::StrCat("--now \"", text, "\" is not an RFC 3339 time (", error, ")"));
  }
  return now;
}

// "HH:MM" as minutes after midnight.
std::optional<int> ParseClockTime(absl::string_view text) {
  std::vector<absl::string_view> parts = absl::StrSplit(text, ':');
  int hours = 0, minutes = 0;
  if (parts.size() != 2 || !absl::SimpleAtoi(parts[0], &hours) ||
      !absl::SimpleAtoi(parts[1], &minutes) || hours < 0 || hours > 24 || minutes < 0 ||
      minutes > 59 || hours * 60 + minutes > 24 * 60) {
    return std::nullopt;
  }
  return hours * 60 + minutes;
}

// "11:00-14:00" local on `day`; an end at or before the start is on the next day.
absl::Status ParseOffline(const std::string& text, absl::CivilDay day, absl::TimeZone zone,
                          DayPlanOptions& options) {
  std::vector<absl::string_view> ends = absl::StrSplit(text, '-');
  std::optional<int> from, until;
  if (ends.size() == 2) {
    from = ParseClockTime(ends[0]);
    until = ParseClockTime(ends[1]);
  }
  if (!from || !until) {
    return absl::InvalidArgumentError(
        absl::StrCat("--offline \"", text, "\" is not a stretch of local time like 11:00-14:00"));
  }
  const absl::CivilMinute midnight(day);
  options.offline_from = LocalToInstant(midnight + *from, zone);
  options.offline_until = LocalToInstant(midnight + *until + (*until <= *from ? 24 * 60 : 0), zone);
  return absl::OkStatus();
}

int Main(int argc, char** argv) {
  Config config;
  FlagSet flags("homecare-carer-sim");
  flags.AddString("roster", &config.roster, "homecare-roster address (the tenant's time zone)");
  flags.AddString("scheduling", &config.scheduling, "homecare-scheduling address (rotas)");
  flags.AddString("checkin", &config.checkin, "homecare-checkin address (the events)");
  flags.AddString("secret-file", &config.secret_file,
                  "The secret the services verify tokens with; carers' tokens are minted from it");
  flags.AddString("token-issuer", &config.token_issuer, "iss of the carers' tokens");
  flags.AddString("token-audience", &config.token_audience, "aud of the carers' tokens");
  flags.AddString("tenant", &config.tenant, "The carers' tenant (required)");
  flags.AddString("carers", &config.carers,
                  "Comma-separated carer ids (required); each plays their day on a thread");
  flags.AddString("date", &config.date,
                  "The carers' local day, YYYY-MM-DD; default: today in the tenant's zone");
  flags.AddInt("seed", &config.seed,
               "Seed of every random choice and of the event ids: the same seed replays the "
               "same events (answered as duplicates)");
  flags.AddDouble("gps-noise", &config.gps_noise,
                  "Standard deviation of the GPS fix around the client's home, in metres (also "
                  "the accuracy reported)");
  flags.AddInt("late-up-to", &config.late_up_to,
               "Carers arrive 0 to this many minutes after the planned start");
  flags.AddDouble("all-tasks-done", &config.all_tasks_done,
                  "Share of visits with every task done (on the others one task is refused)");
  flags.AddString("offline", &config.offline,
                  "A stretch of local time without signal, like 11:00-14:00: events tapped then "
                  "are queued and sent in one SyncEvents when it ends");
  flags.AddString("pace", &config.pace,
                  "fast: send at once (events after the phone's clock are not sent); realtime: "
                  "send each event when it is tapped");
  flags.AddString("now", &config.now,
                  "The phone's clock, RFC 3339 (for services on a test clock); it stands still "
                  "with --pace fast. Default: the real clock");
  flags.AddBool("quiet", &config.quiet, "Print only each carer's summary");
  flags.AddDuration("timeout", &config.timeout, "Deadline of each call");
  flags.AddInt("attempts", &config.attempts,
               "Attempts of a call failing with UNAVAILABLE or DEADLINE_EXCEEDED");
  flags.AddDuration("backoff", &config.backoff, "Wait before the first retry; doubles each time");
  absl::StatusOr<std::vector<std::string>> positional = flags.Parse(argc, argv);
  const std::string help = "(`homecare-carer-sim --help` lists its flags)";
  auto usage_error = [&](absl::string_view message) {
    std::cerr << "error: " << message << "\n" << help << "\n";
    return 2;
  };
  if (!positional.ok()) return usage_error(positional.status().message());
  if (flags.help_requested()) {
    std::cout << flags.Usage();
    return 0;
  }
  if (!positional->empty()) {
    return usage_error(absl::StrCat("unexpected argument \"", positional->front(), "\""));
  }
  if (config.tenant.empty()) return usage_error("--tenant is required");
  std::vector<std::string> carers = absl::StrSplit(config.carers, ',', absl::SkipWhitespace());
  for (std::string& carer : carers) {
    carer = std::string(absl::StripAsciiWhitespace(carer));
    if (absl::Status valid = ValidateId("--carers", carer); !valid.ok()) {
      return usage_error(valid.message());
    }
  }
  if (carers.empty()) return usage_error("--carers is required (comma-separated carer ids)");
  if (config.pace != "fast" && config.pace != "realtime") {
    return usage_error(
        absl::StrCat("--pace \"", config.pace, "\" is not valid; expected fast or realtime"));
  }
  if (config.attempts < 1) return usage_error("--attempts must be at least 1");
  std::optional<absl::Time> now;
  if (!config.now.empty()) {
    absl::StatusOr<absl::Time> parsed = ParseNow(config.now);
    if (!parsed.ok()) return usage_error(parsed.status().message());
    now = *parsed;
  }
  DayPlanOptions options;
  options.seed = static_cast<uint64_t>(config.seed);
  options.gps_noise_meters = config.gps_noise;
  options.late_up_to_minutes = config.late_up_to;
  options.all_tasks_done_share = config.all_tasks_done;
  if (absl::Status valid = ValidateOptions(options); !valid.ok()) {
    return usage_error(valid.message());
  }

  absl::StatusOr<std::string> secret = ReadSecretFile(config.secret_file);
  if (!secret.ok()) {
    std::cerr << "error: " << secret.status().message() << "\n";
    return 1;
  }
  const PhoneClock clock(now, config.pace == "realtime");

  // The tenant's zone, as a carer's phone reads it.
  CarerToken first(config, *secret, carers.front(), &clock);
  rv1::GetTenantRequest tenant_request;
  tenant_request.set_tenant_id(config.tenant);
  rv1::Tenant tenant;
  auto roster = rv1::RosterService::NewStub(MakeChannel(config.roster));
  grpc::Status tenant_status;
  for (int attempt = 1; attempt <= config.attempts; ++attempt) {
    grpc::ClientContext context;
    PrepareContext(context, first.Get(), config.timeout);
    tenant_status = roster->GetTenant(&context, tenant_request, &tenant);
    if (!Retryable(tenant_status) || attempt == config.attempts) break;
    absl::SleepFor(config.backoff * (1 << (attempt - 1)));
  }
  if (!tenant_status.ok()) {
    std::cerr << "error: cannot read tenant " << config.tenant
              << "'s time zone from homecare-roster at " << config.roster << ": "
              << Describe(tenant_status) << "\n";
    return 1;
  }
  absl::StatusOr<absl::TimeZone> zone = LoadTimeZone(tenant.time_zone());
  if (!zone.ok()) {
    std::cerr << "error: " << zone.status().message() << "\n";
    return 1;
  }

  absl::CivilDay day = LocalDay(clock.Now(), *zone);
  if (!config.date.empty() && !absl::ParseCivilTime(config.date, &day)) {
    return usage_error(absl::StrCat("--date \"", config.date, "\" is not a date like 2030-12-03"));
  }
  if (!config.offline.empty()) {
    if (absl::Status parsed = ParseOffline(config.offline, day, *zone, options); !parsed.ok()) {
      return usage_error(parsed.message());
    }
  }

  Out out;
  std::vector<Report> reports(carers.size());
  std::vector<std::thread> threads;
  for (size_t i = 0; i < carers.size(); ++i) {
    threads.emplace_back([&, i] {
      CarerDay carer(config, *secret, carers[i], clock, *zone, day, out);
      reports[i] = carer.Play(options);
      out.Line(Summary(reports[i], day, *zone));
    });
  }
  for (std::thread& thread : threads) thread.join();

  bool ok = true;
  int visits = 0, accepted = 0, duplicates = 0, refused = 0, failed = 0;
  std::vector<double> latencies;
  for (const Report& report : reports) {
    ok = ok && report.ok();
    visits += report.visits_played;
    accepted += report.accepted;
    duplicates += report.duplicates;
    refused += report.refused;
    failed += report.failure.empty() ? 0 : 1;
    latencies.insert(latencies.end(), report.latencies_ms.begin(), report.latencies_ms.end());
  }
  if (carers.size() > 1) {
    out.Line(absl::StrCat("all ", carers.size(), " carers: ", visits, " visits played, ", accepted,
                          " events accepted (", duplicates, " duplicates), ", refused, " refused, ",
                          failed, " carers failed; latency p50 ",
                          absl::StrFormat("%.1f", Percentile(latencies, 0.5)), " ms p99 ",
                          absl::StrFormat("%.1f", Percentile(latencies, 0.99)), " ms"));
  }
  return ok ? 0 : 1;
}

}  // namespace
}  // namespace homecare::carer_sim

int main(int argc, char** argv) { return homecare::carer_sim::Main(argc, argv); }
