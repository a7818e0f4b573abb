// Core's command verifier from real key files: signatures over the exact value bytes, unknown and
// revoked keys, each upstream held to its grant, two keys of one upstream valid during a rotation,
// and keys added or revoked without restart (file change and SIGHUP).
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { containsCardNumber } from '../cards/index.ts';
import { spkiFingerprint } from '../keys/pem.ts';
import { commandKeyId, parseCommandPublicKeys, type CommandAuthSettings } from './command-keys.ts';
import { reloadOnSighup } from '../keys/reloadable.ts';
import { CommandKeyRing } from './command-key-ring.ts';
import { FileCommandKeySource } from './file-command-keys.ts';
import { signCommand, type CommandVerdict } from './verify.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-command-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const rings: CommandKeyRing[] = [];
afterEach(() => {
  for (const r of rings.splice(0)) r.close();
});

/** An Ed25519 pair whose key id reads as no card (the loader refuses such a key, about one in 40,000). */
function pair(): { privateKey: KeyObject; publicPem: string; keyId: string } {
  for (;;) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyId = commandKeyId(publicKey);
    if (!containsCardNumber(keyId)) return { privateKey, publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId };
  }
}

/** Atomic replacement, as an operator or a secret manager does it. */
function replace(file: string, content: string): void {
  writeFileSync(`${file}.new`, content);
  renameSync(`${file}.new`, file);
}

const checkout = pair();
const checkoutNext = pair();
const refunds = pair();
const risk = pair();
const files = {
  checkout: join(dir, 'checkout.pub.pem'),
  refunds: join(dir, 'refunds.pub.pem'),
  risk: join(dir, 'risk.pub.pem'),
  revoked: join(dir, 'revoked.txt'),
};
writeFileSync(files.checkout, checkout.publicPem);
writeFileSync(files.refunds, refunds.publicPem);
writeFileSync(files.risk, risk.publicPem);
writeFileSync(files.revoked, '# revoked command keys\n');

const settings: CommandAuthSettings = {
  required: true,
  upstreams: [
    {
      name: 'checkout',
      publicKeyFiles: [files.checkout],
      methods: ['gopay', 'qris'],
      types: ['payment.charge', 'payment.status'],
      merchants: ['default'],
    },
    { name: 'refunds', publicKeyFiles: [files.refunds], methods: ['gopay', 'qris'], types: ['payment.refund'] },
    { name: 'risk', publicKeyFiles: [files.risk], methods: ['card-3ds'], types: ['payment.approve', 'payment.deny'] },
  ],
  revokedKeyFingerprints: [],
  revocationListFile: files.revoked,
};

async function open(s: CommandAuthSettings = settings, watch = false): Promise<CommandKeyRing> {
  const ring = await CommandKeyRing.open(new FileCommandKeySource(s, {}, 50), { required: s.required, defaultMerchant: 'default', watch });
  rings.push(ring);
  return ring;
}

const value = Buffer.from(JSON.stringify({ type: 'payment.charge', method: 'gopay', orderId: 'o-1' }));
const signed = (key: { privateKey: KeyObject; keyId: string }, bytes: Buffer = value) => {
  const { keyId, signature } = signCommand(bytes, key.privateKey, key.keyId);
  return { value: bytes, keyId, signature };
};
const reason = (v: CommandVerdict): string => (v.ok ? `ok:${v.signer?.grant.name ?? 'unsigned'}` : v.reason);

describe('the command verifier', () => {
  it('accepts a signature over the exact value bytes and names its upstream', async () => {
    const ring = await open();
    const verdict = ring.verify(signed(checkout));
    expect(reason(verdict)).toBe('ok:checkout');
    expect(verdict.ok && verdict.signer?.keyId).toBe(checkout.keyId);
    // Header values as Kafka delivers them: Buffers.
    const { keyId, signature } = signed(checkout);
    expect(reason(ring.verify({ value, keyId: Buffer.from(keyId), signature: Buffer.from(signature) }))).toBe('ok:checkout');
  });

  it('refuses a value changed by one byte, a re-serialised value, and a signature made by another key', async () => {
    const ring = await open();
    const good = signed(checkout);
    const tampered = Buffer.from(value);
    const at = tampered.length - 2;
    tampered.writeUInt8(tampered.readUInt8(at) ^ 0x01, at);
    expect(ring.verify({ ...good, value: tampered })).toEqual({
      ok: false,
      reason: 'bad-signature',
      keyId: checkout.keyId,
      upstream: 'checkout',
    });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(value.toString()), null, 1));
    expect(reason(ring.verify({ ...good, value: reserialised }))).toBe('bad-signature');
    // The refunds key's signature presented under the checkout key's id.
    expect(reason(ring.verify({ ...signed(refunds), keyId: checkout.keyId }))).toBe('bad-signature');
  });

  it('refuses an unknown key id, naming it, and a revoked key, naming its upstream', async () => {
    const stranger = pair();
    expect(await open().then((r) => r.verify(signed(stranger)))).toEqual({ ok: false, reason: 'unknown-key', keyId: stranger.keyId });
    const [refundsKey] = parseCommandPublicKeys(refunds.publicPem, 'refunds');
    const revoked = await open({ ...settings, revokedKeyFingerprints: refundsKey ? [spkiFingerprint(refundsKey)] : [] });
    expect(revoked.verify(signed(refunds))).toEqual({ ok: false, reason: 'revoked', keyId: refunds.keyId, upstream: 'refunds' });
    expect(revoked.keys().find((k) => k.upstream === 'refunds')?.revoked).toBe(true);
  });

  it('refuses malformed, repeated and oversized headers without a lookup, and one header without the other', async () => {
    const ring = await open();
    const good = signed(checkout);
    const problem = (c: Parameters<CommandKeyRing['verify']>[0]): string => {
      const v = ring.verify(c);
      return v.ok ? 'ok' : v.reason === 'malformed' ? v.problem : v.reason;
    };
    expect(problem({ ...good, keyId: checkout.keyId.toUpperCase() })).toBe('has a key id that is not 16 lowercase hex characters');
    expect(problem({ ...good, keyId: `${checkout.keyId}0` })).toBe('header key id is longer than 16 bytes');
    expect(problem({ ...good, keyId: [checkout.keyId, checkout.keyId] })).toBe('header key id is given more than once');
    // Hex digits only, and Luhn-valid: repeating it in the DLQ record would write a card number there.
    expect(problem({ ...good, keyId: '4111111111111111' })).toBe('has a key id that reads as a card number');
    expect(problem({ ...good, signature: good.signature.replace('==', '') })).toBe('is not the standard base64 of 64 bytes');
    expect(problem({ ...good, signature: good.signature.replace(/^./, '-') })).toBe('is not the standard base64 of 64 bytes');
    expect(problem({ ...good, signature: 'A'.repeat(1_000_000) })).toBe('header signature is longer than 88 bytes');
    expect(problem({ value, keyId: good.keyId, signature: undefined })).toBe('names no signature (both headers are needed)');
    expect(problem({ value, keyId: undefined, signature: good.signature })).toBe('names no key id (both headers are needed)');
  });

  it('refuses an unsigned command only when signatures are required; a present signature is verified either way', async () => {
    expect(reason((await open()).verify({ value, keyId: undefined, signature: undefined }))).toBe('unsigned');
    const optional = await open({ ...settings, required: false });
    expect(reason(optional.verify({ value, keyId: undefined, signature: undefined }))).toBe('ok:unsigned');
    expect(reason(optional.verify({ ...signed(checkout), value: Buffer.from('{}') }))).toBe('bad-signature');
    expect(reason(optional.verify(signed(pair())))).toBe('unknown-key');
  });

  it('holds each upstream to its grant: methods, command types and merchants', async () => {
    const ring = await open();
    const signer = (k: typeof checkout) => {
      const v = ring.verify(signed(k));
      if (!v.ok || !v.signer) throw new Error('not verified');
      return v.signer;
    };
    const charge = { method: 'gopay', type: 'payment.charge' };
    expect(ring.denies(signer(checkout), charge)).toBeUndefined();
    expect(ring.denies(signer(checkout), { ...charge, merchant: 'default' })).toBeUndefined();
    expect(ring.denies(signer(checkout), { ...charge, type: 'payment.refund' })).toBe('payment.refund');
    expect(ring.denies(signer(checkout), { ...charge, method: 'card-3ds' })).toBe('method "card-3ds"');
    expect(ring.denies(signer(checkout), { ...charge, merchant: 'other-shop' })).toBe('merchant "other-shop"');
    expect(ring.denies(signer(refunds), { ...charge, type: 'payment.refund', merchant: 'other-shop' })).toBeUndefined();
    expect(ring.denies(signer(refunds), charge)).toBe('payment.charge');
    // Nobody but risk approves or denies a fraud challenge.
    for (const k of [checkout, refunds]) expect(ring.denies(signer(k), { method: 'card-3ds', type: 'payment.approve' })).toBeDefined();
    expect(ring.denies(signer(risk), { method: 'card-3ds', type: 'payment.deny' })).toBeUndefined();
  });

  it('trusts two keys of one upstream during a rotation, then only the new one once the old is revoked (SIGHUP)', async () => {
    const ring = await open();
    const offSighup = reloadOnSighup(ring);
    try {
      replace(files.checkout, `${checkout.publicPem}${checkoutNext.publicPem}`);
      const reloaded = new Promise((r) => ring.onReload(r));
      process.kill(process.pid, 'SIGHUP');
      expect(await reloaded).toEqual({ ok: true });
      expect(reason(ring.verify(signed(checkout)))).toBe('ok:checkout');
      expect(reason(ring.verify(signed(checkoutNext)))).toBe('ok:checkout');

      const oldFingerprint = ring.keys().find((k) => k.keyId === checkout.keyId)?.sha256 ?? '';
      replace(files.revoked, `sha256:${oldFingerprint}  # checkout, rotated out\n`);
      process.kill(process.pid, 'SIGHUP');
      await new Promise((r) => ring.onReload(r));
      expect(reason(ring.verify(signed(checkout)))).toBe('revoked');
      expect(reason(ring.verify(signed(checkoutNext)))).toBe('ok:checkout');
    } finally {
      offSighup();
      replace(files.checkout, checkout.publicPem);
      replace(files.revoked, '');
    }
  });

  it('follows a changed key file without a signal, and keeps the last good keys when a reload fails', async () => {
    const file = join(dir, 'watched.pub.pem');
    writeFileSync(file, checkout.publicPem);
    const ring = await open({ ...settings, upstreams: [{ ...settings.upstreams[0]!, publicKeyFiles: [file] }] }, true);
    expect(reason(ring.verify(signed(checkoutNext)))).toBe('unknown-key');
    // The watcher's first look at the file may come after a change made at once (a loaded machine):
    // the change is made again until it is seen, as an operator's next write would be.
    const changed = new Promise((r) => ring.onReload(r));
    replace(file, checkoutNext.publicPem);
    const again = setInterval(() => replace(file, checkoutNext.publicPem), 1_000);
    try {
      expect(await changed).toEqual({ ok: true });
    } finally {
      clearInterval(again);
    }
    expect(reason(ring.verify(signed(checkoutNext)))).toBe('ok:checkout');
    expect(reason(ring.verify(signed(checkout)))).toBe('unknown-key');

    // A reload of a repeated write above may still arrive: the failed one is the one awaited.
    const failed = new Promise<{ ok: boolean; error?: string }>((r) =>
      ring.onReload((result) => {
        if (!result.ok) r(result);
      }),
    );
    replace(file, 'not a key');
    expect((await failed).error).toMatch(/^PS_ERR_KEY_UNREADABLE: commands\.auth\.upstreams\.0\.publicKeyFiles\.0 holds no PEM/);
    expect(reason(ring.verify(signed(checkoutNext)))).toBe('ok:checkout');
  });

  it('refuses at load a key that is not Ed25519, a file with no key, and one key under two upstreams, naming the field', async () => {
    const rsa = join(dir, 'rsa.pub.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }));
    const withFiles = (...publicKeyFiles: string[]) => ({ ...settings, upstreams: [{ ...settings.upstreams[0]!, publicKeyFiles }] });
    await expect(open(withFiles(rsa))).rejects.toThrow(/commands\.auth\.upstreams\.0\.publicKeyFiles\.0 is not an Ed25519 key/);
    await expect(open(withFiles(join(dir, 'absent.pem')))).rejects.toThrow(
      'commands.auth.upstreams.0.publicKeyFiles.0: cannot read the file it names (no such file)',
    );
    const twice = { ...settings, upstreams: [settings.upstreams[0]!, { ...settings.upstreams[1]!, publicKeyFiles: [files.checkout] }] };
    await expect(open(twice)).rejects.toThrow(`key ${checkout.keyId} is also a key of upstream "checkout"`);
    const badList = join(dir, 'bad-list.txt');
    writeFileSync(badList, 'not-a-fingerprint\n');
    await expect(open({ ...settings, revocationListFile: badList })).rejects.toThrow('commands.auth.revocationListFile: line 1');
  });
});
