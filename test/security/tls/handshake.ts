// A TLS client that forces what it is given (versions, suites) and reports what was negotiated, and
// HTTPS servers that offer only what they are given: the two halves of every downgrade attempt.
import { createServer, type Server, type ServerOptions } from 'node:https';
import type { AddressInfo } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';

/** Resolves to "<protocol> <suite>", or rejects with the handshake error. */
export function handshake(port: number, options: ConnectionOptions): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...options }, () => {
      const result = `${socket.getProtocol() ?? '?'} ${socket.getCipher().standardName}`;
      socket.end();
      done(result);
    });
    socket.once('error', fail);
  });
}

/** What a client may force: old protocol versions need OpenSSL's security level 0 to be offered at all. */
export const forced = {
  tls10: { minVersion: 'TLSv1', maxVersion: 'TLSv1', ciphers: 'DEFAULT@SECLEVEL=0' },
  tls11: { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' },
  tls12Cbc: {
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.2',
    ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA384:ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-SHA:AES128-SHA256:AES256-SHA',
  },
  /** GCM, but RSA key exchange: no forward secrecy, not one of the specification's suites. */
  tls12StaticRsaGcm: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256:AES256-GCM-SHA384' },
  tls12Chacha: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-CHACHA20-POLY1305' },
  tls13Chacha: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3', ciphers: 'TLS_CHACHA20_POLY1305_SHA256' },
  tls12Gcm: { minVersion: 'TLSv1.2', maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' },
  tls13: { minVersion: 'TLSv1.3', maxVersion: 'TLSv1.3' },
} as const satisfies Record<string, ConnectionOptions>;

export type Forced = keyof typeof forced;
/** The protocol each forced configuration negotiates when the other side accepts it. */
export const protocolOf: Record<Forced, string> = {
  tls10: 'TLSv1',
  tls11: 'TLSv1.1',
  tls12Cbc: 'TLSv1.2',
  tls12StaticRsaGcm: 'TLSv1.2',
  tls12Chacha: 'TLSv1.2',
  tls13Chacha: 'TLSv1.3',
  tls12Gcm: 'TLSv1.2',
  tls13: 'TLSv1.3',
};
export const downgrades: readonly Forced[] = ['tls10', 'tls11', 'tls12Cbc', 'tls12StaticRsaGcm', 'tls12Chacha', 'tls13Chacha'];

/** Accepts every protocol and suite the client offers: proves a forced client can really speak what it forces. */
export const permissive = { minVersion: 'TLSv1', maxVersion: 'TLSv1.3', ciphers: 'ALL:@SECLEVEL=0' } as const satisfies ConnectionOptions;

export interface CountingServer {
  readonly port: number;
  readonly url: string;
  /** HTTP requests that got through a handshake. */
  readonly requests: () => number;
  close(): Promise<void>;
}

export async function countingServer(options: ServerOptions): Promise<CountingServer> {
  let requests = 0;
  const server: Server = createServer(options, (_req, res) => {
    requests++;
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"responseCode":"2005400","responseMessage":"Successful"}');
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `https://localhost:${String(port)}`,
    requests: () => requests,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
