// The CLI side of authenticated commands: `keys generate --kind command` makes an owner-only Ed25519
// pair whose public key the allow-list takes as it is, and `publish --signing-key` signs the exact
// bytes it sends (read back from a real broker and verified by core's command key ring). A signing key
// that is exposed, not Ed25519 or not the pinned one stops the publish before anything is sent.
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandKeyRing, FileCommandKeySource, spkiFingerprint } from '@paystream/core';
import { ensureBroker, testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import { COMMAND_KEY_ID, COMMAND_SIGNATURE, createTopicsWithLeaders, topology } from '@paystream/runtime';
import type { KafkaMessage } from 'kafkajs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../src/cli/main.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-command-auth-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function paystream(...args: string[]): Promise<{ code: number; output: string }> {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => void out.push(a.join(' ')));
  try {
    return { code: await main(args), output: out.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}

interface Generated {
  privateKey: string;
  publicKey: string;
  keyId: string;
  fingerprint: string;
  allowList: { publicKeyFiles: string[] };
}

async function generate(out: string): Promise<Generated> {
  const r = await paystream('keys', 'generate', '--kind', 'command', '--out', out, '--json');
  expect(r.code, r.output).toBe(0);
  return JSON.parse(r.output) as Generated;
}

describe('paystream keys generate --kind command', () => {
  it('writes an Ed25519 pair, the private key owner-only, and names the key as the allow-list and revocation list do', async () => {
    const out = join(dir, 'pair');
    const g = await generate(out);
    expect(statSync(g.privateKey).mode & 0o777).toBe(0o600);
    const publicKey = createPublicKey(readFileSync(g.publicKey));
    expect(publicKey.asymmetricKeyType).toBe('ed25519');
    expect(g.fingerprint).toBe(spkiFingerprint(publicKey));
    expect(g.keyId).toBe(g.fingerprint.slice(0, 16));
    expect(g.allowList.publicKeyFiles).toEqual([g.publicKey]);
    // The public key file is what commands.auth.upstreams[].publicKeyFiles takes.
    const upstreams = [{ name: 'checkout', publicKeyFiles: [g.publicKey], methods: ['gopay'], types: ['payment.charge'] }];
    const ring = await CommandKeyRing.open(new FileCommandKeySource({ required: true, upstreams, revokedKeyFingerprints: [] }), {
      required: true,
      defaultMerchant: 'default',
      watch: false,
    });
    expect(ring.keys()).toEqual([{ keyId: g.keyId, sha256: g.fingerprint, upstream: 'checkout', revoked: false }]);

    // `keys fingerprint` names either half of the pair as the revocation list does.
    for (const file of [g.publicKey, g.privateKey]) {
      const printed = await paystream('keys', 'fingerprint', file, '--json');
      expect(JSON.parse(printed.output)).toEqual([
        { ref: file, kind: 'ed25519 command key (SPKI)', fingerprint: g.fingerprint, keyId: g.keyId },
      ]);
    }

    const again = await paystream('keys', 'generate', '--kind', 'command', '--out', out);
    expect(again.code).toBe(73);
    expect(again.output).toContain('PS_ERR_KEY_EXISTS');
    expect((await paystream('keys', 'generate', '--kind', 'command', '--bits', '4096', '--out', join(dir, 'bits'))).code).toBe(2);
    expect((await paystream('keys', 'generate', '--kind', 'ssh', '--out', join(dir, 'ssh'))).code).toBe(2);
  });
});

describe('paystream publish --signing-key', () => {
  it('signs the exact bytes it publishes with the key id the worker looks the key up by', { timeout: 120_000 }, async () => {
    const { brokers } = await ensureBroker();
    const names = topology(`${uniqueTopic('publish-signed')}.`);
    const kafka = testKafka(brokers, 'command-auth-cli-test');
    const admin = kafka.admin();
    await admin.connect();
    await createTopicsWithLeaders(admin, [{ topic: names.commands('gopay'), numPartitions: 1 }]);
    const g = await generate(join(dir, 'publisher'));
    const common = ['--brokers', brokers.join(','), '--topic-prefix', names.prefix];
    try {
      const r = await paystream('publish', 'gopay', '--order', 'signed-1', '--amount', '15000', '--signing-key', g.privateKey, ...common);
      expect(r.code, r.output).toBe(0);
      const pinned = await paystream(
        'publish',
        'gopay',
        '--order',
        'signed-2',
        '--amount',
        '15000',
        '--signing-key',
        g.privateKey,
        '--signing-key-id',
        g.keyId,
        ...common,
      );
      expect(pinned.code, pinned.output).toBe(0);
      expect((await paystream('publish', 'gopay', '--order', 'unsigned-1', '--amount', '15000', ...common)).code).toBe(0);

      const received = await readAll(kafka, names.commands('gopay'), 3);
      const ring = await CommandKeyRing.open(
        new FileCommandKeySource({
          required: true,
          upstreams: [{ name: 'cli', publicKeyFiles: [g.publicKey], methods: ['gopay'], types: ['payment.charge'] }],
          revokedKeyFingerprints: [],
        }),
        { required: true, defaultMerchant: 'default', watch: false },
      );
      const verdicts = received.map((m) =>
        ring.verify({ value: m.value ?? Buffer.alloc(0), keyId: m.headers?.[COMMAND_KEY_ID], signature: m.headers?.[COMMAND_SIGNATURE] }),
      );
      expect(verdicts.map((v) => (v.ok ? v.signer?.grant.name : v.reason))).toEqual(['cli', 'cli', 'unsigned']);
      expect(received[0]?.headers?.[COMMAND_KEY_ID]?.toString()).toBe(g.keyId);
    } finally {
      await admin.deleteTopics({ topics: [names.commands('gopay')] }).catch(() => undefined);
      await admin.disconnect();
    }
  });

  it('refuses a signing key others may read, one that is not Ed25519 and a pinned id of another key, naming the flag', async () => {
    const g = await generate(join(dir, 'refused'));
    const publish = (...extra: string[]) =>
      paystream('publish', 'gopay', '--order', 'never-1', '--amount', '15000', '--brokers', '127.0.0.1:1', ...extra);
    const wrongId = await publish('--signing-key', g.privateKey, '--signing-key-id', '0123456789abcdef');
    expect(wrongId.code).toBe(2);
    expect(wrongId.output).toContain(`--signing-key-id is not the id of the key --signing-key names (that key's id is ${g.keyId})`);
    expect((await publish('--signing-key-id', g.keyId)).output).toContain('--signing-key-id needs --signing-key');

    chmodSync(g.privateKey, 0o644);
    const exposed = await publish('--signing-key', g.privateKey);
    expect(exposed.code).toBe(78);
    expect(exposed.output).toContain('PS_ERR_KEY_PERMISSIONS');
    expect(exposed.output).toContain('--signing-key: the file is readable or writable by group or others');

    const rsa = join(dir, 'rsa-private.pem');
    writeFileSync(rsa, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
    const notEd25519 = await publish('--signing-key', rsa);
    expect(notEd25519.code).toBe(78);
    expect(notEd25519.output).toContain('PS_ERR_KEY_UNREADABLE: --signing-key is not an Ed25519 key');

    const pasted = await publish('--signing-key', 'MC4CAQAwBQYDK2VwBCIEIPastedSecretValue');
    expect(pasted.code).toBe(78);
    expect(pasted.output).toContain('--signing-key: cannot read the file it names');
    expect(pasted.output).not.toContain('PastedSecretValue');
  });
});

async function readAll(kafka: ReturnType<typeof testKafka>, topic: string, count: number): Promise<KafkaMessage[]> {
  const consumer = kafka.consumer({ groupId: `command-auth-cli-${topic}` });
  const seen: KafkaMessage[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    eachMessage: ({ message }) => {
      seen.push(message);
      return Promise.resolve();
    },
  });
  try {
    await expect.poll(() => seen.length, { timeout: 60_000, interval: 200 }).toBe(count);
    return seen;
  } finally {
    await consumer.disconnect();
  }
}
