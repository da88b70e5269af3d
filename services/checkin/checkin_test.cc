// CheckIns on records in memory: the same record from a visit's events however they arrive (any
// order, split over any batches, repeated, late), retries and reused event ids, who may send
// what, a visit not known yet, and corrections.
#include "services/checkin/checkin.h"

#include <algorithm>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/api/write.h"
#include "common/status/errors.h"
#include "common/testing/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "services/checkin/record_rules.h"

namespace homecare::checkin {
namespace {

using ::homecare::testing::IsOk;
using ::homecare::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::IsEmpty;

constexpr char kTenant[] = "sunrise-care";

absl::Time T(int hh, int mm, int ss = 0) {
  return absl::FromCivil(absl::CivilSecond(2030, 12, 3, hh, mm, ss), absl::UTCTimeZone());
}

// The records of one tenant in memory, with the store's semantics: an event once, a record
// written only over the bytes it was computed from.
class MemoryRecords final : public CheckInRecords {
 public:
  absl::StatusOr<VisitState> ReadVisitState(absl::string_view, absl::string_view visit,
                                            absl::string_view event_id) override {
    VisitState state;
    if (!event_id.empty()) {
      if (auto found = seen_.find(std::string(event_id)); found != seen_.end()) {
        state.seen = found->second;
      }
    }
    state.policy = policy_;
    for (const auto& [id, bytes] : alerts_[std::string(visit)]) {
      Snapshot<v1::Alert>& alert = state.alerts.emplace_back();
      alert.bytes = bytes;
      alert.record.ParseFromString(bytes);
    }
    const std::string id(visit);
    if (auto view = views_.find(id); view != views_.end()) state.view = view->second;
    for (const auto& [event_id, event] : events_[id]) state.events.push_back(event);
    if (auto record = records_.find(id); record != records_.end()) {
      state.record.bytes = record->second;
      state.record.record.ParseFromString(record->second);
    }
    state.adjustments = adjustments_[id];
    return state;
  }
  absl::StatusOr<bool> PutVisitView(absl::string_view, const v1::VisitView& view,
                                    const v1::VisitView*, const v1::BoardEntry* entry) override {
    auto found = views_.find(view.visit_id());
    if (found != views_.end() && found->second.scheduling_version() >= view.scheduling_version()) {
      return false;
    }
    views_[view.visit_id()] = view;
    if (entry != nullptr) board.push_back(*entry);
    return true;
  }
  absl::StatusOr<StoreOutcome> StoreEvent(absl::string_view, const v1::StoredEvent& event,
                                          const std::string& fingerprint,
                                          const Snapshot<v1::VisitRecord>& read,
                                          const v1::VisitRecord& record,
                                          const v1::BoardEntry* entry) override {
    if (auto found = seen_.find(event.event_id()); found != seen_.end()) {
      return StoreOutcome{.stored = false, .earlier = found->second};
    }
    if (records_[record.visit_id()] != read.bytes) {
      return ConcurrentWriteError("the record", kCheckInErrorDomain);
    }
    seen_[event.event_id()] = EventSeen{fingerprint, record.visit_id()};
    events_[record.visit_id()][event.event_id()] = event;
    records_[record.visit_id()] = record.SerializeAsString();
    if (entry != nullptr) board.push_back(*entry);
    ++writes;
    return StoreOutcome{.stored = true};
  }
  absl::Status WriteRecord(absl::string_view, const Snapshot<v1::VisitRecord>& read,
                           const v1::VisitRecord& record,
                           const std::vector<v1::AuditEntry>& adjustments,
                           const v1::BoardEntry* entry) override {
    if (records_[record.visit_id()] != read.bytes) {
      return ConcurrentWriteError("the record", kCheckInErrorDomain);
    }
    records_[record.visit_id()] = record.SerializeAsString();
    if (entry != nullptr) board.push_back(*entry);
    auto& kept = adjustments_[record.visit_id()];
    kept.insert(kept.end(), adjustments.begin(), adjustments.end());
    ++writes;
    return absl::OkStatus();
  }
  absl::StatusOr<ScoredIdPage> ListRecordIds(absl::string_view, const RecordIndex& index,
                                             int64_t first_day, int64_t last_day,
                                             const std::string& after, int limit) override {
    std::vector<std::pair<int64_t, std::string>> keys;
    for (const auto& [id, bytes] : records_) {
      v1::VisitRecord record;
      record.ParseFromString(bytes);
      const int64_t day = DateKey(record.service_date());
      if (day < first_day || day > last_day) continue;
      if (!index.client_id.empty() && record.client_id() != index.client_id) continue;
      keys.emplace_back(day, id);
    }
    std::sort(keys.begin(), keys.end());
    ScoredIdPage page;
    std::pair<int64_t, std::string> cursor{INT64_MIN, ""};
    if (!after.empty()) {
      std::pair<std::string, std::string> parts = absl::StrSplit(after, absl::MaxSplits(':', 1));
      if (!absl::SimpleAtoi(parts.first, &cursor.first)) return absl::InvalidArgumentError("bad");
      cursor.second = parts.second;
    }
    for (const auto& key : keys) {
      if (key <= cursor) continue;
      if (static_cast<int>(page.ids.size()) == limit) return page;
      page.ids.push_back(key.second);
      page.last_cursor = absl::StrCat(key.first, ":", key.second);
    }
    page.exhausted = true;
    return page;
  }
  absl::StatusOr<std::vector<v1::VisitRecord>> ReadRecords(
      absl::string_view, const std::vector<std::string>& ids) override {
    std::vector<v1::VisitRecord> records;
    for (const std::string& id : ids) {
      if (auto found = records_.find(id); found != records_.end()) {
        records.emplace_back().ParseFromString(found->second);
      }
    }
    return records;
  }
  absl::StatusOr<std::vector<v1::Tag>> ReadClientTags(absl::string_view,
                                                      absl::string_view client) override {
    std::vector<v1::Tag> tags;
    for (const v1::Tag& tag : tags_) {
      if (tag.client_id() == client) tags.push_back(tag);
    }
    return tags;
  }
  absl::StatusOr<Created<v1::Tag>> CreateTag(absl::string_view, const v1::Tag& tag,
                                             const std::string&) override {
    tags_.push_back(tag);
    return Created<v1::Tag>{tag};
  }
  absl::StatusOr<Snapshot<v1::Tag>> ReadTag(absl::string_view, absl::string_view) override {
    return absl::UnimplementedError("not kept here");
  }
  absl::Status RetireTag(absl::string_view, const Snapshot<v1::Tag>&, const v1::Tag&) override {
    return absl::UnimplementedError("not kept here");
  }
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> ReadPolicy(absl::string_view) override {
    return policy_;
  }
  absl::Status WritePolicy(absl::string_view, const Snapshot<v1::CheckInPolicy>& read,
                           const v1::CheckInPolicy& updated) override {
    if (read.bytes != policy_.bytes) return ConcurrentWriteError("policy", kCheckInErrorDomain);
    policy_.bytes = updated.SerializeAsString();
    policy_.record = updated;
    return absl::OkStatus();
  }

  absl::Status ScheduleChecks(absl::string_view, const std::vector<VisitChecks>& visits) override {
    for (const VisitChecks& visit : visits) {
      for (auto it = checks_.begin(); it != checks_.end();) {
        it = it->second.visit_id == visit.visit_id ? checks_.erase(it) : std::next(it);
      }
      for (const DueCheck& check : visit.checks) {
        checks_.emplace(check.at, ClaimedCheck{visit.visit_id, check.rule});
      }
    }
    return absl::OkStatus();
  }
  absl::StatusOr<std::vector<std::string>> VisitsWithChecks(absl::string_view,
                                                            absl::Time from) override {
    std::set<std::string> visits;
    for (auto it = checks_.lower_bound(from); it != checks_.end(); ++it) {
      visits.insert(it->second.visit_id);
    }
    return std::vector<std::string>(visits.begin(), visits.end());
  }
  absl::StatusOr<std::vector<v1::VisitView>> ReadViews(
      absl::string_view, const std::vector<std::string>& visit_ids) override {
    std::vector<v1::VisitView> views;
    for (const std::string& id : visit_ids) {
      if (auto view = views_.find(id); view != views_.end()) views.push_back(view->second);
    }
    return views;
  }
  // No leases here: a claimed check is simply taken out (one engine, one thread).
  absl::StatusOr<std::vector<ClaimedCheck>> ClaimChecks(absl::string_view, absl::Time now,
                                                        absl::Time, int limit) override {
    std::vector<ClaimedCheck> claimed;
    while (!checks_.empty() && checks_.begin()->first <= now &&
           static_cast<int>(claimed.size()) < limit) {
      claimed.push_back(checks_.begin()->second);
      checks_.erase(checks_.begin());
    }
    return claimed;
  }
  absl::StatusOr<int> RaiseAlerts(absl::string_view, absl::string_view visit_id,
                                  const std::vector<v1::Alert>& alerts, const ClaimedCheck*,
                                  const v1::BoardEntry* entry) override {
    if (entry != nullptr) board.push_back(*entry);
    int raised = 0;
    for (const v1::Alert& alert : alerts) {
      if (alerts_[std::string(visit_id)]
              .emplace(alert.alert_id(), alert.SerializeAsString())
              .second) {
        alert_visits_[alert.alert_id()] = std::string(visit_id);
        log.push_back(alert);
        ++raised;
      }
    }
    return raised;
  }
  absl::Status UpdateAlert(absl::string_view, const Snapshot<v1::Alert>& read,
                           const v1::Alert& updated, const v1::BoardEntry* entry) override {
    std::string& bytes = alerts_[updated.visit_id()][updated.alert_id()];
    if (bytes != read.bytes) return ConcurrentWriteError("the alert", kCheckInErrorDomain);
    bytes = updated.SerializeAsString();
    if (entry != nullptr) board.push_back(*entry);
    log.push_back(updated);
    return absl::OkStatus();
  }
  absl::StatusOr<Snapshot<v1::Alert>> ReadAlert(absl::string_view,
                                                absl::string_view alert_id) override {
    auto visit = alert_visits_.find(std::string(alert_id));
    if (visit == alert_visits_.end()) return absl::NotFoundError("alert not found");
    Snapshot<v1::Alert> read;
    read.bytes = alerts_[visit->second][std::string(alert_id)];
    read.record.ParseFromString(read.bytes);
    return read;
  }
  absl::StatusOr<ScoredIdPage> ListAlertIds(absl::string_view, absl::Time, absl::Time,
                                            const std::string&, int) override {
    return absl::UnimplementedError("not kept here");
  }
  absl::StatusOr<std::vector<v1::Alert>> ReadAlerts(absl::string_view,
                                                    const std::vector<std::string>&) override {
    return absl::UnimplementedError("not kept here");
  }
  absl::StatusOr<std::vector<std::string>> TenantIds() override {
    return std::vector<std::string>{kTenant};
  }
  absl::StatusOr<std::vector<std::string>> ReadDayVisits(absl::string_view, int64_t day) override {
    std::vector<std::string> visits;
    for (const auto& [id, view] : views_) {
      if (DateKey(view.local_date()) == day) visits.push_back(id);
    }
    return visits;
  }
  absl::StatusOr<std::vector<BoardVisit>> ReadBoardVisits(
      absl::string_view tenant, const std::vector<std::string>& visit_ids) override {
    std::vector<BoardVisit> visits;
    for (const std::string& id : visit_ids) {
      absl::StatusOr<VisitState> state = ReadVisitState(tenant, id, "");
      if (!state.ok() || !state->view.has_value()) continue;
      BoardVisit& visit = visits.emplace_back();
      visit.view = *state->view;
      visit.record = state->record.record;
      for (const Snapshot<v1::Alert>& alert : state->alerts) visit.alerts.push_back(alert.record);
    }
    return visits;
  }
  absl::StatusOr<std::string> BoardPosition(absl::string_view) override {
    return absl::StrCat(board.size(), "-0");
  }

  int writes = 0;
  // Every alert as raised or changed, in order: what WatchAlerts would carry.
  std::vector<v1::Alert> log;
  // Every board entry logged, in order: what WatchBoard would carry.
  std::vector<v1::BoardEntry> board;
  // When the checks of the visits are due.
  std::multimap<absl::Time, ClaimedCheck> checks_;

 private:
  std::map<std::string, std::map<std::string, std::string>> alerts_;  // visit -> id -> Alert
  std::map<std::string, std::string> alert_visits_;
  std::map<std::string, v1::VisitView> views_;
  std::map<std::string, std::map<std::string, v1::StoredEvent>> events_;
  std::map<std::string, EventSeen> seen_;
  std::map<std::string, std::string> records_;
  std::map<std::string, std::vector<v1::AuditEntry>> adjustments_;
  std::vector<v1::Tag> tags_;
  Snapshot<v1::CheckInPolicy> policy_;
};

// The scheduling service: a double-up at 07:00 for Edna, Ann and Bob on it; or down.
class FakeVisits final : public VisitSource {
 public:
  absl::StatusOr<scheduling::v1::Visit> GetVisit(const std::string&,
                                                 const std::string& visit_id) override {
    ++asked;
    if (down) return absl::UnavailableError("scheduling is down");
    if (visit_id != "vis_1") return absl::NotFoundError("visit not found");
    scheduling::v1::Visit visit;
    visit.set_visit_id("vis_1");
    visit.set_client_id("cli_edna");
    *visit.mutable_local_date() = DateToProto(absl::CivilDay(2030, 12, 3));
    *visit.mutable_window_start() = TimeToProto(T(7, 0));
    *visit.mutable_window_end() = TimeToProto(T(8, 0));
    *visit.mutable_planned_start() = TimeToProto(T(7, 0));
    visit.set_duration_minutes(40);
    visit.set_carers_required(2);
    visit.add_carer_ids("car_ann");
    visit.add_carer_ids("car_bob");
    visit.mutable_location()->set_latitude(51.52);
    visit.mutable_location()->set_longitude(-0.1);
    visit.set_version(3);
    return visit;
  }
  absl::Status CheckClient(const std::string&, const std::string&) override {
    return absl::OkStatus();
  }
  bool down = false;
  int asked = 0;
};

// An event tapped at phone time `at` (the phone's clock `lag` behind the server's); its
// sent_time is filled in when it is sent.
struct PhoneEvent {
  v1::QueuedEvent event;
  std::string carer;
};

PhoneEvent Tap(const std::string& id, const std::string& carer, bool check_out, absl::Time at,
               v1::CheckInMethod method = v1::CHECK_IN_METHOD_GPS) {
  PhoneEvent phone{v1::QueuedEvent(), carer};
  auto fill = [&](auto& request) {
    request.set_event_id(id);
    request.set_visit_id("vis_1");
    request.set_method(method);
    request.mutable_location()->set_latitude(51.5201);
    request.mutable_location()->set_longitude(-0.1);
    request.set_accuracy_meters(10);
    *request.mutable_device_time() = TimeToProto(at);
  };
  if (check_out) {
    v1::CheckOutRequest& out = *phone.event.mutable_check_out();
    fill(out);
    v1::TaskOutcome& task = *out.add_task_outcomes();
    task.set_task_id("t1");
    task.set_status(v1::TASK_STATUS_DONE);
    out.set_visit_outcome(v1::VISIT_OUTCOME_COMPLETED);
  } else {
    fill(*phone.event.mutable_check_in());
  }
  return phone;
}

class CheckInsTest : public ::testing::Test {
 protected:
  // Sends `events` as carers' phones would from the server's time `now`: each phone's clock
  // `lag` behind, so sent_time = now - lag, whichever copy this is.
  v1::SyncEventsResponse SendBatch(const std::vector<PhoneEvent>& events, absl::Time now,
                                   absl::Duration lag) {
    clock_.Set(now);
    v1::SyncEventsResponse all;
    for (const PhoneEvent& phone : events) {
      v1::SyncEventsRequest request;
      v1::QueuedEvent& event = *request.add_events();
      event = phone.event;
      auto set_sent = [&](auto& e) { *e.mutable_sent_time() = TimeToProto(now - lag); };
      if (event.has_check_in()) set_sent(*event.mutable_check_in());
      if (event.has_check_out()) set_sent(*event.mutable_check_out());
      absl::StatusOr<v1::SyncEventsResponse> response =
          checkins_->Sync(kTenant, Sender{.actor = phone.carer, .carer_id = phone.carer}, request);
      EXPECT_THAT(response.status(), IsOk());
      if (response.ok()) *all.add_results() = response->results(0);
    }
    return all;
  }

  // The record without what differs between deliveries of the same events: when each copy was
  // sent and received, and when the record was last written.
  v1::VisitRecord Derived() {
    absl::StatusOr<v1::VisitRecord> record = checkins_->GetVisitRecord(kTenant, "vis_1");
    EXPECT_THAT(record.status(), IsOk());
    v1::VisitRecord derived = *record;
    derived.clear_update_time();
    for (v1::StoredEvent& event : *derived.mutable_events()) {
      event.clear_sent_time();
      event.clear_received_time();
      if (event.event().has_check_in())
        event.mutable_event()->mutable_check_in()->clear_sent_time();
      if (event.event().has_check_out()) {
        event.mutable_event()->mutable_check_out()->clear_sent_time();
      }
    }
    return derived;
  }

  // A fresh store and service, as if nothing had been sent yet.
  void Reset() {
    records_ = std::make_unique<MemoryRecords>();
    checkins_ = std::make_unique<CheckIns>(records_.get(), &visits_, &clock_);
  }

  FakeClock clock_{T(9, 0)};
  FakeVisits visits_;
  std::unique_ptr<MemoryRecords> records_ = std::make_unique<MemoryRecords>();
  std::unique_ptr<CheckIns> checkins_ =
      std::make_unique<CheckIns>(records_.get(), &visits_, &clock_);
};

TEST_F(CheckInsTest, TheSameEventsInAnyOrderBatchesAndRepeatsGiveTheSameRecord) {
  const std::vector<PhoneEvent> events = {
      Tap("a1", "car_ann", false, T(7, 1)), Tap("b1", "car_bob", false, T(7, 4)),
      Tap("b9", "car_bob", false, T(7, 5), v1::CHECK_IN_METHOD_MANUAL),
      Tap("a2", "car_ann", true, T(7, 40)), Tap("b2", "car_bob", true, T(7, 44))};
  const absl::Duration lag = absl::Minutes(3);
  // The reference: each event as it happens, online.
  SendBatch(events, T(7, 30), lag);
  const std::string expected = Derived().SerializeAsString();
  EXPECT_EQ(Derived().state(), v1::DELIVERY_STATE_COMPLETED);

  std::mt19937 random(31);
  for (int seed = 0; seed < 60; ++seed) {
    Reset();
    // Shuffled, with repeats, split into batches sent at different times (a day late too).
    std::vector<PhoneEvent> shuffled = events;
    for (int extra = 0; extra < 3; ++extra) shuffled.push_back(events[random() % events.size()]);
    std::shuffle(shuffled.begin(), shuffled.end(), random);
    absl::Time now = T(8, 0) + absl::Hours(random() % 30);
    for (size_t sent = 0; sent < shuffled.size();) {
      const size_t batch = 1 + random() % 3;
      std::vector<PhoneEvent> part(shuffled.begin() + sent,
                                   shuffled.begin() + std::min(shuffled.size(), sent + batch));
      SendBatch(part, now, lag);
      sent += part.size();
      now += absl::Minutes(1 + random() % 90);
    }
    ASSERT_EQ(Derived().SerializeAsString(), expected) << "seed " << seed;
    EXPECT_EQ(records_->writes, static_cast<int>(events.size())) << "repeats write nothing";
  }
}

TEST_F(CheckInsTest, ARepeatSaysSoAndAnEventIdReusedIsRefusedForThatEventOnly) {
  clock_.Set(T(7, 2));
  PhoneEvent in = Tap("a1", "car_ann", false, T(7, 2));
  *in.event.mutable_check_in()->mutable_sent_time() = TimeToProto(T(7, 2));
  const Sender ann{.actor = "ann", .carer_id = "car_ann"};
  absl::StatusOr<CheckIns::Submitted> first = checkins_->Submit(kTenant, ann, in.event);
  ASSERT_THAT(first.status(), IsOk());
  EXPECT_FALSE(first->duplicate);
  absl::StatusOr<CheckIns::Submitted> again = checkins_->Submit(kTenant, ann, in.event);
  ASSERT_THAT(again.status(), IsOk());
  EXPECT_TRUE(again->duplicate);
  EXPECT_EQ(again->record.version(), first->record.version());

  v1::SyncEventsRequest batch;
  v1::QueuedEvent reused = in.event;
  reused.mutable_check_in()->set_method(v1::CHECK_IN_METHOD_MANUAL);  // another event, same id
  *batch.add_events() = reused;
  PhoneEvent out = Tap("a2", "car_ann", true, T(7, 40));
  *out.event.mutable_check_out()->mutable_sent_time() = TimeToProto(T(7, 40));
  *batch.add_events() = out.event;
  *batch.add_events() = v1::QueuedEvent();  // malformed
  absl::StatusOr<v1::SyncEventsResponse> synced = checkins_->Sync(kTenant, ann, batch);
  ASSERT_THAT(synced.status(), IsOk());
  ASSERT_EQ(synced->results_size(), 3);
  EXPECT_EQ(synced->results(0).code(), static_cast<int>(absl::StatusCode::kAlreadyExists));
  EXPECT_EQ(synced->results(1).code(), 0) << "one bad event never fails the others";
  EXPECT_EQ(synced->results(2).code(), static_cast<int>(absl::StatusCode::kInvalidArgument));
}

TEST_F(CheckInsTest, WhoMaySendWhat) {
  clock_.Set(T(7, 2));
  PhoneEvent in = Tap("a1", "car_ann", false, T(7, 2));
  *in.event.mutable_check_in()->mutable_sent_time() = TimeToProto(T(7, 2));
  // Ann cannot check in for Bob.
  in.event.mutable_check_in()->set_carer_id("car_bob");
  EXPECT_THAT(
      checkins_->Submit(kTenant, {.actor = "ann", .carer_id = "car_ann"}, in.event).status(),
      StatusIs(absl::StatusCode::kPermissionDenied));
  // A coordinator records for a carer they name, and must name one.
  in.event.mutable_check_in()->clear_carer_id();
  EXPECT_THAT(ViolatedFields(
                  checkins_->Submit(kTenant, {.actor = "sue", .carer_id = ""}, in.event).status()),
              ElementsAre("carer_id"));
  // Only the telephony gateway (a system token) sends TELEPHONY.
  in.event.mutable_check_in()->set_method(v1::CHECK_IN_METHOD_TELEPHONY);
  in.event.mutable_check_in()->set_caller_number("01632960001");
  EXPECT_THAT(
      checkins_->Submit(kTenant, {.actor = "ann", .carer_id = "car_ann"}, in.event).status(),
      StatusIs(absl::StatusCode::kPermissionDenied));
  in.event.mutable_check_in()->set_carer_id("car_ann");
  absl::StatusOr<CheckIns::Submitted> call =
      checkins_->Submit(kTenant, {.actor = "gateway", .carer_id = "", .system = true}, in.event);
  ASSERT_THAT(call.status(), IsOk());
  EXPECT_EQ(call->record.slots(0).check_in_method(), v1::CHECK_IN_METHOD_TELEPHONY);
  // A visit the tenant does not have is not there.
  in.event.mutable_check_in()->set_visit_id("vis_elsewhere");
  in.event.mutable_check_in()->set_event_id("a9");
  EXPECT_THAT(
      checkins_->Submit(kTenant, {.actor = "gateway", .carer_id = "", .system = true}, in.event)
          .status(),
      StatusIs(absl::StatusCode::kNotFound));
}

TEST_F(CheckInsTest, SchedulingDownNeverStopsACheckInAndTheVisitIsCheckedOnceKnown) {
  visits_.down = true;
  clock_.Set(T(7, 2));
  PhoneEvent in = Tap("a1", "car_ann", false, T(7, 2));
  *in.event.mutable_check_in()->mutable_sent_time() = TimeToProto(T(7, 2));
  absl::StatusOr<CheckIns::Submitted> stored =
      checkins_->Submit(kTenant, {.actor = "ann", .carer_id = "car_ann"}, in.event);
  ASSERT_THAT(stored.status(), IsOk());
  ASSERT_EQ(stored->exceptions.size(), 1u);
  EXPECT_EQ(stored->exceptions[0].kind(), v1::EXCEPTION_KIND_VISIT_UNKNOWN);
  EXPECT_EQ(visits_.asked, 1) << "asked once, not on every retry";
  // The stream brings the visit: the record is checked again against it.
  visits_.down = false;
  scheduling::v1::VisitChange change;
  change.set_tenant_id(kTenant);
  change.set_kind(scheduling::v1::VisitChange::KIND_ASSIGNED);
  *change.mutable_visit() = *visits_.GetVisit(kTenant, "vis_1");
  *change.mutable_change_time() = TimeToProto(T(6, 0));
  ASSERT_THAT(checkins_->FollowVisitChange(change), IsOk());
  ASSERT_THAT(checkins_->FollowVisitChange(change), IsOk()) << "twice: no harm";
  absl::StatusOr<v1::VisitRecord> record = checkins_->GetVisitRecord(kTenant, "vis_1");
  ASSERT_THAT(record.status(), IsOk());
  EXPECT_THAT(record->exceptions(), IsEmpty());
  EXPECT_EQ(record->carers_required(), 2);
  EXPECT_EQ(record->client_id(), "cli_edna");
}

TEST_F(CheckInsTest, CorrectionsKeepWhatWasRecordedAndAreRetriedOnce) {
  clock_.Set(T(7, 2));
  PhoneEvent in = Tap("a1", "car_ann", false, T(7, 2));
  *in.event.mutable_check_in()->mutable_sent_time() = TimeToProto(T(7, 2));
  ASSERT_THAT(
      checkins_->Submit(kTenant, {.actor = "ann", .carer_id = "car_ann"}, in.event).status(),
      IsOk());
  v1::AdjustVisitRecordRequest adjust;
  adjust.set_visit_id("vis_1");
  adjust.set_carer_id("car_ann");
  *adjust.mutable_check_out_time() = TimeToProto(T(7, 45));
  adjust.mutable_update_mask()->add_paths("check_out_time");
  adjust.set_reason(v1::ADJUSTMENT_REASON_CARER_FORGOT);
  adjust.set_resolution(v1::ADJUSTMENT_RESOLUTION_CONFIRMED_WITH_CLIENT);
  adjust.set_note("Edna confirmed Ann left at quarter to eight");
  adjust.set_request_id("fix-1");
  absl::StatusOr<v1::VisitRecord> fixed = checkins_->AdjustVisitRecord(kTenant, "sue", adjust);
  ASSERT_THAT(fixed.status(), IsOk());
  ASSERT_EQ(fixed->audit_size(), 1);
  EXPECT_EQ(fixed->audit(0).actor(), "sue");
  EXPECT_EQ(fixed->audit(0).field(), "check_out_time");
  EXPECT_FALSE(fixed->slots(0).has_check_out_time());
  EXPECT_EQ(fixed->slots(0).adjusted_check_out_time().seconds(), absl::ToUnixSeconds(T(7, 45)));
  absl::StatusOr<v1::VisitRecord> retried = checkins_->AdjustVisitRecord(kTenant, "sue", adjust);
  ASSERT_THAT(retried.status(), IsOk());
  EXPECT_EQ(retried->audit_size(), 1) << "a retry appends nothing";
  // Bad corrections say what is wrong.
  v1::AdjustVisitRecordRequest bad;
  bad.set_visit_id("vis_1");
  bad.mutable_update_mask()->add_paths("check_in_time");
  EXPECT_THAT(
      ViolatedFields(checkins_->AdjustVisitRecord(kTenant, "sue", bad).status()),
      ::testing::UnorderedElementsAre("reason", "resolution", "note", "carer_id", "check_in_time"));
  adjust.set_carer_id("car_nobody");
  adjust.set_request_id("fix-2");
  EXPECT_THAT(checkins_->AdjustVisitRecord(kTenant, "sue", adjust).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
}

// The stream brings Edna's double-up at 07:00 (Ann and Bob, 40 minutes, window to 08:00).
scheduling::v1::VisitChange Change(FakeVisits& visits, absl::Time at) {
  scheduling::v1::VisitChange change;
  change.set_tenant_id(kTenant);
  change.set_kind(scheduling::v1::VisitChange::KIND_ASSIGNED);
  *change.mutable_visit() = *visits.GetVisit(kTenant, "vis_1");
  *change.mutable_change_time() = TimeToProto(at);
  return change;
}

std::vector<std::pair<v1::AlertKind, v1::AlertState>> Logged(const std::vector<v1::Alert>& log) {
  std::vector<std::pair<v1::AlertKind, v1::AlertState>> logged;
  for (const v1::Alert& alert : log) logged.emplace_back(alert.kind(), alert.state());
  return logged;
}

TEST_F(CheckInsTest, AlertsComeOnceAtTheirThresholdsAndEvidenceArrivingLateSettlesThem) {
  using Pair = std::pair<v1::AlertKind, v1::AlertState>;
  clock_.Set(T(6, 0));
  ASSERT_THAT(checkins_->FollowVisitChange(Change(visits_, T(6, 0))), IsOk());
  clock_.Set(T(7, 14));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  EXPECT_THAT(records_->log, IsEmpty()) << "07:00 is the start; nobody is late before 07:15";
  clock_.Set(T(7, 15));
  absl::StatusOr<int> ran = checkins_->RunDueChecks(kTenant, 100);
  ASSERT_THAT(ran.status(), IsOk());
  EXPECT_EQ(*ran, 1);
  ASSERT_THAT(Logged(records_->log), ElementsAre(Pair{v1::ALERT_KIND_LATE, v1::ALERT_STATE_OPEN}));
  EXPECT_THAT(records_->log[0].carer_ids(), ElementsAre("car_ann", "car_bob"));
  EXPECT_EQ(*checkins_->RunDueChecks(kTenant, 100), 0) << "each check runs once";

  // Ann's phone had no signal: her check-in at 07:10 arrives at 07:40. Nobody was late after
  // all, but Bob was not there by 07:15.
  SendBatch({Tap("a1", "car_ann", false, T(7, 10))}, T(7, 40), absl::ZeroDuration());
  ASSERT_THAT(Logged(records_->log),
              ElementsAre(Pair{v1::ALERT_KIND_LATE, v1::ALERT_STATE_OPEN},
                          Pair{v1::ALERT_KIND_LATE, v1::ALERT_STATE_RESOLVED},
                          Pair{v1::ALERT_KIND_CARER_MISSING, v1::ALERT_STATE_OPEN}));
  EXPECT_EQ(records_->log[1].resolution(), v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED);
  EXPECT_EQ(records_->log[1].evidence_event_id(), "a1");
  EXPECT_THAT(records_->log[2].carer_ids(), ElementsAre("car_bob"));
  // Bob's phone was offline too: in at 07:12. Nothing is missing any more; nothing is
  // raised again by the engine's later checks.
  SendBatch({Tap("b1", "car_bob", false, T(7, 12))}, T(7, 45), absl::ZeroDuration());
  ASSERT_EQ(records_->log.size(), 4u);
  EXPECT_EQ(records_->log[3].kind(), v1::ALERT_KIND_CARER_MISSING);
  EXPECT_EQ(records_->log[3].state(), v1::ALERT_STATE_RESOLVED);
  clock_.Set(T(8, 0));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  EXPECT_EQ(records_->log.size(), 4u) << "not missed: both were in";
  // Nobody checked out: overdue at the planned end (07:40) + 30 minutes.
  clock_.Set(T(8, 10));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  ASSERT_EQ(records_->log.size(), 5u);
  EXPECT_EQ(records_->log[4].kind(), v1::ALERT_KIND_OVERDUE_CHECK_OUT);
  EXPECT_THAT(records_->log[4].carer_ids(), ElementsAre("car_ann", "car_bob"));
}

TEST_F(CheckInsTest, ACoordinatorAcknowledgesAndResolvesAndACancellationSettlesTheRest) {
  clock_.Set(T(6, 0));
  ASSERT_THAT(checkins_->FollowVisitChange(Change(visits_, T(6, 0))), IsOk());
  clock_.Set(T(8, 0));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  ASSERT_EQ(records_->log.size(), 2u);  // late, then missed
  const std::string late = records_->log[0].alert_id();
  const std::string missed = records_->log[1].alert_id();
  v1::AcknowledgeAlertRequest acknowledge;
  acknowledge.set_alert_id(late);
  acknowledge.set_note("ringing Ann");
  absl::StatusOr<v1::Alert> acknowledged = checkins_->AcknowledgeAlert(kTenant, "sue", acknowledge);
  ASSERT_THAT(acknowledged.status(), IsOk());
  EXPECT_EQ(acknowledged->state(), v1::ALERT_STATE_ACKNOWLEDGED);
  EXPECT_EQ(acknowledged->acknowledged_by(), "sue");
  EXPECT_EQ(checkins_->AcknowledgeAlert(kTenant, "sue", acknowledge)->version(),
            acknowledged->version())
      << "again: nothing changes";
  v1::ResolveAlertRequest resolve;
  resolve.set_alert_id(late);
  resolve.set_resolution(v1::ALERT_RESOLUTION_EVIDENCE_ARRIVED);
  EXPECT_THAT(ViolatedFields(checkins_->ResolveAlert(kTenant, "sue", resolve).status()),
              ::testing::UnorderedElementsAre("resolution", "note"));
  resolve.set_resolution(v1::ALERT_RESOLUTION_ANOTHER_CARER_SENT);
  resolve.set_note("Cat went instead");
  absl::StatusOr<v1::Alert> resolved = checkins_->ResolveAlert(kTenant, "sue", resolve);
  ASSERT_THAT(resolved.status(), IsOk());
  EXPECT_EQ(resolved->state(), v1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(checkins_->ResolveAlert(kTenant, "sue", resolve)->version(), resolved->version());
  resolve.set_note("something else");
  EXPECT_THAT(checkins_->ResolveAlert(kTenant, "sue", resolve).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(checkins_->AcknowledgeAlert(kTenant, "sue", acknowledge).status(),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  acknowledge.set_alert_id("alt_nothing");
  EXPECT_THAT(checkins_->AcknowledgeAlert(kTenant, "sue", acknowledge).status(),
              StatusIs(absl::StatusCode::kNotFound));

  // The visit is cancelled: the MISSED alert still open is settled with that reason.
  scheduling::v1::VisitChange cancelled = Change(visits_, T(8, 5));
  cancelled.set_kind(scheduling::v1::VisitChange::KIND_CANCELLED);
  cancelled.mutable_visit()->set_status(scheduling::v1::VISIT_STATUS_CANCELLED);
  cancelled.mutable_visit()->set_version(4);
  clock_.Set(T(8, 5));
  ASSERT_THAT(checkins_->FollowVisitChange(cancelled), IsOk());
  const v1::Alert& last = records_->log.back();
  EXPECT_EQ(last.alert_id(), missed);
  EXPECT_EQ(last.state(), v1::ALERT_STATE_RESOLVED);
  EXPECT_EQ(last.resolution(), v1::ALERT_RESOLUTION_VISIT_CANCELLED);
  EXPECT_EQ(last.resolved_by(), "system");
}

TEST_F(CheckInsTest, ATighterPolicyMovesThePendingChecksAndOldChecksRaiseNothing) {
  clock_.Set(T(6, 0));
  ASSERT_THAT(checkins_->FollowVisitChange(Change(visits_, T(6, 0))), IsOk());
  clock_.Set(T(6, 30));
  v1::UpdatePolicyRequest tighter;
  tighter.mutable_policy()->mutable_standard()->mutable_late_after()->set_seconds(5 * 60);
  tighter.mutable_policy()->mutable_standard()->mutable_missed_after()->set_seconds(60 * 60);
  tighter.mutable_policy()->mutable_standard()->mutable_overdue_check_out_after()->set_seconds(30 *
                                                                                               60);
  tighter.mutable_policy()->mutable_standard()->set_short_visit_fraction(0.75);
  tighter.mutable_update_mask()->add_paths("standard");
  ASSERT_THAT(checkins_->UpdatePolicy(kTenant, tighter).status(), IsOk());
  clock_.Set(T(7, 5));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  ASSERT_THAT(Logged(records_->log),
              ElementsAre(std::pair{v1::ALERT_KIND_LATE, v1::ALERT_STATE_OPEN}));
  EXPECT_EQ(records_->log[0].due_time().seconds(), absl::ToUnixSeconds(T(7, 5)));

  // A check long past when it is first seen (the service was down all day) raises nothing.
  Reset();
  clock_.Set(T(6, 0));
  ASSERT_THAT(checkins_->FollowVisitChange(Change(visits_, T(6, 0))), IsOk());
  clock_.Set(T(23, 0));
  ASSERT_THAT(checkins_->RunDueChecks(kTenant, 100).status(), IsOk());
  EXPECT_THAT(records_->log, IsEmpty());
}

}  // namespace
}  // namespace homecare::checkin
