#include "common/redis/scored_index.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "common/status/errors.h"

namespace homecare {

std::string ScoreOf(absl::Time time) { return absl::StrCat(absl::ToUnixMillis(time)); }

absl::StatusOr<ScoredIdPage> ReadScoredIds(RedisClient& redis, const std::string& key,
                                           absl::Time from, absl::Time before,
                                           const std::string& after, int limit) {
  std::string min = from == absl::InfinitePast() ? "-inf" : ScoreOf(from);
  std::string after_score;
  std::string after_id;
  int64_t after_ms = 0;
  if (!after.empty()) {
    size_t colon = after.find(':');
    if (colon == std::string::npos || !absl::SimpleAtoi(after.substr(0, colon), &after_ms)) {
      return InvalidArgumentError("page_token", "is not a page token of this list");
    }
    after_score = after.substr(0, colon);
    after_id = after.substr(colon + 1);
    if (min == "-inf" || after_ms > absl::ToUnixMillis(from)) min = after_score;
  }
  const std::string max =
      before == absl::InfiniteFuture() ? "+inf" : absl::StrCat("(", ScoreOf(before));
  // One more than asked for tells whether anything follows. Ids with the cursor's score are
  // ordered by id; those up to the cursor's are skipped, in batches, however many share it.
  std::vector<std::pair<std::string, std::string>> found;  // id, score
  const int batch = limit + 16;
  bool end_of_key = false;
  for (int offset = 0; static_cast<int>(found.size()) <= limit && !end_of_key; offset += batch) {
    absl::StatusOr<RedisReply> reply =
        redis.Command({"ZRANGEBYSCORE", key, min, max, "WITHSCORES", "LIMIT", absl::StrCat(offset),
                       absl::StrCat(batch)});
    if (!reply.ok()) return reply.status();
    const std::vector<RedisReply>& elements = reply->elements;
    for (size_t i = 0; i + 1 < elements.size(); i += 2) {
      const std::string& id = elements[i].str;
      const std::string& score = elements[i + 1].str;
      if (!after.empty() && score == after_score && id <= after_id) continue;
      if (static_cast<int>(found.size()) <= limit) found.emplace_back(id, score);
    }
    end_of_key = static_cast<int>(elements.size()) < 2 * batch;
  }
  ScoredIdPage page;
  page.exhausted = static_cast<int>(found.size()) <= limit;
  if (!page.exhausted) found.resize(limit);
  if (found.empty()) return page;
  page.last_cursor = absl::StrCat(found.back().second, ":", found.back().first);
  for (auto& [id, score] : found) page.ids.push_back(std::move(id));
  return page;
}

}  // namespace homecare
