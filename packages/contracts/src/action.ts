// What the customer must do next, carried by `action_required` results as `data.action`. The kinds
// of contract 1.0 share one field set in which every field is optional; kinds added since require
// the fields they cannot be shown without. New kinds are minor versions (docs/contracts.md).
import { z } from 'zod';

const url = z.url();
const expiresAt = z.iso.datetime({ offset: true });
/** Steps the customer follows as printed, in order; a front end shows each one as a line. */
const Steps = z.array(z.string().min(1).max(500)).min(1);
/**
 * A field of other kinds, never set on this one. Declaring it lets code read `action.url` or
 * `action.instructions` without narrowing by kind first, as it could before kinds had own fields.
 */
const absent = () => z.never().optional();

export const STANDARD_ACTION_KINDS = ['deeplink', 'redirect', 'qr', 'virtual_account', 'three_ds'] as const;

export const StandardAction = z
  .strictObject({
    kind: z.enum(STANDARD_ACTION_KINDS),
    url: url.optional(),
    qrString: z.string().optional(),
    qrPngDataUrl: z.string().startsWith('data:image/png;base64,').optional(),
    vaNumber: z.string().optional(),
    bank: z.string().optional(),
    expiresAt: expiresAt.optional(),
    paymentCode: absent(),
    store: absent(),
    merchantId: absent(),
    instructions: absent(),
  })
  .meta({
    id: 'StandardAction',
    description:
      'The kinds of contract 1.0: a link to open (deeplink, redirect, three_ds), a QR to scan, or a virtual account to pay into.',
  });

export const PaymentCodeAction = z
  .strictObject({
    kind: z.literal('payment_code'),
    paymentCode: z.string().min(1).describe('The code the customer shows at the counter.'),
    store: z.string().min(1).describe('The store chain as Midtrans names it, lowercase: indomaret, alfamart.'),
    merchantId: z.string().min(1).optional().describe('Indomaret: the merchant id the cashier asks for, when Midtrans gives one.'),
    expiresAt: expiresAt.describe('When the code stops being accepted at the counter.'),
    instructions: Steps.optional(),
    url: absent(),
    qrString: absent(),
    qrPngDataUrl: absent(),
    vaNumber: absent(),
    bank: absent(),
  })
  .meta({ id: 'PaymentCodeAction', description: 'Pay in cash at a convenience store (Midtrans cstore) by showing a code.' });

export const InstructionsAction = z
  .strictObject({
    kind: z.literal('instructions'),
    instructions: Steps,
    url: url.optional().describe('A page with the same steps or where they start, when there is one.'),
    expiresAt: expiresAt.optional(),
    qrString: absent(),
    qrPngDataUrl: absent(),
    vaNumber: absent(),
    bank: absent(),
    paymentCode: absent(),
    store: absent(),
    merchantId: absent(),
  })
  .meta({ id: 'InstructionsAction', description: 'Steps the customer follows as printed, for a method no more specific kind fits.' });

export const CustomerAction = z
  .discriminatedUnion('kind', [StandardAction, PaymentCodeAction, InstructionsAction])
  .meta({ id: 'CustomerAction', description: 'What the customer must do next (only on action_required).' });

export type StandardAction = z.infer<typeof StandardAction>;
export type PaymentCodeAction = z.infer<typeof PaymentCodeAction>;
export type InstructionsAction = z.infer<typeof InstructionsAction>;
export type CustomerAction = z.infer<typeof CustomerAction>;
export type CustomerActionKind = CustomerAction['kind'];

/** Every kind of this version of the contract, in the order docs/contracts.md lists them. */
export const CUSTOMER_ACTION_KINDS: readonly CustomerActionKind[] = [...STANDARD_ACTION_KINDS, 'payment_code', 'instructions'];
