// carectl's scheduling commands: clients, care plans and visits. Dates are the tenant's local
// dates and times given without a zone its local time.
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <iostream>
#include <tuple>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "common/ids/ids.h"
#include "common/time/time.h"
#include "homecare/scheduling/v1/scheduling.grpc.pb.h"
#include "tools/carectl/cli.h"
#include "tools/carectl/roster_parsing.h"
#include "tools/carectl/scheduling_parsing.h"

namespace homecare::carectl {
namespace {

namespace sv1 = scheduling::v1;
using Stub = sv1::SchedulingService::Stub;

// A flag keeps the last of repeated values, which would silently drop all patterns, contacts
// or outcomes but one; these lists go ';'-separated in one flag instead.
absl::Status GivenOnce(const std::vector<std::string>& args,
                       std::initializer_list<absl::string_view> names) {
  for (absl::string_view name : names) {
    int count = 0;
    for (absl::string_view arg : args) {
      if (arg == absl::StrCat("--", name) || absl::StartsWith(arg, absl::StrCat("--", name, "="))) {
        ++count;
      }
    }
    if (count > 1) {
      return absl::InvalidArgumentError(absl::StrCat(
          "--", name, " is given more than once; separate the items with ';' in one --", name));
    }
  }
  return absl::OkStatus();
}

// Comma-separated carer ids or skills.
void AddList(const std::string& text, google::protobuf::RepeatedPtrField<std::string>& list) {
  for (absl::string_view item : absl::StrSplit(text, ',', absl::SkipWhitespace())) {
    list.Add(std::string(absl::StripAsciiWhitespace(item)));
  }
}

// Renderings of one client, care plan or visit, with the names they need.
auto ClientView(const ClientFlags& connection) {
  return [&connection](const sv1::Client& client) {
    Wanted wanted;
    wanted.carers.insert(client.preferred_carer_ids().begin(), client.preferred_carer_ids().end());
    wanted.carers.insert(client.excluded_carer_ids().begin(), client.excluded_carer_ids().end());
    return RenderClient(client, LoadDirectory(connection, wanted));
  };
}

auto PlanView(const ClientFlags& connection) {
  return [&connection](const sv1::CarePlan& plan) {
    return RenderCarePlan(plan, LoadDirectory(connection, {.clients = {plan.client_id()}}));
  };
}

auto VisitView(const ClientFlags& connection) {
  return [&connection](const sv1::Visit& visit) {
    Wanted wanted{.carers = {visit.carer_ids().begin(), visit.carer_ids().end()},
                  .clients = {visit.client_id()}};
    if (visit.has_carer_removal()) wanted.carers.insert(visit.carer_removal().carer_id());
    return RenderVisit(visit, LoadDirectory(connection, wanted));
  };
}

// The fields of a Client that flags set; `mask` gets the path of each flag given. (Named so
// as not to be taken for ClientFlags, the flags of the connection.)
struct ClientFieldFlags {
  std::string name, locality, location, address, access_notes, gender, gender_required, preferred,
      excluded, contacts, status;
  bool gender_required_on_create = false;

  // `update`: the flags of `client update`, which takes --status and says true or false to
  // --gender-required rather than only setting it.
  void Register(FlagSet& flags, bool update) {
    flags.AddString("name", &name, "Display name");
    flags.AddString("locality", &locality, "Locality id");
    flags.AddString("location", &location, "Home as latitude,longitude");
    flags.AddString("address", &address, "Address line");
    flags.AddString("access-notes", &access_notes, "How to get in: key safe, entry");
    flags.AddString("gender", &gender,
                    "Preferred carer gender: female, male, non-binary or undisclosed");
    if (update) {
      flags.AddString("gender-required", &gender_required,
                      "true: only carers of --gender may visit; false: a wish the scheduler "
                      "weighs");
    } else {
      flags.AddBool("gender-required", &gender_required_on_create,
                    "Only carers of --gender may visit; otherwise a wish the scheduler weighs");
    }
    std::string replaces = update ? " (replaces the whole list)" : "";
    flags.AddString("preferred", &preferred, "Preferred carer ids, comma-separated" + replaces);
    flags.AddString("excluded", &excluded,
                    "Ids of carers who must not visit, comma-separated" + replaces);
    flags.AddString("contacts", &contacts,
                    "Contacts, ';'-separated, each name|relationship|phone, with |unpaid after "
                    "an unpaid carer's: \"Ann Lee|daughter|07700 900123|unpaid; Dr Shah|GP|020 "
                    "7946 0000\"" +
                        replaces);
    if (update) flags.AddString("status", &status, "active, suspended or ended");
  }

  absl::Status Fill(sv1::Client& client, google::protobuf::FieldMask& mask) const {
    auto given = [&](const std::string& value, const char* path) {
      if (value.empty()) return false;
      mask.add_paths(path);
      return true;
    };
    if (given(name, "display_name")) client.set_display_name(name);
    if (given(locality, "locality_id")) client.set_locality_id(locality);
    if (given(location, "location")) {
      absl::StatusOr<common::v1::GeoPoint> parsed = ParseGeoPoint(location);
      if (!parsed.ok()) return ForFlag("location", parsed.status());
      *client.mutable_location() = *parsed;
    }
    if (given(address, "address_line")) client.set_address_line(address);
    if (given(access_notes, "access_notes")) client.set_access_notes(access_notes);
    if (given(gender, "preferred_carer_gender")) {
      absl::StatusOr<common::v1::Gender> parsed = ParseGender(gender);
      if (!parsed.ok()) return ForFlag("gender", parsed.status());
      client.set_preferred_carer_gender(*parsed);
    }
    const std::string required = gender_required_on_create ? "true" : gender_required;
    if (given(required, "carer_gender_required")) {
      bool value = false;
      if (absl::Status ok = ParseTrueFalse("gender-required", required, value); !ok.ok()) {
        return ok;
      }
      client.set_carer_gender_required(value);
    }
    if (given(preferred, "preferred_carer_ids")) {
      AddList(preferred, *client.mutable_preferred_carer_ids());
    }
    if (given(excluded, "excluded_carer_ids")) {
      AddList(excluded, *client.mutable_excluded_carer_ids());
    }
    if (given(contacts, "contacts")) {
      absl::StatusOr<std::vector<sv1::Contact>> parsed = ParseContacts(contacts);
      if (!parsed.ok()) return ForFlag("contacts", parsed.status());
      for (sv1::Contact& contact : *parsed) *client.add_contacts() = std::move(contact);
    }
    if (given(status, "status")) {
      absl::StatusOr<sv1::ClientStatus> parsed = ParseClientStatus(status);
      if (!parsed.ok()) return ForFlag("status", parsed.status());
      client.set_status(*parsed);
    }
    return absl::OkStatus();
  }
};

int RunClientCreate(const std::vector<std::string>& args) {
  ClientFlags connection;
  ClientFieldFlags fields;
  std::string request_id = RandomUuid();
  FlagSet flags("carectl client create");
  connection.Register(flags);
  fields.Register(flags, /*update=*/false);
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (absl::Status once = GivenOnce(args, {"contacts"}); !once.ok()) return PrintError(once);
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::CreateClientRequest request;
  request.set_request_id(request_id);
  google::protobuf::FieldMask unused;
  if (absl::Status ok = fields.Fill(*request.mutable_client(), unused); !ok.ok()) {
    return PrintError(ok);
  }
  return CallAndShow(connection, connection.scheduling, &Stub::CreateClient, request,
                     ClientView(connection));
}

int RunClientGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::GetClientRequest request;
  FlagSet flags("carectl client get");
  connection.Register(flags);
  flags.AddString("id", request.mutable_client_id(), "Client id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.scheduling, &Stub::GetClient, request,
                     ClientView(connection));
}

int RunClientUpdate(const std::vector<std::string>& args) {
  ClientFlags connection;
  ClientFieldFlags fields;
  std::string id;
  int64_t expected_version = 0;
  FlagSet flags("carectl client update");
  connection.Register(flags);
  flags.AddString("id", &id, "Client id");
  fields.Register(flags, /*update=*/true);
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (absl::Status once = GivenOnce(args, {"contacts"}); !once.ok()) return PrintError(once);
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::UpdateClientRequest request;
  request.mutable_client()->set_client_id(id);
  request.set_expected_version(expected_version);
  if (absl::Status ok = fields.Fill(*request.mutable_client(), *request.mutable_update_mask());
      !ok.ok()) {
    return PrintError(ok);
  }
  return CallAndShow(connection, connection.scheduling, &Stub::UpdateClient, request,
                     ClientView(connection));
}

int RunClientList(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::ListClientsRequest request;
  std::string status;
  int64_t page_size = 0;
  FlagSet flags("carectl client list");
  connection.Register(flags);
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality");
  flags.AddString("status", &status, "Only active, suspended or ended clients");
  flags.AddInt("page-size", &page_size, "At most this many (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!status.empty()) {
    absl::StatusOr<sv1::ClientStatus> parsed = ParseClientStatus(status);
    if (!parsed.ok()) return PrintError(ForFlag("status", parsed.status()));
    request.set_status(*parsed);
  }
  request.set_page_size(static_cast<int32_t>(page_size));
  return CallAndShow(connection, connection.scheduling, &Stub::ListClients, request,
                     [&](const sv1::ListClientsResponse& response) {
                       return RenderClients(response, LoadDirectory(connection),
                                            EmptyClientsMessage(request));
                     });
}

int RunClientSuspend(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string id, reason, from, to, note;
  FlagSet flags("carectl client suspend");
  connection.Register(flags);
  flags.AddString("id", &id, "Client id");
  flags.AddString("reason", &reason, "hospital, respite, holiday or other");
  flags.AddString("from", &from, "First day without visits: YYYY-MM-DD");
  flags.AddString("to", &to, "Last day without visits; leave out when the return is unknown");
  flags.AddString("note", &note, "Note");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::Suspension suspension;
  absl::StatusOr<sv1::SuspensionReason> parsed_reason = ParseSuspensionReason(reason);
  if (!parsed_reason.ok()) return PrintError(ForFlag("reason", parsed_reason.status()));
  suspension.set_reason(*parsed_reason);
  if (absl::Status ok = ParseDayFlag("from", from, *suspension.mutable_start_date()); !ok.ok()) {
    return PrintError(ok);
  }
  if (!to.empty()) {
    if (absl::Status ok = ParseDayFlag("to", to, *suspension.mutable_end_date()); !ok.ok()) {
      return PrintError(ok);
    }
    if (*ParseDay(to) < *ParseDay(from)) {
      return PrintError(
          absl::InvalidArgumentError(absl::StrCat("--to ", to, " is before --from ", from)));
    }
  }
  suspension.set_note(note);

  // The suspensions are one field: append to the ones read, and let the version catch another
  // change made in between rather than overwrite it.
  sv1::GetClientRequest get;
  get.set_client_id(id);
  absl::StatusOr<sv1::Client> current =
      Call(connection, connection.scheduling, &Stub::GetClient, get);
  if (!current.ok()) return PrintError(current.status(), connection.FlagNames());
  sv1::UpdateClientRequest request;
  sv1::Client& client = *request.mutable_client();
  client.set_client_id(id);
  *client.mutable_suspensions() = current->suspensions();
  *client.add_suspensions() = std::move(suspension);
  request.mutable_update_mask()->add_paths("suspensions");
  request.set_expected_version(current->version());
  return CallAndShow(connection, connection.scheduling, &Stub::UpdateClient, request,
                     ClientView(connection));
}

int RunPlanCreate(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string client_id, effective, review, outcomes, patterns, plan_id;
  std::string request_id = RandomUuid();
  int budget = 0;
  int expected_latest_version = 0;
  FlagSet flags("carectl plan create");
  connection.Register(flags);
  flags.AddString("client", &client_id, "Client id");
  flags.AddString("plan", &plan_id, "Plan id, for a new version of it; leave out for a new plan");
  flags.AddString("effective", &effective, "First day in force: YYYY-MM-DD");
  flags.AddInt("budget", &budget, "Weekly budget in minutes");
  flags.AddString("review", &review, "Review date: YYYY-MM-DD");
  flags.AddString("outcomes", &outcomes,
                  "Outcomes, ';'-separated: \"Make my own breakfast; Walk to the shop\"");
  flags.AddString("patterns", &patterns,
                  "Recurring visits, ';'-separated, each <id> <days> <HH:MM-HH:MM> <length> "
                  "[carers=1|2] [skills=a,b] [tasks=\"A|id:B\"] [critical]. Days: mon..sun, "
                  "daily, weekdays, weekends, comma-separated; the times are the window the "
                  "visit starts in; length 30m, 1h15m. E.g. 'morning weekdays 07:30-08:30 30m "
                  "carers=2 skills=hoist tasks=\"Breakfast|Medication\" critical; tea daily "
                  "16:00-17:00 45m'");
  flags.AddInt("expected-latest-version", &expected_latest_version,
               "New version only: the one it is based on; fails if another was added since");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (absl::Status once = GivenOnce(args, {"outcomes", "patterns"}); !once.ok()) {
    return PrintError(once);
  }
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::CreateCarePlanRequest request;
  request.set_request_id(request_id);
  request.set_expected_latest_version(expected_latest_version);
  sv1::CarePlan& plan = *request.mutable_care_plan();
  plan.set_care_plan_id(plan_id);
  plan.set_client_id(client_id);
  plan.set_weekly_budget_minutes(budget);
  if (absl::Status ok = ParseDayFlag("effective", effective, *plan.mutable_effective_date());
      !ok.ok()) {
    return PrintError(ok);
  }
  if (!review.empty()) {
    if (absl::Status ok = ParseDayFlag("review", review, *plan.mutable_review_date()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  for (sv1::Outcome& outcome : ParseOutcomes(outcomes)) *plan.add_outcomes() = std::move(outcome);
  absl::StatusOr<std::vector<sv1::VisitPattern>> parsed = ParsePatterns(patterns);
  if (!parsed.ok()) return PrintError(ForFlag("patterns", parsed.status()));
  for (sv1::VisitPattern& pattern : *parsed) *plan.add_patterns() = std::move(pattern);
  absl::StatusOr<sv1::CreateCarePlanResponse> response =
      Call(connection, connection.scheduling, &Stub::CreateCarePlan, request);
  if (!response.ok()) return PrintError(response.status(), connection.FlagNames());
  Show(connection, *response, [&](const sv1::CreateCarePlanResponse& created) {
    return PlanView(connection)(created.care_plan());
  });
  // On stderr, so that they are seen when stdout goes to a file or a pipe.
  for (const std::string& warning : response->warnings()) {
    std::cerr << "warning: " << warning << "\n";
  }
  return 0;
}

int RunPlanGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::GetCarePlanRequest request;
  int version = 0;
  FlagSet flags("carectl plan get");
  connection.Register(flags);
  flags.AddString("id", request.mutable_care_plan_id(), "Plan id");
  flags.AddInt("version", &version, "This version; 0 for the latest");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_version(version);
  return CallAndShow(connection, connection.scheduling, &Stub::GetCarePlan, request,
                     PlanView(connection));
}

int RunPlanList(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::ListCarePlansRequest request;
  bool review_overdue = false;
  int64_t page_size = 0;
  FlagSet flags("carectl plan list");
  connection.Register(flags);
  flags.AddString("client", request.mutable_client_id(), "Only this client's");
  flags.AddBool("review-overdue", &review_overdue, "Only plans whose review date has passed");
  flags.AddInt("page-size", &page_size, "At most this many (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  request.set_review_overdue_only(review_overdue);
  request.set_page_size(static_cast<int32_t>(page_size));
  return CallAndShow(connection, connection.scheduling, &Stub::ListCarePlans, request,
                     [&](const sv1::ListCarePlansResponse& response) {
                       Wanted wanted;
                       for (const sv1::CarePlan& plan : response.care_plans()) {
                         wanted.clients.insert(plan.client_id());
                       }
                       return RenderCarePlans(response, LoadDirectory(connection, wanted),
                                              EmptyCarePlansMessage(request));
                     });
}

int RunVisitsGenerate(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string from, to;
  sv1::GenerateVisitsRequest request;
  FlagSet flags("carectl visits generate");
  connection.Register(flags);
  flags.AddString("from", &from, "First date: YYYY-MM-DD");
  flags.AddString("to", &to, "Last date (inclusive): YYYY-MM-DD");
  flags.AddString("client", request.mutable_client_id(), "Only this client; default every one");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  for (auto [flag, text, field] : {std::tuple{"from", &from, request.mutable_start_date()},
                                   std::tuple{"to", &to, request.mutable_end_date()}}) {
    if (absl::Status ok = ParseDayFlag(flag, *text, *field); !ok.ok()) return PrintError(ok);
  }
  return CallAndShow(connection, connection.scheduling, &Stub::GenerateVisits, request,
                     RenderGenerated);
}

int RunVisitGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::GetVisitRequest request;
  FlagSet flags("carectl visit get");
  connection.Register(flags);
  flags.AddString("id", request.mutable_visit_id(), "Visit id");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.scheduling, &Stub::GetVisit, request,
                     VisitView(connection));
}

int RunVisitList(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::ListVisitsRequest request;
  std::string from, to, date, status;
  bool urgent_only = false, all = false, table = false;
  int64_t page_size = 0;
  FlagSet flags("carectl visit list");
  connection.Register(flags);
  flags.AddString("from", &from, "Planned start at or after: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("to", &to, "Planned start before");
  flags.AddString("date", &date, "A whole local day, YYYY-MM-DD, instead of --from and --to");
  flags.AddString("client", request.mutable_client_id(), "Only this client's");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality");
  flags.AddString("carer", request.mutable_carer_id(), "Only visits this carer is assigned to");
  flags.AddString("status", &status, "Only needs-carer, scheduled or cancelled visits");
  flags.AddBool("urgent-only", &urgent_only, "Only urgent visits (hospital discharges)");
  flags.AddInt("page-size", &page_size, "At most this many a page (max 200)");
  flags.AddString("page-token", request.mutable_page_token(), "From a previous page");
  flags.AddBool("all", &all, "Every page, to the end");
  flags.AddBool("table", &table, "Ignored: a table is the default now (--json for JSON)");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!date.empty() && (!from.empty() || !to.empty())) {
    return PrintError(absl::InvalidArgumentError("--date cannot be combined with --from or --to"));
  }
  if (!status.empty()) {
    absl::StatusOr<sv1::VisitStatus> parsed = ParseVisitStatus(status);
    if (!parsed.ok()) return PrintError(ForFlag("status", parsed.status()));
    request.set_status(*parsed);
  }
  request.set_urgent_only(urgent_only);
  request.set_page_size(static_cast<int32_t>(page_size));
  absl::TimeZone zone;
  if (!from.empty() || !to.empty() || !date.empty()) {
    absl::StatusOr<absl::TimeZone> tenant_zone = TenantZone(connection);
    if (!tenant_zone.ok()) return PrintError(tenant_zone.status());
    zone = *tenant_zone;
  }
  if (!date.empty()) {
    absl::StatusOr<absl::CivilDay> day = ParseDay(date);
    if (!day.ok()) return PrintError(ForFlag("date", day.status()));
    auto [start, end] = LocalDayBounds(*day, zone);
    *request.mutable_start_time() = TimeToProto(start);
    *request.mutable_end_time() = TimeToProto(end);
  }
  // Each field is made only when its flag is given: a present but empty one is 1970.
  for (auto [flag, text, field] :
       {std::tuple{"from", &from, &sv1::ListVisitsRequest::mutable_start_time},
        std::tuple{"to", &to, &sv1::ListVisitsRequest::mutable_end_time}}) {
    if (text->empty()) continue;
    if (absl::Status ok = ParseTimeFlag(flag, *text, zone, *(request.*field)()); !ok.ok()) {
      return PrintError(ok);
    }
  }

  absl::StatusOr<sv1::ListVisitsResponse> visits =
      CallPages(connection, connection.scheduling, &Stub::ListVisits, request, all,
                &sv1::ListVisitsResponse::mutable_visits);
  if (!visits.ok()) return PrintError(visits.status(), connection.FlagNames());
  return Show(connection, *visits, [&](const sv1::ListVisitsResponse& response) {
    Wanted wanted;
    for (const sv1::Visit& visit : response.visits()) {
      wanted.clients.insert(visit.client_id());
      wanted.carers.insert(visit.carer_ids().begin(), visit.carer_ids().end());
    }
    return RenderVisits(response, LoadDirectory(connection, wanted),
                        EmptyVisitsMessage(request, !date.empty()));
  });
}

int RunVisitCreate(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string client_id, window_start, window_end, duration, carers = "1", skills, tasks;
  std::string request_id = RandomUuid();
  bool critical = false, urgent = false;
  FlagSet flags("carectl visit create");
  connection.Register(flags);
  flags.AddString("client", &client_id, "Client id");
  flags.AddString("window-start", &window_start,
                  "Earliest start: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("window-end", &window_end, "Latest start");
  flags.AddString("duration", &duration, "Length: 45m, 1h15m...");
  flags.AddString("carers", &carers, "Carers needed: 1, or 2 for a double-up");
  flags.AddString("skills", &skills, "Skills needed, comma-separated");
  flags.AddString("tasks", &tasks, "Tasks, '|'-separated, each description or id:description");
  flags.AddBool("critical", &critical, "Time-critical (e.g. medication)");
  flags.AddBool("urgent", &urgent, "Urgent, e.g. a hospital discharge: stands out on lists");
  flags.AddString("request-id", &request_id, "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::CreateVisitRequest request;
  request.set_request_id(request_id);
  sv1::Visit& visit = *request.mutable_visit();
  visit.set_client_id(client_id);
  visit.set_time_critical(critical);
  visit.set_urgent(urgent);
  AddList(skills, *visit.mutable_required_skills());
  absl::StatusOr<int> minutes = ParseDurationMinutes("duration", duration);
  if (!minutes.ok()) return PrintError(ForFlag("duration", minutes.status()));
  visit.set_duration_minutes(*minutes);
  absl::StatusOr<int> carers_required = ParseCarersRequired(carers);
  if (!carers_required.ok()) return PrintError(ForFlag("carers", carers_required.status()));
  visit.set_carers_required(*carers_required);
  absl::StatusOr<std::vector<sv1::Task>> parsed_tasks = ParseTasks(tasks);
  if (!parsed_tasks.ok()) return PrintError(ForFlag("tasks", parsed_tasks.status()));
  for (sv1::Task& task : *parsed_tasks) *visit.add_tasks() = std::move(task);
  absl::StatusOr<absl::TimeZone> zone = TenantZone(connection);
  if (!zone.ok()) return PrintError(zone.status());
  for (auto [flag, text, field] :
       {std::tuple{"window-start", &window_start, visit.mutable_window_start()},
        std::tuple{"window-end", &window_end, visit.mutable_window_end()}}) {
    if (absl::Status ok = ParseTimeFlag(flag, *text, *zone, *field); !ok.ok()) {
      return PrintError(ok);
    }
  }
  return CallAndShow(connection, connection.scheduling, &Stub::CreateVisit, request,
                     VisitView(connection));
}

int RunVisitUpdate(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string id, planned_start, window_start, window_end, duration, tasks, skills, critical;
  int64_t expected_version = 0;
  FlagSet flags("carectl visit update");
  connection.Register(flags);
  flags.AddString("id", &id, "Visit id");
  flags.AddString("planned-start", &planned_start,
                  "Planned start, within the window: YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("window-start", &window_start, "Earliest start");
  flags.AddString("window-end", &window_end, "Latest start");
  flags.AddString("duration", &duration, "Length: 45m, 1h15m...");
  flags.AddString("tasks", &tasks, "All tasks, '|'-separated, each description or id:description");
  flags.AddString("skills", &skills, "All skills needed, comma-separated");
  flags.AddString("critical", &critical, "Time-critical: true or false");
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::UpdateVisitRequest request;
  sv1::Visit& visit = *request.mutable_visit();
  visit.set_visit_id(id);
  request.set_expected_version(expected_version);
  google::protobuf::FieldMask& mask = *request.mutable_update_mask();
  auto given = [&](const std::string& value, const char* path) {
    if (value.empty()) return false;
    mask.add_paths(path);
    return true;
  };
  if (!planned_start.empty() || !window_start.empty() || !window_end.empty()) {
    absl::StatusOr<absl::TimeZone> zone = TenantZone(connection);
    if (!zone.ok()) return PrintError(zone.status());
    // Each field is made only when its flag is given: a present but empty one is 1970.
    for (auto [flag, text, path, field] :
         {std::tuple{"planned-start", &planned_start, "planned_start",
                     &sv1::Visit::mutable_planned_start},
          std::tuple{"window-start", &window_start, "window_start",
                     &sv1::Visit::mutable_window_start},
          std::tuple{"window-end", &window_end, "window_end", &sv1::Visit::mutable_window_end}}) {
      if (!given(*text, path)) continue;
      if (absl::Status ok = ParseTimeFlag(flag, *text, *zone, *(visit.*field)()); !ok.ok()) {
        return PrintError(ok);
      }
    }
  }
  if (given(duration, "duration_minutes")) {
    absl::StatusOr<int> minutes = ParseDurationMinutes("duration", duration);
    if (!minutes.ok()) return PrintError(ForFlag("duration", minutes.status()));
    visit.set_duration_minutes(*minutes);
  }
  if (given(tasks, "tasks")) {
    absl::StatusOr<std::vector<sv1::Task>> parsed = ParseTasks(tasks);
    if (!parsed.ok()) return PrintError(ForFlag("tasks", parsed.status()));
    for (sv1::Task& task : *parsed) *visit.add_tasks() = std::move(task);
  }
  if (given(skills, "required_skills")) AddList(skills, *visit.mutable_required_skills());
  if (given(critical, "time_critical")) {
    bool value = false;
    if (absl::Status ok = ParseTrueFalse("critical", critical, value); !ok.ok()) {
      return PrintError(ok);
    }
    visit.set_time_critical(value);
  }
  return CallAndShow(connection, connection.scheduling, &Stub::UpdateVisit, request,
                     VisitView(connection));
}

int RunVisitCancel(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string reason, requested_at;
  sv1::CancelVisitRequest request;
  sv1::Cancellation& cancellation = *request.mutable_cancellation();
  FlagSet flags("carectl visit cancel");
  connection.Register(flags);
  flags.AddString("id", request.mutable_visit_id(), "Visit id");
  flags.AddString("reason", &reason,
                  "client-in-hospital, cancelled-by-client, cancelled-by-family, "
                  "cancelled-by-provider, client-died or other");
  flags.AddString("requested-by", cancellation.mutable_requested_by(),
                  "Who asked: a person's name or role");
  flags.AddString("requested-at", &requested_at,
                  "When they asked (default now): YYYY-MM-DDTHH:MM local, or RFC 3339");
  flags.AddString("note", cancellation.mutable_note(), "Note");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  absl::StatusOr<sv1::CancellationReason> parsed = ParseCancellationReason(reason);
  if (!parsed.ok()) return PrintError(ForFlag("reason", parsed.status()));
  cancellation.set_reason(*parsed);
  if (!requested_at.empty()) {
    absl::StatusOr<absl::TimeZone> zone = TenantZone(connection);
    if (!zone.ok()) return PrintError(zone.status());
    if (absl::Status ok = ParseTimeFlag("requested-at", requested_at, *zone,
                                        *cancellation.mutable_request_time());
        !ok.ok()) {
      return PrintError(ok);
    }
  }
  return CallAndShow(connection, connection.scheduling, &Stub::CancelVisit, request,
                     VisitView(connection));
}

int RunVisitAssign(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string carers;
  sv1::AssignCarersRequest request;
  bool override_preferences = false;
  FlagSet flags("carectl visit assign");
  connection.Register(flags);
  flags.AddString("id", request.mutable_visit_id(), "Visit id");
  flags.AddString("carers", &carers, "Carer ids to add, comma-separated (two for a double-up)");
  flags.AddBool("override", &override_preferences,
                "Assign although the client's preferences are not met (when the provider "
                "refuses on them); hard rules still hold");
  flags.AddString("request-id", request.mutable_request_id(),
                  "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  AddList(carers, *request.mutable_carer_ids());
  request.set_override_preferences(override_preferences);
  return CallAndShow(connection, connection.scheduling, &Stub::AssignCarers, request,
                     [&connection](const sv1::AssignCarersResponse& response) {
                       Wanted wanted{.carers = {response.visit().carer_ids().begin(),
                                                response.visit().carer_ids().end()},
                                     .clients = {response.visit().client_id()}};
                       for (const sv1::AssignmentWarning& warning : response.warnings()) {
                         wanted.carers.insert(warning.carer_id());
                       }
                       return RenderAssignment(response, LoadDirectory(connection, wanted));
                     });
}

int RunVisitUnassign(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::UnassignCarerRequest request;
  FlagSet flags("carectl visit unassign");
  connection.Register(flags);
  flags.AddString("id", request.mutable_visit_id(), "Visit id");
  flags.AddString("carer", request.mutable_carer_id(), "The carer to take off");
  flags.AddString("note", request.mutable_note(), "Why, for the record");
  flags.AddString("request-id", request.mutable_request_id(),
                  "Idempotency key; repeat it to retry safely");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.scheduling, &Stub::UnassignCarer, request,
                     VisitView(connection));
}

int RunRota(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::GetRotaRequest request;
  std::string date, from, to;
  bool table = false;
  FlagSet flags("carectl rota");
  connection.Register(flags);
  flags.AddString("carer", request.mutable_carer_id(), "Carer id (a carer's own token: theirs)");
  flags.AddString("date", &date, "One local day, YYYY-MM-DD");
  flags.AddString("from", &from, "First day, YYYY-MM-DD, instead of --date");
  flags.AddString("to", &to, "Last day (inclusive; at most 31 days)");
  flags.AddBool("table", &table, "A line per visit instead of each visit's details");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (date.empty() == from.empty()) {
    return PrintError(absl::InvalidArgumentError("give --date, or --from (with --to)"));
  }
  const std::string& first = date.empty() ? from : date;
  const std::string& last = date.empty() ? (to.empty() ? from : to) : date;
  if (absl::Status ok =
          ParseDayFlag(date.empty() ? "from" : "date", first, *request.mutable_start_date());
      !ok.ok()) {
    return PrintError(ok);
  }
  if (absl::Status ok =
          ParseDayFlag(date.empty() ? "to" : "date", last, *request.mutable_end_date());
      !ok.ok()) {
    return PrintError(ok);
  }
  return CallAndShow(connection, connection.scheduling, &Stub::GetRota, request,
                     [&connection, table](const sv1::Rota& rota) {
                       return RenderRota(rota, LoadDirectory(connection), table);
                     });
}

int RunAutoSchedule(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::AutoScheduleRequest request;
  std::string date;
  bool dry_run = false;
  int64_t seconds = 0;
  FlagSet flags("carectl autoschedule");
  connection.Register(flags);
  flags.AddString("date", &date, "The local day to plan: YYYY-MM-DD");
  flags.AddString("locality", request.mutable_locality_id(), "Only this locality's visits");
  flags.AddInt("seconds", &seconds, "How long the engine may take (0: the server's default)");
  flags.AddBool("dry-run", &dry_run, "Show the plan without assigning anyone");
  flags.AddString("request-id", request.mutable_request_id(),
                  "A retry with the same id shows the first plan and assigns nothing more");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (absl::Status ok = ParseDayFlag("date", date, *request.mutable_date()); !ok.ok()) {
    return PrintError(ok);
  }
  request.set_time_limit_seconds(static_cast<int32_t>(std::clamp<int64_t>(seconds, -1, 100000)));
  request.set_dry_run(dry_run);
  Stub stub(connection.Channel(connection.scheduling));
  std::unique_ptr<grpc::ClientContext> context = connection.StreamContext();
  std::unique_ptr<grpc::ClientReader<sv1::AutoScheduleUpdate>> stream =
      stub.AutoSchedule(context.get(), request);
  return ShowWatch(
      connection, *context, *stream, /*count=*/0,
      [](const sv1::AutoScheduleUpdate& update) {
        Wanted wanted;
        for (const sv1::PlannedAssignment& assignment : update.plan().assignments()) {
          wanted.carers.insert(assignment.carer_ids().begin(), assignment.carer_ids().end());
        }
        return wanted;
      },
      RenderAutoScheduleUpdate);
}

int RunVisitsWatch(const std::vector<std::string>& args) {
  ClientFlags connection;
  sv1::WatchVisitsRequest request;
  std::string date;
  int64_t count = 0;
  FlagSet flags("carectl visits watch");
  connection.Register(flags);
  flags.AddString("date", &date, "Only visits of this local day, YYYY-MM-DD");
  flags.AddString("resume-token", request.mutable_resume_token(),
                  "Resume after the change that carried this token (printed with --json)");
  flags.AddInt("count", &count, "Stop after this many changes (0: until Ctrl-C)");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  if (!date.empty()) {
    if (absl::Status ok = ParseDayFlag("date", date, *request.mutable_date()); !ok.ok()) {
      return PrintError(ok);
    }
  }
  Stub stub(connection.Channel(connection.scheduling));
  std::unique_ptr<grpc::ClientContext> context = connection.StreamContext();
  std::unique_ptr<grpc::ClientReader<sv1::VisitChange>> stream =
      stub.WatchVisits(context.get(), request);
  return ShowWatch(
      connection, *context, *stream, count,
      [](const sv1::VisitChange& change) {
        return Wanted{
            .carers = {change.visit().carer_ids().begin(), change.visit().carer_ids().end()},
            .clients = {change.visit().client_id()}};
      },
      RenderVisitChange);
}

int RunSettingsGet(const std::vector<std::string>& args) {
  ClientFlags connection;
  FlagSet flags("carectl settings get");
  connection.Register(flags);
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  return CallAndShow(connection, connection.scheduling, &Stub::GetSchedulingSettings,
                     sv1::GetSchedulingSettingsRequest(),
                     [&connection](const sv1::SchedulingSettings& settings) {
                       return RenderSchedulingSettings(settings, LoadDirectory(connection));
                     });
}

int RunSettingsSet(const std::vector<std::string>& args) {
  ClientFlags connection;
  std::string road_factor, driving, walking, cycling, public_transport, refuse;
  std::string continuity, preferred_carer, preferred_gender, carer_in_day, usual_carer;
  std::string fortnight_carers;
  int64_t expected_version = 0;
  FlagSet flags("carectl settings set");
  connection.Register(flags);
  flags.AddString("road-factor", &road_factor,
                  "Road distance as a multiple of the straight line, 1 to 3 (0: default)");
  flags.AddString("driving-kmh", &driving, "Door-to-door driving speed (0: default)");
  flags.AddString("walking-kmh", &walking, "Walking speed (0: default)");
  flags.AddString("cycling-kmh", &cycling, "Cycling speed (0: default)");
  flags.AddString("public-transport-kmh", &public_transport,
                  "Public transport speed, waits included (0: default)");
  flags.AddString("refuse-on-preferences", &refuse,
                  "true: an assignment against a client's preferences is refused unless "
                  "overridden; false: a warning");
  flags.AddString("continuity-minutes", &continuity,
                  "What the scheduler counts a carer new to the client as, in minutes of travel "
                  "(0: default)");
  flags.AddString("preferred-carer-minutes", &preferred_carer,
                  "...a carer outside the client's preferred carers (0: default)");
  flags.AddString("preferred-gender-minutes", &preferred_gender,
                  "...a carer of another gender than the client prefers (0: default)");
  flags.AddString("carer-in-day-minutes", &carer_in_day,
                  "...each carer a client sees in a day, the first included (0: default)");
  flags.AddString("usual-carer-minutes", &usual_carer,
                  "...a carer other than the call's usual ones, who made it in the last week "
                  "(0: default)");
  flags.AddString("fortnight-carers-threshold", &fortnight_carers,
                  "A client who has met this many carers in the fortnight up to the day: a carer "
                  "new to them counts ten times the continuity minutes (0: default; 50: never)");
  flags.AddInt("expected-version", &expected_version, "Apply only to this version");
  if (int code = ParseOrExit(flags, args); code >= 0) return code;
  sv1::UpdateSchedulingSettingsRequest request;
  request.set_expected_version(expected_version);
  sv1::TravelSettings& travel = *request.mutable_settings()->mutable_travel();
  for (auto [flag, text, path, set] :
       {std::tuple{"road-factor", &road_factor, "travel.road_distance_factor",
                   &sv1::TravelSettings::set_road_distance_factor},
        std::tuple{"driving-kmh", &driving, "travel.driving_speed_kmh",
                   &sv1::TravelSettings::set_driving_speed_kmh},
        std::tuple{"walking-kmh", &walking, "travel.walking_speed_kmh",
                   &sv1::TravelSettings::set_walking_speed_kmh},
        std::tuple{"cycling-kmh", &cycling, "travel.cycling_speed_kmh",
                   &sv1::TravelSettings::set_cycling_speed_kmh},
        std::tuple{"public-transport-kmh", &public_transport, "travel.public_transport_speed_kmh",
                   &sv1::TravelSettings::set_public_transport_speed_kmh}}) {
    if (text->empty()) continue;
    double value = 0;
    if (!absl::SimpleAtod(*text, &value)) {
      return PrintError(absl::InvalidArgumentError(absl::StrCat("--", flag, " must be a number")));
    }
    (travel.*set)(value);
    request.mutable_update_mask()->add_paths(path);
  }
  sv1::AutoScheduleWeights& weights = *request.mutable_settings()->mutable_auto_schedule();
  for (auto [flag, text, path, set] :
       {std::tuple{"continuity-minutes", &continuity, "auto_schedule.continuity_minutes",
                   &sv1::AutoScheduleWeights::set_continuity_minutes},
        std::tuple{"preferred-carer-minutes", &preferred_carer,
                   "auto_schedule.preferred_carer_minutes",
                   &sv1::AutoScheduleWeights::set_preferred_carer_minutes},
        std::tuple{"preferred-gender-minutes", &preferred_gender,
                   "auto_schedule.preferred_gender_minutes",
                   &sv1::AutoScheduleWeights::set_preferred_gender_minutes},
        std::tuple{"carer-in-day-minutes", &carer_in_day, "auto_schedule.carer_in_day_minutes",
                   &sv1::AutoScheduleWeights::set_carer_in_day_minutes},
        std::tuple{"usual-carer-minutes", &usual_carer, "auto_schedule.usual_carer_minutes",
                   &sv1::AutoScheduleWeights::set_usual_carer_minutes},
        std::tuple{"fortnight-carers-threshold", &fortnight_carers,
                   "auto_schedule.fortnight_carers_threshold",
                   &sv1::AutoScheduleWeights::set_fortnight_carers_threshold}}) {
    if (text->empty()) continue;
    int64_t value = 0;
    if (absl::Status ok = ParseInt(flag, *text, value); !ok.ok()) return PrintError(ok);
    (weights.*set)(static_cast<int32_t>(std::clamp<int64_t>(value, -1, INT32_MAX)));
    request.mutable_update_mask()->add_paths(path);
  }
  if (!refuse.empty()) {
    bool value = false;
    if (absl::Status ok = ParseTrueFalse("refuse-on-preferences", refuse, value); !ok.ok()) {
      return PrintError(ok);
    }
    request.mutable_settings()->set_refuse_on_preferences(value);
    request.mutable_update_mask()->add_paths("refuse_on_preferences");
  }
  return CallAndShow(connection, connection.scheduling, &Stub::UpdateSchedulingSettings, request,
                     [&connection](const sv1::SchedulingSettings& settings) {
                       return RenderSchedulingSettings(settings, LoadDirectory(connection));
                     });
}

}  // namespace

void RegisterSchedulingCommands() {
  auto& commands = Commands();
  commands.push_back({{"client", "create"}, "Add a client", RunClientCreate});
  commands.push_back({{"client", "get"}, "Show a client", RunClientGet});
  commands.push_back(
      {{"client", "update"}, "Change the fields given of a client", RunClientUpdate});
  commands.push_back({{"client", "list"}, "List clients, filtered", RunClientList});
  commands.push_back({{"client", "suspend"},
                      "Add a dated suspension (hospital, respite...): no visits are due",
                      RunClientSuspend});
  commands.push_back(
      {{"plan", "create"}, "Create a care plan, or a new version of one", RunPlanCreate});
  commands.push_back({{"plan", "get"}, "Show a care plan (a version of it)", RunPlanGet});
  commands.push_back({{"plan", "list"}, "List care plans, filtered", RunPlanList});
  commands.push_back({{"visits", "generate"},
                      "Make the dated visits the plans in force call for; prints the counts",
                      RunVisitsGenerate});
  commands.push_back({{"visit", "get"}, "Show a visit", RunVisitGet});
  commands.push_back(
      {{"visit", "list"}, "List visits, filtered: a line each in local time", RunVisitList});
  commands.push_back(
      {{"visit", "create"}, "Add a one-off or urgent visit (hospital discharge)", RunVisitCreate});
  commands.push_back(
      {{"visit", "update"}, "Change the time, length, tasks... of a visit", RunVisitUpdate});
  commands.push_back(
      {{"visit", "cancel"}, "Cancel a visit, recording why and who asked", RunVisitCancel});
  commands.push_back({{"visit", "assign"},
                      "Put carers on a visit; every rule it breaks is named, preferences warned",
                      RunVisitAssign});
  commands.push_back({{"visit", "unassign"}, "Take a carer off a visit", RunVisitUnassign});
  commands.push_back(
      {{"rota"}, "A carer's visits with travel and what they need at the door", RunRota});
  commands.push_back({{"visits", "watch"},
                      "Print every change to visits as it happens (a carer: their own)",
                      RunVisitsWatch});
  commands.push_back({{"autoschedule"},
                      "Plan a day's visits with the engine and assign them (or --dry-run)",
                      RunAutoSchedule});
  commands.push_back({{"settings", "get"},
                      "The provider's scheduling settings: travel speeds, preferences",
                      RunSettingsGet});
  commands.push_back({{"settings", "set"}, "Change the scheduling settings given", RunSettingsSet});
}

}  // namespace homecare::carectl
