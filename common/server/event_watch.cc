#include "common/server/event_watch.h"

#include "common/status/errors.h"

namespace homecare {

absl::Status WatchCursor::Begin(const std::string& resume_token) {
  if (!resume_token.empty()) {
    absl::StatusOr<StreamPositions> decoded = DecodeResumeToken(resume_token);
    if (!decoded.ok()) return decoded.status();
    for (const auto& [tenant, position] : *decoded) {
      if (!all_tenants() && tenant != principal_.tenant) {
        // Another tenant's token: refused like a malformed one, with no hint of whose.
        return InvalidArgumentError("resume_token", "is not a resume token of this tenant");
      }
      if (absl::Status kept = source_.CheckRetained(tenant, position); !kept.ok()) return kept;
    }
    positions_ = *std::move(decoded);
  }
  std::vector<std::string> tenants = {principal_.tenant};
  if (all_tenants()) {
    absl::StatusOr<std::vector<std::string>> ids = source_.TenantIds();
    if (!ids.ok()) return ids.status();
    tenants = *std::move(ids);
  }
  for (const std::string& tenant : tenants) {
    if (positions_.contains(tenant)) continue;
    if (!resume_token.empty() && all_tenants()) {
      // Not in the token: the tenant had no events when it was made, or did not exist.
      positions_[tenant] = kStreamStart;
      continue;
    }
    absl::StatusOr<std::string> latest = source_.Latest(tenant);
    if (!latest.ok()) return latest.status();
    positions_[tenant] = *std::move(latest);
  }
  absl::StatusOr<std::unique_ptr<EventReader>> reader = source_.OpenReader(options_.block);
  if (!reader.ok()) return reader.status();
  reader_ = *std::move(reader);
  tenants_refreshed_ = absl::Now();
  return absl::OkStatus();
}

absl::StatusOr<std::vector<StoredEvent>> WatchCursor::Next() {
  // A watcher of every tenant with none to read yet (a new installation) looks at every read.
  if (all_tenants() &&
      (positions_.empty() || absl::Now() - tenants_refreshed_ > options_.tenant_refresh)) {
    if (absl::Status added = AddNewTenants(); !added.ok()) return added;
    tenants_refreshed_ = absl::Now();
  }
  if (idle()) return std::vector<StoredEvent>();
  return reader_->Read(positions_, options_.read_count, options_.block);
}

void WatchCursor::Passed(const StoredEvent& event) { positions_[event.tenant_id] = event.position; }

std::string WatchCursor::Token() const { return EncodeResumeToken(positions_); }

// Tenants that appeared since the watch began have only events the watcher has not seen.
absl::Status WatchCursor::AddNewTenants() {
  absl::StatusOr<std::vector<std::string>> ids = source_.TenantIds();
  if (!ids.ok()) return ids.status();
  for (const std::string& tenant : *ids) positions_.try_emplace(tenant, kStreamStart);
  return absl::OkStatus();
}

}  // namespace homecare
