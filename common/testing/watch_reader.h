// The client side of a watch (a server stream of events) for tests: open it, wait until the
// server has fixed where it starts, read events, finish. Cancelled on destruction.
#ifndef HOMECARE_COMMON_TESTING_WATCH_READER_H_
#define HOMECARE_COMMON_TESTING_WATCH_READER_H_

#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include <functional>
#include <memory>
#include <optional>

namespace homecare::testing {

template <typename Event>
class WatchReader {
 public:
  using Open = std::function<std::unique_ptr<grpc::ClientReader<Event>>(grpc::ClientContext&)>;

  // `open` sets the context up (token, deadline) and calls the stub's watch method.
  explicit WatchReader(const Open& open) { reader_ = open(context_); }
  ~WatchReader() {
    context_.TryCancel();
    if (!finished_) reader_->Finish();
  }

  // Returns once the server has fixed where a watch "from now on" starts: every event made
  // after this reaches the watcher.
  void WaitUntilWatching() { reader_->WaitForInitialMetadata(); }
  // The next event; nullopt when the stream has ended.
  std::optional<Event> Next() {
    Event event;
    if (!reader_->Read(&event)) return std::nullopt;
    return event;
  }
  grpc::Status Finish() {
    finished_ = true;
    return reader_->Finish();
  }
  void Cancel() { context_.TryCancel(); }

 private:
  grpc::ClientContext context_;
  std::unique_ptr<grpc::ClientReader<Event>> reader_;
  bool finished_ = false;
};

}  // namespace homecare::testing

#endif  // HOMECARE_COMMON_TESTING_WATCH_READER_H_
