// What the runtime knows of one order, as one typed value: its own facts (status, charge, expiry) apart
// from the Midtrans references the plugins return and read, and from the commandIds bound to it. Kept
// apart, a plugin reference named `amount` or `status` can never overwrite the runtime's own field.
// Records carry their schema version `v`; a record of version 1 — a flat object of strings, written
// before the state was typed — is read and upgraded (see order-state-v1.ts).
import { PaymentStatus } from '@paystream/contracts';
import { z } from 'zod';

/** The version of the order state this runtime writes. */
export const ORDER_STATE_VERSION = 2;

/** Most entries in each map of an order: a real order holds a dozen references and at most 24 commands. */
export const MAX_ENTRIES = 64;
export const MAX_VALUE_LENGTH = 1024;
/** The largest amount a state may hold: fifteen digits, as version 1 allowed. */
const MAX_AMOUNT = 999_999_999_999_999;

/** References under which Midtrans notifications may name an order instead of its order id. */
export const LOOKUP_KEYS = ['referenceNo', 'externalId', 'partnerReferenceNo'] as const;
const MAX_LOOKUP_LENGTH = 256;

/** Methods and merchants: lower-case kebab. */
export const KEBAB = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** An identifier-like name; `__proto__` and other names the code never writes fail it, so none is set as a prototype. */
export const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

const capped = (r: Readonly<Record<string, string>>): boolean => Object.keys(r).length <= MAX_ENTRIES;

/** The Midtrans references of an order: what plugins return in an update and see as `ctx.references`. */
const References = z
  .record(z.string().regex(FIELD_NAME), z.string().max(MAX_VALUE_LENGTH))
  .refine(capped, `at most ${String(MAX_ENTRIES)} references`)
  .refine((r) => LOOKUP_KEYS.every((k) => (r[k]?.length ?? 0) <= MAX_LOOKUP_LENGTH), 'a lookup reference is too long');

/** The commandIds bound to the order (a commandId's key, see state-merge.ts) and their command's fingerprint. */
const Commands = z
  .record(z.string().regex(/^[0-9a-f]{32}$/), z.string().regex(/^[A-Za-z0-9_-]{1,64}$/))
  .refine(capped, `at most ${String(MAX_ENTRIES)} commands`);

const dateTime = z.iso.datetime({ offset: true });

/** Statuses of an order still waiting for its outcome: the reconciler asks Midtrans about these. */
const WAITING_STATUSES: ReadonlySet<PaymentStatus> = new Set(['action_required', 'pending', 'pending_review'] as const);

/** True while the order waits for its outcome (WAITING_STATUSES). */
export const isWaiting = (state: Pick<OrderState, 'status'>): boolean => state.status !== undefined && WAITING_STATUSES.has(state.status);

export const OrderState = z.strictObject({
  v: z.literal(ORDER_STATE_VERSION),
  status: PaymentStatus.optional(),
  /** Integer rupiah charged. */
  amount: z.number().int().min(0).max(MAX_AMOUNT).optional(),
  currency: z.literal('IDR').optional(),
  method: z.string().regex(KEBAB).max(64).optional(),
  merchant: z.string().regex(KEBAB).max(64).optional(),
  chargeCommandId: z.string().min(1).max(128).optional(),
  /** The command-topic partition the charge came from: whoever owns it reconciles the order. */
  partition: z.number().int().min(0).max(999_999).optional(),
  /** When the customer's action (payment page, QR, VA) expires. */
  expiresAt: dateTime.optional(),
  /** When the status last changed; retention counts from it. */
  statusAt: dateTime.optional(),
  references: References,
  commands: Commands,
});
export type OrderState = z.infer<typeof OrderState>;

/** What a change brings to an order: any of its fields; the maps add to the order's. */
export type OrderChange = Partial<Omit<OrderState, 'v'>> & { readonly v?: typeof ORDER_STATE_VERSION };

/** The runtime's own fields of an order, apart from the version and the two maps. */
export const RUNTIME_FIELDS = [
  'status',
  'amount',
  'currency',
  'method',
  'merchant',
  'chargeCommandId',
  'partition',
  'expiresAt',
  'statusAt',
] as const satisfies readonly (keyof OrderState)[];

/** The state of an order nothing is known of yet. */
export const emptyOrderState = (): OrderState => ({ v: ORDER_STATE_VERSION, references: {}, commands: {} });
