// A tiny programmable HTTPS endpoint for the client's tests: it records every request with its raw
// bytes and answers as each test scripts it. (The full simulator is a separate package.)
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { makePki, type TestPki } from './certs.ts';

export interface Recorded {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Reply = { status: number; body: unknown } | 'reset' | 'hang';
export type Responder = (req: Recorded) => Reply | Promise<Reply>;

export interface FakeMidtrans {
  readonly url: string;
  readonly pki: TestPki;
  readonly requests: Recorded[];
  respond: Responder;
  tokenCount(): number;
  close(): Promise<void>;
}

export const okToken = (n: number): Reply => ({
  status: 200,
  body: {
    responseCode: '2007300',
    responseMessage: 'Successful',
    accessToken: `token-${String(n)}`,
    tokenType: 'Bearer',
    expiresIn: '900',
  },
});

export async function startFakeMidtrans(pki?: TestPki): Promise<FakeMidtrans> {
  const certs = pki ?? (await makePki());
  const requests: Recorded[] = [];
  let tokens = 0;
  const fake: FakeMidtrans = {
    url: '',
    pki: certs,
    requests,
    respond: () => ({ status: 200, body: { responseCode: '2005400', responseMessage: 'Successful' } }),
    tokenCount: () => tokens,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
  const server: Server = createServer({ cert: certs.certPem, key: certs.keyPem, minVersion: 'TLSv1.2' }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) };
      requests.push(rec);
      const reply = rec.path.endsWith('/v1.0/access-token/b2b') ? okToken(++tokens) : fake.respond(rec);
      void Promise.resolve(reply).then((r) => {
        if (r === 'reset') req.socket.destroy();
        else if (r !== 'hang') res.writeHead(r.status, { 'content-type': 'application/json' }).end(JSON.stringify(r.body));
      });
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  (fake as { url: string }).url = `https://localhost:${String((server.address() as AddressInfo).port)}`;
  return fake;
}
