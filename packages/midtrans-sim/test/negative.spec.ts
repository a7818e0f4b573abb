// What Midtrans rejects, the simulator rejects, each with the documented code or a failed handshake.
import { createHash, createHmac, createPrivateKey, sign } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call } from './helpers.ts';

let sim: Simulator;
let token: string;
let n = 0;
const wib = (offsetMs = 0): string => `${new Date(Date.now() + offsetMs + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;
const path = '/v1.0/debit/payment-host-to-host';
const body = (ref: string): string =>
  JSON.stringify({
    partnerReferenceNo: ref,
    chargeToken: '',
    payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value: '10000.00', currency: 'IDR' } }],
  });

function signed(
  raw: string,
  over: { ts?: string; token?: string; secret?: string; externalId?: string; signedBody?: string } = {},
): Record<string, string> {
  const ts = over.ts ?? wib();
  const tok = over.token ?? token;
  const sts = `POST:${path}:${tok}:${createHash('sha256')
    .update(over.signedBody ?? raw)
    .digest('hex')}:${ts}`;
  return {
    authorization: `Bearer ${tok}`,
    'x-timestamp': ts,
    'x-signature': createHmac('sha512', over.secret ?? sim.credentials.clientSecret)
      .update(sts)
      .digest('base64'),
    'x-partner-id': sim.credentials.partnerId,
    'x-external-id': over.externalId ?? `neg-${String(++n)}`,
    'channel-id': sim.credentials.channelId,
    'x-device-id': 'test',
  };
}

beforeAll(async () => {
  sim = await startSimulator();
  const ts = wib();
  const sig = sign(
    'RSA-SHA256',
    Buffer.from(`${sim.credentials.clientId}|${ts}`),
    createPrivateKey(sim.credentials.merchantPrivateKeyPem ?? ''),
  ).toString('base64');
  const res = await call(
    sim,
    'POST',
    '/v1.0/access-token/b2b',
    { grantType: 'client_credentials' },
    { 'x-timestamp': ts, 'x-client-key': sim.credentials.clientId, 'x-signature': sig },
  );
  expect(res.body).toMatchObject({ responseCode: '2007300', expiresIn: '900', tokenType: 'Bearer' });
  token = String(res.body['accessToken']);
});
afterAll(async () => {
  await sim.close();
});

describe('BI-SNAP negative suite', () => {
  it('accepts a correct request, and pretty-printed JSON signed over its minified form', async () => {
    expect((await call(sim, 'POST', path, body('ok-1'), signed(body('ok-1')))).body['responseCode']).toBe('2005400');
    const pretty = JSON.stringify(JSON.parse(body('ok-2')), null, 2);
    expect((await call(sim, 'POST', path, pretty, signed(pretty, { signedBody: body('ok-2') }))).body['responseCode']).toBe('2005400');
  });

  it.each([
    ['a wrong signature (wrong client secret)', () => signed(body('w1'), { secret: 'wrong' }), body('w1'), 401, '4015400'],
    ['a body changed after signing', () => signed(body('w2')), body('w2').replace('10000.00', '10001.00'), 401, '4015400'],
    ['a stale timestamp', () => signed(body('w3'), { ts: wib(-3_600_000) }), body('w3'), 400, '4005401'],
    ['a malformed timestamp', () => signed(body('w4'), { ts: '24/11/2026 10:00' }), body('w4'), 400, '4005401'],
    ['an unknown token', () => signed(body('w5'), { token: 'not-a-token' }), body('w5'), 401, '4015401'],
  ] as const)('rejects %s', async (_name, headers, raw, status, code) => {
    const res = await call(sim, 'POST', path, raw, headers());
    expect(res.status).toBe(status);
    expect(res.body['responseCode']).toBe(code);
  });

  it('rejects a missing header and a missing mandatory field', async () => {
    const h = signed(body('m1'));
    delete h['x-partner-id'];
    expect((await call(sim, 'POST', path, body('m1'), h)).body['responseCode']).toBe('4005402');
    const noRef = JSON.stringify({ payOptionDetails: [] });
    const res = await call(sim, 'POST', path, noRef, signed(noRef));
    expect(res.body).toMatchObject({ responseCode: '4005402', responseMessage: 'Invalid Mandatory Field partnerReferenceNo' });
  });

  it('rejects an amount without two decimals and a bad CHANNEL-ID', async () => {
    const raw = body('a1').replace('10000.00', '10000');
    expect((await call(sim, 'POST', path, raw, signed(raw))).body['responseCode']).toBe('4005401');
    expect((await call(sim, 'POST', path, body('a2'), { ...signed(body('a2')), 'channel-id': '123' })).body['responseCode']).toBe(
      '4005401',
    );
  });

  it('replays a reused X-EXTERNAL-ID with the same body, and refuses it with a different body', async () => {
    const first = await call(sim, 'POST', path, body('i1'), signed(body('i1'), { externalId: 'same-ext' }));
    const again = await call(sim, 'POST', path, body('i1'), signed(body('i1'), { externalId: 'same-ext' }));
    expect(again.body).toEqual(first.body);
    const other = await call(sim, 'POST', path, body('i2'), signed(body('i2'), { externalId: 'same-ext' }));
    expect(other.status).toBe(409);
    expect(other.body['responseCode']).toBe('4095400');
    expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === 'i1' && e.event === 'charge')).toHaveLength(1);
  });

  it('rejects a token request signed with another key', async () => {
    const ts = wib();
    const other = createPrivateKey((await import('../src/pki.ts')).rsaKeyPair().privateKeyPem);
    const res = await call(
      sim,
      'POST',
      '/v1.0/access-token/b2b',
      { grantType: 'client_credentials' },
      {
        'x-timestamp': ts,
        'x-client-key': sim.credentials.clientId,
        'x-signature': sign('RSA-SHA256', Buffer.from(`${sim.credentials.clientId}|${ts}`), other).toString('base64'),
      },
    );
    expect(res).toMatchObject({ status: 401, body: { responseCode: '4017300' } });
  });
});

describe('transport', () => {
  const port = (): number => Number(new URL(sim.baseUrl).port);
  const handshake = (opts: object): Promise<string> =>
    new Promise((done, fail) => {
      const s = connect({ host: '127.0.0.1', port: port(), ca: sim.caCertPem, servername: 'localhost', ...opts }, () => {
        done(`${s.getProtocol() ?? ''} ${s.getCipher().standardName}`);
        s.end();
      });
      s.once('error', fail);
    });

  it('speaks TLS 1.3 and TLS 1.2 with ECDHE-RSA-AES-GCM', async () => {
    expect(await handshake({})).toMatch(/^TLSv1\.3 TLS_AES_/);
    expect(await handshake({ maxVersion: 'TLSv1.2' })).toMatch(/^TLSv1\.2 TLS_ECDHE_RSA_WITH_AES_(256|128)_GCM/);
  });

  it('refuses TLS 1.1, CBC suites and plain HTTP', async () => {
    await expect(handshake({ minVersion: 'TLSv1.1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })).rejects.toThrow();
    await expect(handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA256:ECDHE-RSA-AES256-SHA' })).rejects.toThrow();
    const plain = await new Promise<string>((done) => {
      const req = httpRequest({ host: '127.0.0.1', port: port(), path, method: 'POST' }, (res) => done(`status ${String(res.statusCode)}`));
      req.on('error', (e) => done(`error ${e.message}`));
      req.end('{}');
    });
    expect(plain).not.toMatch(/^status 2/);
  });
});
