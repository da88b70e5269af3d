#include "services/scheduling/scheduling_store.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "common/ids/ids.h"
#include "common/redis/keys.h"
#include "common/redis/lease.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/scheduling/scheduling_lua.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {
namespace {

constexpr absl::string_view kService = "scheduling";
// The only key outside a tenant: every tenant with clients, for a watcher of every tenant.
constexpr absl::string_view kTenantRegistry = "hc:scheduling:tenants";

std::string ClientKey(absl::string_view tenant, absl::string_view client) {
  return TenantKey(tenant, kService, "client", client);
}
std::string ClientsKey(absl::string_view tenant) { return TenantKey(tenant, kService, "clients"); }
std::string VisitChangesKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "visit-changes");
}
std::string ChangeStreamLength() { return absl::StrCat(SchedulingStore::kVisitChangeStreamLength); }
std::string ChangeOf(absl::string_view tenant, const v1::Visit* before, const v1::Visit& after,
                     v1::VisitChange::Kind kind) {
  return VisitChangeOf(std::string(tenant), before, after, kind).SerializeAsString();
}
std::string LocalityClientsKey(absl::string_view tenant, absl::string_view locality) {
  return TenantKey(tenant, kService, "locality-clients", locality);
}
std::string PlanKey(absl::string_view tenant, absl::string_view plan) {
  return TenantKey(tenant, kService, "plan", plan);
}
std::string ClientPlansKey(absl::string_view tenant, absl::string_view client) {
  return TenantKey(tenant, kService, "client-plans", client);
}
std::string PlanReviewsKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "plan-reviews");
}
std::string VisitKey(absl::string_view tenant, absl::string_view visit) {
  return TenantKey(tenant, kService, "visit", visit);
}
std::string VisitsKey(absl::string_view tenant) { return TenantKey(tenant, kService, "visits"); }
std::string ClientVisitsKey(absl::string_view tenant, absl::string_view client) {
  return TenantKey(tenant, kService, "client-visits", client);
}
std::string LocalityVisitsKey(absl::string_view tenant, absl::string_view locality) {
  return TenantKey(tenant, kService, "locality-visits", locality);
}
std::string CarerVisitsKey(absl::string_view tenant, absl::string_view carer) {
  return TenantKey(tenant, kService, "carer-visits", carer);
}
std::string CarerDaysKey(absl::string_view tenant, absl::string_view carer) {
  return TenantKey(tenant, kService, "carer-days", carer);
}
std::string ClientCarerKey(absl::string_view tenant, absl::string_view client,
                           absl::string_view carer) {
  return TenantKey(tenant, kService, "client-carer", absl::StrCat(client, ":", carer));
}
// Request keys hold a digest: request ids are client-made and may hold any character.
std::string RequestDigest(const std::string& request_id) {
  return Sha256Hex(request_id).substr(0, 32);
}
std::string VisitRequestKey(absl::string_view tenant, const std::string& request_id) {
  return TenantKey(tenant, kService, "visit-request", RequestDigest(request_id));
}
std::string SettingsKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "settings");
}
std::string ReplanKey(absl::string_view tenant, absl::string_view proposal) {
  return TenantKey(tenant, kService, "replan", proposal);
}

// A carer-day's field in carer-days: the visit's local date.
std::string DayField(absl::CivilDay day) { return absl::FormatCivilTime(day); }
std::string DayField(const common::v1::Date& date) {
  absl::StatusOr<absl::CivilDay> day = DateFromProto(date, "local_date");
  return day.ok() ? DayField(*day) : "";
}
std::string SolveLeaseKey(absl::string_view tenant, absl::CivilDay date) {
  return TenantKey(tenant, kService, "solve-lease", DayField(date));
}
std::string ReplansKey(absl::string_view tenant, absl::string_view day) {
  return TenantKey(tenant, kService, "replans", day);
}

std::string RequestRecordText(const SchedulingRecords::RequestRecord& record) {
  return absl::StrCat(record.fingerprint, "\n", record.response);
}
std::optional<SchedulingRecords::RequestRecord> ParseRequestRecord(const std::string& text) {
  const size_t newline = text.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  return SchedulingRecords::RequestRecord{text.substr(0, newline), text.substr(newline + 1)};
}

absl::Status Conflict(absl::string_view what) {
  return ConcurrentWriteError(what, kSchedulingErrorDomain);
}

std::string RetrySeconds() {
  return absl::StrCat(absl::ToInt64Seconds(SchedulingStore::kRetryWindow));
}

std::string PlannedStartScore(const v1::Visit& visit) {
  return absl::StrCat(visit.planned_start().seconds() * 1000 +
                      visit.planned_start().nanos() / 1000000);
}

template <typename Record>
absl::StatusOr<std::vector<Record>> ParseAll(const RedisReply& reply, absl::string_view what) {
  std::vector<Record> records;
  for (const RedisReply& element : reply.elements) {
    if (element.is_nil()) continue;
    if (!records.emplace_back().ParseFromString(element.str)) return CorruptRecord(what);
  }
  return records;
}

// The versions in an HGETALL reply of a plan, oldest first.
absl::StatusOr<std::vector<v1::CarePlan>> Versions(const RedisReply& reply) {
  std::vector<v1::CarePlan> versions;
  for (size_t i = 0; i + 1 < reply.elements.size(); i += 2) {
    if (!versions.emplace_back().ParseFromString(reply.elements[i + 1].str)) {
      return CorruptRecord("care plan");
    }
  }
  std::sort(versions.begin(), versions.end(),
            [](const v1::CarePlan& a, const v1::CarePlan& b) { return a.version() < b.version(); });
  return versions;
}

std::string PlanRequestKey(absl::string_view tenant, const std::string& request_id) {
  return TenantKey(tenant, kService, "plan-request", RequestDigest(request_id));
}

absl::StatusOr<SchedulingStore::AddVersionOutcome> ParsePlanRequest(const std::string& record) {
  std::vector<std::string> parts = absl::StrSplit(record, '\n');
  SchedulingStore::AddVersionOutcome outcome;
  if (parts.size() != 3 || !absl::SimpleAtoi(parts[2], &outcome.previous_version)) {
    return CorruptRecord("care plan request");
  }
  outcome.previous_fingerprint = parts[0];
  outcome.previous_plan_id = parts[1];
  return outcome;
}

absl::Status FirstError(const std::vector<RedisReply>& replies) {
  for (const RedisReply& reply : replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
  }
  return absl::OkStatus();
}

}  // namespace

SchedulingStore::SchedulingStore(RedisClient* redis)
    : redis_(redis),
      visit_changes_(redis, {.key = &VisitChangesKey,
                             .field = "change",
                             .tenant_ids = [this] { return ListTenantIds(); },
                             .when_lost = "list the visits again and watch from now on"}),
      create_client_(
          LuaScript(lua::kCreateClientLuaName, lua::kCreateClientLua, lua::kCreateClientLuaKeys)),
      update_client_(
          LuaScript(lua::kUpdateClientLuaName, lua::kUpdateClientLua, lua::kUpdateClientLuaKeys)),
      add_care_plan_version_(LuaScript(lua::kAddCarePlanVersionLuaName, lua::kAddCarePlanVersionLua,
                                       lua::kAddCarePlanVersionLuaKeys)),
      create_visit_(
          LuaScript(lua::kCreateVisitLuaName, lua::kCreateVisitLua, lua::kCreateVisitLuaKeys)),
      write_visit_(
          LuaScript(lua::kWriteVisitLuaName, lua::kWriteVisitLua, lua::kWriteVisitLuaKeys)) {}

absl::Status SchedulingStore::LoadScripts() {
  return redis_->LoadScripts({&create_client_, &update_client_, &add_care_plan_version_,
                              &create_visit_, &write_visit_, &PutIfUnchangedScript()});
}

// ---------------------------------------------------------------------------------------------
// Clients

absl::StatusOr<Created<v1::Client>> SchedulingStore::CreateClient(absl::string_view tenant_id,
                                                                  const v1::Client& client,
                                                                  const std::string& fingerprint) {
  const std::string& id = client.client_id();
  absl::StatusOr<RedisReply> reply =
      RunTransition(*redis_, create_client_,
                    {ClientKey(tenant_id, id), ClientsKey(tenant_id),
                     LocalityClientsKey(tenant_id, client.locality_id()),
                     TenantKey(tenant_id, kService, "client-create", id)},
                    {client.SerializeAsString(), id, fingerprint, RetrySeconds()});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<Created<v1::Client>> created =
      ParseCreateOnce(create_client_, *reply, client,
                      {.what = "client",
                       .exists = absl::AlreadyExistsError(absl::StrCat(
                           "client ", id, " was made by another request with this request_id"))});
  if (!created.ok()) return created.status();
  // Also on a duplicate: the retry completes a create interrupted before this step. A tenant's
  // visits all belong to clients, so a tenant with visits is in the registry.
  absl::StatusOr<RedisReply> registered =
      redis_->Command({"SADD", std::string(kTenantRegistry), std::string(tenant_id)});
  if (!registered.ok()) return registered.status();
  return created;
}

absl::StatusOr<Snapshot<v1::Client>> SchedulingStore::ReadClient(absl::string_view tenant_id,
                                                                 absl::string_view client_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", ClientKey(tenant_id, client_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("client ", client_id, " not found"));
  return SnapshotOf<v1::Client>(*reply, "client");
}

absl::Status SchedulingStore::UpdateClient(absl::string_view tenant_id,
                                           const Snapshot<v1::Client>& read,
                                           const v1::Client& updated) {
  const std::string& id = updated.client_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, update_client_,
      {ClientKey(tenant_id, id), LocalityClientsKey(tenant_id, read.record.locality_id()),
       LocalityClientsKey(tenant_id, updated.locality_id())},
      {read.bytes, updated.SerializeAsString(), id});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the client");
  if (outcome == "missing") return absl::NotFoundError(absl::StrCat("client ", id, " not found"));
  return UnexpectedOutcome(update_client_, outcome);
}

absl::StatusOr<std::vector<std::string>> SchedulingStore::ListClientIds(
    absl::string_view tenant_id, absl::string_view locality_id, const std::string& after,
    int limit) {
  const std::string key =
      locality_id.empty() ? ClientsKey(tenant_id) : LocalityClientsKey(tenant_id, locality_id);
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"ZRANGEBYLEX", key, after.empty() ? "-" : absl::StrCat("(", after), "+",
                       "LIMIT", "0", absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const RedisReply& id : reply->elements) ids.push_back(id.str);
  return ids;
}

absl::StatusOr<std::vector<v1::Client>> SchedulingStore::ReadClients(
    absl::string_view tenant_id, const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<v1::Client>();
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : ids) command.push_back(ClientKey(tenant_id, id));
  absl::StatusOr<RedisReply> reply = redis_->Command(command);
  if (!reply.ok()) return reply.status();
  return ParseAll<v1::Client>(*reply, "client");
}

// ---------------------------------------------------------------------------------------------
// Care plans

absl::StatusOr<SchedulingStore::AddVersionOutcome> SchedulingStore::AddCarePlanVersion(
    absl::string_view tenant_id, const v1::CarePlan& version, const std::string& request_id,
    const std::string& fingerprint) {
  const std::string& plan_id = version.care_plan_id();
  int64_t review_score = kNoReviewScore;
  if (version.has_review_date()) {
    absl::CivilDay day(version.review_date().year(), version.review_date().month(),
                       version.review_date().day());
    review_score = absl::ToUnixMillis(absl::FromCivil(day, absl::UTCTimeZone()));
  }
  const std::string request_key = PlanRequestKey(tenant_id, request_id);
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, add_care_plan_version_,
      {PlanKey(tenant_id, plan_id), request_key, ClientPlansKey(tenant_id, version.client_id()),
       PlanReviewsKey(tenant_id), ClientKey(tenant_id, version.client_id())},
      {version.SerializeAsString(), absl::StrCat(version.version()),
       absl::StrCat(fingerprint, "\n", plan_id, "\n", version.version()), RetrySeconds(), plan_id,
       absl::StrCat(review_score)});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  AddVersionOutcome result;
  if (outcome == "created") {
    result.added = true;
  } else if (outcome == "requested") {
    if (reply->elements.size() < 2) return CorruptRecord("care plan request");
    return ParsePlanRequest(reply->elements[1].str);
  } else if (outcome == "no-client") {
    return absl::NotFoundError(absl::StrCat("client ", version.client_id(), " not found"));
  } else if (outcome == "conflict") {
    return Conflict("the care plan");
  } else {
    return UnexpectedOutcome(add_care_plan_version_, outcome);
  }
  return result;
}

absl::StatusOr<SchedulingStore::AddVersionOutcome> SchedulingStore::ReadCarePlanRequest(
    absl::string_view tenant_id, const std::string& request_id) {
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"GET", PlanRequestKey(tenant_id, request_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return AddVersionOutcome();
  return ParsePlanRequest(reply->str);
}

absl::StatusOr<std::vector<v1::CarePlan>> SchedulingStore::ReadCarePlan(
    absl::string_view tenant_id, absl::string_view care_plan_id) {
  absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> plans =
      ReadCarePlans(tenant_id, {std::string(care_plan_id)});
  if (!plans.ok()) return plans.status();
  if ((*plans)[0].empty()) {
    return absl::NotFoundError(absl::StrCat("care plan ", care_plan_id, " not found"));
  }
  return std::move((*plans)[0]);
}

absl::StatusOr<std::vector<std::vector<std::string>>> SchedulingStore::ReadPlanIdsOfClients(
    absl::string_view tenant_id, const std::vector<std::string>& client_ids) {
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : client_ids) {
    commands.push_back({"ZRANGE", ClientPlansKey(tenant_id, id), "0", "-1"});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  std::vector<std::vector<std::string>> ids(client_ids.size());
  for (size_t i = 0; i < replies->size(); ++i) {
    for (const RedisReply& id : (*replies)[i].elements) ids[i].push_back(id.str);
  }
  return ids;
}

absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> SchedulingStore::ReadCarePlans(
    absl::string_view tenant_id, const std::vector<std::string>& plan_ids) {
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : plan_ids) commands.push_back({"HGETALL", PlanKey(tenant_id, id)});
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  std::vector<std::vector<v1::CarePlan>> plans;
  for (const RedisReply& reply : *replies) {
    absl::StatusOr<std::vector<v1::CarePlan>> versions = Versions(reply);
    if (!versions.ok()) return versions.status();
    plans.push_back(*std::move(versions));
  }
  return plans;
}

absl::StatusOr<ScoredIdPage> SchedulingStore::ListPlanIdsByReview(absl::string_view tenant_id,
                                                                  absl::Time review_before,
                                                                  const std::string& after,
                                                                  int limit) {
  return ReadScoredIds(*redis_, PlanReviewsKey(tenant_id), absl::InfinitePast(), review_before,
                       after, limit);
}

// ---------------------------------------------------------------------------------------------
// Visits

RedisClient::ScriptCall SchedulingStore::CreateVisitCall(absl::string_view tenant_id,
                                                         const v1::Visit& visit,
                                                         const std::string& fingerprint) const {
  const std::string& id = visit.visit_id();
  return {
      {VisitKey(tenant_id, id), VisitsKey(tenant_id), ClientVisitsKey(tenant_id, visit.client_id()),
       LocalityVisitsKey(tenant_id, visit.locality_id()),
       TenantKey(tenant_id, kService, "visit-create", id), VisitChangesKey(tenant_id)},
      {visit.SerializeAsString(), id, PlannedStartScore(visit), fingerprint, RetrySeconds(),
       ChangeOf(
           tenant_id, nullptr, visit,
           fingerprint.empty() ? v1::VisitChange::KIND_GENERATED : v1::VisitChange::KIND_CREATED),
       ChangeStreamLength()}};
}

absl::StatusOr<Created<v1::Visit>> SchedulingStore::CreateVisit(absl::string_view tenant_id,
                                                                const v1::Visit& visit,
                                                                const std::string& fingerprint) {
  RedisClient::ScriptCall call = CreateVisitCall(tenant_id, visit, fingerprint);
  absl::StatusOr<RedisReply> reply = RunTransition(*redis_, create_visit_, call.keys, call.args);
  if (!reply.ok()) return reply.status();
  return ParseCreateOnce(
      create_visit_, *reply, visit,
      {.what = "visit",
       .exists = absl::AlreadyExistsError(absl::StrCat(
           "visit ", visit.visit_id(), " was made by another request with this request_id"))});
}

absl::StatusOr<int> SchedulingStore::CreateGeneratedVisits(absl::string_view tenant_id,
                                                           const std::vector<v1::Visit>& visits) {
  if (visits.empty()) return 0;
  std::vector<RedisClient::ScriptCall> calls;
  calls.reserve(visits.size());
  for (const v1::Visit& visit : visits) calls.push_back(CreateVisitCall(tenant_id, visit, ""));
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->RunScriptPipeline(create_visit_, calls);
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  int created = 0;
  for (const RedisReply& reply : *replies) {
    if (reply.elements.empty()) return UnexpectedOutcome(create_visit_, "(empty)");
    const std::string& outcome = reply.elements[0].str;
    if (outcome == "created") {
      ++created;
    } else if (outcome != "present") {
      return UnexpectedOutcome(create_visit_, outcome);
    }
  }
  return created;
}

RedisClient::ScriptCall SchedulingStore::WriteVisitCall(absl::string_view tenant_id,
                                                        const VisitWrite& write) const {
  const v1::Visit& before = write.read->record;
  const v1::Visit& after = write.updated;
  const std::string& id = after.visit_id();
  RedisClient::ScriptCall call{
      {VisitKey(tenant_id, id), VisitsKey(tenant_id), ClientVisitsKey(tenant_id, after.client_id()),
       LocalityVisitsKey(tenant_id, before.locality_id()),
       LocalityVisitsKey(tenant_id, after.locality_id()), VisitChangesKey(tenant_id),
       VisitRequestKey(tenant_id, write.request_id)},
      {write.read->bytes, after.SerializeAsString(), id, PlannedStartScore(after),
       ChangeOf(tenant_id, &before, after, write.kind), ChangeStreamLength(),
       write.request_id.empty() ? "" : RequestRecordText(write.request), RetrySeconds()}};
  // Every carer on the visit before or after, each once, in a fixed order.
  std::vector<std::string> carers(before.carer_ids().begin(), before.carer_ids().end());
  carers.insert(carers.end(), after.carer_ids().begin(), after.carer_ids().end());
  std::sort(carers.begin(), carers.end());
  carers.erase(std::unique(carers.begin(), carers.end()), carers.end());
  call.args.push_back(absl::StrCat(carers.size()));
  auto on = [](const v1::Visit& visit, const std::string& carer) {
    return std::find(visit.carer_ids().begin(), visit.carer_ids().end(), carer) !=
           visit.carer_ids().end();
  };
  for (const std::string& carer : carers) {
    call.keys.push_back(CarerVisitsKey(tenant_id, carer));
    call.keys.push_back(CarerDaysKey(tenant_id, carer));
    call.keys.push_back(ClientCarerKey(tenant_id, after.client_id(), carer));
    const bool on_after = on(after, carer);
    std::string checked;
    for (const CarerDayVersion& day : write.checked) {
      if (day.carer_id == carer)
        absl::StrAppend(&checked, DayField(day.day), "=", day.version, ";");
    }
    call.args.push_back(carer);
    call.args.push_back(on(before, carer) ? DayField(before.local_date()) : "");
    call.args.push_back(on_after ? DayField(after.local_date()) : "");
    call.args.push_back(on_after && after.status() != v1::VISIT_STATUS_CANCELLED ? "1" : "0");
    call.args.push_back(std::move(checked));
  }
  return call;
}

absl::StatusOr<SchedulingRecords::WriteOutcome> SchedulingStore::WriteVisit(
    absl::string_view tenant_id, const VisitWrite& write) {
  RedisClient::ScriptCall call = WriteVisitCall(tenant_id, write);
  absl::StatusOr<RedisReply> reply = RunTransition(*redis_, write_visit_, call.keys, call.args);
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return WriteOutcome{.written = true};
  if (outcome == "conflict") return Conflict("the visit");
  if (outcome == "busy") return Conflict("a carer's day");
  if (outcome == "missing") {
    return absl::NotFoundError(absl::StrCat("visit ", write.updated.visit_id(), " not found"));
  }
  if (outcome == "requested" && reply->elements.size() == 2) {
    std::optional<RequestRecord> earlier = ParseRequestRecord(reply->elements[1].str);
    if (!earlier.has_value()) return CorruptRecord("visit request");
    return WriteOutcome{.written = false, .earlier = std::move(earlier)};
  }
  return UnexpectedOutcome(write_visit_, outcome);
}

absl::StatusOr<int> SchedulingStore::WriteVisits(absl::string_view tenant_id,
                                                 const std::vector<VisitWrite>& writes) {
  if (writes.empty()) return 0;
  std::vector<RedisClient::ScriptCall> calls;
  calls.reserve(writes.size());
  for (const VisitWrite& write : writes) calls.push_back(WriteVisitCall(tenant_id, write));
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->RunScriptPipeline(write_visit_, calls);
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  int written = 0;
  for (const RedisReply& reply : *replies) {
    if (!reply.elements.empty() && reply.elements[0].str == "updated") ++written;
  }
  return written;
}

absl::StatusOr<std::optional<SchedulingRecords::RequestRecord>> SchedulingStore::ReadRequest(
    absl::string_view tenant_id, const std::string& request_id) {
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"GET", VisitRequestKey(tenant_id, request_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return std::optional<RequestRecord>();
  std::optional<RequestRecord> record = ParseRequestRecord(reply->str);
  if (!record.has_value()) return CorruptRecord("visit request");
  return record;
}

absl::StatusOr<bool> SchedulingStore::TakeSolveLease(absl::string_view tenant_id,
                                                     absl::CivilDay date, const std::string& token,
                                                     absl::Duration ttl) {
  return TakeLease(*redis_, SolveLeaseKey(tenant_id, date), token, ttl);
}

absl::Status SchedulingStore::ReleaseSolveLease(absl::string_view tenant_id, absl::CivilDay date,
                                                const std::string& token) {
  return ReleaseLease(*redis_, SolveLeaseKey(tenant_id, date), token).status();
}

absl::Status SchedulingStore::KeepRequest(absl::string_view tenant_id,
                                          const std::string& request_id,
                                          const RequestRecord& record) {
  return redis_
      ->Command({"SET", VisitRequestKey(tenant_id, request_id), RequestRecordText(record), "NX",
                 "EX", RetrySeconds()})
      .status();
}

absl::Status SchedulingStore::PutReplanProposal(absl::string_view tenant_id,
                                                const v1::ReplanProposal& proposal) {
  const std::string index = ReplansKey(tenant_id, DayField(proposal.date()));
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"SET", ReplanKey(tenant_id, proposal.proposal_id()), proposal.SerializeAsString(), "EX",
        RetrySeconds()},
       {"ZADD", index, ScoreOf(StoredTime(proposal.create_time())), proposal.proposal_id()},
       {"EXPIRE", index, RetrySeconds()}});
  if (!replies.ok()) return replies.status();
  return FirstError(*replies);
}

absl::StatusOr<v1::ReplanProposal> SchedulingStore::ReadReplanProposal(
    absl::string_view tenant_id, const std::string& proposal_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", ReplanKey(tenant_id, proposal_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) {
    return absl::NotFoundError(absl::StrCat("replan proposal ", proposal_id, " not found"));
  }
  v1::ReplanProposal proposal;
  if (!proposal.ParseFromString(reply->str)) return CorruptRecord("replan proposal");
  return proposal;
}

absl::StatusOr<std::vector<v1::ReplanProposal>> SchedulingStore::ReadReplanProposals(
    absl::string_view tenant_id, absl::CivilDay date) {
  absl::StatusOr<RedisReply> ids =
      redis_->Command({"ZRANGE", ReplansKey(tenant_id, DayField(date)), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<v1::ReplanProposal> proposals;
  if (ids->elements.empty()) return proposals;
  std::vector<std::string> get = {"MGET"};
  for (const RedisReply& id : ids->elements) {
    get.push_back(ReplanKey(tenant_id, id.str));
  }
  absl::StatusOr<RedisReply> records = redis_->Command(get);
  if (!records.ok()) return records.status();
  return ParseAll<v1::ReplanProposal>(*records, "replan proposal");
}

absl::StatusOr<std::vector<std::string>> SchedulingStore::ListTenantIds() {
  absl::StatusOr<RedisReply> reply = redis_->Command({"SMEMBERS", std::string(kTenantRegistry)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const RedisReply& id : reply->elements) ids.push_back(id.str);
  std::sort(ids.begin(), ids.end());
  return ids;
}

absl::StatusOr<Snapshot<v1::Visit>> SchedulingStore::ReadVisit(absl::string_view tenant_id,
                                                               absl::string_view visit_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", VisitKey(tenant_id, visit_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("visit ", visit_id, " not found"));
  return SnapshotOf<v1::Visit>(*reply, "visit");
}

absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> SchedulingStore::ReadVisitsOfClients(
    absl::string_view tenant_id, const std::vector<std::string>& client_ids, absl::Time from,
    absl::Time before) {
  std::vector<std::vector<std::string>> commands;
  for (const std::string& id : client_ids) {
    commands.push_back({"ZRANGEBYSCORE", ClientVisitsKey(tenant_id, id), ScoreOf(from),
                        absl::StrCat("(", ScoreOf(before))});
  }
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(commands);
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  std::vector<std::vector<Snapshot<v1::Visit>>> visits(client_ids.size());
  std::vector<std::string> mget = {"MGET"};
  std::vector<size_t> owner;
  for (size_t i = 0; i < replies->size(); ++i) {
    for (const RedisReply& id : (*replies)[i].elements) {
      mget.push_back(VisitKey(tenant_id, id.str));
      owner.push_back(i);
    }
  }
  if (owner.empty()) return visits;
  absl::StatusOr<RedisReply> records = redis_->Command(mget);
  if (!records.ok()) return records.status();
  for (size_t j = 0; j < records->elements.size() && j < owner.size(); ++j) {
    const RedisReply& record = records->elements[j];
    if (record.is_nil()) continue;
    absl::StatusOr<Snapshot<v1::Visit>> snapshot = SnapshotOf<v1::Visit>(record, "visit");
    if (!snapshot.ok()) return snapshot.status();
    visits[owner[j]].push_back(*std::move(snapshot));
  }
  return visits;
}

absl::StatusOr<ScoredIdPage> SchedulingStore::ListVisitIds(absl::string_view tenant_id,
                                                           const VisitIndex& index, absl::Time from,
                                                           absl::Time before,
                                                           const std::string& after, int limit) {
  std::string key = !index.client_id.empty()     ? ClientVisitsKey(tenant_id, index.client_id)
                    : !index.carer_id.empty()    ? CarerVisitsKey(tenant_id, index.carer_id)
                    : !index.locality_id.empty() ? LocalityVisitsKey(tenant_id, index.locality_id)
                                                 : VisitsKey(tenant_id);
  return ReadScoredIds(*redis_, key, from, before, after, limit);
}

absl::StatusOr<std::vector<v1::Visit>> SchedulingStore::ReadVisits(
    absl::string_view tenant_id, const std::vector<std::string>& ids) {
  if (ids.empty()) return std::vector<v1::Visit>();
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : ids) command.push_back(VisitKey(tenant_id, id));
  absl::StatusOr<RedisReply> reply = redis_->Command(command);
  if (!reply.ok()) return reply.status();
  return ParseAll<v1::Visit>(*reply, "visit");
}

// ---------------------------------------------------------------------------------------------
// Carers' days

absl::StatusOr<SchedulingRecords::CarerSchedule> SchedulingStore::ReadCarerSchedule(
    absl::string_view tenant_id, const CarerScheduleQuery& query) {
  std::vector<std::string> versions = {"HMGET", CarerDaysKey(tenant_id, query.carer_id)};
  for (absl::CivilDay day = query.first_day; day <= query.last_day; ++day) {
    versions.push_back(DayField(day));
  }
  // In this order on one connection: versions before the visits they cover.
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {versions,
       {"ZRANGEBYSCORE", CarerVisitsKey(tenant_id, query.carer_id), ScoreOf(query.from),
        absl::StrCat("(", ScoreOf(query.before))},
       {"ZRANGEBYSCORE", ClientCarerKey(tenant_id, query.client_id, query.carer_id), "-inf",
        absl::StrCat("(", ScoreOf(query.visited_before)), "LIMIT", "0", "1"}});
  if (!replies.ok()) return replies.status();
  if (absl::Status failed = FirstError(*replies); !failed.ok()) return failed;
  CarerSchedule schedule;
  absl::CivilDay day = query.first_day;
  for (const RedisReply& version : (*replies)[0].elements) {
    CarerDayVersion& read = schedule.versions.emplace_back();
    read.carer_id = query.carer_id;
    read.day = day++;
    if (!version.is_nil() && !absl::SimpleAtoi(version.str, &read.version)) {
      return CorruptRecord("carer-day version");
    }
  }
  schedule.has_visited_client = !(*replies)[2].elements.empty();
  std::vector<std::string> ids;
  for (const RedisReply& id : (*replies)[1].elements) ids.push_back(id.str);
  absl::StatusOr<std::vector<v1::Visit>> visits = ReadVisits(tenant_id, ids);
  if (!visits.ok()) return visits.status();
  schedule.visits = *std::move(visits);
  return schedule;
}

// ---------------------------------------------------------------------------------------------
// Settings

absl::StatusOr<Snapshot<v1::SchedulingSettings>> SchedulingStore::ReadSettings(
    absl::string_view tenant_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", SettingsKey(tenant_id)});
  if (!reply.ok()) return reply.status();
  return SnapshotOf<v1::SchedulingSettings>(*reply, "scheduling settings");
}

absl::Status SchedulingStore::WriteSettings(absl::string_view tenant_id,
                                            const Snapshot<v1::SchedulingSettings>& read,
                                            const v1::SchedulingSettings& updated) {
  return PutIfUnchanged(*redis_, SettingsKey(tenant_id), read.bytes, updated.SerializeAsString(),
                        "the scheduling settings", kSchedulingErrorDomain);
}

}  // namespace homecare::scheduling
