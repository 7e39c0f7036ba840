import { benchClusterModule } from './bench-app-options';
import { runClusterEntry } from './cluster-entry';

/**
 * Entry of scenario D's frontend (type `connector`): no handlers of its own, so every `backend.*`
 * route is forwarded over gRPC. Ready once it has discovered the backend.
 */
runClusterEntry({ cluster: benchClusterModule, serverType: 'connector' });
