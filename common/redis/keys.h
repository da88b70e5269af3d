// The one key layout of DESIGN.md: hc:{<tenant>}:<service>:<kind>[:<id>]. The tenant is a hash
// tag, so all of a tenant's keys share one Redis Cluster slot and one script can touch them
// atomically. Ids are validated (common/ids) before they reach a key, so no id can contain the
// braces or colons that would break out of this layout.
#ifndef HOMECARE_COMMON_REDIS_KEYS_H_
#define HOMECARE_COMMON_REDIS_KEYS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace homecare {

inline std::string TenantKey(absl::string_view tenant, absl::string_view service,
                             absl::string_view kind) {
  return absl::StrCat("hc:{", tenant, "}:", service, ":", kind);
}

inline std::string TenantKey(absl::string_view tenant, absl::string_view service,
                             absl::string_view kind, absl::string_view id) {
  return absl::StrCat("hc:{", tenant, "}:", service, ":", kind, ":", id);
}

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_KEYS_H_
