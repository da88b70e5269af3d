#include "services/scheduling/scheduling.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/api/write.h"
#include "common/ids/ids.h"
#include "common/logging/log.h"
#include "common/status/errors.h"
#include "common/time/time.h"
#include "services/scheduling/care_plan_rules.h"
#include "services/scheduling/client_rules.h"
#include "services/scheduling/visit_rules.h"

namespace homecare::scheduling {
namespace {

// How many ids a list reads from Redis at a time while it filters, and how many clients
// GenerateVisits works on at a time.
constexpr int kScanBatch = 200;
constexpr int kGenerateBatch = 100;

absl::Status CheckExpectedVersion(int64_t expected, int64_t stored, absl::string_view what) {
  return homecare::CheckExpectedVersion(expected, stored, what, kSchedulingErrorDomain);
}

std::string VisitCursor(const v1::Visit& visit) {
  return absl::StrCat(absl::ToUnixMillis(StoredTime(visit.planned_start())), ":", visit.visit_id());
}

// The latest version of each plan, for lists.
v1::CarePlan Latest(const std::vector<v1::CarePlan>& versions) { return versions.back(); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// Clients

absl::StatusOr<v1::Client> Scheduling::CreateClient(const std::string& tenant_id,
                                                    const v1::CreateClientRequest& request) {
  if (absl::Status valid = ValidateRequestId(request.request_id()); !valid.ok()) return valid;
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  if (absl::Status valid = ValidateClient(request.client(), *tenant); !valid.ok()) return valid;
  if (absl::Status known = CheckCarersExist(tenant_id, request.client(), v1::Client());
      !known.ok()) {
    return known;
  }
  v1::Client client = NewClientRecord(
      request.client(), IdForRequest("cli", tenant_id, request.request_id()), clock_.Now());
  absl::StatusOr<Created<v1::Client>> created =
      store_.CreateClient(tenant_id, client, CreateClientFingerprint(request));
  if (!created.ok()) return created.status();
  return std::move(created->record);
}

absl::StatusOr<v1::Client> Scheduling::GetClient(const std::string& tenant_id,
                                                 const std::string& client_id) {
  if (absl::Status valid = ValidateId("client_id", client_id); !valid.ok()) return valid;
  absl::StatusOr<Snapshot<v1::Client>> read = store_.ReadClient(tenant_id, client_id);
  if (!read.ok()) return read.status();
  return std::move(read->record);
}

absl::StatusOr<v1::Client> Scheduling::UpdateClient(const std::string& tenant_id,
                                                    const v1::UpdateClientRequest& request) {
  const std::string& client_id = request.client().client_id();
  if (absl::Status valid = ValidateId("client.client_id", client_id); !valid.ok()) return valid;
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), ClientUpdatePaths());
  if (!paths.ok()) return paths.status();
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<v1::Client> client =
      RetryOnConflict<v1::Client>([&]() -> absl::StatusOr<v1::Client> {
        absl::StatusOr<Snapshot<v1::Client>> read = store_.ReadClient(tenant_id, client_id);
        if (!read.ok()) return read.status();
        if (absl::Status version = CheckExpectedVersion(request.expected_version(),
                                                        read->record.version(), "the client");
            !version.ok()) {
          return version;
        }
        v1::Client updated =
            ApplyClientUpdate(read->record, request.client(), *paths, clock_.Now());
        if (absl::Status valid = ValidateClient(updated, *tenant); !valid.ok()) return valid;
        if (absl::Status known = CheckCarersExist(tenant_id, updated, read->record); !known.ok()) {
          return known;
        }
        if (absl::Status written = store_.UpdateClient(tenant_id, *read, updated); !written.ok()) {
          return written;
        }
        return updated;
      });
  if (!client.ok()) return client;
  const bool changes_when_due = std::any_of(
      paths->begin(), paths->end(),
      [](const std::string& path) { return path == "suspensions" || path == "status"; });
  if (changes_when_due) {
    // The visits already made follow at once: withdrawn for the days now suspended, back for
    // days no longer suspended. Nothing new is made here (that is GenerateVisits' job). The
    // client is written either way: a failure here is left for the next GenerateVisits, which
    // does the same, rather than reported as a failed update the caller would retry.
    absl::Status reconciled = ReconcileMadeVisits(tenant_id, *tenant, *client);
    if (!reconciled.ok()) {
      LogWarning("client ", client_id,
                 " updated; its visits follow at the next GenerateVisits: ", reconciled.message());
    }
  }
  return client;
}

absl::Status Scheduling::CheckCarersExist(const std::string& tenant_id, const v1::Client& client,
                                          const v1::Client& stored) {
  std::set<std::string> known(stored.preferred_carer_ids().begin(),
                              stored.preferred_carer_ids().end());
  known.insert(stored.excluded_carer_ids().begin(), stored.excluded_carer_ids().end());
  // Field path of each id to ask about, in the order of the request.
  std::vector<std::pair<std::string, std::string>> asked;
  for (const auto& [field, ids] :
       {std::pair{"client.preferred_carer_ids", &client.preferred_carer_ids()},
        std::pair{"client.excluded_carer_ids", &client.excluded_carer_ids()}}) {
    for (int i = 0; i < ids->size(); ++i) {
      if (!known.contains((*ids)[i]))
        asked.emplace_back(absl::StrCat(field, "[", i, "]"), (*ids)[i]);
    }
  }
  if (asked.empty()) return absl::OkStatus();
  std::vector<std::string> carer_ids;
  for (const auto& [field, id] : asked) carer_ids.push_back(id);
  absl::StatusOr<std::vector<std::string>> unknown = tenants_.UnknownCarers(tenant_id, carer_ids);
  if (!unknown.ok()) return unknown.status();
  const std::set<std::string> missing(unknown->begin(), unknown->end());
  FieldViolations violations;
  for (const auto& [field, id] : asked) {
    if (missing.contains(id)) {
      violations.Add(field, absl::StrCat("\"", id, "\" is not a carer of this provider"));
    }
  }
  return violations.ToStatus();
}

absl::Status Scheduling::ReconcileMadeVisits(const std::string& tenant_id,
                                             const TenantProfile& tenant,
                                             const v1::Client& client) {
  const absl::CivilDay today = LocalDay(clock_.Now(), tenant.zone);
  absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> made = store_.ReadVisitsOfClients(
      tenant_id, {client.client_id()}, LocalToInstant(absl::CivilSecond(today), tenant.zone),
      absl::InfiniteFuture());
  if (!made.ok()) return made.status();
  absl::CivilDay last = today - 1;
  for (const Snapshot<v1::Visit>& visit : (*made)[0]) {
    absl::StatusOr<absl::CivilDay> day = DateFromProto(visit.record.local_date(), "local_date");
    if (day.ok() && *day > last) last = *day;
  }
  if (last < today) return absl::OkStatus();
  v1::GenerateVisitsResponse counts;
  return GenerateForClients(tenant_id, tenant, {client}, today, last, /*create_missing=*/false,
                            counts);
}

absl::StatusOr<v1::ListClientsResponse> Scheduling::ListClients(
    const std::string& tenant_id, const v1::ListClientsRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  ClientFilter filter{.locality_id = request.locality_id(), .status = request.status()};
  if (!filter.locality_id.empty()) {
    if (absl::Status valid = ValidateSlug("locality_id", filter.locality_id); !valid.ok()) {
      return valid;
    }
  }
  if (!v1::ClientStatus_IsValid(filter.status)) {
    return InvalidArgumentError("status", "must be a ClientStatus");
  }
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), filter.QueryKey());
  if (!cursor.ok()) return cursor.status();
  v1::ListClientsResponse response;
  while (true) {
    absl::StatusOr<std::vector<std::string>> ids =
        store_.ListClientIds(tenant_id, filter.locality_id, *cursor, kScanBatch);
    if (!ids.ok()) return ids.status();
    absl::StatusOr<std::vector<v1::Client>> clients = store_.ReadClients(tenant_id, *ids);
    if (!clients.ok()) return clients.status();
    for (v1::Client& client : *clients) {
      *cursor = client.client_id();
      if (!filter.Matches(client)) continue;
      *response.add_clients() = std::move(client);
      if (response.clients_size() == *page_size) {
        response.set_next_page_token(MakePageToken(*cursor, filter.QueryKey()));
        return response;
      }
    }
    if (static_cast<int>(ids->size()) < kScanBatch) return response;
    *cursor = ids->back();
  }
}

// ---------------------------------------------------------------------------------------------
// Care plans

absl::StatusOr<v1::CreateCarePlanResponse> Scheduling::CreateCarePlan(
    const std::string& tenant_id, const v1::CreateCarePlanRequest& request) {
  if (absl::Status valid = ValidateRequestId(request.request_id()); !valid.ok()) return valid;
  // Without a request_id a retry cannot be recognised; one is made up so the store's record of
  // requests works the same way.
  const std::string request_id = request.request_id().empty() ? RandomUuid() : request.request_id();
  const std::string fingerprint = CreateCarePlanFingerprint(request);
  const std::string& plan_id_asked = request.care_plan().care_plan_id();
  if (!plan_id_asked.empty()) {
    if (absl::Status valid = ValidateId("care_plan.care_plan_id", plan_id_asked); !valid.ok()) {
      return valid;
    }
  }
  auto answer = [&](v1::CarePlan plan) {
    v1::CreateCarePlanResponse response;
    for (std::string& warning : BudgetWarnings(plan)) response.add_warnings(std::move(warning));
    *response.mutable_care_plan() = std::move(plan);
    return response;
  };
  // A request that made its version before is answered with it, before any check against the
  // plan as it is now (which that very version changed).
  auto answer_earlier = [&](const SchedulingRecords::AddVersionOutcome& earlier)
      -> absl::StatusOr<v1::CreateCarePlanResponse> {
    if (earlier.previous_fingerprint != fingerprint) {
      return absl::AlreadyExistsError("this request_id was used by another CreateCarePlan request");
    }
    absl::StatusOr<std::vector<v1::CarePlan>> made =
        store_.ReadCarePlan(tenant_id, earlier.previous_plan_id);
    if (!made.ok()) return made.status();
    for (v1::CarePlan& stored : *made) {
      if (stored.version() == earlier.previous_version) return answer(std::move(stored));
    }
    return CorruptRecord("care plan request");
  };
  if (!request.request_id().empty()) {
    absl::StatusOr<SchedulingRecords::AddVersionOutcome> earlier =
        store_.ReadCarePlanRequest(tenant_id, request_id);
    if (!earlier.ok()) return earlier.status();
    if (!earlier->previous_plan_id.empty()) return answer_earlier(*earlier);
  }
  return RetryOnConflict<v1::CreateCarePlanResponse>(
      [&]() -> absl::StatusOr<v1::CreateCarePlanResponse> {
        v1::CarePlan requested = request.care_plan();
        std::string plan_id;
        int version = 1;
        if (plan_id_asked.empty()) {
          plan_id = IdForRequest("pln", tenant_id, request_id);
        } else {
          plan_id = plan_id_asked;
          absl::StatusOr<std::vector<v1::CarePlan>> versions =
              store_.ReadCarePlan(tenant_id, plan_id);
          if (!versions.ok()) return versions.status();
          const v1::CarePlan& latest = versions->back();
          if (requested.client_id().empty()) requested.set_client_id(latest.client_id());
          version = latest.version() + 1;
          if (absl::Status next = CheckNextVersion(latest, requested); !next.ok()) {
            return next;
          }
          if (absl::Status expected = CheckExpectedVersion(request.expected_latest_version(),
                                                           latest.version(), "the care plan");
              !expected.ok()) {
            return expected;
          }
        }
        v1::CarePlan plan = NewCarePlanVersion(requested, plan_id, version, clock_.Now());
        if (absl::Status valid = ValidateCarePlan(plan); !valid.ok()) return valid;
        absl::StatusOr<SchedulingRecords::AddVersionOutcome> added =
            store_.AddCarePlanVersion(tenant_id, plan, request_id, fingerprint);
        if (!added.ok()) return added.status();
        if (added->added) return answer(std::move(plan));
        return answer_earlier(*added);
      });
}

absl::StatusOr<v1::CarePlan> Scheduling::GetCarePlan(const std::string& tenant_id,
                                                     const v1::GetCarePlanRequest& request) {
  if (absl::Status valid = ValidateId("care_plan_id", request.care_plan_id()); !valid.ok()) {
    return valid;
  }
  if (request.version() < 0) return InvalidArgumentError("version", "must be 0 (latest) or more");
  absl::StatusOr<std::vector<v1::CarePlan>> versions =
      store_.ReadCarePlan(tenant_id, request.care_plan_id());
  if (!versions.ok()) return versions.status();
  if (request.version() == 0) return Latest(*versions);
  for (v1::CarePlan& version : *versions) {
    if (version.version() == request.version()) return std::move(version);
  }
  return absl::NotFoundError(
      absl::StrCat("care plan ", request.care_plan_id(), " has no version ", request.version()));
}

absl::StatusOr<v1::ListCarePlansResponse> Scheduling::ListCarePlans(
    const std::string& tenant_id, const v1::ListCarePlansRequest& request) {
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  const std::string query = absl::StrCat("plans?client=", request.client_id(),
                                         "&overdue=", request.review_overdue_only() ? 1 : 0);
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  absl::CivilDay today;
  if (request.review_overdue_only()) {
    absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
    if (!tenant.ok()) return tenant.status();
    today = LocalDay(clock_.Now(), tenant->zone);
  }
  v1::ListCarePlansResponse response;
  if (!request.client_id().empty()) {
    // A client has a handful of plans: read them all, page by plan id.
    if (absl::Status valid = ValidateId("client_id", request.client_id()); !valid.ok()) {
      return valid;
    }
    if (absl::StatusOr<Snapshot<v1::Client>> client =
            store_.ReadClient(tenant_id, request.client_id());
        !client.ok()) {
      return client.status();
    }
    absl::StatusOr<std::vector<std::vector<std::string>>> ids =
        store_.ReadPlanIdsOfClients(tenant_id, {request.client_id()});
    if (!ids.ok()) return ids.status();
    std::vector<std::string> after;
    for (const std::string& id : (*ids)[0]) {
      if (id > *cursor) after.push_back(id);
    }
    absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> plans =
        store_.ReadCarePlans(tenant_id, after);
    if (!plans.ok()) return plans.status();
    for (size_t i = 0; i < plans->size(); ++i) {
      if ((*plans)[i].empty()) continue;
      v1::CarePlan latest = Latest((*plans)[i]);
      if (request.review_overdue_only() && !ReviewOverdue(latest, today)) continue;
      *response.add_care_plans() = std::move(latest);
      if (response.care_plans_size() == *page_size && i + 1 < plans->size()) {
        response.set_next_page_token(MakePageToken(after[i], query));
        break;
      }
    }
    return response;
  }
  // Every plan, by review date: the overdue ones are those reviewed before today.
  const absl::Time review_before = request.review_overdue_only()
                                       ? absl::FromCivil(today, absl::UTCTimeZone())
                                       : absl::InfiniteFuture();
  absl::StatusOr<ScoredIdPage> page =
      store_.ListPlanIdsByReview(tenant_id, review_before, *cursor, *page_size);
  if (!page.ok()) return page.status();
  absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> plans =
      store_.ReadCarePlans(tenant_id, page->ids);
  if (!plans.ok()) return plans.status();
  for (const std::vector<v1::CarePlan>& versions : *plans) {
    if (!versions.empty()) *response.add_care_plans() = Latest(versions);
  }
  if (!page->exhausted) response.set_next_page_token(MakePageToken(page->last_cursor, query));
  return response;
}

// ---------------------------------------------------------------------------------------------
// Visits

absl::StatusOr<v1::GenerateVisitsResponse> Scheduling::GenerateVisits(
    const std::string& tenant_id, const v1::GenerateVisitsRequest& request) {
  FieldViolations violations;
  absl::StatusOr<absl::CivilDay> first = DateFromProto(request.start_date(), "start_date");
  absl::StatusOr<absl::CivilDay> last = DateFromProto(request.end_date(), "end_date");
  violations.AddFrom(first.status());
  violations.AddFrom(last.status());
  if (first.ok() && last.ok()) {
    if (*last < *first) {
      violations.Add("end_date", "must not be before start_date");
    } else if (*last - *first >= kMaxGenerateDays) {
      violations.Add("end_date",
                     absl::StrCat("at most ", kMaxGenerateDays, " days from start_date"));
    }
  }
  if (!request.client_id().empty())
    violations.AddFrom(ValidateId("client_id", request.client_id()));
  if (!violations.empty()) return violations.ToStatus();
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  v1::GenerateVisitsResponse counts;
  if (!request.client_id().empty()) {
    absl::StatusOr<Snapshot<v1::Client>> client = store_.ReadClient(tenant_id, request.client_id());
    if (!client.ok()) return client.status();
    if (absl::Status done = GenerateForClients(tenant_id, *tenant, {client->record}, *first, *last,
                                               /*create_missing=*/true, counts);
        !done.ok()) {
      return done;
    }
    return counts;
  }
  std::string after;
  while (true) {
    absl::StatusOr<std::vector<std::string>> ids =
        store_.ListClientIds(tenant_id, "", after, kGenerateBatch);
    if (!ids.ok()) return ids.status();
    if (ids->empty()) return counts;
    absl::StatusOr<std::vector<v1::Client>> clients = store_.ReadClients(tenant_id, *ids);
    if (!clients.ok()) return clients.status();
    if (absl::Status done = GenerateForClients(tenant_id, *tenant, *clients, *first, *last,
                                               /*create_missing=*/true, counts);
        !done.ok()) {
      return done;
    }
    if (static_cast<int>(ids->size()) < kGenerateBatch) return counts;
    after = ids->back();
  }
}

absl::Status Scheduling::GenerateForClients(const std::string& tenant_id,
                                            const TenantProfile& tenant,
                                            const std::vector<v1::Client>& clients,
                                            absl::CivilDay first, absl::CivilDay last,
                                            bool create_missing,
                                            v1::GenerateVisitsResponse& counts) {
  std::vector<std::string> client_ids;
  for (const v1::Client& client : clients) client_ids.push_back(client.client_id());
  absl::StatusOr<std::vector<std::vector<std::string>>> plan_ids =
      store_.ReadPlanIdsOfClients(tenant_id, client_ids);
  if (!plan_ids.ok()) return plan_ids.status();
  std::vector<std::string> all_plan_ids;
  for (const std::vector<std::string>& ids : *plan_ids) {
    all_plan_ids.insert(all_plan_ids.end(), ids.begin(), ids.end());
  }
  absl::StatusOr<std::vector<std::vector<v1::CarePlan>>> plans =
      store_.ReadCarePlans(tenant_id, all_plan_ids);
  if (!plans.ok()) return plans.status();
  // Visits whose local date is in the range start at most a day before its first midnight and
  // (a window past midnight, moved by a one-off change) a day after its last.
  const absl::Time from = LocalToInstant(absl::CivilSecond(first - 1), tenant.zone);
  const absl::Time before = LocalToInstant(absl::CivilSecond(last + 2), tenant.zone);
  absl::StatusOr<std::vector<std::vector<Snapshot<v1::Visit>>>> existing =
      store_.ReadVisitsOfClients(tenant_id, client_ids, from, before);
  if (!existing.ok()) return existing.status();

  const absl::Time now = clock_.Now();
  std::vector<v1::Visit> to_create;
  std::vector<SchedulingRecords::VisitWrite> to_replan;
  std::vector<SchedulingRecords::VisitWrite> to_withdraw;
  size_t next_plan = 0;
  for (size_t i = 0; i < clients.size(); ++i) {
    std::vector<std::vector<v1::CarePlan>> client_plans;
    for (size_t p = 0; p < (*plan_ids)[i].size(); ++p) {
      client_plans.push_back(std::move((*plans)[next_plan++]));
    }
    std::vector<v1::Visit> in_range;
    std::map<std::string, const Snapshot<v1::Visit>*> read_by_id;
    for (const Snapshot<v1::Visit>& snapshot : (*existing)[i]) {
      absl::StatusOr<absl::CivilDay> day =
          DateFromProto(snapshot.record.local_date(), "local_date");
      if (!day.ok() || *day < first || *day > last) continue;
      in_range.push_back(snapshot.record);
      read_by_id[snapshot.record.visit_id()] = &snapshot;
    }
    DueVisits due = VisitsDue(tenant_id, clients[i], client_plans, first, last, tenant.zone, now);
    VisitReconciliation changes = ReconcileVisits(due, in_range, clients[i], now);
    counts.set_days_skipped_suspended(counts.days_skipped_suspended() + due.days_suspended);
    counts.set_visits_already_present(counts.visits_already_present() + changes.already_present);
    if (create_missing) {
      for (v1::Visit& visit : changes.to_create) to_create.push_back(std::move(visit));
    }
    for (v1::Visit& visit : changes.to_replan) {
      to_replan.push_back({.read = read_by_id[visit.visit_id()],
                           .updated = std::move(visit),
                           .kind = v1::VisitChange::KIND_REPLANNED});
    }
    for (v1::Visit& visit : changes.to_withdraw) {
      to_withdraw.push_back({.read = read_by_id[visit.visit_id()],
                             .updated = std::move(visit),
                             .kind = v1::VisitChange::KIND_WITHDRAWN});
    }
  }
  absl::StatusOr<int> created = store_.CreateGeneratedVisits(tenant_id, to_create);
  if (!created.ok()) return created.status();
  counts.set_visits_created(counts.visits_created() + *created);
  // A visit made meanwhile by an overlapping run is already present, not created twice.
  counts.set_visits_already_present(counts.visits_already_present() +
                                    static_cast<int>(to_create.size()) - *created);
  // A visit changed by someone else since it was read (a coordinator's one-off change, an
  // overlapping run) is left as they made it, and not counted.
  absl::StatusOr<int> replanned = store_.WriteVisits(tenant_id, to_replan);
  if (!replanned.ok()) return replanned.status();
  counts.set_visits_updated(counts.visits_updated() + *replanned);
  absl::StatusOr<int> withdrawn = store_.WriteVisits(tenant_id, to_withdraw);
  if (!withdrawn.ok()) return withdrawn.status();
  counts.set_visits_withdrawn(counts.visits_withdrawn() + *withdrawn);
  return absl::OkStatus();
}

absl::StatusOr<v1::Visit> Scheduling::CreateVisit(const std::string& tenant_id,
                                                  const v1::CreateVisitRequest& request) {
  if (absl::Status valid = ValidateRequestId(request.request_id()); !valid.ok()) return valid;
  if (absl::Status valid = ValidateId("visit.client_id", request.visit().client_id());
      !valid.ok()) {
    return valid;
  }
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  absl::StatusOr<Snapshot<v1::Client>> client =
      store_.ReadClient(tenant_id, request.visit().client_id());
  if (!client.ok()) return client.status();
  absl::StatusOr<v1::Visit> visit = NewOneOffVisit(
      request.visit(), client->record, IdForRequest("vis", tenant_id, request.request_id()),
      tenant->zone, clock_.Now());
  if (!visit.ok()) return visit.status();
  absl::StatusOr<Created<v1::Visit>> created =
      store_.CreateVisit(tenant_id, *visit, CreateVisitFingerprint(request));
  if (!created.ok()) return created.status();
  return std::move(created->record);
}

absl::StatusOr<v1::Visit> Scheduling::GetVisit(const std::string& tenant_id,
                                               const std::string& visit_id,
                                               const std::string& only_carer) {
  if (absl::Status valid = ValidateId("visit_id", visit_id); !valid.ok()) return valid;
  absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, visit_id);
  if (!read.ok()) return read.status();
  if (!only_carer.empty() && !VisitFilter{.carer_id = only_carer}.Matches(read->record)) {
    return absl::NotFoundError(absl::StrCat("visit ", visit_id, " not found"));
  }
  return std::move(read->record);
}

absl::StatusOr<v1::ListVisitsResponse> Scheduling::ListVisits(const std::string& tenant_id,
                                                              const v1::ListVisitsRequest& request,
                                                              const std::string& only_carer) {
  if (!only_carer.empty() && !request.carer_id().empty() && request.carer_id() != only_carer) {
    return absl::PermissionDeniedError("a carer lists only their own visits");
  }
  absl::StatusOr<int> page_size = PageSize(request.page_size());
  if (!page_size.ok()) return page_size.status();
  FieldViolations violations;
  absl::Time from = absl::InfinitePast();
  absl::Time before = absl::InfiniteFuture();
  if (request.has_start_time()) {
    absl::StatusOr<absl::Time> time = TimeFromProto(request.start_time(), "start_time");
    violations.AddFrom(time.status());
    if (time.ok()) from = *time;
  }
  if (request.has_end_time()) {
    absl::StatusOr<absl::Time> time = TimeFromProto(request.end_time(), "end_time");
    violations.AddFrom(time.status());
    if (time.ok()) before = *time;
  }
  if (violations.empty() && before < from)
    violations.Add("end_time", "must not be before start_time");
  if (!request.client_id().empty())
    violations.AddFrom(ValidateId("client_id", request.client_id()));
  if (!request.locality_id().empty()) {
    violations.AddFrom(ValidateSlug("locality_id", request.locality_id()));
  }
  if (!request.carer_id().empty()) violations.AddFrom(ValidateId("carer_id", request.carer_id()));
  if (!v1::VisitStatus_IsValid(request.status())) violations.Add("status", "must be a VisitStatus");
  if (!violations.empty()) return violations.ToStatus();
  VisitFilter filter{.client_id = request.client_id(),
                     .locality_id = request.locality_id(),
                     .status = request.status(),
                     .carer_id = only_carer.empty() ? request.carer_id() : only_carer,
                     .urgent_only = request.urgent_only()};
  const std::string query = absl::StrCat(filter.QueryKey(), "&from=", absl::FormatTime(from),
                                         "&before=", absl::FormatTime(before));
  absl::StatusOr<std::string> cursor = ReadPageToken(request.page_token(), query);
  if (!cursor.ok()) return cursor.status();
  v1::ListVisitsResponse response;
  while (true) {
    absl::StatusOr<ScoredIdPage> page = store_.ListVisitIds(tenant_id,
                                                            {.client_id = filter.client_id,
                                                             .carer_id = filter.carer_id,
                                                             .locality_id = filter.locality_id},
                                                            from, before, *cursor, kScanBatch);
    if (!page.ok()) return page.status();
    absl::StatusOr<std::vector<v1::Visit>> visits = store_.ReadVisits(tenant_id, page->ids);
    if (!visits.ok()) return visits.status();
    for (v1::Visit& visit : *visits) {
      if (!filter.Matches(visit)) continue;
      *response.add_visits() = std::move(visit);
      if (response.visits_size() == *page_size) {
        response.set_next_page_token(
            MakePageToken(VisitCursor(*response.visits().rbegin()), query));
        return response;
      }
    }
    if (page->exhausted) return response;
    *cursor = page->last_cursor;
  }
}

absl::StatusOr<v1::Visit> Scheduling::UpdateVisit(const std::string& tenant_id,
                                                  const v1::UpdateVisitRequest& request) {
  const std::string& visit_id = request.visit().visit_id();
  if (absl::Status valid = ValidateId("visit.visit_id", visit_id); !valid.ok()) return valid;
  absl::StatusOr<std::vector<std::string>> paths =
      UpdatePaths(request.update_mask(), VisitUpdatePaths());
  if (!paths.ok()) return paths.status();
  absl::StatusOr<TenantProfile> tenant = tenants_.Get(tenant_id);
  if (!tenant.ok()) return tenant.status();
  return RetryOnConflict<v1::Visit>([&]() -> absl::StatusOr<v1::Visit> {
    absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, visit_id);
    if (!read.ok()) return read.status();
    if (absl::Status version =
            CheckExpectedVersion(request.expected_version(), read->record.version(), "the visit");
        !version.ok()) {
      return version;
    }
    absl::StatusOr<v1::Visit> updated =
        ApplyVisitUpdate(read->record, request.visit(), *paths, tenant->zone, clock_.Now());
    if (!updated.ok()) return updated.status();
    // After a change of what they were checked against, the carers on it must still be able
    // to do it: the update is refused, not the carers silently dropped, so that the
    // coordinator decides.
    std::vector<SchedulingRecords::CarerDayVersion> checked;
    const bool moves_carers =
        std::any_of(paths->begin(), paths->end(), [](const std::string& path) {
          return path != "tasks" && path != "time_critical" && path != "urgent";
        });
    if (moves_carers) {
      if (absl::Status fits = RecheckCarers(tenant_id, *tenant, *updated, checked); !fits.ok()) {
        return fits;
      }
    }
    absl::StatusOr<SchedulingRecords::WriteOutcome> written =
        store_.WriteVisit(tenant_id, {.read = &*read,
                                      .updated = *updated,
                                      .kind = v1::VisitChange::KIND_UPDATED,
                                      .checked = std::move(checked)});
    if (!written.ok()) return written.status();
    return updated;
  });
}

absl::StatusOr<v1::Visit> Scheduling::CancelVisit(const std::string& tenant_id,
                                                  const std::string& actor,
                                                  const v1::CancelVisitRequest& request) {
  if (absl::Status valid = ValidateId("visit_id", request.visit_id()); !valid.ok()) return valid;
  return RetryOnConflict<v1::Visit>([&]() -> absl::StatusOr<v1::Visit> {
    absl::StatusOr<Snapshot<v1::Visit>> read = store_.ReadVisit(tenant_id, request.visit_id());
    if (!read.ok()) return read.status();
    absl::StatusOr<v1::Visit> cancelled =
        CancelledVisit(read->record, request.cancellation(), actor, clock_.Now());
    if (!cancelled.ok()) return cancelled.status();
    if (AlreadyCancelledSo(read->record, request.cancellation())) return cancelled;
    absl::StatusOr<SchedulingRecords::WriteOutcome> written = store_.WriteVisit(
        tenant_id,
        {.read = &*read, .updated = *cancelled, .kind = v1::VisitChange::KIND_CANCELLED});
    if (!written.ok()) return written.status();
    return cancelled;
  });
}

}  // namespace homecare::scheduling
