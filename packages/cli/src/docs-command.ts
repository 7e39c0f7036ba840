import { existsSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
// The metadata keys are framework internals: read them from the project's own core, internal entry.
import type * as Core from '@pitaya-ts/core/internal';
import { CliError, oneLine } from './errors';
import { candidateUrls, connectFirst } from './repl/connect';

/** The documents `pitaya-ts docs` writes. */
export const DOC_FORMATS = ['pitaya', 'asyncapi'] as const;
export type DocFormat = (typeof DOC_FORMATS)[number];

/** Options of `pitaya-ts docs`. */
export interface DocsOptions {
  /** `pitaya`: Pitaya's `Documentation` JSON; `asyncapi`: the AsyncAPI 3 document of the client protocol. */
  readonly format?: DocFormat;
  /** Route of the docs handler, for a running server (default `docsHandler.docs` or `docsHandler.asyncapi`). */
  readonly route?: string;
  /** Output file; default stdout. */
  readonly out?: string;
  readonly timeoutMs?: number;
  /** Instead of a running server: a compiled module file (e.g. `dist/app.module.js`) to assemble in-process. */
  readonly module?: string;
  /** Export of `module` that is the root `@Module` (default: the only exported module class). */
  readonly exportName?: string;
  /** Server type the routes get (module mode). */
  readonly serverType?: string;
}

/**
 * Writes the protocol document of a server: fetched from a running server's docs routes
 * (`DocsModule`), or built from its compiled root module without listening (`--module`).
 */
export async function writeDocs(address: string | undefined, options: DocsOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<void> {
  const format = options.format ?? 'pitaya';
  if (!(DOC_FORMATS as readonly string[]).includes(format)) throw new CliError(`unknown format "${format}": use ${DOC_FORMATS.join(' or ')}`);
  let doc: unknown;
  if (options.module) {
    if (address) throw new CliError('give either an address or --module, not both');
    doc = await docsOfModule(options.module, format, options);
  } else if (address) {
    doc = await fetchDocs(address, format, options);
  } else {
    throw new CliError('nothing to document: give a running server\'s address (host:port) or --module dist/app.module.js --server-type <type>');
  }
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (!options.out) {
    stdout.write(text);
    return;
  }
  try {
    writeFileSync(options.out, text);
  } catch (error) {
    throw new CliError(`cannot write ${options.out}: ${oneLine(error)}`);
  }
}

async function fetchDocs(address: string, format: DocFormat, options: DocsOptions): Promise<unknown> {
  const route = options.route ?? (format === 'asyncapi' ? 'docsHandler.asyncapi' : 'docsHandler.docs');
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { client } = await connectFirst(candidateUrls(address), { connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
  try {
    const reply = await client.request<{ doc?: unknown }>(route);
    if (typeof reply?.doc !== 'string') throw new Error('the reply is not a protos.Doc ({ "doc": "<json>" })');
    return JSON.parse(reply.doc);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint = code === 'PIT-404' ? ': the server has no docs route (import DocsModule in its root module) or use --route' : '';
    throw new CliError(`cannot read ${route}: ${typeof code === 'string' ? `${code} ` : ''}${oneLine(error)}${hint}`);
  } finally {
    await client.close();
  }
}

/**
 * Assembles the application of a compiled module in this process — with the project's own
 * @pitaya-ts/core, so its decorators' metadata is the one read — without starting it.
 */
async function docsOfModule(file: string, format: DocFormat, options: DocsOptions): Promise<unknown> {
  const path = resolve(file);
  if (!existsSync(path)) throw new CliError(`${file} does not exist: build the project first and pass the compiled module (e.g. dist/app.module.js)`);
  if (/\.[cm]?tsx?$/.test(path)) throw new CliError(`${file} is TypeScript: build the project and pass the compiled module (e.g. dist/app.module.js)`);
  if (!options.serverType) throw new CliError('--module needs --server-type <type>: the first part of the routes');
  const projectRequire = createRequire(path);
  let core: typeof Core;
  let exports: Record<string, unknown>;
  try {
    core = projectRequire('@pitaya-ts/core/internal') as typeof Core;
  } catch {
    core = require('@pitaya-ts/core/internal') as typeof Core;
  }
  try {
    exports = projectRequire(path) as Record<string, unknown>;
  } catch (error) {
    throw new CliError(`cannot load ${file}: ${oneLine(error)}`);
  }
  const isModule = (value: unknown): boolean => typeof value === 'function' && Reflect.hasOwnMetadata(core.MetaKey.Module, value);
  let root: unknown;
  if (options.exportName) {
    root = exports[options.exportName];
    if (!isModule(root)) throw new CliError(`${file} has no @Module class exported as ${options.exportName}`);
  } else {
    const modules = Object.entries(exports).filter(([, v]) => isModule(v));
    if (modules.length !== 1) {
      throw new CliError(`${file} exports ${modules.length === 0 ? 'no @Module class' : `several modules (${modules.map(([k]) => k).join(', ')})`}: name the root one with --export <name>`);
    }
    root = modules[0]![1];
  }
  let app: Core.PitayaApplication;
  try {
    app = await core.Pitaya.create(root as Core.ModuleImport, { serverType: options.serverType, frontend: false, logger: core.createLogger({ level: 'silent' }) });
  } catch (error) {
    throw new CliError(`cannot assemble ${file}: ${oneLine(error)}`);
  }
  try {
    return format === 'asyncapi' ? core.generateAsyncApi(app.routes) : core.buildDocumentation(app.routes);
  } finally {
    await app.close();
  }
}
