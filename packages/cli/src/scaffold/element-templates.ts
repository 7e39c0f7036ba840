import type { Names } from './names';

/** What `generate` can create. */
export type ElementKind = 'handler' | 'remote' | 'pipeline' | 'module';

/** The `@Module` key each kind is listed under. */
export const MODULE_KEY: Readonly<Record<ElementKind, 'handlers' | 'remotes' | 'pipelines' | 'imports'>> = {
  handler: 'handlers',
  remote: 'remotes',
  pipeline: 'pipelines',
  module: 'imports',
};

const SUFFIX: Readonly<Record<ElementKind, string>> = { handler: 'Handler', remote: 'Remote', pipeline: 'Pipeline', module: 'Module' };

/** The class name of a generated element (`PlayerStatsHandler`). */
export function className(kind: ElementKind, names: Names): string {
  return `${names.pascal}${SUFFIX[kind]}`;
}

/** The class source of a generated element. */
export function elementSource(kind: ElementKind, names: Names): string {
  const cls = className(kind, names);
  switch (kind) {
    case 'handler':
      return `import { Context, Handler, Notify, Route } from '@pitaya-ts/core';
import { z } from 'zod';

const GetRequest = z.object({ id: z.string().min(1) });
const UpdateRequest = z.object({ value: z.unknown() });

/** Client routes \`<serverType>.${names.camel}.*\`. Each route is decorated explicitly; bodies are checked by their schema. */
@Handler('${names.camel}')
export class ${cls} {
  /** A request: the reply goes back to the client. */
  @Route({ request: GetRequest })
  async get(_ctx: Context, body: z.infer<typeof GetRequest>): Promise<{ code: number; id: string }> {
    return { code: 0, id: body.id };
  }

  /** A notify: no reply. */
  @Notify({ request: UpdateRequest })
  async update(ctx: Context, body: z.infer<typeof UpdateRequest>): Promise<void> {
    await ctx.session.push('on${names.pascal}Updated', { value: body.value ?? null });
  }
}
`;
    case 'remote':
      return `import { Context, Remote, Route } from '@pitaya-ts/core';

/** Server-to-server routes \`<serverType>.${names.camel}.*\` (called with \`app.rpc\` / \`RPC_CLIENT\`). */
@Remote('${names.camel}')
export class ${cls} {
  @Route()
  async status(_ctx: Context, body: { id?: string }): Promise<{ id: string | null; ok: boolean }> {
    return { id: typeof body?.id === 'string' ? body.id : null, ok: true };
  }
}
`;
    case 'pipeline':
      return `import { Context, Pipeline, type AfterPipeline, type BeforePipeline, type Outcome } from '@pitaya-ts/core';

/** Runs around every handler route (\`@Pipeline({ routes })\` narrows it). */
@Pipeline()
export class ${cls} implements BeforePipeline, AfterPipeline {
  /** Sees (and may replace) the body before the handler; throw a PitayaError to refuse the request. */
  before(_ctx: Context, body: unknown): unknown {
    return body;
  }

  /** Sees the handler's result or error before it is sent. */
  after(_ctx: Context, outcome: Outcome): Outcome {
    return outcome;
  }
}
`;
    case 'module':
      return `import { Module } from '@pitaya-ts/core';

/** The ${names.kebab} feature: list its handlers, remotes, pipelines and providers here. */
@Module({
  handlers: [],
  remotes: [],
  pipelines: [],
  providers: [],
})
export class ${cls} {}
`;
  }
}

/** The test of a generated element: a testing module with just that element, started in memory. */
export function elementTest(kind: ElementKind, names: Names, importPath: string): string {
  const cls = className(kind, names);
  const header = (extra: string): string => `import type { PitayaClient } from '@pitaya-ts/client/node';
import { ${extra}Module } from '@pitaya-ts/core';
import { Test, type TestingApp } from '@pitaya-ts/testing';
import { ${cls} } from '${importPath}';
`;
  const harness = (moduleBody: string): string => `
@Module(${moduleBody})
class TestModule {}

describe('${cls}', () => {
  let testing: TestingApp;
  let client: PitayaClient;

  beforeAll(async () => {
    testing = await Test.createTestingModule(TestModule).compile({ serverType: 'test' });
    client = await testing.connect();
  });
  afterAll(() => testing?.close());
`;
  switch (kind) {
    case 'handler':
      return `${header('')}${harness(`{ handlers: [${cls}] }`)}
  it('answers a request', async () => {
    expect(await client.request('test.${names.camel}.get', { id: 'a1' })).toEqual({ code: 0, id: 'a1' });
    await expect(client.request('test.${names.camel}.get', {})).rejects.toMatchObject({ code: 'PIT-400' });
  });

  it('handles a notify', async () => {
    const pushed = new Promise((resolve) => client.on('on${names.pascal}Updated', resolve));
    client.notify('test.${names.camel}.update', { value: 42 });
    expect(await pushed).toEqual({ value: 42 });
  });
});
`;
    case 'remote':
      return `${header('')}${harness(`{ remotes: [${cls}] }`)}
  it('is a server-to-server route, not reachable by clients', async () => {
    await expect(client.request('test.${names.camel}.status', { id: 'a1' })).rejects.toMatchObject({ code: 'PIT-404' });
    expect(testing.app.routes.remotes.map((r) => r.route)).toContain('test.${names.camel}.status');
  });
});
`;
    case 'pipeline':
      return `${header('Context, Handler, Route, ')}
@Handler('echo')
class EchoHandler {
  @Route()
  echo(_ctx: Context, body: unknown): unknown {
    return body;
  }
}
${harness(`{ handlers: [EchoHandler], pipelines: [${cls}] }`)}
  it('runs around handler routes', async () => {
    expect(await client.request('test.echo.echo', { a: 1 })).toEqual({ a: 1 });
  });
});
`;
    case 'module':
      return `import { Pitaya, createLogger } from '@pitaya-ts/core';
import { ${cls} } from '${importPath}';

describe('${cls}', () => {
  it('assembles as an application', async () => {
    const app = await Pitaya.create(${cls}, { serverType: 'test', frontend: false, logger: createLogger({ level: 'silent' }) });
    await app.start();
    await app.close();
  });
});
`;
  }
}
