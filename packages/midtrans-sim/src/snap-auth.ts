// BI-SNAP request checks as Midtrans performs them: headers, timestamp, access token, and the HMAC
// recomputed over the raw bytes received (whitespace outside strings ignored, as Midtrans does).
import { createHash, createHmac, createPublicKey, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { fail } from './codes.ts';
import type { Store } from './store.ts';

export interface Credentials {
  readonly clientId: string;
  readonly partnerId: string;
  readonly channelId: string;
  /** Accepted client secrets: the current one first, then the previous one during a rotation's transition. */
  clientSecrets: string[];
  /** Registered merchant public keys: the current one first, then the previous one during a transition. */
  merchantPublicKeys: KeyObject[];
  /** SHA-256 of every retired or revoked secret and key (SPKI): never accepted or registered again. */
  readonly retired: Set<string>;
  revoked: boolean;
}

/** What `retired` holds for a secret or a public key. */
export function retiredId(secretOrKey: string | KeyObject): string {
  const bytes = typeof secretOrKey === 'string' ? Buffer.from(secretOrKey) : secretOrKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(bytes).digest('hex');
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function header(h: IncomingHttpHeaders, name: string): string | undefined {
  const v = h[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function checkTimestamp(value: string | undefined, maxSkewMs: number): string {
  if (!value) throw fail.mandatory('X-TIMESTAMP');
  if (!RFC3339.test(value) || Number.isNaN(Date.parse(value))) throw fail.badFormat('X-TIMESTAMP');
  if (Math.abs(Date.parse(value) - Date.now()) > maxSkewMs) throw fail.badFormat('X-TIMESTAMP');
  return value;
}

/** Removes JSON whitespace outside strings (the Java SDK's minify, which Midtrans applies). */
export function minify(raw: Buffer): Buffer {
  const out = Buffer.allocUnsafe(raw.length);
  let n = 0;
  let str = false;
  let esc = false;
  for (const b of raw) {
    if (str) {
      out[n++] = b;
      if (esc) esc = false;
      else if (b === 0x5c) esc = true;
      else if (b === 0x22) str = false;
    } else if (b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09) {
      out[n++] = b;
      if (b === 0x22) str = true;
    }
  }
  return out.subarray(0, n);
}

export function verifyTokenRequest(h: IncomingHttpHeaders, creds: Credentials, maxSkewMs: number): void {
  const ts = checkTimestamp(header(h, 'x-timestamp'), maxSkewMs);
  const clientId = header(h, 'x-client-key');
  const signature = header(h, 'x-signature');
  if (!clientId) throw fail.mandatory('X-CLIENT-KEY');
  if (!signature) throw fail.mandatory('X-SIGNATURE');
  if (clientId !== creds.clientId || creds.revoked) throw fail.signature();
  const data = Buffer.from(`${clientId}|${ts}`);
  if (!creds.merchantPublicKeys.some((key) => verify('RSA-SHA256', data, key, Buffer.from(signature, 'base64')))) throw fail.signature();
}

export function verifyTransactional(
  method: string,
  path: string,
  h: IncomingHttpHeaders,
  raw: Buffer,
  creds: Credentials,
  store: Store,
  maxSkewMs: number,
): void {
  const auth = header(h, 'authorization');
  if (!auth?.startsWith('Bearer ')) throw fail.token();
  const token = auth.slice(7);
  const entry = store.tokens.get(token);
  if (!entry || entry.expiresAt <= Date.now() || creds.revoked) throw fail.token();
  for (const name of ['X-PARTNER-ID', 'X-EXTERNAL-ID', 'CHANNEL-ID', 'X-SIGNATURE']) if (!header(h, name)) throw fail.mandatory(name);
  const ts = checkTimestamp(header(h, 'x-timestamp'), maxSkewMs);
  if (!/^\d{5}$/.test(header(h, 'channel-id') ?? '')) throw fail.badFormat('CHANNEL-ID');
  if (header(h, 'x-partner-id') !== creds.partnerId) throw fail.signature();
  const sts = `${method}:${path}:${token}:${createHash('sha256').update(minify(raw)).digest('hex')}:${ts}`;
  const given = Buffer.from(header(h, 'x-signature') ?? '', 'base64');
  const signedWith = (secret: string): boolean => {
    const expected = createHmac('sha512', secret).update(sts).digest();
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  if (!creds.clientSecrets.some(signedWith)) throw fail.signature();
}

export function publicKeyOf(pem: string): KeyObject {
  return createPublicKey(pem);
}
