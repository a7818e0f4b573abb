import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, createServer, type ConnectionOptions, type TLSSocket } from 'node:tls';
import { PaystreamError, secretScrubber, TLS12_GCM_SUITES, TLS13_SUITES } from '@paystream/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { makePki, type TestPki } from '../../core/test/certs.ts';
import { kafkaConnection, refusePlaintextKafka } from './kafka-connection.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-kafka-connection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A value that must never be echoed by an error. */
const SECRET = 'S3cret-Pa55word-do-not-print';

function file(name: string, text: string, mode = 0o600): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  chmodSync(path, mode);
  return path;
}

function thrown(fn: () => unknown): PaystreamError {
  try {
    fn();
  } catch (err) {
    if (PaystreamError.is(err)) return err;
    throw err;
  }
  throw new Error('nothing was thrown');
}

let pki: TestPki;
let other: TestPki;
beforeAll(async () => {
  [pki, other] = await Promise.all([makePki(), makePki()]);
}, 30_000);

describe('plaintext', () => {
  it('is what a loopback broker gets when nothing is configured: clientId and brokers only', () => {
    expect(kafkaConnection({ clientId: 'c', brokers: ['127.0.0.1:9092', 'localhost:9093'] })).toEqual({
      clientId: 'c',
      brokers: ['127.0.0.1:9092', 'localhost:9093'],
    });
  });

  it('is refused at start towards a broker that is not on this host (fatal, exit 78), naming the broker and the fix', () => {
    const err = thrown(() => kafkaConnection({ clientId: 'c', brokers: ['127.0.0.1:9092', 'kafka-1.internal:9092'] }));
    expect([err.code, err.errorClass, err.exitStatus]).toEqual(['PS_ERR_KAFKA_PLAINTEXT', 'fatal', 78]);
    expect(err.message).toContain('kafka-1.internal:9092');
    expect(err.message).toContain('kafka.allowPlaintext');
    const off = thrown(() => kafkaConnection({ clientId: 'c', brokers: ['10.0.0.5:9092'], security: { tls: { enabled: false } } }));
    expect(off.code).toBe('PS_ERR_KAFKA_PLAINTEXT');
  });

  it('is allowed with kafka.allowPlaintext, with a warning naming the brokers', () => {
    const warn = vi.fn();
    const connection = kafkaConnection({
      clientId: 'c',
      brokers: ['kafka-1:9092', '127.0.0.1:9092'],
      security: { allowPlaintext: true },
      warn,
    });
    expect(connection.ssl).toBeUndefined();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toEqual({ brokers: ['kafka-1:9092'] });
    expect(() => refusePlaintextKafka(['kafka-1:9092'], { tls: {} })).not.toThrow();
  });
});

describe('TLS', () => {
  it("follows core's outbound policy, trusts the configured CA and presents the client certificate", async () => {
    const ca = file('ca.pem', pki.caPem, 0o644);
    const cert = file('client.pem', pki.certPem, 0o644);
    const key = file('client.key', pki.keyPem);
    const { ssl } = kafkaConnection({
      clientId: 'c',
      brokers: ['kafka.example:9093'],
      security: { tls: { caFiles: [ca], clientCertFile: cert, clientKeyFile: key, serverName: 'localhost' } },
    });
    expect(ssl).toMatchObject({
      rejectUnauthorized: true,
      minVersion: 'TLSv1.2',
      maxVersion: 'TLSv1.3',
      ciphers: `${TLS13_SUITES}:${TLS12_GCM_SUITES}`,
      servername: 'localhost',
    });
    const { peer, protocol } = await handshake(ssl ?? {}, pki);
    expect(peer).toBe('localhost');
    expect(protocol).toBe('TLSv1.3');
    await expect(handshake(ssl ?? {}, other)).rejects.toThrow(/certificate/i);
  });

  it('refuses what is not a certificate or an owner-only private key, naming the field and never the content', () => {
    const notPem = file('secret-not-a-cert.pem', SECRET, 0o644);
    const bad = thrown(() => kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls: { caFiles: [notPem] } } }));
    expect(bad.message).toBe('kafka.tls.caFiles[0] is not a PEM certificate');
    const missing = thrown(() => kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls: { caFiles: [join(dir, SECRET)] } } }));
    expect(missing.message).toBe('kafka.tls.caFiles[0]: cannot read the file it names (no such file)');
    const cert = file('client2.pem', pki.certPem, 0o644);
    const open = file('client-open.key', pki.keyPem, 0o644);
    const tls = { clientCertFile: cert, clientKeyFile: open };
    expect(thrown(() => kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls } })).code).toBe('PS_ERR_KEY_PERMISSIONS');
    expect(
      kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls }, allowInsecureKeyFilePermissions: true }).ssl,
    ).toBeDefined();
    const wrong = file('wrong.key', SECRET);
    const notKey = thrown(() =>
      kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls: { clientCertFile: cert, clientKeyFile: wrong } } }),
    );
    expect(notKey.message).toBe('kafka.tls.clientKeyFile is not an unencrypted PEM private key');
  });
});

describe('SASL', () => {
  it('reads the password when a connection authenticates, so a replaced file is used at the next one', () => {
    const passwordFile = file('password', 'first-password-0001');
    const warn = vi.fn();
    const { sasl } = kafkaConnection({
      clientId: 'c',
      brokers: ['k:1'],
      security: { tls: {}, sasl: { mechanism: 'scram-sha-512', username: 'paystream-worker', passwordFile } },
      warn,
    });
    expect(sasl).toMatchObject({ mechanism: 'scram-sha-512', username: 'paystream-worker' });
    const credentials = sasl as { password: string };
    expect(credentials.password).toBe('first-password-0001');
    writeFileSync(passwordFile, 'second-password-0002');
    expect(credentials.password).toBe('second-password-0002');
    expect(secretScrubber.scrub('first-password-0001 second-password-0002')).toBe('[secret] [secret]');
    rmSync(passwordFile);
    expect(credentials.password).toBe('second-password-0002');
    expect(warn).toHaveBeenCalledTimes(1);
    expect(JSON.stringify(warn.mock.calls)).not.toContain('second-password-0002');
  });

  it('stops the start when the password cannot be read, naming the field; env: references work as in core', () => {
    const security = { tls: {}, sasl: { mechanism: 'plain' as const, username: 'u', passwordFile: 'env:KAFKA_TEST_PASSWORD' } };
    const missing = thrown(() => kafkaConnection({ clientId: 'c', brokers: ['k:1'], security, env: {} }));
    expect(missing.message).toBe('kafka.sasl.passwordFile: the environment variable it names is not set or is empty');
    const { sasl } = kafkaConnection({ clientId: 'c', brokers: ['k:1'], security, env: { KAFKA_TEST_PASSWORD: 'from-the-environment' } });
    expect(sasl).toMatchObject({ mechanism: 'plain', username: 'u', password: 'from-the-environment' });
    const open = file('open-password', SECRET, 0o644);
    const exposed = thrown(() =>
      kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls: {}, sasl: { ...security.sasl, passwordFile: open } } }),
    );
    expect(exposed.code).toBe('PS_ERR_KEY_PERMISSIONS');
    expect(exposed.message).not.toContain(SECRET);
  });

  it('uses the OIDC client for OAUTHBEARER, or the token provider given instead (the hook)', async () => {
    const provider = () => Promise.resolve({ value: 'a-token' });
    const hooked = kafkaConnection({
      clientId: 'c',
      brokers: ['k:1'],
      security: { tls: {}, sasl: { mechanism: 'oauthbearer' }, oauthBearerProvider: provider },
    });
    // The hook's own failure becomes PS_ERR_KAFKA_OAUTH_TOKEN naming it (kafka-refusal.ts); its token passes as it is.
    const hook = hooked.sasl as { mechanism: string; oauthBearerProvider: () => Promise<{ value: string }> };
    expect(hook.mechanism).toBe('oauthbearer');
    await expect(hook.oauthBearerProvider()).resolves.toEqual({ value: 'a-token' });
    const failing = kafkaConnection({
      clientId: 'c',
      brokers: ['k:1'],
      security: {
        tls: {},
        sasl: { mechanism: 'oauthbearer' },
        oauthBearerProvider: () => Promise.reject(new TypeError('secret-ish text')),
      },
    }).sasl as typeof hook;
    await expect(failing.oauthBearerProvider()).rejects.toThrow(
      /^no OAUTHBEARER token for Kafka from kafkaSecurity\.oauthBearerProvider: it threw TypeError$/,
    );
    const oauth = {
      tokenEndpoint: 'https://idp.example/token',
      clientId: 'paystream',
      clientSecretFile: file('client-secret', 'a-client-secret'),
    };
    const built = kafkaConnection({ clientId: 'c', brokers: ['k:1'], security: { tls: {}, sasl: { mechanism: 'oauthbearer', oauth } } });
    expect(built.sasl?.mechanism).toBe('oauthbearer');
    expect(typeof (built.sasl as { oauthBearerProvider?: unknown }).oauthBearerProvider).toBe('function');
    const noSecret = thrown(() =>
      kafkaConnection({
        clientId: 'c',
        brokers: ['k:1'],
        security: { tls: {}, sasl: { mechanism: 'oauthbearer', oauth: { ...oauth, clientSecretFile: join(dir, 'absent') } } },
      }),
    );
    expect(noSecret.message).toBe('kafka.sasl.oauth.clientSecretFile: cannot read the file it names (no such file)');
  });
});

/** A TLS server with the given PKI's certificate that asks for a client certificate; resolves with the CN the client presented. */
async function handshake(ssl: ConnectionOptions, serverPki: TestPki): Promise<{ peer: unknown; protocol: string | null }> {
  let presented: unknown;
  const server = createServer(
    { cert: serverPki.certPem, key: serverPki.keyPem, requestCert: true, rejectUnauthorized: false },
    (s: TLSSocket) => {
      presented = s.getPeerCertificate().subject.CN;
      s.end();
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  try {
    const protocol = await new Promise<string | null>((resolve, reject) => {
      const socket = connect({ ...ssl, host: '127.0.0.1', port }, () => {
        resolve(socket.getProtocol());
        socket.end();
      });
      socket.on('error', reject);
    });
    await new Promise((r) => setTimeout(r, 50));
    return { peer: presented, protocol };
  } finally {
    server.close();
  }
}
