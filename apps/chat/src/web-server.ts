import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

/**
 * Serves the chat page. Files are read once at start-up (no disk I/O per request); `/` and
 * `/web/` (the path of Pitaya's demo) both serve it.
 */
export function createWebServer(webRoot: string, settings: Record<string, unknown>): http.Server {
  const files = new Map<string, { body: Buffer; type: string }>();
  for (const name of ['index.html', 'chat.js', 'chat.css', 'pitaya-client.js']) {
    const file = path.join(webRoot, name);
    files.set(`/${name}`, { body: readFileSync(file), type: CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream' });
  }
  const config = Buffer.from(`window.CHAT_SETTINGS = ${JSON.stringify(settings)};\n`);
  return http.createServer((req, res) => {
    const url = (req.url ?? '/').split('?')[0]!.replace(/^\/web\//, '/');
    if (url === '/settings.js') {
      res.writeHead(200, { 'content-type': CONTENT_TYPES['.js']!, 'cache-control': 'no-store' }).end(config);
      return;
    }
    const file = files.get(url === '/' ? '/index.html' : url);
    if (!file) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    res.writeHead(200, { 'content-type': file.type }).end(file.body);
  });
}
