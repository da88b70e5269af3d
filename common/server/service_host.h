// What every service process shares: binding (TCP port, port 0, or a unix socket) and
// reporting the bound address, health wired to Redis readiness, reflection, keepalive and
// message-size limits, the worker pool and in-flight limit behind CallRunner, background work
// and watches, and graceful shutdown in DESIGN.md's order.
//
// Health answers for "" and the service name (SERVING while Redis answers), and for each
// background task as "<service>/background/<task>" (for example
// "homecare.roster.v1.RosterService/background/redis-readiness").
#ifndef HOMECARE_COMMON_SERVER_SERVICE_HOST_H_
#define HOMECARE_COMMON_SERVER_SERVICE_HOST_H_

#include <grpcpp/impl/codegen/service_type.h>
#include <grpcpp/server.h>

#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/auth/jwt.h"
#include "common/concurrency/in_flight_limiter.h"
#include "common/concurrency/worker_pool.h"
#include "common/config/flags.h"
#include "common/metrics/metrics.h"
#include "common/redis/redis_client.h"
#include "common/server/background_work.h"
#include "common/server/call_runner.h"
#include "common/server/event_watch.h"
#include "common/server/stream_tracker.h"
#include "common/time/time.h"

namespace homecare {

struct ServerOptions {
  // The full gRPC service name, e.g. "homecare.roster.v1.RosterService": health answers for it
  // and for the empty name.
  std::string service_name;
  std::string host = "127.0.0.1";
  int port = 0;             // 0: any free port
  std::string unix_socket;  // when set, listen here instead of host:port
  // When set, the bound address ("127.0.0.1:40123" or "unix:/path") is written here once the
  // server accepts calls, for tests and scripts that started it with port 0.
  std::string port_file;
  int workers = 8;
  int max_in_flight = 256;
  // Watches open at once (each holds a thread and a Redis connection while it lasts); past it
  // a new watch is RESOURCE_EXHAUSTED. Carers' phones each hold one while they are online.
  int max_watches = 512;
  int max_message_bytes = 4 << 20;
  // One log line a call (common/server/rpc_observer.h).
  bool access_log = false;
  absl::Duration shutdown_grace = absl::Seconds(10);
  absl::Duration health_interval = absl::Milliseconds(500);
  absl::Duration keepalive_time = absl::Seconds(60);
  absl::Duration keepalive_timeout = absl::Seconds(20);
};

class ServiceHost {
 public:
  // `redis` and `verifier` must outlive the host.
  ServiceHost(ServerOptions options, RedisClient* redis, const JwtVerifier* verifier);
  ~ServiceHost();

  CallRunner& calls() { return calls_; }
  StreamTracker& streams() { return streams_; }
  BackgroundWork& background() { return background_; }
  Watches& watches() { return watches_; }

  // Binds and starts serving `services` (which must outlive the host) plus health and
  // reflection; then starts the background work (the Redis readiness check first) and
  // reports the bound address.
  absl::Status Start(const std::vector<grpc::Service*>& services);
  const std::string& bound_address() const { return bound_address_; }

  // In DESIGN.md's order: every health status NOT_SERVING at once (the service's and each
  // background task's); open streams asked to finish and waited for; Server::Shutdown with the
  // rest of the grace period as its deadline; background work stopped and joined (the
  // watches' readers have ended by then); the workers stopped. Idempotent.
  void Shutdown();

 private:
  absl::Status CheckReadiness();
  void SetServing(bool serving);

  const ServerOptions options_;
  RedisClient* redis_;
  WorkerPool pool_;
  InFlightLimiter limiter_;
  CallRunner calls_;
  StreamTracker streams_;
  BackgroundWork background_;
  Watches watches_;
  std::unique_ptr<grpc::Server> server_;
  std::string bound_address_;

  std::mutex mutex_;
  bool shutting_down_ = false;
  bool last_serving_ = false;
  // The host's gauges in DefaultMetrics, read at each scrape.
  Gauge& queued_gauge_;
  Gauge& streams_gauge_;
  MetricsRegistry::ScrapeHook scrape_hook_;
};

// The flags every service takes, and what they configure.
struct ServiceConfig {
  ServerOptions server;
  RedisOptions redis;
  // Some of a Redis Cluster's nodes, "host:port,host:port": when set, Redis is that cluster
  // (RedisOptions::cluster_seeds) and --redis is not used.
  std::string redis_cluster;
  std::string secret_file = "var/dev-secret";
  std::string token_issuer = std::string(kDefaultTokenIssuer);
  std::string token_audience = std::string(kDefaultTokenAudience);
  // A file holding "now" for the service's rules (FileClock), for tests; empty: the system clock.
  std::string test_clock_file;
  // Prometheus metrics at http://<host>:<metrics_port>/metrics; 0 picks a free port, -1 serves
  // none. The bound address is written to metrics_port_file when set.
  int metrics_port = -1;
  std::string metrics_port_file;

  void RegisterFlags(FlagSet& flags);
};

// What a service's factory gets to build its gRPC service from.
struct ServiceDeps {
  RedisClient& redis;
  CallRunner& calls;
  StreamTracker& streams;
  // Periodic and long-running work beside the RPCs, and the watches built on it.
  BackgroundWork& background;
  Watches& watches;
  // "Now" for the service's rules: when a visit is due or ended, what day is today, the time a
  // record was changed. The test clock when started with one.
  const Clock& clock;
  // Real time, for what measures elapsed time rather than the care day: caches, deadlines,
  // token expiry. Never the test clock, which stands still.
  const Clock& system_clock;
  // System tokens for this service's calls to other services.
  const ServiceTokens& tokens;
};

struct ServiceMainSpec {
  std::string program;       // "homecare-roster"
  std::string service_name;  // "homecare.roster.v1.RosterService"
  int default_port = 0;
  int default_metrics_port = -1;
  // Threads for blocking work and Redis connections, unless --workers and --redis-pool-size
  // say otherwise: a service whose calls mostly wait on Redis round trips needs more of each
  // to keep Redis busy (see bench/checkin).
  int default_workers = 8;
  // Registers the service's own flags (its config lives in the caller's variables).
  std::function<void(FlagSet&)> add_flags;
  // Builds the service once the shared parts exist; an error stops start-up.
  std::function<absl::StatusOr<std::unique_ptr<grpc::Service>>(ServiceDeps&)> make_service;
};

// main() of a service: flags (with HOMECARE_* environment fallbacks), the Redis client, the
// token verifier, the host; serves until SIGTERM or SIGINT, then shuts down gracefully.
// Returns the process exit code.
int RunServiceMain(int argc, char** argv, const ServiceMainSpec& spec);

}  // namespace homecare

#endif  // HOMECARE_COMMON_SERVER_SERVICE_HOST_H_
