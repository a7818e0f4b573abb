// Dead-letter records on `paystream.commands.<method>.dlq`: why a command was refused, and the
// command itself (card numbers masked) encrypted with the event-encryption key, since commands carry
// customer PII. The same facts but the payload travel as Kafka headers.
import { z } from 'zod';
import { EncryptedField } from './event.ts';
import { decryptField } from './verify.ts';

export const DlqHeaders = {
  code: 'paystream-error-code',
  message: 'paystream-error-message',
  topic: 'paystream-original-topic',
  partition: 'paystream-original-partition',
  offset: 'paystream-original-offset',
  attempts: 'paystream-attempts',
  firstSeen: 'paystream-first-seen',
} as const;

/** The AAD of the encrypted payload: a field ciphertext moved from an event into a DLQ record fails. */
export const DLQ_PAYLOAD_PATH = 'dlq.payload';

/** The most of a refused command a DLQ record keeps; a longer one is cut and never replayed. */
export const DLQ_MAX_PAYLOAD_BYTES = 64 * 1024;

export const DlqRecord = z
  .strictObject({
    code: z.string().regex(/^PS_ERR_[A-Z0-9_]+$/),
    message: z.string().max(2048),
    originalTopic: z.string().max(249),
    originalPartition: z.number().int().min(0),
    originalOffset: z.string().regex(/^\d{1,20}$/),
    attempts: z.number().int().min(1),
    firstSeen: z.iso.datetime({ offset: true }),
    payload: EncryptedField.describe(
      `The command as received (UTF-8, card-like numbers masked, at most ${String(DLQ_MAX_PAYLOAD_BYTES)} bytes), AES-256-GCM encrypted with the event-encryption key; AAD "${DLQ_PAYLOAD_PATH}".`,
    ),
    payloadBytes: z.number().int().min(0).describe('The size of the command as received, in bytes.'),
    payloadMasked: z
      .boolean()
      .optional()
      .describe('True when masking changed the payload: it is no longer the command that was sent, so it is never replayed.'),
    payloadTruncated: z.boolean().optional().describe('True when the command was longer than the record keeps; it is never replayed.'),
  })
  .meta({ id: 'DlqRecord' });
export type DlqRecord = z.infer<typeof DlqRecord>;

/** The refused command's text, for an operator holding an event-encryption key (keys by key id). */
export function dlqPayload(record: DlqRecord, keys: ReadonlyMap<string, Uint8Array>): string {
  const text = decryptField(record.payload, DLQ_PAYLOAD_PATH, keys);
  if (typeof text !== 'string') throw new TypeError('a DLQ payload decrypts to text');
  return text;
}
