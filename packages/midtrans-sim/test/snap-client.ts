// A BI-SNAP client for the specs: the signed B2B token request and signed transactional calls.
import { createHash, createHmac, createPrivateKey, sign } from 'node:crypto';
import type { Simulator } from '../src/server.ts';
import { call, type HttpAnswer } from './helpers.ts';

let n = 0;
export const wib = (): string => `${new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 19)}+07:00`;

export async function newToken(sim: Simulator): Promise<string> {
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
    { grant_type: 'client_credentials' },
    { 'x-timestamp': ts, 'x-client-key': sim.credentials.clientId, 'x-signature': sig },
  );
  return String(res.body['accessToken']);
}

export function signedSnap(
  sim: Simulator,
  token: string,
  path: string,
  body: object,
  externalId = `b-${String(++n)}`,
): Promise<HttpAnswer> {
  const raw = JSON.stringify(body);
  const ts = wib();
  const sts = `POST:${path}:${token}:${createHash('sha256').update(raw).digest('hex')}:${ts}`;
  return call(sim, 'POST', path, raw, {
    authorization: `Bearer ${token}`,
    'x-timestamp': ts,
    'x-signature': createHmac('sha512', sim.credentials.clientSecret).update(sts).digest('base64'),
    'x-partner-id': sim.credentials.partnerId,
    'x-external-id': externalId,
    'channel-id': sim.credentials.channelId,
  });
}

export const debit = (ref: string, validUpTo?: string) => ({
  partnerReferenceNo: ref,
  chargeToken: '',
  ...(validUpTo ? { validUpTo } : {}),
  payOptionDetails: [{ payMethod: 'SHOPEEPAY', payOption: 'SHOPEEPAY', transAmount: { value: '5000.00', currency: 'IDR' } }],
});
