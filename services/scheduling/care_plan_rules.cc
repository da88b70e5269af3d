#include "services/scheduling/care_plan_rules.h"

#include <set>

#include "absl/strings/str_cat.h"
#include "common/api/request.h"
#include "common/ids/ids.h"
#include "common/status/errors.h"
#include "common/time/time.h"

namespace homecare::scheduling {
namespace {

constexpr int kMaxSkills = 20;
constexpr int kMaxTasks = 50;
constexpr int kMaxPatterns = 50;
constexpr int kMaxOutcomes = 50;
constexpr TextRule kDescriptionText{1000, /*required=*/true, TextLines::kMultiple};
// A double-up every hour of the week is the most any plan could need.
constexpr int kMaxWeeklyBudgetMinutes = 2 * 7 * 24 * 60;

void CheckPattern(FieldViolations& violations, const v1::VisitPattern& pattern,
                  const std::string& field) {
  violations.AddFrom(ValidateId(field + ".pattern_id", pattern.pattern_id()));
  if (pattern.days().empty()) violations.Add(field + ".days", "must name at least one day");
  std::set<int> days;
  for (int i = 0; i < pattern.days_size(); ++i) {
    const int day = pattern.days(i);
    std::string item = absl::StrCat(field, ".days[", i, "]");
    if (day == common::v1::DAY_OF_WEEK_UNSPECIFIED || !common::v1::DayOfWeek_IsValid(day)) {
      violations.Add(item, "must be DAY_OF_WEEK_MONDAY to DAY_OF_WEEK_SUNDAY");
    } else if (!days.insert(day).second) {
      violations.Add(item, "names a day twice");
    }
  }
  absl::StatusOr<LocalRange> window =
      LocalRangeFromProto(pattern.start_window(), field + ".start_window");
  if (!pattern.has_start_window()) {
    violations.Add(field + ".start_window", "must be set (e.g. 07:30 to 08:30)");
  } else if (!window.ok()) {
    violations.AddFrom(window.status());
  } else if (window->length() > kMaxWindowMinutes) {
    violations.Add(
        field + ".start_window",
        absl::StrCat("is ", window->length(), " minutes long; at most ", kMaxWindowMinutes,
                     " (an end before the start runs past midnight)"));
  }
  CheckVisitContent(violations, field, pattern.duration_minutes(), pattern.carers_required(),
                    pattern.required_skills(), pattern.tasks());
}

}  // namespace

void CheckVisitContent(FieldViolations& violations, const std::string& prefix, int duration_minutes,
                       int carers_required,
                       const google::protobuf::RepeatedPtrField<std::string>& skills,
                       const google::protobuf::RepeatedPtrField<v1::Task>& tasks) {
  if (duration_minutes < 1 || duration_minutes > kMaxVisitMinutes) {
    violations.Add(prefix + ".duration_minutes",
                   absl::StrCat("must be from 1 to ", kMaxVisitMinutes, " minutes"));
  }
  if (carers_required < 1 || carers_required > 2) {
    violations.Add(prefix + ".carers_required", "must be 1, or 2 for a double-up");
  }
  if (skills.size() > kMaxSkills) {
    violations.Add(prefix + ".required_skills", absl::StrCat("at most ", kMaxSkills));
  }
  std::set<std::string> seen_skills;
  for (int i = 0; i < skills.size(); ++i) {
    std::string item = absl::StrCat(prefix, ".required_skills[", i, "]");
    absl::Status valid = ValidateId(item, skills[i]);
    if (!valid.ok()) {
      violations.AddFrom(valid);
    } else if (!seen_skills.insert(skills[i]).second) {
      violations.Add(item, absl::StrCat("duplicates \"", skills[i], "\""));
    }
  }
  if (tasks.size() > kMaxTasks)
    violations.Add(prefix + ".tasks", absl::StrCat("at most ", kMaxTasks));
  std::set<std::string> task_ids;
  for (int i = 0; i < tasks.size(); ++i) {
    std::string item = absl::StrCat(prefix, ".tasks[", i, "]");
    absl::Status valid = ValidateId(item + ".task_id", tasks[i].task_id());
    if (!valid.ok()) {
      violations.AddFrom(valid);
    } else if (!task_ids.insert(tasks[i].task_id()).second) {
      violations.Add(item + ".task_id", "duplicates another task's id");
    }
    CheckText(violations, item + ".description", tasks[i].description(), kDescriptionText);
  }
}

void GiveTaskIds(google::protobuf::RepeatedPtrField<v1::Task>& tasks) {
  std::set<std::string> taken;
  for (const v1::Task& task : tasks) taken.insert(task.task_id());
  int next = 1;
  for (v1::Task& task : tasks) {
    if (!task.task_id().empty()) continue;
    while (taken.count(absl::StrCat("t", next)) > 0) ++next;
    task.set_task_id(absl::StrCat("t", next));
    taken.insert(task.task_id());
  }
}

absl::Status ValidateCarePlan(const v1::CarePlan& plan) {
  FieldViolations violations;
  violations.AddFrom(ValidateId("care_plan.client_id", plan.client_id()));
  absl::StatusOr<absl::CivilDay> effective =
      DateFromProto(plan.effective_date(), "care_plan.effective_date");
  if (!plan.has_effective_date()) {
    violations.Add("care_plan.effective_date", "must be set (the first day the plan is in force)");
  } else {
    violations.AddFrom(effective.status());
  }
  if (plan.has_review_date()) {
    absl::StatusOr<absl::CivilDay> review =
        DateFromProto(plan.review_date(), "care_plan.review_date");
    violations.AddFrom(review.status());
    if (review.ok() && effective.ok() && *review < *effective) {
      violations.Add("care_plan.review_date", "must not be before effective_date");
    }
  }
  if (plan.weekly_budget_minutes() < 1 || plan.weekly_budget_minutes() > kMaxWeeklyBudgetMinutes) {
    violations.Add("care_plan.weekly_budget_minutes",
                   absl::StrCat("must be from 1 to ", kMaxWeeklyBudgetMinutes, " minutes"));
  }
  if (plan.outcomes_size() > kMaxOutcomes) {
    violations.Add("care_plan.outcomes", absl::StrCat("at most ", kMaxOutcomes));
  }
  std::set<std::string> outcome_ids;
  for (int i = 0; i < plan.outcomes_size(); ++i) {
    const v1::Outcome& outcome = plan.outcomes(i);
    std::string field = absl::StrCat("care_plan.outcomes[", i, "]");
    absl::Status valid = ValidateId(field + ".outcome_id", outcome.outcome_id());
    if (!valid.ok()) {
      violations.AddFrom(valid);
    } else if (!outcome_ids.insert(outcome.outcome_id()).second) {
      violations.Add(field + ".outcome_id", "duplicates another outcome's id");
    }
    CheckText(violations, field + ".description", outcome.description(), kDescriptionText);
  }
  if (plan.patterns().empty()) {
    violations.Add("care_plan.patterns", "must have at least one visit pattern");
  } else if (plan.patterns_size() > kMaxPatterns) {
    violations.Add("care_plan.patterns", absl::StrCat("at most ", kMaxPatterns));
  }
  std::set<std::string> pattern_ids;
  for (int i = 0; i < plan.patterns_size(); ++i) {
    std::string field = absl::StrCat("care_plan.patterns[", i, "]");
    CheckPattern(violations, plan.patterns(i), field);
    if (!plan.patterns(i).pattern_id().empty() &&
        !pattern_ids.insert(plan.patterns(i).pattern_id()).second) {
      violations.Add(field + ".pattern_id", "duplicates another pattern's id");
    }
  }
  return violations.ToStatus();
}

int PlannedWeeklyMinutes(const v1::CarePlan& plan) {
  int minutes = 0;
  for (const v1::VisitPattern& pattern : plan.patterns()) {
    minutes += pattern.days_size() * pattern.duration_minutes() * pattern.carers_required();
  }
  return minutes;
}

std::vector<std::string> BudgetWarnings(const v1::CarePlan& plan) {
  std::vector<std::string> warnings;
  const int planned = PlannedWeeklyMinutes(plan);
  if (planned > plan.weekly_budget_minutes()) {
    warnings.push_back(absl::StrCat("OVER_BUDGET: the patterns plan ", planned,
                                    " minutes of care a week (visit minutes times ", "carers), ",
                                    planned - plan.weekly_budget_minutes(),
                                    " over the weekly budget of ", plan.weekly_budget_minutes()));
  }
  return warnings;
}

v1::CarePlan NewCarePlanVersion(const v1::CarePlan& requested, const std::string& care_plan_id,
                                int version, absl::Time now) {
  v1::CarePlan plan = requested;
  plan.set_care_plan_id(care_plan_id);
  plan.set_version(version);
  *plan.mutable_create_time() = TimeToProto(now);
  for (v1::VisitPattern& pattern : *plan.mutable_patterns()) {
    if (pattern.carers_required() == 0) pattern.set_carers_required(1);
    GiveTaskIds(*pattern.mutable_tasks());
  }
  std::set<std::string> taken;
  for (const v1::Outcome& outcome : plan.outcomes()) taken.insert(outcome.outcome_id());
  int next = 1;
  for (v1::Outcome& outcome : *plan.mutable_outcomes()) {
    if (!outcome.outcome_id().empty()) continue;
    while (taken.count(absl::StrCat("o", next)) > 0) ++next;
    outcome.set_outcome_id(absl::StrCat("o", next));
    taken.insert(outcome.outcome_id());
  }
  return plan;
}

absl::Status CheckNextVersion(const v1::CarePlan& latest, const v1::CarePlan& next) {
  FieldViolations violations;
  if (next.client_id() != latest.client_id()) {
    violations.Add("care_plan.client_id",
                   absl::StrCat("must be the plan's client, ", latest.client_id()));
  }
  absl::StatusOr<absl::CivilDay> latest_day = DateFromProto(latest.effective_date(), "latest");
  absl::StatusOr<absl::CivilDay> next_day = DateFromProto(next.effective_date(), "next");
  if (latest_day.ok() && next_day.ok() && *next_day < *latest_day) {
    violations.Add("care_plan.effective_date",
                   absl::StrCat("must not be before the effective date of version ",
                                latest.version(), " (", absl::FormatCivilTime(*latest_day), ")"));
  }
  return violations.ToStatus();
}

std::string CreateCarePlanFingerprint(const v1::CreateCarePlanRequest& request) {
  v1::CarePlan asked = request.care_plan();
  asked.clear_version();
  asked.clear_create_time();
  return RequestFingerprint(request.request_id(), asked);
}

const v1::CarePlan* VersionInForce(const std::vector<v1::CarePlan>& versions, absl::CivilDay day) {
  const v1::CarePlan* in_force = nullptr;
  absl::CivilDay in_force_from;
  for (const v1::CarePlan& version : versions) {
    absl::StatusOr<absl::CivilDay> from = DateFromProto(version.effective_date(), "effective_date");
    if (!from.ok() || *from > day) continue;
    if (in_force == nullptr || *from > in_force_from ||
        (*from == in_force_from && version.version() > in_force->version())) {
      in_force = &version;
      in_force_from = *from;
    }
  }
  return in_force;
}

bool ReviewOverdue(const v1::CarePlan& plan, absl::CivilDay today) {
  if (!plan.has_review_date()) return false;
  absl::StatusOr<absl::CivilDay> review = DateFromProto(plan.review_date(), "review_date");
  return review.ok() && *review < today;
}

}  // namespace homecare::scheduling
