#include "common/metrics/metrics_server.h"

#include <civetweb.h>

#include <cstring>
#include <mutex>

#include "absl/strings/str_cat.h"

namespace homecare {
namespace {

void InitCivetWebOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mg_init_library(0); });
}

}  // namespace

absl::StatusOr<std::unique_ptr<MetricsServer>> MetricsServer::Start(const MetricsRegistry* registry,
                                                                    const std::string& host,
                                                                    int port) {
  InitCivetWebOnce();
  std::unique_ptr<MetricsServer> server(new MetricsServer(registry));
  const std::string listen = absl::StrCat(host, ":", port);
  // No document root: CivetWeb serves no files, only the handler below. Two threads are
  // plenty for one scraper (or two).
  const char* options[] = {"listening_ports",    listen.c_str(), "num_threads", "2",
                           "request_timeout_ms", "10000",        nullptr};
  mg_callbacks callbacks;
  std::memset(&callbacks, 0, sizeof(callbacks));
  // CivetWeb reports a failed bind through log_message; it is returned as the status instead.
  callbacks.log_message = [](const mg_connection*, const char*) { return 1; };
  server->context_ = mg_start(&callbacks, nullptr, options);
  if (server->context_ == nullptr) {
    return absl::UnavailableError(absl::StrCat("cannot serve metrics on ", listen));
  }
  mg_server_port ports[4];
  const int count = mg_get_server_ports(server->context_, 4, ports);
  if (count < 1 || ports[0].port <= 0) {
    return absl::UnavailableError(absl::StrCat("metrics server on ", listen, " has no port"));
  }
  server->port_ = ports[0].port;
  server->address_ = absl::StrCat(host, ":", server->port_);
  mg_set_request_handler(server->context_, "/metrics$", &MetricsServer::HandleMetrics,
                         server.get());
  return server;
}

MetricsServer::~MetricsServer() {
  if (context_ != nullptr) mg_stop(context_);
}

int MetricsServer::HandleMetrics(mg_connection* connection, void* self) {
  const mg_request_info* request = mg_get_request_info(connection);
  if (std::strcmp(request->request_method, "GET") != 0 &&
      std::strcmp(request->request_method, "HEAD") != 0) {
    mg_send_http_error(connection, 405, "only GET");
    return 405;
  }
  const std::string body = static_cast<MetricsServer*>(self)->registry_->Render();
  mg_send_http_ok(connection, "text/plain; version=0.0.4; charset=utf-8",
                  static_cast<long long>(body.size()));
  if (std::strcmp(request->request_method, "GET") == 0) {
    mg_write(connection, body.data(), body.size());
  }
  return 200;
}

absl::StatusOr<HttpResponse> HttpGet(const std::string& host, int port,
                                     const std::string& path_and_query, int timeout_milliseconds) {
  InitCivetWebOnce();
  char error[256] = "";
  mg_connection* connection = mg_connect_client(host.c_str(), port, 0, error, sizeof(error));
  if (connection == nullptr) {
    return absl::UnavailableError(absl::StrCat("GET ", host, ":", port, ": ", error));
  }
  mg_printf(connection, "GET %s HTTP/1.0\r\nHost: %s:%d\r\n\r\n", path_and_query.c_str(),
            host.c_str(), port);
  if (mg_get_response(connection, error, sizeof(error), timeout_milliseconds) < 0) {
    mg_close_connection(connection);
    return absl::UnavailableError(absl::StrCat("GET ", host, ":", port, ": ", error));
  }
  HttpResponse response;
  response.status = mg_get_response_info(connection)->status_code;
  char buffer[8192];
  for (int read; (read = mg_read(connection, buffer, sizeof(buffer))) > 0;) {
    response.body.append(buffer, static_cast<size_t>(read));
  }
  mg_close_connection(connection);
  return response;
}

}  // namespace homecare
