// Payment commands as upstream services publish them on `paystream.commands.<method>` (key =
// orderId). The schema is the type; method-specific `details` are validated by the plugin.
import { z } from 'zod';

/** The largest amount Midtrans' direct debit accepts (IDR 99,999,999,999). */
export const MAX_AMOUNT_IDR = 99_999_999_999;

export const OrderId = z
  .string()
  .regex(/^[A-Za-z0-9\-_~.]{1,50}$/, 'orderId: 1–50 characters of A-Z a-z 0-9 - _ ~ .')
  .meta({ id: 'OrderId', description: 'The merchant order id; Midtrans allows only these symbols.' });

export const Amount = z
  .strictObject({
    value: z
      .number()
      .int('amount.value is whole rupiah')
      .positive('amount.value must be positive')
      .max(MAX_AMOUNT_IDR, `amount.value must be at most ${String(MAX_AMOUNT_IDR)}`),
    currency: z.literal('IDR'),
  })
  .meta({ id: 'Amount', description: 'An amount in whole rupiah.' });

export const Customer = z
  .strictObject({
    firstName: z.string().max(255).optional(),
    lastName: z.string().max(255).optional(),
    email: z.email().optional(),
    phone: z
      .string()
      .regex(/^\+?\d{8,15}$/, 'customer.phone: 8–15 digits')
      .optional(),
  })
  .meta({ id: 'Customer' });

export const CommandType = z
  .enum(['payment.charge', 'payment.status', 'payment.cancel', 'payment.refund', 'payment.approve', 'payment.deny'])
  .meta({ id: 'CommandType' });

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const PaymentCommand = z
  .strictObject({
    commandId: z.uuid().describe('Idempotency key of the command; every Midtrans identifier derives from it.'),
    type: CommandType,
    method: z.string().regex(kebab, 'method is a kebab-case plugin id'),
    orderId: OrderId,
    merchant: z.string().regex(kebab, 'merchant is a kebab-case credential-set name').optional(),
    amount: Amount,
    customer: Customer.optional(),
    details: z.record(z.string(), z.unknown()).default({}),
    requestedAt: z.iso.datetime({ offset: true }),
  })
  .meta({ id: 'PaymentCommand', description: 'A payment command, consumed from paystream.commands.<method>.' });

export type PaymentCommand = z.infer<typeof PaymentCommand>;
export type Amount = z.infer<typeof Amount>;
export type Customer = z.infer<typeof Customer>;
export type CommandType = z.infer<typeof CommandType>;

/** The Kafka headers of a signed command: the id of the upstream key, and its Ed25519 signature over the value's exact bytes (standard base64). */
export const CommandHeaders = {
  keyId: 'paystream-key-id',
  signature: 'paystream-signature',
} as const;

export const topics = {
  commands: (method: string): string => `paystream.commands.${method}`,
  dlq: (method: string): string => `paystream.commands.${method}.dlq`,
  results: 'paystream.results',
  audit: 'paystream.audit',
} as const;
