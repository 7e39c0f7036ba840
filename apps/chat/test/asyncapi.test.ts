import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv from 'ajv';
import { createLogger, generateAsyncApi, Pitaya, ws, type AsyncApiDocument, type PitayaApplication } from '@pitaya-ts/core';
import { ChatModule } from '../src/chat.module';
import { writeChatDocs } from '../src/docs';

// The official AsyncAPI 3.0.0 JSON Schema (@asyncapi/specs) checked with ajv: two small packages that
// work offline, where @asyncapi/parser pulls in Spectral and ~100 packages for the same verdict.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const asyncApi300 = require('@asyncapi/specs/schemas/3.0.0.json') as Record<string, unknown>;

function makeValidator(): (doc: unknown) => boolean {
  // The spec's schema embeds the draft-07 meta-schema itself (so ajv must not add its own: meta false)
  // and uses formats (uri, uri-template…) that ajv only knows with ajv-formats: structure is what we test.
  const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true, meta: false, validateSchema: false });
  const validate = ajv.compile(asyncApi300);
  return (doc) => {
    const ok = validate(doc);
    if (!ok) throw new Error(JSON.stringify(validate.errors?.slice(0, 5), null, 2));
    return ok;
  };
}

describe('the chat\'s AsyncAPI 3 document', () => {
  let app: PitayaApplication;
  let doc: AsyncApiDocument;
  const validator = makeValidator();

  beforeAll(async () => {
    app = await Pitaya.create(ChatModule, { serverType: 'chat', acceptors: [ws({ port: 0 })], logger: createLogger({ level: 'silent' }), env: {} });
    doc = generateAsyncApi(app.routes, { title: 'Chat', version: '1.0.0', servers: { local: { host: 'localhost:3250', protocol: 'ws', pathname: '/pitaya' } } });
  });
  afterAll(() => app.close());

  it('validates against the AsyncAPI 3.0.0 schema', () => {
    expect(validator(JSON.parse(JSON.stringify(doc)))).toBe(true);
  });

  it('a broken document does not (the validator really checks)', () => {
    expect(() => validator({ ...doc, operations: { x: { action: 'shout', channel: {} } } })).toThrow(/action/);
    expect(() => validator({ ...doc, asyncapi: '2.6.0' })).toThrow(/asyncapi/);
  });

  it('lists every route of the chat with its payload schemas, the pushes and the Pitaya error', () => {
    expect(Object.keys(doc.operations).sort()).toEqual(['chat.room.join', 'chat.room.message', 'push.onMembers', 'push.onMessage', 'push.onNewUser']);
    expect(app.routes.handlers.every((r) => r.route in doc.channels)).toBe(true);
    const messages = doc.components.messages as Record<string, { payload?: Record<string, unknown> }>;
    expect(messages['chat.room.message.request']!.payload).toEqual({
      type: 'object',
      properties: { name: { type: 'string', minLength: 1, maxLength: 64 }, content: { type: 'string', minLength: 1, maxLength: 2000 } },
      required: ['name', 'content'],
    });
    expect(messages['chat.room.join.request']!.payload).toBeUndefined(); // join takes no body
    expect(messages['chat.room.join.reply']!.payload).toMatchObject({ properties: { code: { type: 'integer' }, result: { type: 'string' } } });
    expect(messages['onMembers.push']!.payload).toMatchObject({ properties: { members: { type: 'array', items: { type: 'string' } } } });
    expect(doc.operations['chat.room.message']).toMatchObject({ action: 'receive', 'x-pitaya-notify': true });
    expect(doc.operations['chat.room.message']).not.toHaveProperty('reply');
    expect(doc.operations['chat.room.join']).toMatchObject({ reply: { messages: [{ $ref: '#/channels/chat.room.join/messages/reply' }, { $ref: '#/channels/chat.room.join/messages/error' }] } });
    expect(doc.components.schemas).toHaveProperty('PitayaError');
  });

  it('npm run docs writes the same, valid document to a file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'chat-docs-'));
    try {
      const written = JSON.parse(readFileSync(await writeChatDocs(join(dir, 'chat.json')), 'utf8')) as AsyncApiDocument;
      expect(validator(written)).toBe(true);
      expect(Object.keys(written.channels).sort()).toEqual(Object.keys(doc.channels).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
