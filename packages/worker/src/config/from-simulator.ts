// Core configuration for a Midtrans simulator, from the descriptor it writes at start-up: the demo
// and the end-to-end tests run the real client, TLS policy and key ring against it. Secrets in the
// descriptor are copied into owner-only files, because the configuration only ever names files.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreConfigInput } from '@paystream/core';
import { z } from 'zod';

const Descriptor = z.object({
  baseUrl: z.url(),
  caCertPath: z.string(),
  credentials: z.object({
    clientId: z.string(),
    partnerId: z.string(),
    channelId: z.string(),
    merchantId: z.string(),
    clientSecret: z.string(),
    merchantPrivateKeyPath: z.string(),
    midtransPublicKeyPath: z.string(),
    serverKey: z.string(),
  }),
});

/**
 * Written beside and renamed into place: the workers of one simulator start at once and each writes
 * these files, so a worker reading one while another rewrote it in place could find it empty.
 */
function secretFile(path: string, content: string | Buffer): string {
  const next = `${path}.${String(process.pid)}.tmp`;
  writeFileSync(next, content, { mode: 0o600 });
  chmodSync(next, 0o600);
  renameSync(next, path);
  return path;
}

/** Our own event keys are made once per folder: workers sharing it, or restarted, sign with one key. */
function ownKeyFile(path: string, make: () => string | Buffer): string {
  return existsSync(path) ? path : secretFile(path, make());
}

/** Writes the secret files into `dir` (keeping event keys already there) and returns the core configuration input. */
export function coreConfigFromSimulator(descriptorPath: string, dir: string): CoreConfigInput {
  const d = Descriptor.parse(JSON.parse(readFileSync(descriptorPath, 'utf8')));
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return {
    snapBaseUrl: d.baseUrl,
    coreBaseUrl: d.baseUrl,
    merchants: {
      default: {
        clientId: d.credentials.clientId,
        partnerId: d.credentials.partnerId,
        channelId: d.credentials.channelId,
        merchantId: d.credentials.merchantId,
        privateKeyFile: d.credentials.merchantPrivateKeyPath,
        clientSecretFile: secretFile(join(dir, 'client-secret'), d.credentials.clientSecret),
        serverKeyFile: secretFile(join(dir, 'server-key'), d.credentials.serverKey),
        // The simulator accepts any partnerServiceId; these stand in for the codes Midtrans assigns.
        virtualAccounts: { bca: '70012', bni: '8808', bri: '77777', permata: '8778', cimb: '5919', mandiri: '88908' },
      },
    },
    midtransPublicKeyFiles: [d.credentials.midtransPublicKeyPath],
    tls: { caFiles: [d.caCertPath] },
    events: {
      signingKeyFiles: [
        ownKeyFile(join(dir, 'event-signing.pem'), () =>
          generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
        ),
      ],
      encryptionKeyFiles: [ownKeyFile(join(dir, 'event-encryption.key'), () => randomBytes(32).toString('base64'))],
    },
  };
}
