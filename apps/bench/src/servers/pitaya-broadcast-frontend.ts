import { BROADCAST_FRONTEND_TYPE, broadcastClusterModule } from './cluster-broadcast-app';
import { runClusterEntry } from './cluster-entry';

/**
 * Entry of a cluster-broadcast frontend (two run side by side): no handlers, `backend.*` forwarded
 * over gRPC, binding storage on. Ready once it has discovered the backend (the target then waits
 * until the backend sees both frontends).
 */
runClusterEntry({ cluster: broadcastClusterModule, serverType: BROADCAST_FRONTEND_TYPE });
