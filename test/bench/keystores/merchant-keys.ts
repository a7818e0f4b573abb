// The three homes of one merchant's RSA key for the key-store benchmark: a PEM file, a SoftHSM2
// token and the local KMS emulator. Each is set up the way an operator would (the key generated in
// the store, a key reference file naming it), in a throw-away folder removed at the end.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { finalizePkcs11Modules, generateAwsKmsKey, generateHsmKey, type CoreConfigInput } from '@paystream/core';
import { createSoftHsmToken } from '../../harness/src/softhsm.ts';
import { startLocalKms } from '../../harness/src/local-kms.ts';

export type StoreName = 'file' | 'hsm' | 'kms';

export interface MerchantKeyFiles {
  /** The privateKeyFile for each store: a PEM key, or a key reference file. */
  readonly privateKeyFile: Readonly<Record<StoreName, string>>;
  readonly clientSecretFile: string;
  readonly midtransPublicKeyFile: string;
  /** The `keyStores` section that lets the reference files be opened. */
  readonly keyStores: NonNullable<CoreConfigInput['keyStores']>;
  /** Stops the emulator, releases the token and deletes every file. */
  remove(): Promise<void>;
}

const TOKEN_LABEL = 'paystream-bench';
const KEY_LABEL = 'merchant-bench';

function writePrivate(dir: string, name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text, { mode: 0o600 });
  return path;
}

/** Generates the merchant key in each store and writes the files a configuration names. */
export async function setUpMerchantKeys(): Promise<MerchantKeyFiles> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-bench-keystores-'));
  // A fresh PIN for a throw-away token: it lives in the PIN file only and is never printed.
  const pin = randomBytes(12).toString('hex');
  const hsm = createSoftHsmToken({ label: TOKEN_LABEL, pin, soPin: randomBytes(12).toString('hex') });
  process.env['SOFTHSM2_CONF'] = hsm.confFile; // read by SoftHSM at this process's first C_Initialize
  const kms = await startLocalKms();
  for (const [name, value] of Object.entries(kms.env)) process.env[name] = value;

  const file = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const inHsm = await generateHsmKey({ module: hsm.module, tokenLabel: TOKEN_LABEL, keyLabel: KEY_LABEL, pin: () => pin });
  const inKms = await generateAwsKmsKey({ region: kms.region, endpoint: kms.endpoint, alias: 'alias/paystream-bench' });
  const midtrans = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

  const midtransPublicKeyFile = join(dir, 'midtrans.pem');
  writeFileSync(midtransPublicKeyFile, midtrans.export({ type: 'spki', format: 'pem' }));
  return {
    privateKeyFile: {
      file: writePrivate(dir, 'merchant.pem', file.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()),
      hsm: writePrivate(dir, 'merchant-hsm.ref', inHsm.reference),
      kms: writePrivate(dir, 'merchant-kms.ref', inKms.reference),
    },
    clientSecretFile: writePrivate(dir, 'client-secret', randomBytes(24).toString('base64url')),
    midtransPublicKeyFile,
    keyStores: {
      pkcs11: { module: hsm.module, pinFile: writePrivate(dir, 'hsm-pin', pin) },
      kms: { endpoint: kms.endpoint, region: kms.region },
    },
    remove: async () => {
      await finalizePkcs11Modules();
      await kms.stop();
      hsm.remove();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
