import type { BenchRoutes } from '../wire/endpoint';

/** Routes of the pitaya-ts bench app (server type `connector`, handler `bench`); the bare server uses them too. */
export const PITAYA_ROUTES: BenchRoutes = {
  echo: 'connector.bench.echo',
  join: 'connector.bench.join',
  send: 'connector.bench.send',
};

/** The same echo with its body declared by a zod schema and validated before the handler (A-schema rows). */
export const SCHEMA_ECHO_ROUTE = 'connector.bench.echoValidated';

/** pinus names a handler after its file: `app/servers/connector/handler/benchHandler.js`. */
export const PINUS_ROUTES: BenchRoutes = {
  echo: 'connector.benchHandler.echo',
  join: 'connector.benchHandler.join',
  send: 'connector.benchHandler.send',
};

/**
 * Scenario D: the frontend (type `connector`) forwards this route over gRPC to the backend (type
 * `backend`, handler `bench`), which answers with the body.
 */
export const FORWARDED_ROUTES: BenchRoutes = {
  echo: 'backend.bench.echo',
  join: 'backend.bench.join',
  send: 'backend.bench.send',
};
