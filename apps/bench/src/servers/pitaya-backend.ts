import { Context, Handler, Route } from '@pitaya-ts/core';
import { benchClusterModule } from './bench-app-options';
import { runClusterEntry } from './cluster-entry';

/** Scenario D's backend handler: `backend.bench.echo` answers with its body. */
@Handler('bench')
class BackendBenchHandler {
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}

/**
 * Entry of scenario D's backend: server type `backend`, no acceptors, registered in the etcd at
 * `BENCH_ETCD_URL`, gRPC on a free loopback port; ready once `start()` has registered it.
 */
runClusterEntry({ cluster: benchClusterModule, serverType: 'backend', handlers: [BackendBenchHandler] });
