// A merchant-side notification endpoint for the tests: records each request with its raw bytes and
// answers 200 as Midtrans expects.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Notification {
  readonly path: string;
  readonly headers: Record<string, string | undefined>;
  readonly raw: string;
}

export interface NotificationReceiver {
  readonly url: string;
  readonly received: Notification[];
  next(match: (n: Notification) => boolean): Promise<Notification>;
  close(): Promise<void>;
}

export async function notificationReceiver(): Promise<NotificationReceiver> {
  const received: Notification[] = [];
  let waiters: { match: (n: Notification) => boolean; done: (n: Notification) => void }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const n = { path: req.url ?? '', headers, raw: Buffer.concat(chunks).toString('utf8') };
      received.push(n);
      waiters = waiters.filter((w) => (w.match(n) ? (w.done(n), false) : true));
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"responseCode":"2005600","responseMessage":"Success"}');
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    url: `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`,
    received,
    next: (match) =>
      new Promise((done) => {
        const hit = received.find(match);
        if (hit) done(hit);
        else waiters.push({ match, done });
      }),
    close: () => new Promise((done) => server.close(() => done())),
  };
}
