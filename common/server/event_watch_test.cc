// The shared watch over an in-memory event log, served by a real in-process gRPC server (the
// roster's WatchCarerChanges message shape): what every watch of every service does.
#include "common/server/event_watch.h"

#include <grpcpp/grpcpp.h>

#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/resume_token.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "common/testing/watch_reader.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "homecare/roster/v1/roster.grpc.pb.h"

namespace homecare {
namespace {

namespace rv1 = ::homecare::roster::v1;
using ::homecare::testing::GrpcOk;
using ::homecare::testing::GrpcStatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

// Events in memory, as a Redis Stream would keep them, with faults to order.
class MemoryEventLog final : public EventSource {
 public:
  // Appends an event for `tenant` about `carer`; returns its position.
  std::string Append(const std::string& tenant, const std::string& carer) {
    rv1::CarerChange change;
    change.set_tenant_id(tenant);
    change.set_carer_id(carer);
    return AppendPayload(tenant, change.SerializeAsString());
  }
  std::string AppendPayload(const std::string& tenant, std::string payload) {
    std::lock_guard<std::mutex> lock(mutex_);
    std::string position = absl::StrCat(++sequence_, "-0");
    logs_[tenant].push_back({tenant, position, std::move(payload)});
    changed_.notify_all();
    return position;
  }
  // Events at or before `position` are no longer kept.
  void TrimThrough(const std::string& tenant, const std::string& position) {
    std::lock_guard<std::mutex> lock(mutex_);
    trimmed_through_[tenant] = position;
  }
  void SetDown(bool down) {
    std::lock_guard<std::mutex> lock(mutex_);
    down_ = down;
    changed_.notify_all();
  }
  // Reads made by every reader so far.
  int reads() {
    std::lock_guard<std::mutex> lock(mutex_);
    return reads_;
  }
  // Waits until no reader is open (every watch's reader has ended).
  bool WaitForNoReaders() {
    std::unique_lock<std::mutex> lock(mutex_);
    return changed_.wait_for(lock, std::chrono::seconds(30), [this] { return readers_ == 0; });
  }

  absl::StatusOr<std::vector<std::string>> TenantIds() override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (down_) return absl::UnavailableError("log down");
    std::vector<std::string> ids;
    for (const auto& [tenant, events] : logs_) ids.push_back(tenant);
    return ids;
  }
  absl::StatusOr<std::string> Latest(absl::string_view tenant) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (down_) return absl::UnavailableError("log down");
    auto log = logs_.find(std::string(tenant));
    if (log == logs_.end() || log->second.empty()) return std::string(kStreamStart);
    return log->second.back().position;
  }
  absl::Status CheckRetained(absl::string_view tenant, absl::string_view after) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (down_) return absl::UnavailableError("log down");
    auto trimmed = trimmed_through_.find(std::string(tenant));
    if (trimmed != trimmed_through_.end() && StreamIdBefore(after, trimmed->second)) {
      return absl::OutOfRangeError("events after this resume token are no longer kept");
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::unique_ptr<EventReader>> OpenReader(absl::Duration) override {
    std::lock_guard<std::mutex> lock(mutex_);
    if (down_) return absl::UnavailableError("log down");
    ++readers_;
    return std::make_unique<Reader>(this);
  }

 private:
  class Reader final : public EventReader {
   public:
    explicit Reader(MemoryEventLog* log) : log_(*log) {}
    ~Reader() override {
      std::lock_guard<std::mutex> lock(log_.mutex_);
      --log_.readers_;
      log_.changed_.notify_all();
    }
    absl::StatusOr<std::vector<StoredEvent>> Read(const StreamPositions& positions, int count,
                                                  absl::Duration block) override {
      std::unique_lock<std::mutex> lock(log_.mutex_);
      ++log_.reads_;
      std::vector<StoredEvent> events;
      auto collect = [&] {
        for (const auto& [tenant, after] : positions) {
          int taken = 0;
          for (const StoredEvent& event : log_.logs_[tenant]) {
            if (taken < count && StreamIdBefore(after, event.position)) {
              events.push_back(event);
              ++taken;
            }
          }
        }
        return log_.down_ || !events.empty();
      };
      log_.changed_.wait_for(lock, absl::ToChronoNanoseconds(block), collect);
      if (log_.down_) return absl::UnavailableError("log down");
      return events;
    }

   private:
    MemoryEventLog& log_;
  };

  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::vector<StoredEvent>> logs_;
  std::map<std::string, std::string> trimmed_through_;
  int sequence_ = 0;
  int readers_ = 0;
  int reads_ = 0;
  bool down_ = false;
};

// Only the watch of the roster's API, with the caller's tenant from plain metadata: what is
// under test is the watch, not authorisation (CallRunner's tests cover that).
class WatchOnlyService final : public rv1::RosterService::CallbackService {
 public:
  WatchOnlyService(Watches* watches, EventSource* source) : watches_(*watches), source_(*source) {}

  grpc::ServerWriteReactor<rv1::CarerChange>* WatchCarerChanges(
      grpc::CallbackServerContext* context, const rv1::WatchCarerChangesRequest* request) override {
    auto tenant = context->client_metadata().find("x-tenant");
    if (tenant == context->client_metadata().end()) {
      return Watches::Refuse<rv1::CarerChange>(absl::UnauthenticatedError("no tenant"));
    }
    Principal principal{.subject = "test",
                        .role = Role::kSystem,
                        .tenant = std::string(tenant->second.data(), tenant->second.size())};
    return watches_.Start<rv1::CarerChange>(principal, request->resume_token(), &source_);
  }

 private:
  Watches& watches_;
  EventSource& source_;
};

// A watch of the test service, for the tenant named in plain metadata.
class Watcher : public testing::WatchReader<rv1::CarerChange> {
 public:
  Watcher(rv1::RosterService::Stub& stub, const std::string& tenant,
          const std::string& resume_token)
      : WatchReader([&](grpc::ClientContext& context) {
          context.AddMetadata("x-tenant", tenant);
          context.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
          rv1::WatchCarerChangesRequest request;
          request.set_resume_token(resume_token);
          return stub.WatchCarerChanges(&context, request);
        }) {}
};

class EventWatchTest : public ::testing::Test {
 protected:
  void StartServer(WatchOptions options) {
    streams_ = std::make_unique<StreamTracker>();
    background_ = std::make_unique<BackgroundWork>();
    watches_ = std::make_unique<Watches>(streams_.get(), background_.get(), options);
    service_ = std::make_unique<WatchOnlyService>(watches_.get(), &log_);
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(), &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
    stub_ = rv1::RosterService::NewStub(
        grpc::CreateChannel(absl::StrCat("127.0.0.1:", port), grpc::InsecureChannelCredentials()));
  }
  static constexpr WatchOptions kQuick = {.block = absl::Milliseconds(200),
                                          .tenant_refresh = absl::Milliseconds(10)};
  void SetUp() override { StartServer(kQuick); }
  void TearDown() override { Stop(); }
  // The host's shutdown order.
  int Stop() {
    if (server_ == nullptr) return 0;
    int still_open = streams_->Drain(absl::Seconds(10));
    server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(5));
    background_->Stop();
    server_.reset();
    return still_open;
  }

  MemoryEventLog log_;
  std::unique_ptr<StreamTracker> streams_;
  std::unique_ptr<BackgroundWork> background_;
  std::unique_ptr<Watches> watches_;
  std::unique_ptr<WatchOnlyService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::unique_ptr<rv1::RosterService::Stub> stub_;
};

TEST_F(EventWatchTest, FromNowOnSkipsEarlierEventsAndTokensResumeExactlyAfter) {
  log_.Append("sunrise", "before");
  auto watch = std::make_unique<Watcher>(*stub_, "sunrise", "");
  watch->WaitUntilWatching();
  log_.Append("sunrise", "ann");
  log_.Append("oak", "olive");  // another tenant's: never reaches a sunrise watcher
  log_.Append("sunrise", "bob");
  std::optional<rv1::CarerChange> ann = watch->Next();
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->carer_id(), "ann");
  EXPECT_FALSE(ann->resume_token().empty());
  std::optional<rv1::CarerChange> bob = watch->Next();
  ASSERT_TRUE(bob.has_value());
  EXPECT_EQ(bob->carer_id(), "bob");
  watch.reset();

  log_.Append("sunrise", "cat");
  Watcher resumed(*stub_, "sunrise", ann->resume_token());
  std::vector<std::string> carers;
  for (int i = 0; i < 2; ++i) {
    std::optional<rv1::CarerChange> change = resumed.Next();
    ASSERT_TRUE(change.has_value());
    carers.push_back(change->carer_id());
  }
  EXPECT_THAT(carers, ElementsAre("bob", "cat"));
}

TEST_F(EventWatchTest, AWatcherOfEveryTenantSeesEachIncludingNewOnes) {
  log_.Append("sunrise", "ann");
  Watcher all(*stub_, std::string(kAllTenants), EncodeResumeToken({{"sunrise", kStreamStart}}));
  std::optional<rv1::CarerChange> ann = all.Next();
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->carer_id(), "ann");
  log_.Append("oak", "olive");  // a tenant that appeared after the watch began
  std::optional<rv1::CarerChange> olive = all.Next();
  ASSERT_TRUE(olive.has_value());
  EXPECT_EQ(olive->tenant_id(), "oak");
  absl::StatusOr<StreamPositions> positions = DecodeResumeToken(olive->resume_token());
  ASSERT_TRUE(positions.ok());
  EXPECT_EQ(positions->size(), 2u);
}

TEST_F(EventWatchTest, AWatcherOfEveryTenantWithNoneYetWaitsWithoutReadingAndSeesTheFirst) {
  // A new installation: a service's follower watches every tenant before there is one. A read
  // of no logs cannot wait (Redis answers XREAD of no streams at once), so none is made.
  Watcher all(*stub_, std::string(kAllTenants), EncodeResumeToken({}));
  all.WaitUntilWatching();
  EXPECT_EQ(log_.reads(), 0);
  log_.Append("sunrise", "ann");
  std::optional<rv1::CarerChange> ann = all.Next();
  ASSERT_TRUE(ann.has_value());
  EXPECT_EQ(ann->carer_id(), "ann");
  EXPECT_GT(log_.reads(), 0);
}

TEST_F(EventWatchTest, BadForeignAndLostTokensAreRefused) {
  for (const std::string& token : {std::string("garbage!"), EncodeResumeToken({{"oak", "1-0"}})}) {
    Watcher watch(*stub_, "sunrise", token);
    EXPECT_FALSE(watch.Next().has_value());
    grpc::Status status = watch.Finish();
    EXPECT_THAT(status, GrpcStatusIs(grpc::StatusCode::INVALID_ARGUMENT));
    EXPECT_EQ(status.error_message().find("oak"), std::string::npos);
  }
  std::string first = log_.Append("sunrise", "ann");
  std::string second = log_.Append("sunrise", "bob");
  log_.TrimThrough("sunrise", second);
  Watcher lost(*stub_, "sunrise", EncodeResumeToken({{"sunrise", first}}));
  EXPECT_FALSE(lost.Next().has_value());
  EXPECT_THAT(lost.Finish(), GrpcStatusIs(grpc::StatusCode::OUT_OF_RANGE));
}

TEST_F(EventWatchTest, TheLogGoingAwayEndsTheWatchUnavailable) {
  Watcher watch(*stub_, "sunrise", "");
  watch.WaitUntilWatching();
  log_.SetDown(true);
  EXPECT_FALSE(watch.Next().has_value());
  EXPECT_THAT(watch.Finish(), GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
  Watcher refused(*stub_, "sunrise", "");
  EXPECT_FALSE(refused.Next().has_value());
  EXPECT_THAT(refused.Finish(), GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
}

TEST_F(EventWatchTest, AnEventThatDoesNotParseIsDataLoss) {
  Watcher watch(*stub_, "sunrise", "");
  watch.WaitUntilWatching();
  log_.AppendPayload("sunrise", "\xff\xff not a change");
  EXPECT_FALSE(watch.Next().has_value());
  EXPECT_THAT(watch.Finish(), GrpcStatusIs(grpc::StatusCode::DATA_LOSS));
}

TEST_F(EventWatchTest, PastTheLimitAWatchIsResourceExhausted) {
  Stop();
  WatchOptions one = kQuick;
  one.max_watches = 1;
  StartServer(one);
  Watcher first(*stub_, "sunrise", "");
  first.WaitUntilWatching();
  Watcher second(*stub_, "sunrise", "");
  EXPECT_FALSE(second.Next().has_value());
  EXPECT_THAT(second.Finish(), GrpcStatusIs(grpc::StatusCode::RESOURCE_EXHAUSTED));
}

TEST_F(EventWatchTest, ACancelledWatchEndsItsReader) {
  Watcher watch(*stub_, "sunrise", "");
  watch.WaitUntilWatching();
  watch.Cancel();
  EXPECT_FALSE(watch.Next().has_value());
  EXPECT_THAT(watch.Finish(), GrpcStatusIs(grpc::StatusCode::CANCELLED));
  EXPECT_TRUE(log_.WaitForNoReaders());
}

TEST_F(EventWatchTest, ShutdownDrainsWatchesWithOkAndJoinsTheirReaders) {
  Watcher watch(*stub_, "sunrise", "");
  watch.WaitUntilWatching();
  log_.Append("sunrise", "ann");
  ASSERT_TRUE(watch.Next().has_value());
  EXPECT_EQ(Stop(), 0);
  // Drained: ends cleanly, so that the client resumes on another replica.
  EXPECT_FALSE(watch.Next().has_value());
  EXPECT_THAT(watch.Finish(), GrpcOk());
  EXPECT_EQ(background_->launched(), 0);
  EXPECT_TRUE(log_.WaitForNoReaders());
}

TEST_F(EventWatchTest, NoWatchStartsOnceDraining) {
  streams_->Drain(absl::ZeroDuration());
  Watcher late(*stub_, "sunrise", "");
  EXPECT_FALSE(late.Next().has_value());
  EXPECT_THAT(late.Finish(), GrpcStatusIs(grpc::StatusCode::UNAVAILABLE));
}

}  // namespace
}  // namespace homecare
