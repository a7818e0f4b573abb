// Dead-letter records on `paystream.commands.<method>.dlq`: the original bytes (with any card number
// masked) and why they were refused. The same facts travel as Kafka headers.
import { z } from 'zod';

export const DlqHeaders = {
  code: 'paystream-error-code',
  message: 'paystream-error-message',
  topic: 'paystream-original-topic',
  partition: 'paystream-original-partition',
  offset: 'paystream-original-offset',
  attempts: 'paystream-attempts',
  firstSeen: 'paystream-first-seen',
} as const;

export const DlqRecord = z
  .strictObject({
    code: z.string().regex(/^PS_ERR_[A-Z0-9_]+$/),
    message: z.string(),
    originalTopic: z.string(),
    originalPartition: z.number().int().min(0),
    originalOffset: z.string(),
    attempts: z.number().int().min(1),
    firstSeen: z.iso.datetime({ offset: true }),
    payload: z.string().describe('The command as received, with card-like numbers masked.'),
    payloadMasked: z
      .boolean()
      .optional()
      .describe('True when masking changed the payload: it is no longer the command that was sent, so it is never replayed.'),
  })
  .meta({ id: 'DlqRecord' });
export type DlqRecord = z.infer<typeof DlqRecord>;
