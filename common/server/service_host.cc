#include "common/server/service_host.h"

#include <grpc/support/log.h>
#include <grpcpp/ext/proto_server_reflection_plugin.h>
#include <grpcpp/health_check_service_interface.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/server_builder.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/logging/log.h"
#include "common/metrics/metrics_server.h"
#include "common/server/rpc_observer.h"
#include "common/server/test_clock.h"
#include "grpc/health/v1/health.pb.h"

namespace homecare {
namespace {

absl::Status WriteFileAtomically(const std::string& path, const std::string& content) {
  std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::trunc);
    if (!(file << content << "\n")) {
      return absl::InternalError(absl::StrCat("cannot write ", temporary));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    return absl::InternalError(absl::StrCat("cannot rename ", temporary, " to ", path));
  }
  return absl::OkStatus();
}

int Milliseconds(absl::Duration duration) {
  return static_cast<int>(absl::ToInt64Milliseconds(duration));
}

}  // namespace

ServiceHost::ServiceHost(ServerOptions options, RedisClient* redis, const JwtVerifier* verifier)
    : options_(std::move(options)),
      redis_(redis),
      pool_(options_.workers),
      limiter_(options_.max_in_flight),
      calls_(&pool_, &limiter_, verifier),
      watches_(&streams_, &background_, WatchOptions{.max_watches = options_.max_watches}),
      queued_gauge_(DefaultMetrics()
                        .AddGauge("homecare_worker_pool_queued",
                                  "Tasks waiting for a worker thread (Redis calls, outgoing RPCs).",
                                  {})
                        .WithLabels({})),
      streams_gauge_(DefaultMetrics()
                         .AddGauge("homecare_streams_open",
                                   "Server streams open (watches of carers' phones and back "
                                   "offices).",
                                   {})
                         .WithLabels({})),
      scrape_hook_(DefaultMetrics().OnScrape([this] {
        queued_gauge_.Set(pool_.queued());
        streams_gauge_.Set(streams_.open());
      })) {}

ServiceHost::~ServiceHost() { Shutdown(); }

absl::Status ServiceHost::Start(const std::vector<grpc::Service*>& services) {
  // gRPC's own health service does not use protobuf, so nothing else would pull our compiled
  // grpc.health.v1 into the binary; referencing it registers it, and reflection can describe it.
  (void)grpc::health::v1::HealthCheckRequest::descriptor();
  grpc::EnableDefaultHealthCheckService(true);
  grpc::reflection::InitProtoReflectionServerBuilderPlugin();

  grpc::ServerBuilder builder;
  int selected_port = 0;
  std::string listen = options_.unix_socket.empty()
                           ? absl::StrCat(options_.host, ":", options_.port)
                           : absl::StrCat("unix:", options_.unix_socket);
  if (!options_.unix_socket.empty()) std::remove(options_.unix_socket.c_str());
  builder.AddListeningPort(listen, grpc::InsecureServerCredentials(), &selected_port);
  for (grpc::Service* service : services) builder.RegisterService(service);
  std::vector<std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface>> interceptors;
  interceptors.push_back(NewRpcObserver(&DefaultMetrics(), options_.access_log));
  builder.experimental().SetInterceptorCreators(std::move(interceptors));
  builder.SetMaxReceiveMessageSize(options_.max_message_bytes);
  builder.SetMaxSendMessageSize(options_.max_message_bytes);
  // Two servers must never share a port by accident (a stale dev process, a test's port 0).
  builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, Milliseconds(options_.keepalive_time));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIMEOUT_MS,
                             Milliseconds(options_.keepalive_timeout));
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  // Phones and back offices may ping every 10 s to keep a watch stream alive through NAT.
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MAX_PING_STRIKES, 5);
  // Long-lived watch streams are rebalanced across replicas by closing old connections.
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_MS, 30 * 60 * 1000);
  builder.AddChannelArgument(GRPC_ARG_MAX_CONNECTION_AGE_GRACE_MS, 60 * 1000);

  server_ = builder.BuildAndStart();
  if (server_ == nullptr || (options_.unix_socket.empty() && selected_port == 0)) {
    return absl::UnavailableError(absl::StrCat("cannot listen on ", listen));
  }
  bound_address_ =
      options_.unix_socket.empty() ? absl::StrCat(options_.host, ":", selected_port) : listen;
  SetServing(false);  // until Redis has answered
  background_.Every("redis-readiness", options_.health_interval,
                    [this] { return CheckReadiness(); });
  background_.Start([this](const std::string& task, bool healthy) {
    grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
    if (health != nullptr) {
      health->SetServingStatus(absl::StrCat(options_.service_name, "/background/", task), healthy);
    }
  });
  if (!options_.port_file.empty()) {
    if (absl::Status status = WriteFileAtomically(options_.port_file, bound_address_);
        !status.ok()) {
      return status;
    }
  }
  LogInfo("listening on ", bound_address_, " (", options_.service_name, ")");
  return absl::OkStatus();
}

void ServiceHost::SetServing(bool serving) {
  grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService();
  if (health == nullptr) return;
  health->SetServingStatus("", serving);
  health->SetServingStatus(options_.service_name, serving);
}

absl::Status ServiceHost::CheckReadiness() {
  absl::Status ping = redis_->Ping();
  std::lock_guard<std::mutex> lock(mutex_);
  if (shutting_down_) return ping;
  bool serving = ping.ok();
  if (serving != last_serving_) {
    SetServing(serving);
    last_serving_ = serving;
    if (serving) {
      LogInfo(redis_->is_cluster() ? "redis cluster (seed " : "redis at (",
              redis_->endpoint().ToString(), ") is reachable: SERVING");
    } else {
      LogWarning("redis unreachable, NOT_SERVING: ", ping.message());
    }
  }
  return ping;
}

void ServiceHost::Shutdown() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (shutting_down_ || server_ == nullptr) {
      shutting_down_ = true;
      return;
    }
    shutting_down_ = true;
    // Under the lock, so that the readiness check cannot flip it back; the health service's
    // own Shutdown holds every status (background tasks' too) at NOT_SERVING from here on.
    SetServing(false);
    if (grpc::HealthCheckServiceInterface* health = server_->GetHealthCheckService()) {
      health->Shutdown();
    }
  }
  absl::Time deadline = absl::Now() + options_.shutdown_grace;
  int still_open = streams_.Drain(options_.shutdown_grace / 2);
  if (still_open > 0) LogWarning(still_open, " streams did not finish in time; cancelling");
  server_->Shutdown(absl::ToChronoTime(deadline));
  background_.Stop();
  pool_.Shutdown();
  LogInfo("stopped");
}

void ServiceConfig::RegisterFlags(FlagSet& flags) {
  flags.AddString("host", &server.host, "Address to listen on (0.0.0.0 for every interface)");
  flags.AddInt("port", &server.port, "TCP port; 0 picks a free one");
  flags.AddString("unix-socket", &server.unix_socket,
                  "Listen on this unix socket instead of host:port");
  flags.AddString("port-file", &server.port_file, "Write the bound address here once serving");
  flags.AddInt("workers", &server.workers, "Threads for blocking work (Redis, outgoing calls)");
  flags.AddInt("max-in-flight", &server.max_in_flight,
               "Requests worked on at once; past it RESOURCE_EXHAUSTED");
  flags.AddInt("max-watches", &server.max_watches,
               "Watches (server streams) open at once, each a thread and a Redis connection; "
               "past it RESOURCE_EXHAUSTED");
  flags.AddBool("access-log", &server.access_log,
                "Log one line a call: method, status code, milliseconds, request id");
  flags.AddDuration("shutdown-grace", &server.shutdown_grace,
                    "How long shutdown waits for calls and streams to finish");
  flags.AddString("redis", &redis.address, "Redis: host:port or unix:/path/to/socket");
  flags.AddString("redis-cluster", &redis_cluster,
                  "A Redis Cluster instead of --redis: some of its nodes, host:port,host:port "
                  "(the rest are learnt from them)");
  flags.AddInt("redis-min-replicas-acked", &redis.min_replicas_acked,
               "Acknowledge a write only once this many replicas of its master have it (WAIT); "
               "0: once the master has it");
  flags.AddString("redis-password", &redis.password, "Redis AUTH password, if any");
  flags.AddInt("redis-pool-size", &redis.pool_size, "Redis connections in the pool");
  flags.AddDuration("redis-connect-timeout", &redis.connect_timeout, "Redis connect timeout");
  flags.AddDuration("redis-timeout", &redis.command_timeout, "Redis command timeout");
  flags.AddDuration("redis-breaker-open", &redis.breaker.open_duration,
                    "How long the Redis circuit breaker stays open before a trial call");
  flags.AddInt("metrics-port", &metrics_port,
               "Prometheus metrics at http://<host>:<port>/metrics; 0 picks a free port, -1 "
               "serves none");
  flags.AddString("metrics-port-file", &metrics_port_file,
                  "Write the metrics endpoint's bound address here once serving");
  flags.AddString("secret-file", &secret_file, "File holding the HS256 token secret");
  flags.AddString("token-issuer", &token_issuer, "Accepted token issuer (iss)");
  flags.AddString("token-audience", &token_audience, "Accepted token audience (aud)");
  flags.AddString("test-clock", &test_clock_file,
                  "Tests only (with HOMECARE_ALLOW_TEST_CLOCK=1): read \"now\" from this file");
}

int RunServiceMain(int argc, char** argv, const ServiceMainSpec& spec) {
  SetLogPrefix(spec.program);
  // gRPC's own messages become lines of the service's log, JSON like the rest.
  gpr_set_log_function([](gpr_log_func_args* args) {
    const LogLevel level =
        args->severity == GPR_LOG_SEVERITY_ERROR ? LogLevel::kError : LogLevel::kInfo;
    Log(level, args->message, {{"source", absl::StrCat("grpc ", args->file, ":", args->line)}});
  });
  ServiceConfig config;
  config.server.service_name = spec.service_name;
  config.server.port = spec.default_port;
  config.metrics_port = spec.default_metrics_port;
  config.server.workers = spec.default_workers;
  config.redis.pool_size = spec.default_workers;
  FlagSet flags(spec.program);
  config.RegisterFlags(flags);
  if (spec.add_flags) spec.add_flags(flags);
  absl::StatusOr<std::vector<std::string>> positional = flags.Parse(argc, argv);
  if (!positional.ok()) {
    std::fprintf(stderr, "%s\n%s", std::string(positional.status().message()).c_str(),
                 flags.Usage().c_str());
    return 2;
  }
  if (flags.help_requested()) {
    std::fputs(flags.Usage().c_str(), stdout);
    return 0;
  }

  // Block the stop signals in every thread; this one waits for them with sigwait.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  signal(SIGPIPE, SIG_IGN);

  absl::StatusOr<std::string> secret = ReadSecretFile(config.secret_file);
  if (!secret.ok()) {
    LogError("cannot start: ", secret.status().message());
    return 1;
  }
  SystemClock clock;
  std::unique_ptr<FileClock> test_clock;
  if (!config.test_clock_file.empty()) {
    absl::Status allowed = CheckTestClockAllowed(std::getenv(kAllowTestClockVariable));
    absl::StatusOr<std::unique_ptr<FileClock>> opened =
        allowed.ok() ? FileClock::Open(config.test_clock_file)
                     : absl::StatusOr<std::unique_ptr<FileClock>>(allowed);
    if (!opened.ok()) {
      LogError("cannot start: ", opened.status().message());
      return 1;
    }
    test_clock = *std::move(opened);
    LogWarning("the service's rules run on the test clock in ", config.test_clock_file, ", now ",
               absl::FormatTime(test_clock->Now()));
  }
  JwtVerifier verifier(*secret, config.token_issuer, config.token_audience, &clock);
  for (absl::string_view seed : absl::StrSplit(config.redis_cluster, ',', absl::SkipEmpty())) {
    config.redis.cluster_seeds.emplace_back(absl::StripAsciiWhitespace(seed));
  }
  absl::StatusOr<std::unique_ptr<RedisClient>> redis = RedisClient::Create(config.redis, &clock);
  if (!redis.ok()) {
    LogError("cannot start: ", redis.status().message());
    return 1;
  }
  ServiceHost host(config.server, redis->get(), &verifier);
  ServiceTokens tokens(*secret, config.token_issuer, config.token_audience, spec.program, &clock);
  ServiceDeps deps{**redis,        host.calls(),
                   host.streams(), host.background(),
                   host.watches(), test_clock ? *test_clock : static_cast<const Clock&>(clock),
                   clock,          tokens};
  absl::StatusOr<std::unique_ptr<grpc::Service>> service = spec.make_service(deps);
  if (!service.ok()) {
    LogError("cannot start: ", service.status().message());
    return 1;
  }
  if (absl::Status status = host.Start({service->get()}); !status.ok()) {
    LogError("cannot start: ", status.message());
    host.Shutdown();  // before the service it serves goes away
    return 1;
  }
  std::unique_ptr<MetricsServer> metrics;
  if (config.metrics_port >= 0) {
    absl::StatusOr<std::unique_ptr<MetricsServer>> started =
        MetricsServer::Start(&DefaultMetrics(), config.server.host, config.metrics_port);
    absl::Status reported =
        started.ok() && !config.metrics_port_file.empty()
            ? WriteFileAtomically(config.metrics_port_file, (*started)->address())
            : started.status();
    if (!reported.ok()) {
      LogError("cannot start: ", reported.message());
      host.Shutdown();
      return 1;
    }
    metrics = *std::move(started);
    LogInfo("metrics at http://", metrics->address(), "/metrics");
  }
  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  LogInfo("received ", signal_number == SIGTERM ? "SIGTERM" : "SIGINT", "; shutting down");
  host.Shutdown();
  // The endpoint serves to the end, so a last scrape sees the final figures. CivetWeb 1.15's
  // mg_stop waits up to two seconds for its threads (civetweb issue #1163, fixed in 1.16), and
  // the process is exiting: its threads end with it.
  (void)metrics.release();
  return 0;
}

}  // namespace homecare
