import { BroadcastBackendHandler, broadcastClusterModule } from './cluster-broadcast-app';
import { runClusterEntry } from './cluster-entry';

/**
 * Entry of the cluster-broadcast backend: server type `backend`, no acceptors, the `bench` handler
 * of {@link BroadcastBackendHandler}; ready once registered in etcd.
 */
runClusterEntry({ cluster: broadcastClusterModule, serverType: 'backend', handlers: [BroadcastBackendHandler] });
