// The key lifecycle as Midtrans runs it (BI-SNAP security specification, "Key Management
// Lifecycle"): the merchant registers a new public key at any time, a client secret rotation keeps
// the old secret valid for a transition period, a compromise revokes everything until new
// credentials are issued, and a retired or revoked key or secret is never accepted again. Midtrans'
// own notification key is announced to merchants before it signs anything.
import { createPublicKey, createPrivateKey, randomBytes, type KeyObject } from 'node:crypto';
import { rsaKeyPair } from './pki.ts';
import { retiredId, type Credentials } from './snap-auth.ts';

/** A refused lifecycle request: HTTP status and why. */
export class CredentialRefusal extends Error {
  readonly http: number;
  constructor(http: number, message: string) {
    super(message);
    this.http = http;
  }
}

function merchantKey(creds: Credentials, pem: unknown): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(String(pem));
  } catch {
    throw new CredentialRefusal(400, 'publicKeyPem must be a PEM public key');
  }
  if (key.asymmetricKeyType !== 'rsa' || (key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048)
    throw new CredentialRefusal(400, 'the merchant key must be RSA of at least 2048 bits');
  if (creds.retired.has(retiredId(key))) throw new CredentialRefusal(409, 'this key was retired or revoked and cannot be registered again');
  return key;
}

function retire(creds: Credentials, items: readonly (string | KeyObject)[]): void {
  for (const item of items) creds.retired.add(retiredId(item));
}

/** The dashboard's Access Keys page: the new key is current, the previous one stays accepted until the transition ends. */
export function registerMerchantKey(creds: Credentials, pem: unknown): void {
  const key = merchantKey(creds, pem);
  const [current, ...older] = creds.merchantPublicKeys;
  retire(creds, older);
  creds.merchantPublicKeys = current && !current.equals(key) ? [key, current] : [key];
}

/** A client secret rotation through support: the old secret remains valid for the transition period. */
export function rotateClientSecret(creds: Credentials): string {
  const secret = randomBytes(24).toString('base64url');
  const [current, ...older] = creds.clientSecrets;
  retire(creds, older);
  creds.clientSecrets = current ? [secret, current] : [secret];
  return secret;
}

/** The transition period is over: only the current key and secret are accepted from now on. */
export function endTransition(creds: Credentials): void {
  retire(creds, [...creds.merchantPublicKeys.slice(1), ...creds.clientSecrets.slice(1)]);
  creds.merchantPublicKeys = creds.merchantPublicKeys.slice(0, 1);
  creds.clientSecrets = creds.clientSecrets.slice(0, 1);
}

/** After a compromise: a new client secret and the merchant's new key; everything before is revoked for good. */
export function issueCredentials(creds: Credentials, pem: unknown): string {
  const key = merchantKey(creds, pem);
  retire(creds, [...creds.merchantPublicKeys, ...creds.clientSecrets]);
  const secret = randomBytes(24).toString('base64url');
  creds.merchantPublicKeys = [key];
  creds.clientSecrets = [secret];
  creds.revoked = false;
  return secret;
}

/** Midtrans' notification-signing key: the current one, the next one once announced, and the one it replaced. */
export class MidtransSigningKeys {
  #current = rsaKeyPair();
  #next: { privateKeyPem: string; publicKeyPem: string } | undefined;
  #retired: { privateKeyPem: string; publicKeyPem: string } | undefined;
  #key: KeyObject = createPrivateKey(this.#current.privateKeyPem);

  get publicKeyPem(): string {
    return this.#current.publicKeyPem;
  }

  /** What notifications are signed with. */
  get key(): KeyObject {
    return this.#key;
  }

  /** The key in use before the last rotation (a retired, perhaps compromised, key), if any. */
  get retiredKey(): KeyObject | undefined {
    return this.#retired ? createPrivateKey(this.#retired.privateKeyPem) : undefined;
  }

  /** Merchants are given the next public key in advance; nothing is signed with it yet. */
  announce(): string {
    this.#next ??= rsaKeyPair();
    return this.#next.publicKeyPem;
  }

  /** Signs with the announced key from now on (a fresh one if none was announced). */
  rotate(): string {
    this.#retired = this.#current;
    this.#current = this.#next ?? rsaKeyPair();
    this.#next = undefined;
    this.#key = createPrivateKey(this.#current.privateKeyPem);
    return this.#current.publicKeyPem;
  }
}
