// `paystream keys generate|check`: merchant RSA key pairs in the format BI-SNAP demands, and a check
// an operator runs before registering or deploying a key.
import { generateKeyPairSync } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { KeyError, loadMerchantPrivateKey, loadRsaPublicKey, spkiFingerprint } from '@paystream/core';
import { output, readInput, required, type Command } from '../args.ts';

export const keysGenerate: Command = {
  words: ['keys', 'generate'],
  summary: 'generate an RSA-2048 PKCS#8 merchant key pair (private key + public key to register with Midtrans)',
  usage: 'usage: paystream keys generate --out DIR [--bits 2048] [--json]',
  options: { out: { type: 'string' }, bits: { type: 'string' } },
  run(values) {
    const dir = required(values, 'out');
    const bits = Number(values['bits'] ?? 2048);
    if (!Number.isInteger(bits) || bits < 2048) throw new KeyError('PS_ERR_KEY_TOO_SHORT', '--bits must be an integer of at least 2048');
    const privatePath = join(dir, 'merchant-private.pem');
    const publicPath = join(dir, 'merchant-public.pem');
    if (existsSync(privatePath)) throw new KeyError('PS_ERR_KEY_EXISTS', `${privatePath} exists; refusing to overwrite a key`);
    mkdirSync(dir, { recursive: true });
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    writeFileSync(privatePath, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    chmodSync(privatePath, 0o600);
    writeFileSync(publicPath, publicKey.export({ type: 'spki', format: 'pem' }));
    output(values, { privateKey: privatePath, publicKey: publicPath, bits, fingerprint: spkiFingerprint(publicKey), next: 'register the public key in the Midtrans dashboard (Settings > Access Keys); keep the private key out of the repository' });
    return 0;
  },
};

export const keysCheck: Command = {
  words: ['keys', 'check'],
  summary: 'check key files: format, size, fingerprint (exit 1 when any is unusable)',
  usage: 'usage: paystream keys check FILE... [--json]',
  options: {},
  run(values, files) {
    if (files.length === 0) throw new KeyError('PS_ERR_KEY_MISSING', 'name at least one key file');
    const results = files.map((file) => {
      const pem = readInput(file, 'the key');
      try {
        const key = pem.includes('PUBLIC KEY') ? loadRsaPublicKey(pem, file) : loadMerchantPrivateKey(pem, file);
        return { file, ok: true, type: key.type, bits: key.asymmetricKeyDetails?.modulusLength, fingerprint: spkiFingerprint(key) };
      } catch (err) {
        if (!KeyError.is(err)) throw err;
        return { file, ok: false, code: err.code, problem: err.message };
      }
    });
    if (values['json'] === true) console.log(JSON.stringify(results, null, 2));
    else for (const r of results) console.log(r.ok ? `ok   ${r.file}: RSA ${String(r.bits)} ${String(r.type)} key, SPKI SHA-256 ${String(r.fingerprint)}` : `BAD  ${r.file}: ${String(r.problem)}`);
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
