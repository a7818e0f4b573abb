// Verifying one command: a detached Ed25519 signature over the exact bytes of its Kafka value, and
// the key id naming the upstream key that made it. Both headers are read in a fixed, bounded form
// before anything else: a repeated, oversized or malformed header is refused without a lookup, and
// nothing of a header is repeated unless it is a well-formed key id.
import { sign, verify, type KeyObject } from 'node:crypto';
import { containsCardNumber } from '../cards/index.ts';
import type { CommandKeyMaterial, UpstreamGrant, UpstreamKey } from './command-keys.ts';

/** A Kafka header's value as a client delivers it. */
export type HeaderValue = string | Uint8Array | readonly (string | Uint8Array)[] | undefined;

/** What a command brings to be verified: its value's bytes and its two signature headers as received. */
export interface SignedCommand {
  readonly value: Uint8Array;
  readonly keyId: HeaderValue;
  readonly signature: HeaderValue;
}

/** The upstream a verified signature speaks for. */
export interface CommandSigner {
  readonly keyId: string;
  readonly grant: UpstreamGrant;
}

export type CommandVerdict =
  /** Verified, or unsigned where signatures are not required (no signer then). */
  | { readonly ok: true; readonly signer: CommandSigner | undefined }
  | { readonly ok: false; readonly reason: 'unsigned' }
  | { readonly ok: false; readonly reason: 'malformed'; readonly problem: string }
  | { readonly ok: false; readonly reason: 'unknown-key'; readonly keyId: string }
  | { readonly ok: false; readonly reason: 'revoked' | 'bad-signature'; readonly keyId: string; readonly upstream: string };

const KEY_ID = /^[0-9a-f]{16}$/;
const KEY_ID_CHARS = 16;
/** Standard base64 of 64 bytes: 86 characters and two padding ones. */
const SIGNATURE = /^[A-Za-z0-9+/]{86}==$/;
const SIGNATURE_CHARS = 88;

/** One header's text when it is given once and is no longer than `max` bytes; why not otherwise. */
function single(value: HeaderValue, name: string, max: number): { text: string } | { problem: string } {
  if (Array.isArray(value)) return { problem: `header ${name} is given more than once` };
  const one = value as string | Uint8Array;
  const bytes = typeof one === 'string' ? Buffer.byteLength(one) : one.byteLength;
  if (bytes > max) return { problem: `header ${name} is longer than ${String(max)} bytes` };
  return { text: typeof one === 'string' ? one : Buffer.from(one).toString('latin1') };
}

/** The signature headers in their one valid form, or why they are not. */
function readHeaders(command: SignedCommand): { keyId: string; signature: Buffer } | { problem: string } {
  if (command.keyId === undefined || command.signature === undefined)
    return { problem: `names no ${command.keyId === undefined ? 'key id' : 'signature'} (both headers are needed)` };
  const keyId = single(command.keyId, 'key id', KEY_ID_CHARS);
  if ('problem' in keyId) return keyId;
  if (!KEY_ID.test(keyId.text)) return { problem: 'has a key id that is not 16 lowercase hex characters' };
  // No loaded key has such an id (the loader refuses one), and a refusal repeats the id it names.
  if (containsCardNumber(keyId.text)) return { problem: 'has a key id that reads as a card number' };
  const signature = single(command.signature, 'signature', SIGNATURE_CHARS);
  if ('problem' in signature) return signature;
  if (!SIGNATURE.test(signature.text)) return { problem: 'is not the standard base64 of 64 bytes' };
  return { keyId: keyId.text, signature: Buffer.from(signature.text, 'base64') };
}

/** Verifies a command against the loaded keys; `required` decides about a command that carries neither header. */
export function verifyCommand(material: CommandKeyMaterial, command: SignedCommand, required: boolean): CommandVerdict {
  if (command.keyId === undefined && command.signature === undefined)
    return required ? { ok: false, reason: 'unsigned' } : { ok: true, signer: undefined };
  const read = readHeaders(command);
  if ('problem' in read) return { ok: false, reason: 'malformed', problem: read.problem };
  const key: UpstreamKey | undefined = material.keys.get(read.keyId);
  if (!key) return { ok: false, reason: 'unknown-key', keyId: read.keyId };
  const named = { keyId: key.keyId, upstream: key.grant.name };
  if (key.revoked) return { ok: false, reason: 'revoked', ...named };
  if (!verify(null, command.value, key.key, read.signature)) return { ok: false, reason: 'bad-signature', ...named };
  return { ok: true, signer: { keyId: key.keyId, grant: key.grant } };
}

/** What of a command its signer may not send (`payment.refund`, method "qris", merchant "b"), or undefined when it may. */
export function signerDenies(
  signer: CommandSigner,
  command: { readonly method: string; readonly type: string; readonly merchant: string },
): string | undefined {
  const { methods, types, merchants } = signer.grant;
  if (!types.includes(command.type)) return command.type;
  if (!methods.includes(command.method)) return `method "${command.method}"`;
  if (merchants !== undefined && !merchants.includes(command.merchant)) return `merchant "${command.merchant}"`;
  return undefined;
}

/** The signature headers' values for `value`, signed with an upstream's private key. */
export function signCommand(value: Uint8Array, privateKey: KeyObject, keyId: string): { keyId: string; signature: string } {
  return { keyId, signature: sign(null, value, privateKey).toString('base64') };
}
