// Result events: CloudEvents 1.0 in structured JSON mode on `paystream.results` (key = orderId),
// signed by the worker (`paystreamsig`, `paystreamkid`).
import { hash } from 'node:crypto';
import { z } from 'zod';
import { CustomerAction } from './action.ts';
import { Amount, OrderId } from './command.ts';

export const PaymentStatus = z
  .enum(['action_required', 'pending', 'pending_review', 'succeeded', 'failed', 'expired', 'canceled', 'refunded'])
  .meta({ id: 'PaymentStatus' });
export type PaymentStatus = z.infer<typeof PaymentStatus>;

export const EVENT_TYPES = [...PaymentStatus.options.map((s) => `paystream.payment.${s}` as const), 'paystream.command.rejected'] as const;
export const EventType = z.enum(EVENT_TYPES).meta({ id: 'EventType' });

export const EncryptedField = z
  .strictObject({
    alg: z.literal('A256GCM'),
    kid: z.string().regex(/^[0-9a-f]{16}$/),
    iv: z.string().min(16),
    ct: z.string(),
    tag: z.string().min(22),
  })
  .meta({ id: 'EncryptedField', description: 'AES-256-GCM ciphertext of the JSON value; AAD is the field path inside data.' });
export type EncryptedField = z.infer<typeof EncryptedField>;

export const PaymentEventData = z
  .strictObject({
    orderId: OrderId,
    commandId: z.uuid(),
    method: z.string(),
    merchant: z.string().optional(),
    amount: Amount,
    status: PaymentStatus,
    midtrans: z
      .record(z.string(), z.string())
      .describe('Midtrans references (referenceNo, externalId, transactionId, …) and responseCode.'),
    verification: z.enum(['response', 'notification+inquiry', 'inquiry']),
    customerAuthentication: z.strictObject({ description: z.string(), factors: z.array(z.string()).min(1) }),
    action: CustomerAction.optional(),
    reason: z.string().optional(),
    customer: z.record(z.string(), EncryptedField).optional().describe('Customer contact fields, each encrypted.'),
  })
  .meta({ id: 'PaymentEventData' });

export const RejectedEventData = z
  .strictObject({
    orderId: OrderId.optional(),
    commandId: z.string().optional(),
    method: z.string().optional(),
    code: z.string().regex(/^PS_ERR_[A-Z0-9_]+$/),
    message: z.string(),
    topic: z.string(),
    partition: z.number().int().min(0),
    offset: z.string(),
  })
  .meta({ id: 'RejectedEventData' });

const envelope = {
  specversion: z.literal('1.0'),
  id: z.uuid(),
  source: z.string().min(1),
  subject: z.string().optional(),
  time: z.iso.datetime({ offset: true }),
  datacontenttype: z.literal('application/json'),
  traceparent: z
    .string()
    .regex(/^[0-9a-f]{2}-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$/)
    .optional(),
  paystreamkid: z.string().regex(/^[0-9a-f]{16}$/),
  paystreamsig: z.string().regex(/^[A-Za-z0-9_-]+$/),
};

export const PaymentEvent = z
  .strictObject({ ...envelope, type: z.enum(EVENT_TYPES.filter((t) => t !== 'paystream.command.rejected')), data: PaymentEventData })
  .meta({ id: 'PaymentEvent' });
export const RejectedEvent = z
  .strictObject({ ...envelope, type: z.literal('paystream.command.rejected'), data: RejectedEventData })
  .meta({ id: 'RejectedEvent' });
export const ResultEvent = z
  .discriminatedUnion('type', [RejectedEvent, PaymentEvent])
  .meta({ id: 'ResultEvent', description: 'A CloudEvents 1.0 result event on paystream.results.' });

export type PaymentEventData = z.infer<typeof PaymentEventData>;
export type RejectedEventData = z.infer<typeof RejectedEventData>;
export type PaymentEvent = z.infer<typeof PaymentEvent>;
export type RejectedEvent = z.infer<typeof RejectedEvent>;
export type ResultEvent = z.infer<typeof ResultEvent>;
export type UnsignedEvent = Omit<ResultEvent, 'paystreamsig' | 'paystreamkid'>;

/** A UUID with the version-5 layout over SHA-256 of its parts: the same parts, the same id. */
export function deterministicUuid(...parts: readonly string[]): string {
  const h = hash('sha256', parts.join('\u0000'), 'buffer');
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50;
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Event ids are deterministic, so a result published twice after a crash can be deduplicated. */
export const eventId = deterministicUuid;
