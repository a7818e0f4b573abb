// The key lifecycle of Midtrans' security specification, as the simulator runs it: new merchant
// keys and client secrets with a transition in which the old ones still work, new credentials after
// a compromise, retired material never accepted or registered again, Midtrans' next notification
// key announced before it signs; and faults that replace the answer of a request Midtrans handled.
import { createHash, createHmac, createPrivateKey, createPublicKey, sign, verify } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rsaKeyPair } from '../src/pki.ts';
import { startSimulator, type Simulator } from '../src/server.ts';
import { call, receiver } from './helpers.ts';

let sim: Simulator;
let rx: Awaited<ReturnType<typeof receiver>>;
let n = 0;
/** The merchant private key Midtrans accepts now (each test below moves it on). */
let merchantKey = '';
const wib = (): string => `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

/** The token endpoint's answer code for a request signed with this merchant private key. */
async function tokenWith(privateKeyPem: string): Promise<{ code: unknown; token: string }> {
  const ts = wib();
  const sig = sign('RSA-SHA256', Buffer.from(`${sim.credentials.clientId}|${ts}`), createPrivateKey(privateKeyPem)).toString('base64');
  const res = await call(
    sim,
    'POST',
    '/v1.0/access-token/b2b',
    { grantType: 'client_credentials' },
    { 'x-timestamp': ts, 'x-client-key': sim.credentials.clientId, 'x-signature': sig },
  );
  return { code: res.body['responseCode'], token: String(res.body['accessToken']) };
}

/** A transactional call signed with this client secret; returns the answer code. */
async function snapWith(secret: string, token: string, path: string, body: object, externalId = `l-${String(++n)}`): Promise<unknown> {
  const raw = JSON.stringify(body);
  const ts = wib();
  const sts = `POST:${path}:${token}:${createHash('sha256').update(raw).digest('hex')}:${ts}`;
  const res = await call(sim, 'POST', path, raw, {
    authorization: `Bearer ${token}`,
    'x-timestamp': ts,
    'x-signature': createHmac('sha512', secret).update(sts).digest('base64'),
    'x-partner-id': sim.credentials.partnerId,
    'x-external-id': externalId,
    'channel-id': sim.credentials.channelId,
  });
  return res.body['responseCode'];
}

const inquiry = { originalReferenceNo: 'none', serviceCode: '54' };
const NOT_FOUND = '4045501';
const debit = (ref: string) => ({
  partnerReferenceNo: ref,
  chargeToken: '',
  payOptionDetails: [{ payMethod: 'GOPAY', payOption: 'GOPAY', transAmount: { value: '5000.00', currency: 'IDR' } }],
});

beforeAll(async () => {
  rx = await receiver();
  sim = await startSimulator({ webhooks: { snapBaseUrl: rx.url, timeScale: 60_000 } });
  merchantKey = sim.credentials.merchantPrivateKeyPem ?? '';
});
afterAll(async () => {
  await sim.close();
  await rx.close();
});

describe('merchant keys and client secrets', () => {
  it('accepts the old and the new merchant key during the transition, only the new one after, and never registers the old one again', async () => {
    const old = merchantKey;
    const next = rsaKeyPair();
    expect((await call(sim, 'POST', '/_sim/merchant-public-key', { publicKeyPem: next.publicKeyPem })).body).toEqual({ acceptedKeys: 2 });
    expect((await tokenWith(old)).code).toBe('2007300');
    expect((await tokenWith(next.privateKeyPem)).code).toBe('2007300');
    await call(sim, 'POST', '/_sim/end-transition', {});
    expect((await tokenWith(old)).code).toBe('4017300');
    expect((await tokenWith(next.privateKeyPem)).code).toBe('2007300');
    const again = await call(sim, 'POST', '/_sim/merchant-public-key', { publicKeyPem: sim.credentials.merchantPublicKeyPem });
    expect(again.status).toBe(409);
    const weak = await call(sim, 'POST', '/_sim/merchant-public-key', { publicKeyPem: 'not a key' });
    expect(weak.status).toBe(400);
    merchantKey = next.privateKeyPem;
  });

  it('accepts the old and the new client secret during the transition, only the new one after', async () => {
    const key = merchantKey;
    const { token } = await tokenWith(key);
    const old = sim.credentials.clientSecret;
    const rotated = await call(sim, 'POST', '/_sim/rotate-client-secret', {});
    const secret = String(rotated.body['clientSecret']);
    expect(secret).not.toBe(old);
    expect(sim.credentials.clientSecret).toBe(secret);
    expect(await snapWith(old, token, '/v1.0/debit/status', inquiry)).toBe(NOT_FOUND);
    expect(await snapWith(secret, token, '/v1.0/debit/status', inquiry)).toBe(NOT_FOUND);
    await call(sim, 'POST', '/_sim/end-transition', {});
    expect(await snapWith(old, token, '/v1.0/debit/status', inquiry)).toBe('4015500');
    expect(await snapWith(secret, token, '/v1.0/debit/status', inquiry)).toBe(NOT_FOUND);
  });

  it('blocks everything once revoked, until new credentials are issued; the compromised ones never work again', async () => {
    const key = merchantKey;
    const { token } = await tokenWith(key);
    const secret = sim.credentials.clientSecret;
    await call(sim, 'POST', '/_sim/revoke', {});
    expect((await tokenWith(key)).code).toBe('4017300');
    expect(await snapWith(secret, token, '/v1.0/debit/status', inquiry)).toBe('4015501');
    const fresh = rsaKeyPair();
    const issued = await call(sim, 'POST', '/_sim/issue-credentials', { merchantPublicKeyPem: fresh.publicKeyPem });
    const newSecret = String(issued.body['clientSecret']);
    expect(newSecret).not.toBe(secret);
    expect((await tokenWith(key)).code).toBe('4017300');
    const after = await tokenWith(fresh.privateKeyPem);
    expect(after.code).toBe('2007300');
    expect(await snapWith(secret, after.token, '/v1.0/debit/status', inquiry)).toBe('4015500');
    expect(await snapWith(newSecret, after.token, '/v1.0/debit/status', inquiry)).toBe(NOT_FOUND);
    expect(
      (
        await call(sim, 'POST', '/_sim/issue-credentials', {
          merchantPublicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }),
        })
      ).status,
    ).toBe(409);
    merchantKey = fresh.privateKeyPem;
  });
});

describe('faults after processing', () => {
  it('charges once when the answer to a handled charge is replaced by 504, and replays the charge to the same X-EXTERNAL-ID', async () => {
    const { token } = await tokenWith(merchantKey);
    const secret = sim.credentials.clientSecret;
    const ref = `processed-${String(Date.now())}`;
    for (const kind of ['error-504', 'in-progress-202'] as const) {
      await call(sim, 'POST', '/_sim/faults', { kind, path: '/v1.0/debit/payment-host-to-host', count: 1, processed: true });
      const externalId = `${kind}-${ref}`;
      const orderRef = `${ref}-${kind}`;
      expect(await snapWith(secret, token, '/v1.0/debit/payment-host-to-host', debit(orderRef), externalId)).toBe(
        kind === 'error-504' ? '5045400' : '2025400',
      );
      expect(await snapWith(secret, token, '/v1.0/debit/payment-host-to-host', debit(orderRef), externalId)).toBe('2005400');
      expect(sim.store.ledger.filter((e) => e.partnerReferenceNo === orderRef).map((e) => e.event)).toEqual(['charge']);
    }
    expect(sim.faults.list().map((f) => [f.kind, f.hits])).toEqual([
      ['error-504', 1],
      ['in-progress-202', 1],
    ]);
  });
});

describe("Midtrans' notification key", () => {
  const signedBy = (raw: string, headers: Record<string, unknown>, publicKeyPem: string): boolean => {
    const sts = `POST:/v1.0/debit/notify:${createHash('sha256').update(raw).digest('hex')}:${String(headers['x-timestamp'])}`;
    return verify('RSA-SHA256', Buffer.from(sts), createPublicKey(publicKeyPem), Buffer.from(String(headers['x-signature']), 'base64'));
  };

  it('announces the next key before signing with it, and signs with the retired one on request', async () => {
    const { token } = await tokenWith(merchantKey);
    const secret = sim.credentials.clientSecret;
    const old = sim.credentials.midtransPublicKeyPem;
    const announced = String((await call(sim, 'POST', '/_sim/announce-midtrans-key', {})).body['midtransPublicKeyPem']);
    expect(announced).not.toBe(old);
    expect(String((await call(sim, 'POST', '/_sim/announce-midtrans-key', {})).body['midtransPublicKeyPem'])).toBe(announced);
    const before = `before-${String(Date.now())}`;
    await snapWith(secret, token, '/v1.0/debit/payment-host-to-host', debit(before));
    await call(sim, 'POST', '/_sim/pay', { partnerReferenceNo: before });
    const first = await rx.next((r) => r.raw.includes(before));
    expect(signedBy(first.raw, first.headers, old)).toBe(true);

    expect(String((await call(sim, 'POST', '/_sim/rotate-midtrans-key', {})).body['midtransPublicKeyPem'])).toBe(announced);
    expect(sim.credentials.midtransPublicKeyPem).toBe(announced);
    await call(sim, 'POST', '/_sim/renotify', { partnerReferenceNo: before });
    const second = await rx.next((r) => r !== first && r.raw.includes(before));
    expect(signedBy(second.raw, second.headers, announced)).toBe(true);

    await call(sim, 'POST', '/_sim/webhooks', { retiredKeySignature: true });
    await call(sim, 'POST', '/_sim/renotify', { partnerReferenceNo: before });
    const third = await rx.next((r) => r !== first && r !== second && r.raw.includes(before));
    expect(signedBy(third.raw, third.headers, old)).toBe(true);
    expect(signedBy(third.raw, third.headers, announced)).toBe(false);
    await call(sim, 'POST', '/_sim/webhooks', { retiredKeySignature: false });
  });
});
