import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { createLogger, generateAsyncApi, Pitaya, ws } from '@pitaya-ts/core';
import { ChatModule } from './chat.module';

/**
 * `npm run docs [-- <file>]`: writes the chat's AsyncAPI 3 document (routes, bodies, replies, pushes,
 * errors), generated from the route table and the zod schemas. Nothing listens: the application is
 * created (which builds the route table) and closed again.
 */
export async function writeChatDocs(file: string): Promise<string> {
  const app = await Pitaya.create(ChatModule, { serverType: 'chat', acceptors: [ws({ port: 0 })], logger: createLogger({ level: 'error' }) });
  try {
    const doc = generateAsyncApi(app.routes, {
      title: 'pitaya-ts chat',
      version: '1.0.0',
      servers: { local: { host: 'localhost:3250', protocol: 'ws', pathname: '/pitaya', description: 'npm start' } },
    });
    writeFileSync(file, `${JSON.stringify(doc, null, 2)}\n`);
    return file;
  } finally {
    await app.close();
  }
}

if (require.main === module) {
  const file = path.resolve(process.argv[2] ?? path.join(__dirname, 'chat.asyncapi.json'));
  writeChatDocs(file).then(
    (written) => console.log(`AsyncAPI 3 document written to ${written}`),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      process.exit(1);
    },
  );
}
