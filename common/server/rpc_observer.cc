#include "common/server/rpc_observer.h"

#include <chrono>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_format.h"
#include "common/logging/log.h"

namespace homecare {
namespace {

struct RpcMetrics {
  explicit RpcMetrics(MetricsRegistry* registry)
      : handled(registry->AddCounter("homecare_rpc_server_handled_total",
                                     "RPCs finished, by method and status code.",
                                     {"method", "code"})),
        seconds(registry->AddHistogram(
            "homecare_rpc_server_handling_seconds",
            "Time from an RPC's start to its status, by method and status code (a stream: its "
            "lifetime).",
            {"method", "code"})),
        in_flight(registry->AddGauge("homecare_rpc_server_in_flight",
                                     "RPCs started and not yet finished, by method.", {"method"})) {
  }

  Family<Counter>& handled;
  Family<Histogram>& seconds;
  Family<Gauge>& in_flight;
};

class RpcObserver : public grpc::experimental::Interceptor {
 public:
  RpcObserver(RpcMetrics* metrics, bool access_log, const char* method)
      : metrics_(metrics),
        access_log_(access_log),
        method_(method == nullptr ? "" : method),
        in_flight_(metrics->in_flight.WithLabels({method_})),
        start_(std::chrono::steady_clock::now()) {
    in_flight_.Add(1);
  }

  // A call whose client went away before any status was sent ends here.
  ~RpcObserver() override { Finish(absl::StatusCode::kCancelled); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    using grpc::experimental::InterceptionHookPoints;
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::POST_RECV_INITIAL_METADATA)) {
      TakeRequestId(methods->GetRecvInitialMetadata());
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_INITIAL_METADATA) &&
        !request_id_.empty()) {
      methods->GetSendInitialMetadata()->emplace(kRequestIdMetadata, request_id_);
    }
    if (methods->QueryInterceptionHookPoint(InterceptionHookPoints::PRE_SEND_STATUS)) {
      // Recorded before the status goes out, so that a client that has its answer finds the
      // call counted. gRPC's codes and Abseil's are the same numbers.
      Finish(static_cast<absl::StatusCode>(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  void TakeRequestId(std::multimap<grpc::string_ref, grpc::string_ref>* metadata) {
    auto given = metadata->find(kRequestIdMetadata);
    if (given != metadata->end() &&
        IsSaneRequestId(absl::string_view(given->second.data(), given->second.size()))) {
      request_id_.assign(given->second.data(), given->second.size());
      return;
    }
    // A new one, in the call's metadata for the handler: the map holds references, which
    // this interceptor's strings outlive (it lasts as long as the call).
    request_id_ = NewRequestId();
    metadata->erase(kRequestIdMetadata);
    metadata->emplace(grpc::string_ref(kRequestIdMetadata), grpc::string_ref(request_id_));
  }

  void Finish(absl::StatusCode code) {
    if (finished_) return;
    finished_ = true;
    in_flight_.Add(-1);
    const std::string name = absl::StatusCodeToString(code);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    metrics_->handled.WithLabels({method_, name}).Increment();
    metrics_->seconds.WithLabels({method_, name}).Observe(seconds);
    if (access_log_) {
      ScopedRequestId scope(request_id_);
      Log(LogLevel::kInfo, "rpc",
          {{"method", method_}, {"code", name}, {"ms", absl::StrFormat("%.3f", seconds * 1000)}});
    }
  }

  RpcMetrics* const metrics_;
  const bool access_log_;
  const std::string method_;
  Gauge& in_flight_;
  const std::chrono::steady_clock::time_point start_;
  std::string request_id_;
  bool finished_ = false;
};

class RpcObserverFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  RpcObserverFactory(MetricsRegistry* registry, bool access_log)
      : metrics_(registry), access_log_(access_log) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcObserver(&metrics_, access_log_, info->method());
  }

 private:
  RpcMetrics metrics_;
  const bool access_log_;
};

}  // namespace

bool IsSaneRequestId(absl::string_view id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    const bool sane = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '.' || c == '_' || c == ':' || c == '-';
    if (!sane) return false;
  }
  return true;
}

std::string NewRequestId() {
  thread_local std::mt19937_64 random(std::random_device{}());
  return absl::StrFormat("%016x%016x", random(), random());
}

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewRpcObserver(
    MetricsRegistry* registry, bool access_log) {
  return std::make_unique<RpcObserverFactory>(registry, access_log);
}

}  // namespace homecare
