// Paging through a sorted-set index whose scores are instants in milliseconds (absences by
// start, visits by planned start): in score order, then id order among equal scores, resumed
// from an opaque "<score>:<id>" cursor however many ids share a score.
#ifndef HOMECARE_COMMON_REDIS_SCORED_INDEX_H_
#define HOMECARE_COMMON_REDIS_SCORED_INDEX_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "common/api/records.h"
#include "common/redis/redis_client.h"

namespace homecare {

// Ids of `key` scored in [from, before) (absl::InfinitePast/InfiniteFuture for open ends), after
// the cursor `after` (exclusive; "" from the start), at most `limit`. INVALID_ARGUMENT naming
// "page_token" for a cursor that is not one of these.
absl::StatusOr<ScoredIdPage> ReadScoredIds(RedisClient& redis, const std::string& key,
                                           absl::Time from, absl::Time before,
                                           const std::string& after, int limit);

// The score of an instant in these indexes.
std::string ScoreOf(absl::Time time);

}  // namespace homecare

#endif  // HOMECARE_COMMON_REDIS_SCORED_INDEX_H_
