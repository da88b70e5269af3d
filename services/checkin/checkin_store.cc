#include "services/checkin/checkin_store.h"

#include <algorithm>
#include <set>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/types/span.h"
#include "common/api/write.h"
#include "common/ids/ids.h"
#include "common/redis/keys.h"
#include "common/redis/scored_index.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/checkin/checkin_lua.h"
#include "services/checkin/record_rules.h"

namespace homecare::checkin {
namespace {

constexpr absl::string_view kService = "checkin";

std::string Key(absl::string_view tenant, absl::string_view kind, absl::string_view id) {
  return TenantKey(tenant, kService, kind, id);
}
// Keys holding a digest: event and request ids are client-made and may hold any character.
std::string Digest(absl::string_view text) { return Sha256Hex(text).substr(0, 32); }
std::string EventKey(absl::string_view tenant, absl::string_view event_id) {
  return Key(tenant, "event", Digest(event_id));
}
std::string RecordsKey(absl::string_view tenant) { return TenantKey(tenant, kService, "records"); }
std::string TagPayloadKey(absl::string_view tenant, const v1::Tag& tag) {
  return Key(tenant, "tag-payload",
             absl::StrCat(static_cast<int>(tag.kind()), ":", Digest(tag.payload())));
}

// The index score of a record: its service date, YYYYMMDD.
std::string DateScore(const v1::VisitRecord& record) {
  return absl::StrCat(DateKey(record.service_date()));
}

constexpr absl::string_view kTenantRegistry = "hc:checkin:tenants";

std::string BoardLogKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "board-log");
}
std::string DayKey(absl::string_view tenant, const common::v1::Date& date) {
  return Key(tenant, "day-visits", absl::StrCat(DateKey(date)));
}
// What a board watch sends for `entry`, without its resume token; "" for no entry.
std::string BoardChangeBytes(const v1::BoardEntry* entry) {
  if (entry == nullptr) return "";
  v1::BoardChange change;
  *change.mutable_entry() = *entry;
  return change.SerializeAsString();
}

// A check's member in the checks and claimed sets: "<visit>|<rule>".
std::string CheckMember(absl::string_view visit_id, DueRule rule) {
  return absl::StrCat(visit_id, "|", DueRuleName(rule));
}

std::optional<CheckInRecords::ClaimedCheck> ParseCheckMember(absl::string_view member) {
  const size_t bar = member.rfind('|');
  if (bar == absl::string_view::npos) return std::nullopt;
  std::optional<DueRule> rule = DueRuleNamed(member.substr(bar + 1));
  if (!rule.has_value()) return std::nullopt;
  return CheckInRecords::ClaimedCheck{std::string(member.substr(0, bar)), *rule};
}

absl::Status Conflict(absl::string_view what) {
  return ConcurrentWriteError(what, kCheckInErrorDomain);
}

std::optional<CheckInRecords::EventSeen> ParseSeen(const std::string& text) {
  const size_t newline = text.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  return CheckInRecords::EventSeen{text.substr(0, newline), text.substr(newline + 1)};
}

template <typename Record>
absl::StatusOr<std::vector<Record>> ParseAll(const std::vector<RedisReply>& elements,
                                             absl::string_view what) {
  std::vector<Record> records;
  for (const RedisReply& element : elements) {
    if (element.is_nil()) continue;
    if (!records.emplace_back().ParseFromString(element.str)) return CorruptRecord(what);
  }
  return records;
}

}  // namespace

CheckInStore::CheckInStore(RedisClient* redis)
    : redis_(redis),
      alert_log_(
          redis,
          {.key = [](absl::string_view tenant) { return TenantKey(tenant, kService, "alert-log"); },
           .field = "event",
           .tenant_ids = [this] { return TenantIds(); },
           .when_lost = "list the alerts again and watch from now on"}),
      board_log_(redis, {.key = &BoardLogKey,
                         .field = "change",
                         .tenant_ids = [this] { return TenantIds(); },
                         .when_lost = "get the board again and watch from its resume token"}),
      store_event_(
          LuaScript(lua::kStoreEventLuaName, lua::kStoreEventLua, lua::kStoreEventLuaKeys)),
      write_record_(
          LuaScript(lua::kWriteRecordLuaName, lua::kWriteRecordLua, lua::kWriteRecordLuaKeys)),
      put_visit_view_(
          LuaScript(lua::kPutVisitViewLuaName, lua::kPutVisitViewLua, lua::kPutVisitViewLuaKeys)),
      create_tag_(LuaScript(lua::kCreateTagLuaName, lua::kCreateTagLua, lua::kCreateTagLuaKeys)),
      retire_tag_(LuaScript(lua::kRetireTagLuaName, lua::kRetireTagLua, lua::kRetireTagLuaKeys)),
      schedule_checks_(LuaScript(lua::kScheduleChecksLuaName, lua::kScheduleChecksLua,
                                 lua::kScheduleChecksLuaKeys)),
      claim_checks_(
          LuaScript(lua::kClaimChecksLuaName, lua::kClaimChecksLua, lua::kClaimChecksLuaKeys)),
      raise_alerts_(
          LuaScript(lua::kRaiseAlertsLuaName, lua::kRaiseAlertsLua, lua::kRaiseAlertsLuaKeys)),
      update_alert_(
          LuaScript(lua::kUpdateAlertLuaName, lua::kUpdateAlertLua, lua::kUpdateAlertLuaKeys)) {}

absl::Status CheckInStore::LoadScripts() {
  return redis_->LoadScripts({&store_event_, &write_record_, &put_visit_view_, &create_tag_,
                              &retire_tag_, &schedule_checks_, &claim_checks_, &raise_alerts_,
                              &update_alert_, &PutIfUnchangedScript()});
}

std::vector<std::string> CheckInStore::IndexKeys(absl::string_view tenant_id,
                                                 const v1::VisitRecord& record) const {
  std::vector<std::string> keys = {RecordsKey(tenant_id),
                                   Key(tenant_id, "client-records", record.client_id())};
  for (const v1::CarerSlot& slot : record.slots()) {
    keys.push_back(Key(tenant_id, "carer-records", slot.carer_id()));
  }
  return keys;
}

absl::StatusOr<CheckInRecords::VisitState> CheckInStore::ReadVisitState(
    absl::string_view tenant_id, absl::string_view visit_id, absl::string_view event_id) {
  std::vector<std::vector<std::string>> commands = {
      {"HGET", Key(tenant_id, "visit", visit_id), "b"},
      {"HVALS", Key(tenant_id, "events", visit_id)},
      {"GET", Key(tenant_id, "record", visit_id)},
      {"LRANGE", Key(tenant_id, "adjustments", visit_id), "0", "-1"},
      {"GET", TenantKey(tenant_id, kService, "policy")},
      {"HVALS", Key(tenant_id, "visit-alerts", visit_id)}};
  if (!event_id.empty()) commands.push_back({"GET", EventKey(tenant_id, std::string(event_id))});
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
  }
  VisitState state;
  if (!(*replies)[0].is_nil()) {
    state.view.emplace();
    if (!state.view->ParseFromString((*replies)[0].str)) return CorruptRecord("visit view");
  }
  absl::StatusOr<std::vector<v1::StoredEvent>> events =
      ParseAll<v1::StoredEvent>((*replies)[1].elements, "event");
  if (!events.ok()) return events.status();
  state.events = *std::move(events);
  absl::StatusOr<Snapshot<v1::VisitRecord>> record =
      SnapshotOf<v1::VisitRecord>((*replies)[2], "visit record");
  if (!record.ok()) return record.status();
  state.record = *std::move(record);
  absl::StatusOr<std::vector<v1::AuditEntry>> adjustments =
      ParseAll<v1::AuditEntry>((*replies)[3].elements, "adjustment");
  if (!adjustments.ok()) return adjustments.status();
  state.adjustments = *std::move(adjustments);
  absl::StatusOr<Snapshot<v1::CheckInPolicy>> policy =
      SnapshotOf<v1::CheckInPolicy>((*replies)[4], "check-in policy");
  if (!policy.ok()) return policy.status();
  state.policy = *std::move(policy);
  for (const RedisReply& alert : (*replies)[5].elements) {
    Snapshot<v1::Alert>& read = state.alerts.emplace_back();
    read.bytes = alert.str;
    if (!read.record.ParseFromString(alert.str)) return CorruptRecord("alert");
  }
  if (!event_id.empty() && !(*replies)[6].is_nil()) {
    state.seen = ParseSeen((*replies)[6].str);
    if (!state.seen.has_value()) return CorruptRecord("event id");
  }
  return state;
}

absl::StatusOr<bool> CheckInStore::PutVisitView(absl::string_view tenant_id,
                                                const v1::VisitView& view,
                                                const v1::VisitView* before,
                                                const v1::BoardEntry* board) {
  if (absl::Status registered = RegisterTenant(tenant_id); !registered.ok()) return registered;
  const std::string day = DayKey(tenant_id, view.local_date());
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, put_visit_view_,
      {Key(tenant_id, "visit", view.visit_id()), day,
       before == nullptr ? day : DayKey(tenant_id, before->local_date()), BoardLogKey(tenant_id)},
      {absl::StrCat(view.scheduling_version()), view.SerializeAsString(), view.visit_id(),
       absl::StrCat(absl::ToUnixMillis(StoredTime(view.planned_start()))), BoardChangeBytes(board),
       absl::StrCat(kAlertLogLength)});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "kept") return true;
  if (outcome == "older") return false;
  return UnexpectedOutcome(put_visit_view_, outcome);
}

absl::StatusOr<CheckInRecords::StoreOutcome> CheckInStore::StoreEvent(
    absl::string_view tenant_id, const v1::StoredEvent& event, const std::string& fingerprint,
    const Snapshot<v1::VisitRecord>& read, const v1::VisitRecord& record,
    const v1::BoardEntry* board) {
  const std::string& visit_id = record.visit_id();
  std::vector<std::string> keys = {EventKey(tenant_id, event.event_id()),
                                   Key(tenant_id, "events", visit_id),
                                   Key(tenant_id, "record", visit_id), BoardLogKey(tenant_id)};
  std::vector<std::string> indexes = IndexKeys(tenant_id, record);
  keys.insert(keys.end(), indexes.begin(), indexes.end());
  absl::StatusOr<RedisReply> reply =
      RunTransition(*redis_, store_event_, keys,
                    {event.event_id(), absl::StrCat(fingerprint, "\n", visit_id),
                     event.SerializeAsString(), read.bytes, record.SerializeAsString(), visit_id,
                     DateScore(record), BoardChangeBytes(board), absl::StrCat(kAlertLogLength)});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "stored") return StoreOutcome{.stored = true};
  if (outcome == "conflict") return Conflict("the visit's record");
  if (outcome == "seen" && reply->elements.size() == 2) {
    std::optional<EventSeen> seen = ParseSeen(reply->elements[1].str);
    if (!seen.has_value()) return CorruptRecord("event id");
    return StoreOutcome{.stored = false, .earlier = std::move(seen)};
  }
  return UnexpectedOutcome(store_event_, outcome);
}

absl::Status CheckInStore::WriteRecord(absl::string_view tenant_id,
                                       const Snapshot<v1::VisitRecord>& read,
                                       const v1::VisitRecord& record,
                                       const std::vector<v1::AuditEntry>& adjustments,
                                       const v1::BoardEntry* board) {
  const std::string& visit_id = record.visit_id();
  std::vector<std::string> keys = {Key(tenant_id, "record", visit_id),
                                   Key(tenant_id, "adjustments", visit_id), BoardLogKey(tenant_id)};
  std::vector<std::string> indexes = IndexKeys(tenant_id, record);
  keys.insert(keys.end(), indexes.begin(), indexes.end());
  std::vector<std::string> args = {
      read.bytes,        record.SerializeAsString(), visit_id,
      DateScore(record), BoardChangeBytes(board),    absl::StrCat(kAlertLogLength)};
  for (const v1::AuditEntry& adjustment : adjustments) {
    args.push_back(adjustment.SerializeAsString());
  }
  absl::StatusOr<RedisReply> reply = RunTransition(*redis_, write_record_, keys, args);
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "written") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the visit's record");
  return UnexpectedOutcome(write_record_, outcome);
}

absl::StatusOr<ScoredIdPage> CheckInStore::ListRecordIds(absl::string_view tenant_id,
                                                         const RecordIndex& index,
                                                         int64_t first_day, int64_t last_day,
                                                         const std::string& after, int limit) {
  const std::string key =
      !index.client_id.empty()  ? Key(tenant_id, "client-records", index.client_id)
      : !index.carer_id.empty() ? Key(tenant_id, "carer-records", index.carer_id)
                                : RecordsKey(tenant_id);
  // The scored index reads scores as milliseconds; a date key is one more whole number.
  return ReadScoredIds(*redis_, key, absl::FromUnixMillis(first_day),
                       absl::FromUnixMillis(last_day + 1), after, limit);
}

absl::StatusOr<std::vector<v1::VisitRecord>> CheckInStore::ReadRecords(
    absl::string_view tenant_id, const std::vector<std::string>& visit_ids) {
  if (visit_ids.empty()) return std::vector<v1::VisitRecord>();
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : visit_ids) command.push_back(Key(tenant_id, "record", id));
  absl::StatusOr<RedisReply> reply = redis_->Command(command);
  if (!reply.ok()) return reply.status();
  return ParseAll<v1::VisitRecord>(reply->elements, "visit record");
}

absl::StatusOr<std::vector<v1::Tag>> CheckInStore::ReadClientTags(absl::string_view tenant_id,
                                                                  absl::string_view client_id) {
  absl::StatusOr<RedisReply> ids =
      redis_->Command({"ZRANGE", Key(tenant_id, "client-tags", client_id), "0", "-1"});
  if (!ids.ok()) return ids.status();
  if (ids->elements.empty()) return std::vector<v1::Tag>();
  std::vector<std::string> command = {"MGET"};
  for (const RedisReply& id : ids->elements) command.push_back(Key(tenant_id, "tag", id.str));
  absl::StatusOr<RedisReply> tags = redis_->Command(command);
  if (!tags.ok()) return tags.status();
  return ParseAll<v1::Tag>(tags->elements, "tag");
}

absl::StatusOr<Created<v1::Tag>> CheckInStore::CreateTag(absl::string_view tenant_id,
                                                         const v1::Tag& tag,
                                                         const std::string& fingerprint) {
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, create_tag_,
      {Key(tenant_id, "tag", tag.tag_id()), Key(tenant_id, "client-tags", tag.client_id()),
       Key(tenant_id, "tag-create", tag.tag_id()), TagPayloadKey(tenant_id, tag)},
      {tag.SerializeAsString(), tag.tag_id(), fingerprint,
       absl::StrCat(absl::ToInt64Seconds(kRetryWindow)),
       absl::StrCat(tag.register_time().seconds() * 1000 + tag.register_time().nanos() / 1000000)});
  if (!reply.ok()) return reply.status();
  return ParseCreateOnce(
      create_tag_, *reply, tag,
      {.what = "tag",
       .exists = absl::AlreadyExistsError(
           absl::StrCat("tag ", tag.tag_id(), " was made by another request with this request_id")),
       .refusals = {{"taken", WithErrorInfo(absl::AlreadyExistsError(
                                                "another tag in use has this payload: one code "
                                                "must prove one home (retire the other first)"),
                                            "TAG_PAYLOAD_TAKEN", kCheckInErrorDomain)}}});
}

absl::StatusOr<Snapshot<v1::Tag>> CheckInStore::ReadTag(absl::string_view tenant_id,
                                                        absl::string_view tag_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", Key(tenant_id, "tag", tag_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("tag ", tag_id, " not found"));
  return SnapshotOf<v1::Tag>(*reply, "tag");
}

absl::Status CheckInStore::RetireTag(absl::string_view tenant_id, const Snapshot<v1::Tag>& read,
                                     const v1::Tag& retired) {
  absl::StatusOr<RedisReply> reply =
      RunTransition(*redis_, retire_tag_,
                    {Key(tenant_id, "tag", retired.tag_id()), TagPayloadKey(tenant_id, retired)},
                    {read.bytes, retired.SerializeAsString(), retired.tag_id()});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "retired") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the tag");
  return UnexpectedOutcome(retire_tag_, outcome);
}

absl::StatusOr<Snapshot<v1::CheckInPolicy>> CheckInStore::ReadPolicy(absl::string_view tenant_id) {
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"GET", TenantKey(tenant_id, kService, "policy")});
  if (!reply.ok()) return reply.status();
  return SnapshotOf<v1::CheckInPolicy>(*reply, "check-in policy");
}

absl::Status CheckInStore::WritePolicy(absl::string_view tenant_id,
                                       const Snapshot<v1::CheckInPolicy>& read,
                                       const v1::CheckInPolicy& updated) {
  return PutIfUnchanged(*redis_, TenantKey(tenant_id, kService, "policy"), read.bytes,
                        updated.SerializeAsString(), "the check-in policy", kCheckInErrorDomain);
}

absl::Status CheckInStore::RegisterTenant(absl::string_view tenant_id) {
  {
    absl::MutexLock lock(&registered_mutex_);
    if (registered_.contains(tenant_id)) return absl::OkStatus();
  }
  absl::StatusOr<RedisReply> added =
      redis_->Command({"SADD", std::string(kTenantRegistry), std::string(tenant_id)});
  if (!added.ok()) return added.status();
  absl::MutexLock lock(&registered_mutex_);
  registered_.insert(std::string(tenant_id));
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> CheckInStore::TenantIds() {
  absl::StatusOr<RedisReply> members = redis_->Command({"SMEMBERS", std::string(kTenantRegistry)});
  if (!members.ok()) return members.status();
  std::vector<std::string> tenants;
  for (const RedisReply& member : members->elements) tenants.push_back(member.str);
  std::sort(tenants.begin(), tenants.end());
  return tenants;
}

absl::Status CheckInStore::ScheduleChecks(absl::string_view tenant_id,
                                          const std::vector<VisitChecks>& visits) {
  if (visits.empty()) return absl::OkStatus();
  std::vector<std::string> args;
  for (const VisitChecks& visit : visits) {
    for (DueRule rule : {DueRule::kStart, DueRule::kLate, DueRule::kMissed, DueRule::kOverdue}) {
      args.push_back(CheckMember(visit.visit_id, rule));
      auto check = std::find_if(visit.checks.begin(), visit.checks.end(),
                                [rule](const DueCheck& check) { return check.rule == rule; });
      args.push_back(check == visit.checks.end() ? ""
                                                 : absl::StrCat(absl::ToUnixMillis(check->at)));
    }
  }
  absl::StatusOr<RedisReply> reply =
      RunTransition(*redis_, schedule_checks_, {TenantKey(tenant_id, kService, "checks")}, args);
  return reply.status();
}

absl::StatusOr<std::vector<std::string>> CheckInStore::VisitsWithChecks(absl::string_view tenant_id,
                                                                        absl::Time from) {
  absl::StatusOr<RedisReply> members =
      redis_->Command({"ZRANGEBYSCORE", TenantKey(tenant_id, kService, "checks"),
                       absl::StrCat(absl::ToUnixMillis(from)), "+inf"});
  if (!members.ok()) return members.status();
  std::vector<std::string> visits;
  std::set<std::string> seen;
  for (const RedisReply& member : members->elements) {
    std::optional<ClaimedCheck> check = ParseCheckMember(member.str);
    if (check.has_value() && seen.insert(check->visit_id).second) {
      visits.push_back(check->visit_id);
    }
  }
  return visits;
}

absl::StatusOr<std::vector<v1::VisitView>> CheckInStore::ReadViews(
    absl::string_view tenant_id, const std::vector<std::string>& visit_ids) {
  if (visit_ids.empty()) return std::vector<v1::VisitView>();
  std::vector<std::vector<std::string>> reads;
  for (const std::string& id : visit_ids)
    reads.push_back({"HGET", Key(tenant_id, "visit", id), "b"});
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
  }
  return ParseAll<v1::VisitView>(*replies, "visit view");
}

absl::StatusOr<std::vector<CheckInRecords::ClaimedCheck>> CheckInStore::ClaimChecks(
    absl::string_view tenant_id, absl::Time now, absl::Time lease_until, int limit) {
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, claim_checks_,
      {TenantKey(tenant_id, kService, "checks"), TenantKey(tenant_id, kService, "claimed")},
      {absl::StrCat(absl::ToUnixMillis(now)), absl::StrCat(absl::ToUnixMillis(lease_until)),
       absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  std::vector<ClaimedCheck> claimed;
  for (const RedisReply& member : absl::MakeConstSpan(reply->elements).subspan(1)) {
    std::optional<ClaimedCheck> check = ParseCheckMember(member.str);
    if (!check.has_value()) return CorruptRecord("alert check");
    claimed.push_back(*std::move(check));
  }
  return claimed;
}

absl::StatusOr<int> CheckInStore::RaiseAlerts(absl::string_view tenant_id,
                                              absl::string_view visit_id,
                                              const std::vector<v1::Alert>& alerts,
                                              const ClaimedCheck* check,
                                              const v1::BoardEntry* board) {
  std::vector<std::string> keys = {
      Key(tenant_id, "visit-alerts", visit_id), TenantKey(tenant_id, kService, "alerts"),
      TenantKey(tenant_id, kService, "alert-log"), TenantKey(tenant_id, kService, "claimed"),
      BoardLogKey(tenant_id)};
  std::vector<std::string> args = {
      check == nullptr ? "" : CheckMember(check->visit_id, check->rule),
      absl::StrCat(kAlertLogLength), std::string(visit_id), BoardChangeBytes(board)};
  for (const v1::Alert& alert : alerts) {
    keys.push_back(Key(tenant_id, "alert", alert.alert_id()));
    v1::AlertEvent event;
    *event.mutable_alert() = alert;
    args.insert(args.end(), {alert.alert_id(), alert.SerializeAsString(),
                             absl::StrCat(absl::ToUnixMillis(StoredTime(alert.due_time()))),
                             event.SerializeAsString()});
  }
  absl::StatusOr<RedisReply> reply = RunTransition(*redis_, raise_alerts_, keys, args);
  if (!reply.ok()) return reply.status();
  if (reply->elements.size() != 2) return UnexpectedOutcome(raise_alerts_, reply->elements[0].str);
  return static_cast<int>(reply->elements[1].integer);
}

absl::Status CheckInStore::UpdateAlert(absl::string_view tenant_id, const Snapshot<v1::Alert>& read,
                                       const v1::Alert& updated, const v1::BoardEntry* board) {
  v1::AlertEvent event;
  *event.mutable_alert() = updated;
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, update_alert_,
      {Key(tenant_id, "visit-alerts", updated.visit_id()),
       TenantKey(tenant_id, kService, "alert-log"), BoardLogKey(tenant_id)},
      {updated.alert_id(), read.bytes, updated.SerializeAsString(), event.SerializeAsString(),
       absl::StrCat(kAlertLogLength), BoardChangeBytes(board)});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "written") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the alert");
  return UnexpectedOutcome(update_alert_, outcome);
}

absl::StatusOr<Snapshot<v1::Alert>> CheckInStore::ReadAlert(absl::string_view tenant_id,
                                                            absl::string_view alert_id) {
  const absl::Status not_found =
      absl::NotFoundError(absl::StrCat("alert ", alert_id, " not found"));
  absl::StatusOr<RedisReply> visit = redis_->Command({"GET", Key(tenant_id, "alert", alert_id)});
  if (!visit.ok()) return visit.status();
  if (visit->is_nil()) return not_found;
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"HGET", Key(tenant_id, "visit-alerts", visit->str), std::string(alert_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return not_found;
  return SnapshotOf<v1::Alert>(*reply, "alert");
}

absl::StatusOr<ScoredIdPage> CheckInStore::ListAlertIds(absl::string_view tenant_id,
                                                        absl::Time from, absl::Time before,
                                                        const std::string& after, int limit) {
  return ReadScoredIds(*redis_, TenantKey(tenant_id, kService, "alerts"), from, before, after,
                       limit);
}

absl::StatusOr<std::vector<v1::Alert>> CheckInStore::ReadAlerts(
    absl::string_view tenant_id, const std::vector<std::string>& alert_ids) {
  if (alert_ids.empty()) return std::vector<v1::Alert>();
  std::vector<std::string> mget = {"MGET"};
  for (const std::string& id : alert_ids) mget.push_back(Key(tenant_id, "alert", id));
  absl::StatusOr<RedisReply> visits = redis_->Command(mget);
  if (!visits.ok()) return visits.status();
  std::vector<std::vector<std::string>> reads;
  for (size_t i = 0; i < alert_ids.size(); ++i) {
    if (visits->elements[i].is_nil()) continue;
    reads.push_back(
        {"HGET", Key(tenant_id, "visit-alerts", visits->elements[i].str), alert_ids[i]});
  }
  if (reads.empty()) return std::vector<v1::Alert>();
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(reads);
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
  }
  return ParseAll<v1::Alert>(*replies, "alert");
}

absl::StatusOr<std::vector<std::string>> CheckInStore::ReadDayVisits(absl::string_view tenant_id,
                                                                     int64_t day) {
  absl::StatusOr<RedisReply> members =
      redis_->Command({"ZRANGE", Key(tenant_id, "day-visits", absl::StrCat(day)), "0", "-1"});
  if (!members.ok()) return members.status();
  std::vector<std::string> visits;
  for (const RedisReply& member : members->elements) visits.push_back(member.str);
  return visits;
}

absl::StatusOr<std::vector<CheckInRecords::BoardVisit>> CheckInStore::ReadBoardVisits(
    absl::string_view tenant_id, const std::vector<std::string>& visit_ids) {
  std::vector<BoardVisit> visits;
  constexpr size_t kBatch = 200;
  for (size_t first = 0; first < visit_ids.size(); first += kBatch) {
    std::vector<std::vector<std::string>> reads;
    for (size_t i = first; i < std::min(visit_ids.size(), first + kBatch); ++i) {
      reads.push_back({"HGET", Key(tenant_id, "visit", visit_ids[i]), "b"});
      reads.push_back({"GET", Key(tenant_id, "record", visit_ids[i])});
      reads.push_back({"HVALS", Key(tenant_id, "visit-alerts", visit_ids[i])});
    }
    absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(reads);
    if (!replies.ok()) return replies.status();
    for (const RedisReply& reply : *replies) {
      if (reply.is_error()) return ErrorReplyToStatus(reply);
    }
    for (size_t i = 0; i + 2 < replies->size(); i += 3) {
      if ((*replies)[i].is_nil()) continue;
      BoardVisit& visit = visits.emplace_back();
      if (!visit.view.ParseFromString((*replies)[i].str)) return CorruptRecord("visit view");
      const RedisReply& record = (*replies)[i + 1];
      if (!record.is_nil() && !visit.record.ParseFromString(record.str)) {
        return CorruptRecord("visit record");
      }
      absl::StatusOr<std::vector<v1::Alert>> alerts =
          ParseAll<v1::Alert>((*replies)[i + 2].elements, "alert");
      if (!alerts.ok()) return alerts.status();
      visit.alerts = *std::move(alerts);
    }
  }
  return visits;
}

absl::StatusOr<std::string> CheckInStore::BoardPosition(absl::string_view tenant_id) {
  return board_log_.Latest(tenant_id);
}

}  // namespace homecare::checkin
