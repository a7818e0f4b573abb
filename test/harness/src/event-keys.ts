// What a downstream service is given to trust Paystream's events: the public half of the workers'
// signing key and its id — derived here from the key file the workers share, nothing more.
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PublishedKey } from '@paystream/contracts';
import { keyId } from '@paystream/core';

export function publishedKeyOf(signingKeyFile: string): PublishedKey {
  const publicKey = createPublicKey(createPrivateKey(readFileSync(signingKeyFile)));
  return { keyId: keyId(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}
