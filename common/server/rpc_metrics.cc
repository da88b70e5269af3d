#include "common/server/rpc_metrics.h"

#include <chrono>
#include <string>

#include "absl/status/status.h"

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

class RpcMetricsInterceptor : public grpc::experimental::Interceptor {
 public:
  RpcMetricsInterceptor(RpcMetrics* metrics, const char* method)
      : metrics_(metrics),
        method_(method == nullptr ? "" : method),
        in_flight_(metrics->in_flight.WithLabels({method_})),
        start_(std::chrono::steady_clock::now()) {
    in_flight_.Add(1);
  }

  // A call whose client went away before any status was sent ends here.
  ~RpcMetricsInterceptor() override { Finish(absl::StatusCode::kCancelled); }

  void Intercept(grpc::experimental::InterceptorBatchMethods* methods) override {
    if (methods->QueryInterceptionHookPoint(
            grpc::experimental::InterceptionHookPoints::PRE_SEND_STATUS)) {
      // Recorded before the status goes out, so that a client that has its answer finds the
      // call counted. gRPC's codes and Abseil's are the same numbers.
      Finish(static_cast<absl::StatusCode>(methods->GetSendStatus().error_code()));
    }
    methods->Proceed();
  }

 private:
  void Finish(absl::StatusCode code) {
    if (finished_) return;
    finished_ = true;
    in_flight_.Add(-1);
    const std::string name = absl::StatusCodeToString(code);
    metrics_->handled.WithLabels({method_, name}).Increment();
    metrics_->seconds.WithLabels({method_, name})
        .Observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count());
  }

  RpcMetrics* const metrics_;
  const std::string method_;
  Gauge& in_flight_;
  const std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

class RpcMetricsFactory : public grpc::experimental::ServerInterceptorFactoryInterface {
 public:
  explicit RpcMetricsFactory(MetricsRegistry* registry) : metrics_(registry) {}

  grpc::experimental::Interceptor* CreateServerInterceptor(
      grpc::experimental::ServerRpcInfo* info) override {
    return new RpcMetricsInterceptor(&metrics_, info->method());
  }

 private:
  RpcMetrics metrics_;
};

}  // namespace

std::unique_ptr<grpc::experimental::ServerInterceptorFactoryInterface> NewRpcMetricsInterceptor(
    MetricsRegistry* registry) {
  return std::make_unique<RpcMetricsFactory>(registry);
}

}  // namespace homecare
