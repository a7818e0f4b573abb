// Verifies inbound Midtrans notifications with whatever key material is current: any trusted,
// non-revoked Midtrans public key for BI-SNAP (rotation overlap), the merchant's server key for the
// Core API. A verified notification is still only a hint: the runtime confirms it by status inquiry.
import type { KeyRing } from '../keys/key-ring.ts';
import { parseSnapTimestamp } from '../timestamp.ts';
import { verifyCoreSignatureKey, verifyNotificationSignature } from './snap-signatures.ts';

export interface SnapNotification {
  readonly method: string;
  readonly path: string;
  readonly timestamp: string | undefined;
  readonly signature: string | undefined;
  readonly rawBody: Uint8Array;
}

export type Verdict = { readonly valid: true; readonly keyId: string } | { readonly valid: false; readonly reason: string };

export class NotificationVerifier {
  readonly #keys: KeyRing;

  constructor(keys: KeyRing) {
    this.#keys = keys;
  }

  verifySnap(n: SnapNotification): Verdict {
    if (n.method.toUpperCase() !== 'POST') return { valid: false, reason: 'notifications are POST requests' };
    if (!n.signature) return { valid: false, reason: 'X-SIGNATURE is missing' };
    if (!n.timestamp || !parseSnapTimestamp(n.timestamp)) return { valid: false, reason: 'X-TIMESTAMP is missing or malformed' };
    const input = { method: 'POST', path: n.path, rawBody: n.rawBody, timestamp: n.timestamp, signature: n.signature };
    for (const key of this.#keys.midtransKeys()) {
      if (verifyNotificationSignature(input, key.key)) return { valid: true, keyId: key.keyId };
    }
    return { valid: false, reason: 'the signature matches no trusted Midtrans public key' };
  }

  verifyCore(body: Record<string, unknown>, merchant?: string): Verdict {
    const serverKey = this.#keys.merchant(merchant).serverKey;
    if (!serverKey) return { valid: false, reason: 'no server key is configured for this merchant' };
    return verifyCoreSignatureKey(body, serverKey.reveal())
      ? { valid: true, keyId: 'server-key' }
      : { valid: false, reason: 'signature_key does not match' };
  }
}
