// Serves a MetricsRegistry at GET /metrics over HTTP for Prometheus to scrape, on a port of its
// own (never the gRPC port). CivetWeb (Debian's libcivetweb) does the HTTP: its own threads
// answer scrapes, so a scrape never takes a gRPC or worker thread.
#ifndef HOMECARE_COMMON_METRICS_METRICS_SERVER_H_
#define HOMECARE_COMMON_METRICS_METRICS_SERVER_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "common/metrics/metrics.h"

struct mg_context;
struct mg_connection;

namespace homecare {

class MetricsServer {
 public:
  // Listens on host:port (port 0: any free one). `registry` must outlive the server.
  // UNAVAILABLE when the port cannot be bound.
  static absl::StatusOr<std::unique_ptr<MetricsServer>> Start(const MetricsRegistry* registry,
                                                              const std::string& host, int port);
  ~MetricsServer();
  MetricsServer(const MetricsServer&) = delete;
  MetricsServer& operator=(const MetricsServer&) = delete;

  // "127.0.0.1:9464"
  const std::string& address() const { return address_; }
  int port() const { return port_; }

 private:
  explicit MetricsServer(const MetricsRegistry* registry) : registry_(registry) {}
  static int HandleMetrics(::mg_connection* connection, void* self);

  const MetricsRegistry* registry_;
  mg_context* context_ = nullptr;
  std::string address_;
  int port_ = 0;
};

// A plain HTTP GET of http://host:port/path_and_query (CivetWeb's client), for tests and tools
// that read a metrics endpoint or Prometheus's API. UNAVAILABLE when nothing answers.
struct HttpResponse {
  int status = 0;
  std::string body;
};
absl::StatusOr<HttpResponse> HttpGet(const std::string& host, int port,
                                     const std::string& path_and_query,
                                     int timeout_milliseconds = 5000);

}  // namespace homecare

#endif  // HOMECARE_COMMON_METRICS_METRICS_SERVER_H_
