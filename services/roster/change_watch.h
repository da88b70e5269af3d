// WatchCarerChanges: one server stream per watcher, fed from the tenants' Redis change streams.
//
// Each watch has its own thread and its own Redis connection, because XREAD BLOCK blocks: it
// would stall one of gRPC's two callback threads, or hold a worker and a pooled connection for
// as long as the watch lasts. Watchers are few (the scheduling service's replicas and back-office
// boards), so a thread each is cheap; past kMaxWatches the call is RESOURCE_EXHAUSTED.
#ifndef HOMECARE_SERVICES_ROSTER_CHANGE_WATCH_H_
#define HOMECARE_SERVICES_ROSTER_CHANGE_WATCH_H_

#include <grpcpp/support/server_callback.h>

#include "common/auth/principal.h"
#include "common/redis/redis_client.h"
#include "common/server/stream_tracker.h"
#include "homecare/roster/v1/roster.pb.h"
#include "services/roster/roster_store.h"

namespace homecare::roster {

inline constexpr int kMaxWatches = 64;

// Starts a watch for `principal` (a tenant's, or a system token's for every tenant) from
// `request`'s resume token. The reactor deletes itself when the stream is done. All the
// pointers must outlive every watch (the service host drains streams before it stops).
grpc::ServerWriteReactor<v1::CarerChange>* StartChangeWatch(
    const Principal& principal, const v1::WatchCarerChangesRequest& request, RosterStore* store,
    RedisClient* redis, StreamTracker* streams);

// A stream that fails at once with `status` (for a caller refused before it starts).
grpc::ServerWriteReactor<v1::CarerChange>* FailedChangeWatch(const grpc::Status& status);

}  // namespace homecare::roster

#endif  // HOMECARE_SERVICES_ROSTER_CHANGE_WATCH_H_
