// `paystream keys generate|encrypt|fingerprint|check`: merchant RSA key pairs in the format BI-SNAP demands,
// the fingerprints a revocation list names, and a check an operator runs before registering or
// deploying a key.
import { generateKeyPairSync } from 'node:crypto';
import { closeSync, mkdirSync, openSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  codes,
  isKeyReference,
  KeyError,
  parseKeyReference,
  loadMerchantPrivateKey,
  loadRsaPublicKey,
  MIN_RSA_BITS,
  readConfiguredFile,
  readSecretRef,
  secretFingerprint,
  spkiFingerprint,
} from '@paystream/core';
import { output, readInput, required, UsageError, type Command } from '../args.ts';
import { configOptions, configUsage } from './config-flags.ts';
import { checkConfiguredKeys } from './key-probe.ts';
import { commandKeyFingerprint, generateCommandKeys } from './command-signing.ts';
import { encryptedPem, generateInKeyStore, keyStoreOptions, keyStoreUsage, passphraseOf, plainPrivateKey } from './key-stores.ts';

/** A public key PEM block and nothing private. */
const isPublicPem = (pem: string): boolean => pem.includes('-----BEGIN PUBLIC KEY-----') && !pem.includes('PRIVATE');

/** Creates `path` exclusively (O_EXCL: no check-then-write race) with `mode`; an existing file is refused. */
function createExclusive(path: string, mode: number): number {
  try {
    return openSync(path, 'wx', mode);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError(codes.PS_ERR_KEY_EXISTS, { path });
    throw new UsageError(`cannot create ${path} (${(err as NodeJS.ErrnoException).code ?? 'unknown error'})`);
  }
}

function abandon(fd: number, path: string): void {
  closeSync(fd);
  unlinkSync(path);
}

function writeAndClose(fd: number, content: string | Buffer): void {
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

export const keysGenerate: Command = {
  words: ['keys', 'generate'],
  summary:
    'generate an RSA-2048 PKCS#8 merchant key pair (private key + public key to register with Midtrans), or with --kind command an Ed25519 command-signing pair',
  usage: `usage: paystream keys generate --out DIR [--kind merchant|command] [--bits 2048] ${keyStoreUsage} [--json]`,
  options: { out: { type: 'string' }, bits: { type: 'string' }, kind: { type: 'string' }, ...keyStoreOptions },
  run(values) {
    const dir = required(values, 'out');
    const kind = values['kind'] ?? 'merchant';
    if (kind !== 'merchant' && kind !== 'command') throw new UsageError('--kind is merchant (the default) or command');
    if (kind === 'command') {
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      return generateCommandKeys(values, dir, { create: createExclusive, write: writeAndClose, abandon });
    }
    const bits = Number(values['bits'] ?? 2048);
    if (!Number.isInteger(bits) || bits < MIN_RSA_BITS)
      throw new KeyError(codes.PS_ERR_KEY_TOO_SHORT, { what: '--bits', problem: `must be an integer of at least ${String(MIN_RSA_BITS)}` });
    // Read before any file is claimed: a missing or short passphrase leaves nothing behind.
    const passphrase = values['encrypt'] === true ? passphraseOf(values) : undefined;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const inStore = generateInKeyStore(values, dir, bits, { create: createExclusive, write: writeAndClose, abandon });
    if (inStore) return inStore;
    const privatePath = join(dir, 'merchant-private.pem');
    const publicPath = join(dir, 'merchant-public.pem');
    // Both files are claimed before the key is made: of two runs at once, exactly one writes.
    const privateFd = createExclusive(privatePath, 0o600);
    let publicFd: number;
    try {
      publicFd = createExclusive(publicPath, 0o644);
    } catch (err) {
      abandon(privateFd, privatePath);
      throw err;
    }
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    writeAndClose(
      privateFd,
      passphrase === undefined ? privateKey.export({ type: 'pkcs8', format: 'pem' }) : encryptedPem(privateKey, passphrase),
    );
    writeAndClose(publicFd, publicKey.export({ type: 'spki', format: 'pem' }));
    output(values, {
      privateKey: privatePath,
      publicKey: publicPath,
      bits,
      encrypted: passphrase !== undefined,
      fingerprint: spkiFingerprint(publicKey),
      next: 'register the public key in the Midtrans dashboard (Settings > Access Keys); keep the private key out of the repository',
    });
    return 0;
  },
};

export const keysEncrypt: Command = {
  words: ['keys', 'encrypt'],
  summary: 'write an encrypted copy (PKCS#8, AES-256, PBKDF2) of a plain private key file, for a privateKeyFile with its passphrase file',
  usage: 'usage: paystream keys encrypt --in FILE --out FILE --passphrase-file F|env:NAME [--json]',
  options: { in: { type: 'string' }, out: { type: 'string' }, 'passphrase-file': { type: 'string' } },
  run(values) {
    const from = required(values, 'in');
    const to = required(values, 'out');
    const key = plainPrivateKey(readInput(from, 'the key'), from);
    const passphrase = passphraseOf(values);
    const fd = createExclusive(to, 0o600);
    writeAndClose(fd, encryptedPem(key, passphrase));
    output(values, {
      encrypted: to,
      fingerprint: spkiFingerprint(key),
      next: `configure ${to} with its passphrase file, check it with paystream keys check, then delete ${from} securely`,
    });
    return 0;
  },
};

export const keysFingerprint: Command = {
  words: ['keys', 'fingerprint'],
  summary:
    'print the SHA-256 fingerprint a revocation list names: of an RSA or Ed25519 command key (SPKI), or of a client secret or server key (never the value)',
  usage: 'usage: paystream keys fingerprint FILE|env:NAME... [--json]',
  options: {},
  run(values, refs) {
    if (refs.length === 0) throw new UsageError('name at least one key or secret file (or env:NAME)');
    const results = refs.map((ref, i) => {
      // Named by position, not by value: an argument may be a secret pasted by mistake.
      const text = readSecretRef(ref, `argument ${String(i + 1)}`, { allowInsecurePermissions: true });
      if (!text.includes('-----BEGIN')) return { ref, kind: 'secret', fingerprint: secretFingerprint(text) };
      const command = commandKeyFingerprint(text, `argument ${String(i + 1)}`);
      if (command) return { ref, ...command };
      const key = text.includes('PUBLIC KEY')
        ? loadRsaPublicKey(text, `argument ${String(i + 1)}`)
        : loadMerchantPrivateKey(text, `argument ${String(i + 1)}`);
      return { ref, kind: 'rsa key (SPKI)', fingerprint: spkiFingerprint(key) };
    });
    if (values['json'] === true) console.log(JSON.stringify(results, null, 2));
    else for (const r of results) console.log(`${r.fingerprint}  ${r.kind}  ${r.ref}`);
    return 0;
  },
};

export const keysCheck: Command = {
  words: ['keys', 'check'],
  summary:
    "check key files (format, size, owner-only permissions, fingerprint), or with a configuration every credential set's key wherever it lives (file, HSM, KMS) by a probe signature (exit 1 when any is unusable)",
  usage: `usage: paystream keys check FILE... [--passphrase-file F|env:NAME] [--json]\n       paystream keys check ${configUsage} [--json]`,
  options: { ...configOptions, 'passphrase-file': { type: 'string' } },
  run(values, files) {
    if (files.length === 0) {
      if (values['config'] !== undefined || values['simulator'] !== undefined || process.env['PAYSTREAM_SIMULATOR'] !== undefined)
        return checkConfiguredKeys(values);
      throw new UsageError('name at least one key file, or a configuration (--config FILE)');
    }
    const passphraseRef = values['passphrase-file'];
    const passphrase = {
      field: '--passphrase-file',
      read: typeof passphraseRef === 'string' ? () => passphraseOf(values) : undefined,
    };
    const results = files.map((file) => {
      const pem = readInput(file, 'the key');
      try {
        // A key reference names a key in an HSM or KMS: its public half is checked here; --config probes the key itself.
        const reference = isKeyReference(pem) ? parseKeyReference(pem, file) : undefined;
        const key =
          reference?.publicKey ?? (isPublicPem(pem) ? loadRsaPublicKey(pem, file) : loadMerchantPrivateKey(pem, file, passphrase));
        // A private key (or reference) the worker would refuse for its permissions is unusable as it stands.
        if (key.type === 'private' || reference) readConfiguredFile(file, file, { private: true });
        const type = reference ? `${reference.store} key reference, its public` : key.type;
        return { file, ok: true, type, bits: key.asymmetricKeyDetails?.modulusLength, fingerprint: spkiFingerprint(key) };
      } catch (err) {
        if (!KeyError.is(err)) throw err;
        return { file, ok: false, code: err.code, problem: err.message };
      }
    });
    if (values['json'] === true) console.log(JSON.stringify(results, null, 2));
    else
      for (const r of results)
        console.log(
          r.ok
            ? `ok   ${r.file}: RSA ${String(r.bits)} ${String(r.type)} key, SPKI SHA-256 ${String(r.fingerprint)}`
            : `BAD  ${r.file}: ${String(r.problem)}`,
        );
    return results.every((r) => r.ok) ? 0 : 1;
  },
};
