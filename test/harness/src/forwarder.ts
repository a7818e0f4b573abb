// What a load balancer does in front of the workers' notification ingresses: each Midtrans webhook
// goes to the next worker in turn; a worker that refuses the connection (down, restarting) is
// skipped. A request that reached a worker which then died gets 502 — its outcome is unknown, so
// it is Midtrans' retry, not the balancer, that delivers it again.
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ForwardedRequest {
  readonly path: string;
  /** The request's end-to-end headers (signature and timestamp included), as Midtrans sent them. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
  /** The worker that answered, if one did. */
  readonly target?: string;
  readonly status: number;
}

interface Answer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'host']);

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((done, fail) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => done(Buffer.concat(chunks)));
    stream.on('error', fail);
  });
}

/** One attempt; rejects with the socket error (ECONNREFUSED means the worker never saw the request). */
function forward(target: string, req: IncomingMessage, body: Buffer): Promise<Answer> {
  const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !HOP_BY_HOP.has(k)));
  return new Promise((done, fail) => {
    const out = request(
      `${target}${req.url ?? '/'}`,
      { method: req.method, headers: { ...headers, connection: 'close' }, timeout: 30_000 },
      (res) => {
        readAll(res).then((b) => done({ status: res.statusCode ?? 502, headers: res.headers, body: b }), fail);
      },
    );
    out.on('timeout', () => out.destroy(new Error('upstream timeout')));
    out.on('error', fail);
    out.end(body);
  });
}

export class NotificationForwarder {
  readonly forwarded: ForwardedRequest[] = [];
  readonly #server: Server;
  readonly #targets: () => readonly string[];
  #next = 0;
  #url = '';

  private constructor(targets: () => readonly string[]) {
    this.#targets = targets;
    this.#server = createServer((req, res) => void this.handle(req, res));
  }

  /** `targets` is read on every request, so the pool may change while the forwarder runs. */
  static async start(targets: () => readonly string[]): Promise<NotificationForwarder> {
    const forwarder = new NotificationForwarder(targets);
    await new Promise<void>((done) => forwarder.#server.listen(0, '127.0.0.1', done));
    forwarder.#url = `http://127.0.0.1:${String((forwarder.#server.address() as AddressInfo).port)}`;
    return forwarder;
  }

  /** Where Midtrans is told to send notifications. */
  get url(): string {
    return this.#url;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req).catch(() => Buffer.alloc(0));
    const pool = this.#targets();
    const first = this.#next++;
    for (let i = 0; i < pool.length; i++) {
      const target = pool[(first + i) % pool.length] ?? '';
      try {
        const answer = await forward(target, req, body);
        this.#record(req, body, answer.status, target);
        res
          .writeHead(answer.status, Object.fromEntries(Object.entries(answer.headers).filter(([k]) => !HOP_BY_HOP.has(k))))
          .end(answer.body);
        return;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') continue;
        this.#record(req, body, 502, target);
        res.writeHead(502, { 'content-type': 'application/json' }).end('{"responseCode":"5020000","responseMessage":"Bad Gateway"}');
        return;
      }
    }
    this.#record(req, body, 503);
    res.writeHead(503, { 'content-type': 'application/json' }).end('{"responseCode":"5030000","responseMessage":"No worker available"}');
  }

  #record(req: IncomingMessage, body: Buffer, status: number, target?: string): void {
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) =>
        HOP_BY_HOP.has(k) || v === undefined ? [] : [[k, Array.isArray(v) ? v.join(', ') : v]],
      ),
    );
    this.forwarded.push({ path: req.url ?? '/', headers, body: body.toString('utf8'), status, ...(target ? { target } : {}) });
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.#server.closeAllConnections();
      this.#server.close(() => done());
    });
  }
}
