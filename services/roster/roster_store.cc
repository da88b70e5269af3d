#include "services/roster/roster_store.h"

#include <algorithm>
#include <map>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/time/time.h"
#include "common/redis/keys.h"
#include "common/redis/scored_index.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/roster/roster_lua.h"

namespace homecare::roster {
namespace {

constexpr absl::string_view kService = "roster";
constexpr absl::string_view kTenantRegistry = "hc:roster:tenants";

std::string TenantProfileKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "tenant");
}
std::string CarerKey(absl::string_view tenant, absl::string_view carer) {
  return TenantKey(tenant, kService, "carer", carer);
}
std::string CarersKey(absl::string_view tenant) { return TenantKey(tenant, kService, "carers"); }
std::string LocalityCarersKey(absl::string_view tenant, absl::string_view locality) {
  return TenantKey(tenant, kService, "locality-carers", locality);
}
std::string CarersRevisionKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "carers-rev");
}
std::string AvailabilityKey(absl::string_view tenant, absl::string_view carer) {
  return TenantKey(tenant, kService, "availability", carer);
}
std::string AbsenceKey(absl::string_view tenant, absl::string_view absence) {
  return TenantKey(tenant, kService, "absence", absence);
}
std::string CarerAbsencesKey(absl::string_view tenant, absl::string_view carer) {
  return TenantKey(tenant, kService, "carer-absences", carer);
}
std::string AbsencesKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "absences");
}
std::string AbsenceEndsKey(absl::string_view tenant) {
  return TenantKey(tenant, kService, "absence-ends");
}

absl::Status Conflict(absl::string_view what) {
  return ConcurrentWriteError(what, kRosterErrorDomain);
}

std::string RetrySeconds() { return absl::StrCat(absl::ToInt64Seconds(RosterStore::kRetryWindow)); }

std::string StreamLength() { return absl::StrCat(RosterStore::kChangeStreamLength); }

}  // namespace

RosterStore::RosterStore(RedisClient* redis)
    : redis_(redis),
      changes_(redis, {.key = &RosterStore::ChangeStreamKey,
                       .field = "change",
                       .tenant_ids = [this] { return ListTenantIds(); },
                       .when_lost = "read the carers again and watch from now on"}),
      create_tenant_(
          LuaScript(lua::kCreateTenantLuaName, lua::kCreateTenantLua, lua::kCreateTenantLuaKeys)),
      update_tenant_(
          LuaScript(lua::kUpdateTenantLuaName, lua::kUpdateTenantLua, lua::kUpdateTenantLuaKeys)),
      create_carer_(
          LuaScript(lua::kCreateCarerLuaName, lua::kCreateCarerLua, lua::kCreateCarerLuaKeys)),
      update_carer_(
          LuaScript(lua::kUpdateCarerLuaName, lua::kUpdateCarerLua, lua::kUpdateCarerLuaKeys)),
      set_availability_(LuaScript(lua::kSetAvailabilityLuaName, lua::kSetAvailabilityLua,
                                  lua::kSetAvailabilityLuaKeys)),
      record_absence_(LuaScript(lua::kRecordAbsenceLuaName, lua::kRecordAbsenceLua,
                                lua::kRecordAbsenceLuaKeys)),
      update_absence_(LuaScript(lua::kUpdateAbsenceLuaName, lua::kUpdateAbsenceLua,
                                lua::kUpdateAbsenceLuaKeys)) {}

absl::Status RosterStore::LoadScripts() {
  return redis_->LoadScripts({&create_tenant_, &update_tenant_, &create_carer_, &update_carer_,
                              &set_availability_, &record_absence_, &update_absence_});
}

std::string RosterStore::ChangeStreamKey(absl::string_view tenant_id) {
  return TenantKey(tenant_id, kService, "changes");
}

// ---------------------------------------------------------------------------------------------
// Tenants

absl::StatusOr<Created<v1::Tenant>> RosterStore::CreateTenant(const v1::Tenant& tenant,
                                                              const std::string& fingerprint) {
  const std::string& id = tenant.tenant_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, create_tenant_, {TenantProfileKey(id), TenantKey(id, kService, "tenant-create")},
      {tenant.SerializeAsString(), fingerprint});
  if (!reply.ok()) return reply.status();
  absl::StatusOr<Created<v1::Tenant>> result = ParseCreateOnce(
      create_tenant_, *reply, tenant,
      {.what = "tenant",
       .exists = absl::AlreadyExistsError(absl::StrCat("tenant ", id, " already exists"))});
  if (!result.ok()) return result.status();
  // Also on a duplicate: the retry completes a create interrupted before this step.
  absl::Time created = absl::FromUnixSeconds(result->record.create_time().seconds());
  absl::StatusOr<RedisReply> registered = redis_->Command(
      {"ZADD", std::string(kTenantRegistry), "NX", absl::StrCat(absl::ToUnixMillis(created)), id});
  if (!registered.ok()) return registered.status();
  return result;
}

absl::StatusOr<v1::Tenant> RosterStore::GetTenant(absl::string_view tenant_id) {
  absl::StatusOr<Snapshot<v1::Tenant>> read = ReadTenant(tenant_id);
  if (!read.ok()) return read.status();
  return std::move(read->record);
}

absl::StatusOr<Snapshot<v1::Tenant>> RosterStore::ReadTenant(absl::string_view tenant_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", TenantProfileKey(tenant_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("tenant ", tenant_id, " not found"));
  return SnapshotOf<v1::Tenant>(*reply, "tenant");
}

absl::StatusOr<RosterStore::AllCarers> RosterStore::ReadAllCarers(absl::string_view tenant_id) {
  // The revision first: a carer written after it was read makes the tenant update conflict,
  // so reading the carers after it can only be fresher, never staler.
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(
      {{"GET", CarersRevisionKey(tenant_id)}, {"ZRANGE", CarersKey(tenant_id), "0", "-1"}});
  if (!replies.ok()) return replies.status();
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
  }
  AllCarers all;
  all.revision = (*replies)[0].is_nil() ? "" : (*replies)[0].str;
  std::vector<std::string> ids;
  for (const RedisReply& id : (*replies)[1].elements) ids.push_back(id.str);
  absl::StatusOr<std::vector<v1::Carer>> carers = ReadCarers(tenant_id, ids);
  if (!carers.ok()) return carers.status();
  all.carers = *std::move(carers);
  return all;
}

absl::Status RosterStore::UpdateTenant(const Snapshot<v1::Tenant>& read, const v1::Tenant& updated,
                                       const std::string& carers_revision) {
  const std::string& id = updated.tenant_id();
  absl::StatusOr<RedisReply> reply =
      RunTransition(*redis_, update_tenant_, {TenantProfileKey(id), CarersRevisionKey(id)},
                    {read.bytes, updated.SerializeAsString(), carers_revision});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the tenant or one of its carers");
  if (outcome == "missing") return absl::NotFoundError(absl::StrCat("tenant ", id, " not found"));
  return UnexpectedOutcome(update_tenant_, outcome);
}

absl::StatusOr<std::vector<v1::Tenant>> RosterStore::ListTenants(const std::string& after,
                                                                 int limit) {
  // The registry is scored by creation time; listing is by id, so read it by lex over a
  // copy of the ids (operators list tenants rarely, and there are few).
  absl::StatusOr<RedisReply> ids =
      redis_->Command({"ZRANGE", std::string(kTenantRegistry), "0", "-1"});
  if (!ids.ok()) return ids.status();
  std::vector<std::string> sorted;
  for (const RedisReply& id : ids->elements) {
    if (id.str > after) sorted.push_back(id.str);
  }
  std::sort(sorted.begin(), sorted.end());
  if (static_cast<int>(sorted.size()) > limit) sorted.resize(limit);
  std::vector<std::vector<std::string>> gets;
  for (const std::string& id : sorted) gets.push_back({"GET", TenantProfileKey(id)});
  absl::StatusOr<std::vector<RedisReply>> replies = redis_->Pipeline(gets);
  if (!replies.ok()) return replies.status();
  std::vector<v1::Tenant> tenants;
  for (const RedisReply& reply : *replies) {
    if (reply.is_error()) return ErrorReplyToStatus(reply);
    if (reply.is_nil()) continue;
    if (!tenants.emplace_back().ParseFromString(reply.str)) return CorruptRecord("tenant");
  }
  return tenants;
}

// ---------------------------------------------------------------------------------------------
// Carers

absl::StatusOr<Created<v1::Carer>> RosterStore::CreateCarer(const Snapshot<v1::Tenant>& tenant,
                                                            const v1::Carer& carer,
                                                            const std::string& fingerprint,
                                                            const v1::CarerChange& change) {
  const std::string& t = tenant.record.tenant_id();
  const std::string& id = carer.carer_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, create_carer_,
      {CarerKey(t, id), TenantProfileKey(t), CarersKey(t),
       LocalityCarersKey(t, carer.locality_id()), TenantKey(t, kService, "carer-create", id),
       CarersRevisionKey(t), ChangeStreamKey(t)},
      {carer.SerializeAsString(), id, fingerprint, tenant.bytes, change.SerializeAsString(),
       StreamLength(), RetrySeconds()});
  if (!reply.ok()) return reply.status();
  return ParseCreateOnce(
      create_carer_, *reply, carer,
      {.what = "carer",
       .exists = absl::AlreadyExistsError(
           "request_id was used before for a different carer; use a new request_id"),
       .refusals = {{"conflict", Conflict("the tenant profile")}}});
}

absl::StatusOr<Snapshot<v1::Carer>> RosterStore::ReadCarer(absl::string_view tenant_id,
                                                           absl::string_view carer_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", CarerKey(tenant_id, carer_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) return absl::NotFoundError(absl::StrCat("carer ", carer_id, " not found"));
  return SnapshotOf<v1::Carer>(*reply, "carer");
}

absl::Status RosterStore::UpdateCarer(const Snapshot<v1::Tenant>& tenant,
                                      const Snapshot<v1::Carer>& read, const v1::Carer& updated,
                                      const v1::CarerChange& change) {
  const std::string& t = tenant.record.tenant_id();
  const std::string& id = updated.carer_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, update_carer_,
      {CarerKey(t, id), TenantProfileKey(t), LocalityCarersKey(t, read.record.locality_id()),
       LocalityCarersKey(t, updated.locality_id()), CarersRevisionKey(t), ChangeStreamKey(t)},
      {read.bytes, updated.SerializeAsString(), id, tenant.bytes, change.SerializeAsString(),
       StreamLength()});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the carer or the tenant profile");
  if (outcome == "missing") return absl::NotFoundError(absl::StrCat("carer ", id, " not found"));
  return UnexpectedOutcome(update_carer_, outcome);
}

absl::StatusOr<std::vector<std::string>> RosterStore::ListCarerIds(absl::string_view tenant_id,
                                                                   absl::string_view locality_id,
                                                                   const std::string& after,
                                                                   int limit) {
  std::string key =
      locality_id.empty() ? CarersKey(tenant_id) : LocalityCarersKey(tenant_id, locality_id);
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"ZRANGEBYLEX", key, after.empty() ? "-" : absl::StrCat("(", after), "+",
                       "LIMIT", "0", absl::StrCat(limit)});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  ids.reserve(reply->elements.size());
  for (const RedisReply& id : reply->elements) ids.push_back(id.str);
  return ids;
}

absl::StatusOr<std::vector<v1::Carer>> RosterStore::ReadCarers(
    absl::string_view tenant_id, const std::vector<std::string>& ids) {
  std::vector<v1::Carer> carers;
  if (ids.empty()) return carers;
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : ids) command.push_back(CarerKey(tenant_id, id));
  absl::StatusOr<RedisReply> reply = redis_->Command(command);
  if (!reply.ok()) return reply.status();
  carers.reserve(ids.size());
  for (const RedisReply& record : reply->elements) {
    if (record.is_nil()) continue;
    if (!carers.emplace_back().ParseFromString(record.str)) return CorruptRecord("carer");
  }
  return carers;
}

// ---------------------------------------------------------------------------------------------
// Availability

absl::StatusOr<Snapshot<v1::Availability>> RosterStore::ReadAvailability(
    absl::string_view tenant_id, absl::string_view carer_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", AvailabilityKey(tenant_id, carer_id)});
  if (!reply.ok()) return reply.status();
  return SnapshotOf<v1::Availability>(*reply, "availability");
}

absl::StatusOr<std::vector<std::optional<v1::Availability>>> RosterStore::ReadAvailabilities(
    absl::string_view tenant_id, const std::vector<std::string>& carer_ids) {
  std::vector<std::optional<v1::Availability>> result;
  if (carer_ids.empty()) return result;
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : carer_ids) command.push_back(AvailabilityKey(tenant_id, id));
  absl::StatusOr<RedisReply> reply = redis_->Command(command);
  if (!reply.ok()) return reply.status();
  result.reserve(carer_ids.size());
  for (const RedisReply& record : reply->elements) {
    std::optional<v1::Availability>& availability = result.emplace_back();
    if (record.is_nil()) continue;
    if (!availability.emplace().ParseFromString(record.str)) return CorruptRecord("availability");
  }
  return result;
}

absl::Status RosterStore::SetAvailability(absl::string_view tenant_id,
                                          const Snapshot<v1::Availability>& read,
                                          const v1::Availability& updated,
                                          const v1::CarerChange& change) {
  const std::string& carer = updated.carer_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, set_availability_,
      {AvailabilityKey(tenant_id, carer), CarerKey(tenant_id, carer), ChangeStreamKey(tenant_id)},
      {read.bytes, updated.SerializeAsString(), change.SerializeAsString(), StreamLength()});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "set") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the availability");
  if (outcome == "missing") return absl::NotFoundError(absl::StrCat("carer ", carer, " not found"));
  return UnexpectedOutcome(set_availability_, outcome);
}

// ---------------------------------------------------------------------------------------------
// Absences

namespace {

// An absence's end as a score of absence-ends.
std::string EndScore(const v1::Absence& absence) {
  if (!absence.has_end_time()) return "+inf";
  absl::StatusOr<absl::Time> end = TimeFromProto(absence.end_time(), "end_time");
  return ScoreOf(end.ok() ? *end : absl::InfiniteFuture());
}

std::string StartScore(const v1::Absence& absence) {
  absl::StatusOr<absl::Time> start = TimeFromProto(absence.start_time(), "start_time");
  return ScoreOf(start.ok() ? *start : absl::UnixEpoch());
}

}  // namespace

absl::StatusOr<Created<v1::Absence>> RosterStore::RecordAbsence(absl::string_view tenant_id,
                                                                const v1::Absence& absence,
                                                                const std::string& fingerprint,
                                                                const v1::CarerChange& change) {
  const std::string& id = absence.absence_id();
  const std::string& carer = absence.carer_id();
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, record_absence_,
      {AbsenceKey(tenant_id, id), CarerKey(tenant_id, carer), CarerAbsencesKey(tenant_id, carer),
       AbsencesKey(tenant_id), AbsenceEndsKey(tenant_id),
       TenantKey(tenant_id, kService, "absence-create", id), ChangeStreamKey(tenant_id)},
      {absence.SerializeAsString(), id, fingerprint, StartScore(absence), EndScore(absence),
       change.SerializeAsString(), StreamLength(), RetrySeconds()});
  if (!reply.ok()) return reply.status();
  return ParseCreateOnce(
      record_absence_, *reply, absence,
      {.what = "absence",
       .exists = absl::AlreadyExistsError(
           "request_id was used before for a different absence; use a new request_id"),
       .refusals = {
           {"missing", absl::NotFoundError(absl::StrCat("carer ", carer, " not found"))}}});
}

absl::StatusOr<Snapshot<v1::Absence>> RosterStore::ReadAbsence(absl::string_view tenant_id,
                                                               absl::string_view absence_id) {
  absl::StatusOr<RedisReply> reply = redis_->Command({"GET", AbsenceKey(tenant_id, absence_id)});
  if (!reply.ok()) return reply.status();
  if (reply->is_nil()) {
    return absl::NotFoundError(absl::StrCat("absence ", absence_id, " not found"));
  }
  return SnapshotOf<v1::Absence>(*reply, "absence");
}

absl::Status RosterStore::UpdateAbsence(absl::string_view tenant_id,
                                        const Snapshot<v1::Absence>& read,
                                        const v1::Absence& updated, const v1::CarerChange& change) {
  const std::string& id = updated.absence_id();
  const bool active = updated.state() == v1::ABSENCE_STATE_ACTIVE;
  absl::StatusOr<RedisReply> reply = RunTransition(
      *redis_, update_absence_,
      {AbsenceKey(tenant_id, id), AbsenceEndsKey(tenant_id), ChangeStreamKey(tenant_id)},
      {read.bytes, updated.SerializeAsString(), id, active ? EndScore(updated) : "",
       change.SerializeAsString(), StreamLength()});
  if (!reply.ok()) return reply.status();
  const std::string& outcome = reply->elements[0].str;
  if (outcome == "updated") return absl::OkStatus();
  if (outcome == "conflict") return Conflict("the absence");
  if (outcome == "missing") return absl::NotFoundError(absl::StrCat("absence ", id, " not found"));
  return UnexpectedOutcome(update_absence_, outcome);
}

absl::StatusOr<RosterStore::AbsencePage> RosterStore::ListAbsences(absl::string_view tenant_id,
                                                                   absl::string_view carer_id,
                                                                   const std::string& after,
                                                                   absl::Time starts_before,
                                                                   int limit) {
  std::string key =
      carer_id.empty() ? AbsencesKey(tenant_id) : CarerAbsencesKey(tenant_id, carer_id);
  absl::StatusOr<ScoredIdPage> ids =
      ReadScoredIds(*redis_, key, absl::InfinitePast(), starts_before, after, limit);
  if (!ids.ok()) return ids.status();
  AbsencePage page;
  page.exhausted = ids->exhausted;
  page.last_cursor = ids->last_cursor;
  if (ids->ids.empty()) return page;
  std::vector<std::string> command = {"MGET"};
  for (const std::string& id : ids->ids) command.push_back(AbsenceKey(tenant_id, id));
  absl::StatusOr<RedisReply> records = redis_->Command(command);
  if (!records.ok()) return records.status();
  for (const RedisReply& record : records->elements) {
    if (record.is_nil()) continue;
    if (!page.absences.emplace_back().ParseFromString(record.str)) return CorruptRecord("absence");
  }
  return page;
}

absl::StatusOr<std::vector<v1::Absence>> RosterStore::ReadCurrentAbsences(
    absl::string_view tenant_id, absl::Time not_ended_by) {
  absl::StatusOr<RedisReply> ids =
      redis_->Command({"ZRANGEBYSCORE", AbsenceEndsKey(tenant_id),
                       absl::StrCat("(", ScoreOf(not_ended_by)), "+inf"});
  if (!ids.ok()) return ids.status();
  std::vector<v1::Absence> absences;
  if (ids->elements.empty()) return absences;
  std::vector<std::string> command = {"MGET"};
  for (const RedisReply& id : ids->elements) command.push_back(AbsenceKey(tenant_id, id.str));
  absl::StatusOr<RedisReply> records = redis_->Command(command);
  if (!records.ok()) return records.status();
  for (const RedisReply& record : records->elements) {
    if (record.is_nil()) continue;
    if (!absences.emplace_back().ParseFromString(record.str)) return CorruptRecord("absence");
  }
  return absences;
}

// ---------------------------------------------------------------------------------------------
// Changes

absl::StatusOr<std::vector<std::string>> RosterStore::ListTenantIds() {
  absl::StatusOr<RedisReply> reply =
      redis_->Command({"ZRANGE", std::string(kTenantRegistry), "0", "-1"});
  if (!reply.ok()) return reply.status();
  std::vector<std::string> ids;
  for (const RedisReply& id : reply->elements) ids.push_back(id.str);
  return ids;
}

}  // namespace homecare::roster
