// The BI-SNAP signature formulas (BI-SNAP security specification; Midtrans reference §3, §4, §6).
// Every function works on the exact bytes that travel on the wire: a body is serialised once,
// and those bytes are hashed, signed and sent.
import { createHash, createHmac, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';

const encoder = new TextEncoder();

export function sha256Hex(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** B2B access token: SHA256withRSA over `clientId|X-TIMESTAMP`, base64. */
export function tokenStringToSign(clientId: string, timestamp: string): string {
  return `${clientId}|${timestamp}`;
}

export function tokenSignature(clientId: string, timestamp: string, privateKey: KeyObject): string {
  return sign('RSA-SHA256', encoder.encode(tokenStringToSign(clientId, timestamp)), privateKey).toString('base64');
}

export function verifyTokenSignature(clientId: string, timestamp: string, signature: string, publicKey: KeyObject): boolean {
  return verify('RSA-SHA256', encoder.encode(tokenStringToSign(clientId, timestamp)), publicKey, Buffer.from(signature, 'base64'));
}

export interface TransactionSigningInput {
  readonly method: string;
  /** Path only, e.g. `/v1.0/debit/payment-host-to-host`: no host, no query. */
  readonly path: string;
  readonly accessToken: string;
  /** The exact request body bytes sent (empty for no body). */
  readonly body: Uint8Array;
  readonly timestamp: string;
}

/** `METHOD:path:accessToken:lowerhex(sha256(body)):X-TIMESTAMP` */
export function transactionStringToSign(input: TransactionSigningInput): string {
  return `${input.method.toUpperCase()}:${input.path}:${input.accessToken}:${sha256Hex(input.body)}:${input.timestamp}`;
}

/** HMAC-SHA512 with the client secret, base64. */
export function transactionSignature(input: TransactionSigningInput, clientSecret: string | Uint8Array): string {
  return hmacSha512Base64(transactionStringToSign(input), clientSecret);
}

export function hmacSha512Base64(stringToSign: string, clientSecret: string | Uint8Array): string {
  return createHmac('sha512', clientSecret).update(stringToSign).digest('base64');
}

const SPACE = 0x20;
const TAB = 0x09;
const LF = 0x0a;
const CR = 0x0d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Removes JSON whitespace outside strings from raw bytes, leaving everything else untouched (key
 * order, number spelling, escapes). All the bytes it looks at are ASCII, so UTF-8 is preserved.
 */
export function minifyJsonBytes(raw: Uint8Array): Uint8Array {
  const out = new Uint8Array(raw.length);
  let n = 0;
  let inString = false;
  let escaped = false;
  for (const b of raw) {
    if (inString) {
      out[n++] = b;
      if (escaped) escaped = false;
      else if (b === BACKSLASH) escaped = true;
      else if (b === QUOTE) inString = false;
    } else if (b !== SPACE && b !== TAB && b !== LF && b !== CR) {
      out[n++] = b;
      if (b === QUOTE) inString = true;
    }
  }
  return out.subarray(0, n);
}

/** `POST:path:lowerhex(sha256(minify(raw body))):X-TIMESTAMP` of a Midtrans notification. */
export function notificationStringToSign(method: string, path: string, rawBody: Uint8Array, timestamp: string): string {
  return `${method.toUpperCase()}:${path}:${sha256Hex(minifyJsonBytes(rawBody))}:${timestamp}`;
}

export function verifyNotificationSignature(
  input: {
    readonly method: string;
    readonly path: string;
    readonly rawBody: Uint8Array;
    readonly timestamp: string;
    readonly signature: string;
  },
  publicKey: KeyObject,
): boolean {
  const data = encoder.encode(notificationStringToSign(input.method, input.path, input.rawBody, input.timestamp));
  return verify('RSA-SHA256', data, publicKey, Buffer.from(input.signature, 'base64'));
}

/** Core API v2 `Authorization` header: Basic base64(serverKey + ":"). */
export function coreBasicAuth(serverKey: string): string {
  return `Basic ${Buffer.from(`${serverKey}:`).toString('base64')}`;
}

/** Core API notification `signature_key`: SHA-512 hex of order_id + status_code + gross_amount + server key. */
export function coreSignatureKey(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512').update(`${orderId}${statusCode}${grossAmount}${serverKey}`).digest('hex');
}

/** Constant-time comparison of a received `signature_key` with the expected one. */
export function verifyCoreSignatureKey(
  body: { readonly order_id?: unknown; readonly status_code?: unknown; readonly gross_amount?: unknown; readonly signature_key?: unknown },
  serverKey: string,
): boolean {
  const { order_id: orderId, status_code: statusCode, gross_amount: grossAmount, signature_key: received } = body;
  if (typeof orderId !== 'string' || typeof statusCode !== 'string' || typeof grossAmount !== 'string' || typeof received !== 'string')
    return false;
  const expected = Buffer.from(coreSignatureKey(orderId, statusCode, grossAmount, serverKey), 'utf8');
  const given = Buffer.from(received.toLowerCase(), 'utf8');
  return given.length === expected.length && timingSafeEqual(given, expected);
}
