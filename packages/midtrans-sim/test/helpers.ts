// Test helpers: an HTTPS client that trusts the simulator's CA, and a local notification receiver.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Simulator } from '../src/server.ts';

export interface HttpAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly text: string;
}

export function call(
  sim: Simulator,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<HttpAnswer> {
  const raw = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((done, fail) => {
    const req = request(
      `${sim.baseUrl}${path}`,
      { method, ca: sim.caCertPem, headers: { 'content-type': 'application/json', ...headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: Record<string, unknown> = {};
          try {
            parsed = JSON.parse(text) as Record<string, unknown>;
          } catch {
            // an HTML page
          }
          done({ status: res.statusCode ?? 0, body: parsed, text });
        });
      },
    );
    req.on('error', fail);
    req.end(raw);
  });
}

export interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly raw: string;
}

export async function receiver(): Promise<{
  url: string;
  received: Received[];
  next: (pred?: (r: Received) => boolean) => Promise<Received>;
  close: () => Promise<void>;
}> {
  const received: Received[] = [];
  const waiters: { pred: (r: Received) => boolean; done: (r: Received) => void }[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') };
      received.push(r);
      for (const w of waiters.splice(0)) {
        if (w.pred(r)) w.done(r);
        else waiters.push(w);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"responseCode":"2005600"}');
    });
  });
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', d));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    received,
    next: (pred = () => true) =>
      new Promise((done) => {
        const hit = received.find(pred);
        if (hit) done(hit);
        else waiters.push({ pred, done });
      }),
    close: () => new Promise((d) => server.close(() => d())),
  };
}
