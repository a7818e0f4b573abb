// The refused command inside a DLQ record is encrypted with the event-encryption key
// (docs/adr/0007-dlq-payload-encrypted.md). The operator commands load the keys the way the worker
// does — core, from the worker configuration — and an operator whose configuration holds no usable
// key still reads every clear field of the records.
import { DLQ_PAYLOAD_PATH, type DlqRecord } from '@paystream/contracts';
import { codes, PaystreamError, type FieldCipher } from '@paystream/core';
import { openCommandCore } from '../command-core.ts';
import { coreConfigOf, type WorkerConfig } from '../../config/worker-config.ts';

export type PayloadText = { readonly text: string } | { readonly error: string };

export interface PayloadReader {
  /** Why payloads cannot be decrypted at all; undefined when the keys loaded. */
  readonly unavailable: string | undefined;
  read(record: DlqRecord): PayloadText;
  close(): Promise<void>;
}

/** The refused command's text, or why it cannot be read (its key is not held, or it does not decrypt). */
export function decryptPayload(cipher: FieldCipher, record: DlqRecord): PayloadText {
  let text: unknown;
  try {
    text = cipher.decrypt(DLQ_PAYLOAD_PATH, record.payload);
  } catch (err) {
    if (PaystreamError.is(err) && err.code === codes.PS_ERR_KEY_UNKNOWN_KID)
      return { error: `encrypted with key ${record.payload.kid}, which this configuration does not hold` };
    return { error: 'the payload does not decrypt: altered, or not written for this record' };
  }
  return typeof text === 'string' ? { text } : { error: 'the payload decrypts to something other than text' };
}

/**
 * Loads the event-encryption keys of the worker configuration. A failure is reported by its code
 * only: `paystream config check` says more about what to fix.
 */
export async function openPayloadReader(config: Readonly<WorkerConfig>): Promise<PayloadReader> {
  try {
    const core = await openCommandCore(coreConfigOf(config));
    return { unavailable: undefined, read: (record) => decryptPayload(core.fieldCipher, record), close: () => core.close() };
  } catch (err) {
    const code = PaystreamError.is(err) ? err.code : 'an unreadable key or certificate file';
    const unavailable = `no event-encryption key could be loaded from the configuration (${code}; run paystream config check)`;
    return { unavailable, read: () => ({ error: unavailable }), close: () => Promise.resolve() };
  }
}
