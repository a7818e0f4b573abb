// The Midtrans client against a real local HTTPS server: headers, exact-bytes signing, tokens,
// retries, the error taxonomy and the breaker.
import { createHash, createHmac, createPublicKey, verify } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MidtransError } from '../src/midtrans/facade.ts';
import { clientFixture, closeFixtureAfterEach, configInput, useFakeMidtrans, type ClientFixture } from './client-fixture.ts';
import type { Recorded } from './fake-midtrans.ts';

const fake = useFakeMidtrans();
let fx: ClientFixture;
closeFixtureAfterEach(fake, () => fx);

const payment = {
  path: '/v1.0/debit/payment-host-to-host',
  externalId: 'ext-1',
  body: { partnerReferenceNo: 'order-1', note: 'café / ünïcode', amount: { value: '10000.00', currency: 'IDR' } },
} as const;
const txRequests = (): Recorded[] => fake.requests.filter((r) => !r.path.endsWith('/access-token/b2b'));

function hmacOk(r: Recorded, secret: string): boolean {
  const token = String(r.headers['authorization']).replace(/^Bearer /, '');
  const sts = `POST:${r.path}:${token}:${createHash('sha256').update(r.body).digest('hex')}:${String(r.headers['x-timestamp'])}`;
  return createHmac('sha512', secret).update(sts).digest('base64') === r.headers['x-signature'];
}

async function caught(p: Promise<unknown>): Promise<MidtransError> {
  try {
    await p;
  } catch (err) {
    if (MidtransError.is(err)) return err;
    throw err;
  }
  throw new Error('expected a MidtransError');
}

describe('BI-SNAP calls', () => {
  it('sends every BI-SNAP header and signs exactly the bytes sent', async () => {
    fx = await clientFixture(fake);
    const outcome = await fx.client.snap(payment);
    expect(outcome).toMatchObject({ ok: true, httpStatus: 200, responseCode: { raw: '2005400', http: 200, service: '54', case: '00' } });
    const [r] = txRequests();
    expect(r).toBeDefined();
    expect(r!.body.toString()).toBe(JSON.stringify(payment.body));
    expect(r!.headers).toMatchObject({
      'x-partner-id': 'partner-1',
      'x-external-id': 'ext-1',
      'channel-id': '12345',
      'x-device-id': 'paystream-worker',
      'content-type': 'application/json',
    });
    expect(String(r!.headers['x-timestamp'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\+07:00$/);
    expect(hmacOk(r!, fx.clientSecret)).toBe(true);
  });

  it('signs the token request with the merchant key and makes one token request for many concurrent calls', async () => {
    fx = await clientFixture(fake);
    const before = fake.tokenCount();
    await Promise.all(Array.from({ length: 200 }, (_, i) => fx.client.snap({ ...payment, externalId: `ext-${String(i)}` })));
    expect(fake.tokenCount() - before).toBe(1);
    const tokenReq = fake.requests.find((r) => r.path.endsWith('/access-token/b2b'))!;
    const data = Buffer.from(`client-1|${String(tokenReq.headers['x-timestamp'])}`);
    expect(tokenReq.headers['x-client-key']).toBe('client-1');
    expect(
      verify('RSA-SHA256', data, createPublicKey(fx.merchantPublicPem), Buffer.from(String(tokenReq.headers['x-signature']), 'base64')),
    ).toBe(true);
  });

  it('on 401xx01 drops the token and retries exactly once with a new token, the same X-EXTERNAL-ID and the same bytes', async () => {
    fx = await clientFixture(fake);
    let n = 0;
    fake.respond = () =>
      n++ === 0
        ? { status: 401, body: { responseCode: '4015401', responseMessage: 'Invalid Token (B2B)' } }
        : { status: 200, body: { responseCode: '2005400' } };
    expect((await fx.client.snap(payment)).ok).toBe(true);
    const [a, b] = txRequests();
    expect(a!.headers['authorization']).not.toBe(b!.headers['authorization']);
    expect(b!.headers['x-external-id']).toBe(a!.headers['x-external-id']);
    expect(b!.body.equals(a!.body)).toBe(true);
  });

  it('gives up after one token refresh when 401xx01 persists: an auth error', async () => {
    fx = await clientFixture(fake);
    fake.respond = () => ({ status: 401, body: { responseCode: '4015401', responseMessage: 'Invalid Token (B2B)' } });
    const err = await caught(fx.client.snap(payment));
    expect(err.kind).toBe('auth');
    expect(txRequests()).toHaveLength(2);
  });

  it('retries 5xx with backoff, reusing X-EXTERNAL-ID and body, new timestamp and signature', async () => {
    fx = await clientFixture(fake);
    let n = 0;
    fake.respond = () =>
      n++ < 2
        ? { status: 500, body: { responseCode: '5005401', responseMessage: 'Internal Server Error' } }
        : { status: 200, body: { responseCode: '2005400' } };
    expect((await fx.client.snap(payment)).ok).toBe(true);
    const sent = txRequests();
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((r) => r.headers['x-external-id']))).toEqual(new Set(['ext-1']));
    expect(new Set(sent.map((r) => r.body.toString())).size).toBe(1);
    for (const r of sent) expect(hmacOk(r, fx.clientSecret)).toBe(true);
  });

  it('reports an unknown outcome after timeouts, 202xx00 or 504xx00 — never a success or failure', async () => {
    fx = await clientFixture(fake, { http: { maxAttempts: 2, backoffBaseMs: 1, backoffMaxMs: 2, totalTimeoutMs: 300 } });
    fake.respond = () => 'hang';
    const timedOut = await caught(fx.client.snap(payment));
    expect(timedOut).toMatchObject({ kind: 'ambiguous', outcomeUnknown: true, code: 'PS_ERR_MIDTRANS_OUTCOME_UNKNOWN' });
    fake.respond = () => ({ status: 202, body: { responseCode: '2025400', responseMessage: 'Request In Progress' } });
    expect(await caught(fx.client.snap(payment))).toMatchObject({ kind: 'ambiguous', outcomeUnknown: true });
    fake.respond = () => ({ status: 504, body: { responseCode: '5045400', responseMessage: 'Timeout' } });
    expect(await caught(fx.client.snap(payment))).toMatchObject({ kind: 'ambiguous', outcomeUnknown: true, responseCode: '5045400' });
    fake.respond = () => 'reset';
    expect(await caught(fx.client.snap(payment))).toMatchObject({ outcomeUnknown: true });
  });

  it('returns business, invalid, conflict and not-found answers as outcomes', async () => {
    fx = await clientFixture(fake);
    const cases = [
      [403, '4035414', 'business'],
      [400, '4005402', 'invalid'],
      [409, '4094700', 'conflict'],
      [404, '4045501', 'not-found'],
    ] as const;
    for (const [status, code, kind] of cases) {
      fake.respond = () => ({ status, body: { responseCode: code, responseMessage: 'msg' } });
      expect(await fx.client.snap(payment)).toMatchObject({
        ok: false,
        kind,
        httpStatus: status,
        message: 'msg',
        responseCode: { raw: code },
      });
    }
  });

  it('opens the breaker after repeated failures: later calls are refused without a request, and state events are published', async () => {
    fx = await clientFixture(fake, {
      http: { maxAttempts: 1 },
      breaker: { volumeThreshold: 3, errorThresholdPercentage: 50, resetTimeoutMs: 60_000 },
    });
    const states: string[] = [];
    fx.client.onBreakerStateChange((c) => states.push(`${c.merchant}/${c.family}:${c.state}`));
    fake.respond = () => ({ status: 500, body: { responseCode: '5005401' } });
    for (let i = 0; i < 3; i++) await caught(fx.client.snap(payment));
    const sent = txRequests().length;
    const refused = await caught(fx.client.snap(payment));
    expect(refused.kind).toBe('circuit-open');
    expect(txRequests()).toHaveLength(sent);
    expect(states).toEqual(['default/snap:open']);
    expect(fx.client.breakerStates()).toContainEqual({ merchant: 'default', family: 'snap', state: 'open' });
  });

  it('refuses to send for revoked credentials', async () => {
    fx = await clientFixture(fake);
    const { spkiFingerprint } = await import('../src/keys/pem.ts');
    const fp = spkiFingerprint(createPublicKey(fx.merchantPublicPem));
    const { KeyRing, FileKeySource } = await import('../src/keys/key-ring.ts');
    const { parseCoreConfig } = await import('../src/config/schema.ts');
    const config = parseCoreConfig(configInput(fx));
    await expect(KeyRing.open(new FileKeySource({ ...config, revokedKeyFingerprints: [fp] }), 'default', { watch: false })).rejects.toThrow(
      /revoked/,
    );
  });
});

describe('Core API v2 calls', () => {
  it('authenticates with Basic auth, sends the Idempotency-Key and maps status_code', async () => {
    fx = await clientFixture(fake);
    fake.respond = () => ({
      status: 200,
      body: { status_code: '201', status_message: 'Success, Credit Card transaction is successful', redirect_url: 'https://x/3ds' },
    });
    const charge = await fx.client.coreApi({
      method: 'POST',
      path: '/v2/charge',
      body: { payment_type: 'credit_card' },
      idempotencyKey: 'idem-1',
    });
    expect(charge).toMatchObject({ ok: true, statusCode: '201' });
    const [r] = txRequests();
    expect(r!.headers['authorization']).toBe(`Basic ${Buffer.from(`${fx.serverKey}:`).toString('base64')}`);
    expect(r!.headers['idempotency-key']).toBe('idem-1');
    fake.respond = () => ({ status: 200, body: { status_code: '406', status_message: 'Duplicate order ID' } });
    expect(await fx.client.coreApi({ method: 'POST', path: '/v2/charge', body: {}, idempotencyKey: 'idem-2' })).toMatchObject({
      ok: false,
      kind: 'conflict',
      statusCode: '406',
    });
    fake.respond = () => ({ status: 401, body: { status_code: '401', status_message: 'unauthorized' } });
    expect((await caught(fx.client.coreApi({ method: 'GET', path: '/v2/order-1/status' }))).kind).toBe('auth');
  });
});
