import { writeFileSync } from 'node:fs';
import { CliError, oneLine } from './errors';
import { candidateUrls, connectFirst } from './repl/connect';

/** Options of `pitaya-ts docs`. */
export interface DocsOptions {
  /** Route of the docs handler (default `docsHandler.docs`, which the frontend resolves to its own type). */
  readonly route?: string;
  /** Output file; default stdout. */
  readonly out?: string;
  readonly timeoutMs?: number;
}

/**
 * Fetches a running server's route table through its docs route (`DocsModule`) and writes it in
 * Pitaya's `Documentation` JSON shape.
 */
export async function fetchDocs(address: string, options: DocsOptions, stdout: NodeJS.WritableStream = process.stdout): Promise<void> {
  const route = options.route ?? 'docsHandler.docs';
  const timeoutMs = options.timeoutMs ?? 5_000;
  const { client } = await connectFirst(candidateUrls(address), { connectTimeoutMs: timeoutMs, requestTimeoutMs: timeoutMs });
  let doc: unknown;
  try {
    const reply = await client.request<{ doc?: unknown }>(route);
    if (typeof reply?.doc !== 'string') throw new Error('the reply is not a protos.Doc ({ "doc": "<json>" })');
    doc = JSON.parse(reply.doc);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const hint = code === 'PIT-404' ? ': the server has no docs route (import DocsModule in its root module) or use --route' : '';
    throw new CliError(`cannot read ${route}: ${typeof code === 'string' ? `${code} ` : ''}${oneLine(error)}${hint}`);
  } finally {
    await client.close();
  }
  const text = `${JSON.stringify(doc, null, 2)}\n`;
  if (options.out) {
    try {
      writeFileSync(options.out, text);
    } catch (error) {
      throw new CliError(`cannot write ${options.out}: ${oneLine(error)}`);
    }
  } else {
    stdout.write(text);
  }
}
