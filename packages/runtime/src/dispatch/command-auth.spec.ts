// The dispatcher with core's command key ring: the signer is settled before anything of a command is
// read, on the exact bytes; its grant once the command is parsed. Refusals for the signature name no
// order (no rejected event for an order an unauthenticated writer claims); nothing reaches the plugin.
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandKeyRing, commandKeyId, containsCardNumber, FileCommandKeySource, signCommand } from '@paystream/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { command, harness, onlyDlq, results, send, type Harness } from '../../test/dispatch-fakes.ts';
import { COMMAND_KEY_ID, COMMAND_SIGNATURE } from './headers.ts';

const dir = mkdtempSync(join(tmpdir(), 'paystream-dispatch-auth-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function key(name: string): { privateKey: KeyObject; keyId: string; file: string } {
  for (;;) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    const keyId = commandKeyId(publicKey);
    if (containsCardNumber(keyId)) continue;
    const file = join(dir, `${name}.pem`);
    writeFileSync(file, publicKey.export({ type: 'spki', format: 'pem' }));
    return { privateKey, keyId, file };
  }
}

const checkout = key('checkout');
let ring: CommandKeyRing;
beforeAll(async () => {
  const upstreams = [
    { name: 'checkout', publicKeyFiles: [checkout.file], methods: ['gopay'], types: ['payment.charge'], merchants: ['shop'] },
  ];
  ring = await CommandKeyRing.open(new FileCommandKeySource({ required: true, upstreams, revokedKeyFingerprints: [] }), {
    required: true,
    defaultMerchant: 'shop',
    watch: false,
  });
});

const signed = (value: string, by = checkout): Record<string, string> => {
  const s = signCommand(Buffer.from(value), by.privateKey, by.keyId);
  return { [COMMAND_KEY_ID]: s.keyId, [COMMAND_SIGNATURE]: s.signature };
};

describe('commands with commands.auth.required', () => {
  let h: Harness;

  it('runs a command signed by an upstream allowed to send it', async () => {
    h = harness({ deps: { commandAuth: ring } });
    const charge = command();
    await send(h, charge, signed(charge));
    expect(h.calls).toHaveLength(1);
  });

  it('refuses an unsigned command as UNSIGNED, under its topic method, naming no order and writing no rejected event', async () => {
    h = harness({ deps: { commandAuth: ring } });
    await send(h, command());
    expect(h.calls).toEqual([]);
    const record = onlyDlq(h);
    expect(record.code).toBe('PS_ERR_COMMAND_UNSIGNED');
    expect(results(h.sent)).toEqual([]);
    expect(h.outcomes).toEqual([expect.objectContaining({ kind: 'refused', method: 'gopay', code: 'PS_ERR_COMMAND_UNSIGNED' })]);
    expect(h.outcomes[0]).not.toHaveProperty('orderId');
  });

  it('refuses a signature over other bytes as BAD_SIGNATURE, and a signature header holding attacker text without echoing it', async () => {
    h = harness({ deps: { commandAuth: ring } });
    const charge = command();
    await send(h, command({ amount: { value: 99_000, currency: 'IDR' } }), signed(charge));
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_BAD_SIGNATURE' });
    h = harness({ deps: { commandAuth: ring } });
    await send(h, charge, { [COMMAND_KEY_ID]: checkout.keyId, [COMMAND_SIGNATURE]: '<script>evil</script>' });
    const record = onlyDlq(h);
    expect(record.message).toBe("the command's signature is not the standard base64 of 64 bytes");
    expect(JSON.stringify(h.sent)).not.toContain('evil');
  });

  it('refuses a command its signer may not send (another merchant), naming the order for its upstream', async () => {
    h = harness({ deps: { commandAuth: ring } });
    const other = command({ merchant: 'other-shop' });
    await send(h, other, signed(other));
    expect(h.calls).toEqual([]);
    expect(onlyDlq(h)).toMatchObject({
      code: 'PS_ERR_COMMAND_SIGNER_NOT_ALLOWED',
      message: `upstream checkout (key ${checkout.keyId}) may not send merchant "other-shop"`,
    });
    expect(results(h.sent)).toHaveLength(1);
  });
});

describe('commands without a key ring (commands.auth not configured)', () => {
  it('runs unsigned commands as before, and refuses a signed one as signed by an unknown key', async () => {
    const h = harness();
    await send(h, command());
    expect(h.calls).toHaveLength(1);
    const charge = command({ orderId: 'o-2' });
    await send(h, charge, signed(charge));
    expect(h.calls).toHaveLength(1);
    expect(onlyDlq(h)).toMatchObject({ code: 'PS_ERR_COMMAND_UNKNOWN_SIGNING_KEY' });
  });
});
