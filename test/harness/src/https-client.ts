// Requests to the simulator over its real HTTPS, trusting only its per-run CA, on keep-alive sockets.
import { Agent, request } from 'node:https';

export interface HttpsAnswer {
  readonly status: number;
  readonly text: string;
}

export class HttpsClient {
  readonly #agent: Agent;

  constructor(caPem: string, maxSockets = 32) {
    this.#agent = new Agent({ keepAlive: true, maxSockets, ca: caPem });
  }

  send(
    url: string,
    { method = 'GET', body, contentType = 'application/json' }: { method?: string; body?: string; contentType?: string } = {},
  ): Promise<HttpsAnswer> {
    return new Promise((done, fail) => {
      const req = request(
        url,
        {
          method,
          agent: this.#agent,
          headers: body === undefined ? {} : { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => done({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });
  }

  async json(url: string, method = 'GET', body?: unknown): Promise<{ status: number; body: unknown }> {
    const answer = await this.send(url, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: answer.status, body: answer.text === '' ? undefined : (JSON.parse(answer.text) as unknown) };
  }

  close(): void {
    this.#agent.destroy();
  }
}
