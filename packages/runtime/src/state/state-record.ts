// What a record of the order-state topic may hold. Anyone able to write to the topic can put any bytes
// there, and every worker reads the whole topic at start: a record is read inside a guard, checked
// against this schema, and skipped with a reason when it does not fit, so one bad record can neither
// stop a worker from starting nor put a value into an order that the code never writes.
import { OrderId, PaymentStatus } from '@paystream/contracts';
import type { KnownReferences } from '@paystream/plugin-sdk';
import { z } from 'zod';

/** A real record is at most a few KiB: an order's references, method, charge, status and command bindings. */
export const MAX_STATE_RECORD_BYTES = 16 * 1024;
const MAX_FIELDS = 64;
const MAX_VALUE_LENGTH = 1024;

const kebab = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const reference = z.string().max(256);

/** Every field is a string under an identifier-like name (a `__proto__` field is left out, never set as a prototype). */
const Fields = z
  .record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/), z.string().max(MAX_VALUE_LENGTH))
  .refine((r) => Object.keys(r).length <= MAX_FIELDS, `at most ${String(MAX_FIELDS)} fields`);

/** The fields the runtime writes, checked by what they are; the references plugins add vary by plugin. */
const KnownFields = z.object({
  method: z.string().regex(kebab).max(64).optional(),
  chargeCommandId: z.string().min(1).max(128).optional(),
  amount: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  status: PaymentStatus.optional(),
  partition: z
    .string()
    .regex(/^\d{1,6}$/)
    .optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  merchant: z.string().regex(kebab).max(64).optional(),
  referenceNo: reference.optional(),
  externalId: reference.optional(),
  partnerReferenceNo: reference.optional(),
});

export const StateRecord = Fields.refine((r) => KnownFields.safeParse(r).success, 'a known field holds a value the runtime never writes');

/** Why a record was skipped; the `reason` label of paystream_state_records_skipped_total. */
export const STATE_SKIP_REASONS = ['key', 'oversize', 'not_json', 'schema', 'unknown_tombstone'] as const;
export type StateSkipReason = (typeof STATE_SKIP_REASONS)[number];

export type StateRead = { readonly orderId: string; readonly state: KnownReferences | null } | { readonly skip: StateSkipReason };

const utf8 = new TextDecoder('utf-8', { fatal: true });

function text(bytes: Buffer): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}

function json(value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Reads one record of the topic; never throws. A null value is a tombstone (`state: null`). */
export function readStateRecord(key: Buffer | null, value: Buffer | null): StateRead {
  const orderId = key && key.length <= 256 ? text(key) : undefined;
  if (orderId === undefined || !OrderId.safeParse(orderId).success) return { skip: 'key' };
  if (value === null) return { orderId, state: null };
  if (value.length > MAX_STATE_RECORD_BYTES) return { skip: 'oversize' };
  const decoded = text(value);
  const parsed = decoded === undefined ? undefined : json(decoded);
  if (parsed === undefined) return { skip: 'not_json' };
  const record = StateRecord.safeParse(parsed);
  return record.success ? { orderId, state: record.data } : { skip: 'schema' };
}
