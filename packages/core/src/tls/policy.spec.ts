// The policy proven against a real local HTTPS server.
import { createServer, type Server, type ServerOptions } from 'node:https';
import { connect } from 'node:tls';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { makePki, type TestPki } from '../../test/certs.ts';
import { PaystreamError } from '../errors.ts';
import { inboundTlsOptions, outboundTlsOptions, requireHttpsUrl, spkiPin, type OutboundTlsConfig } from './policy.ts';
import { X509Certificate } from 'node:crypto';

let pki: TestPki;
let other: TestPki;
const servers: Server[] = [];

beforeAll(async () => {
  [pki, other] = await Promise.all([makePki(), makePki()]);
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
});

async function serve(options: ServerOptions, certs: TestPki = pki): Promise<number> {
  const server = createServer({ cert: certs.certPem, key: certs.keyPem, ...options }, (_req, res) => res.end('ok'));
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return (server.address() as AddressInfo).port;
}

/** Resolves to the negotiated protocol and cipher, or rejects with the handshake error. */
function handshake(port: number, config: OutboundTlsConfig, family: 'snap' | 'core'): Promise<string> {
  return new Promise((done, fail) => {
    const socket = connect({ host: '127.0.0.1', port, servername: 'localhost', ...outboundTlsOptions(config, family) }, () => {
      const result = `${socket.getProtocol() ?? '?'} ${socket.getCipher().standardName}`;
      socket.end();
      done(result);
    });
    socket.once('error', fail);
  });
}

const trusted: OutboundTlsConfig = { caPem: [] };

describe('outbound TLS policy', () => {
  it('accepts TLS 1.3 with a GCM suite', async () => {
    const port = await serve({ minVersion: 'TLSv1.3' });
    expect(await handshake(port, { caPem: [pki.caPem] }, 'snap')).toMatch(/^TLSv1\.3 TLS_AES_(256|128)_GCM/);
  });

  it('refuses TLS 1.2 for BI-SNAP by default, accepts TLS 1.2-GCM when configured', async () => {
    const port = await serve({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    await expect(handshake(port, { caPem: [pki.caPem] }, 'snap')).rejects.toThrow();
    expect(await handshake(port, { caPem: [pki.caPem], allowTls12ForSnap: true }, 'snap')).toBe(
      'TLSv1.2 TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
    );
  });

  it('refuses TLS 1.2 with a CBC suite even when TLS 1.2 is allowed', async () => {
    const port = await serve({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA' });
    await expect(handshake(port, { caPem: [pki.caPem], allowTls12ForSnap: true }, 'snap')).rejects.toThrow();
    await expect(handshake(port, { caPem: [pki.caPem] }, 'core')).rejects.toThrow();
  });

  it('refuses TLS 1.1', async () => {
    const port = await serve({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' });
    await expect(handshake(port, { caPem: [pki.caPem] }, 'core')).rejects.toThrow();
  });

  it('refuses a certificate from an unknown CA', async () => {
    const port = await serve({});
    await expect(handshake(port, trusted, 'core')).rejects.toThrow(/self-signed|unable to (get|verify)/i);
    await expect(handshake(port, { caPem: [other.caPem] }, 'core')).rejects.toThrow();
  });

  it('enforces SPKI pins when configured', async () => {
    const port = await serve({});
    const pin = spkiPin(new X509Certificate(pki.certPem));
    expect(await handshake(port, { caPem: [pki.caPem], spkiPins: [pin] }, 'core')).toMatch(/^TLSv1\.3/);
    await expect(handshake(port, { caPem: [pki.caPem], spkiPins: ['AAAA'] }, 'core')).rejects.toThrow(/SPKI pins/);
  });

  it('refuses http: URLs at configuration time', () => {
    expect(() => requireHttpsUrl('http://merchants.sbx.midtrans.com', 'snapBaseUrl')).toThrow(/must be an https: URL/);
    expect(() => requireHttpsUrl('not a url', 'snapBaseUrl')).toThrow(PaystreamError);
    expect(requireHttpsUrl('https://merchants.sbx.midtrans.com', 'snapBaseUrl').host).toBe('merchants.sbx.midtrans.com');
  });
});

describe('inbound TLS policy (notification ingress)', () => {
  const client = (port: number, opts: object): Promise<string> =>
    new Promise((done, fail) => {
      const s = connect({ host: '127.0.0.1', port, servername: 'localhost', ca: pki.caPem, ...opts }, () => {
        done(s.getProtocol() ?? '?');
        s.end();
      });
      s.once('error', fail);
    });
  const tls12Gcm = { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES256-GCM-SHA384' };
  const tls12Cbc = { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256' };
  const tls11 = { minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' };

  it('accepts TLS 1.3 only by default (the BI-SNAP TLS 1.2 sunset has passed)', async () => {
    const port = await serve(inboundTlsOptions(pki));
    expect(inboundTlsOptions(pki).minVersion).toBe('TLSv1.3');
    expect(await client(port, {})).toBe('TLSv1.3');
    await expect(client(port, tls12Gcm)).rejects.toThrow();
    await expect(client(port, tls12Cbc)).rejects.toThrow();
    await expect(client(port, tls11)).rejects.toThrow();
  });

  it('accepts TLS 1.2-GCM when explicitly allowed, still refuses CBC and TLS 1.1', async () => {
    const port = await serve(inboundTlsOptions(pki, { minVersion: 'TLSv1.2' }));
    expect(await client(port, tls12Gcm)).toBe('TLSv1.2');
    expect(await client(port, {})).toBe('TLSv1.3');
    await expect(client(port, tls12Cbc)).rejects.toThrow();
    await expect(client(port, tls11)).rejects.toThrow();
  });
});
