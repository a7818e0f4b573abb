// Version 1 of the order state: one flat object of strings mixing the runtime's fields with the
// plugins' references and the commandId bindings (`cmd_<key>`). Records of it stay on the compacted
// topic until their order changes again, so they are read, checked as before, and upgraded.
import { PaymentStatus } from '@paystream/contracts';
import { z } from 'zod';
import { FIELD_NAME, KEBAB, MAX_ENTRIES, MAX_VALUE_LENGTH, ORDER_STATE_VERSION, OrderState } from './order-state.ts';

/** Where version 1 kept a commandId binding: `cmd_` and the commandId's key. */
const V1_BINDING_PREFIX = 'cmd_';

const reference = z.string().max(256);

/** Every field a string under an identifier-like name. */
const Fields = z
  .record(z.string().regex(FIELD_NAME), z.string().max(MAX_VALUE_LENGTH))
  .refine((r) => Object.keys(r).length <= MAX_ENTRIES, `at most ${String(MAX_ENTRIES)} fields`);

/** The fields the runtime wrote, checked by what they are; the references plugins add vary by plugin. */
const KnownFields = z.object({
  method: z.string().regex(KEBAB).max(64).optional(),
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
  merchant: z.string().regex(KEBAB).max(64).optional(),
  referenceNo: reference.optional(),
  externalId: reference.optional(),
  partnerReferenceNo: reference.optional(),
});

export const StateRecordV1 = Fields.refine((r) => KnownFields.safeParse(r).success, 'a known field holds a value the runtime never writes');

/** The runtime's fields as version 1 held them: strings, numbers among them. */
const RUNTIME_STRINGS = ['status', 'method', 'merchant', 'chargeCommandId', 'expiresAt'] as const;
const RUNTIME_NUMBERS = ['amount', 'partition'] as const;
const RUNTIME = new Set<string>([...RUNTIME_STRINGS, ...RUNTIME_NUMBERS]);

/**
 * The version 2 state of a version 1 record: the runtime's fields converted, each binding into
 * `commands`, every other field into `references`. Undefined when the result does not pass the
 * version 2 schema (a binding under a key no commandId has).
 */
export function upgradeV1(fields: Readonly<Record<string, string>>): OrderState | undefined {
  const references: Record<string, string> = {};
  const commands: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name.startsWith(V1_BINDING_PREFIX)) commands[name.slice(V1_BINDING_PREFIX.length)] = value;
    else if (!RUNTIME.has(name)) references[name] = value;
  }
  const state: Record<string, unknown> = { v: ORDER_STATE_VERSION };
  for (const name of RUNTIME_STRINGS) if (fields[name] !== undefined) state[name] = fields[name];
  for (const name of RUNTIME_NUMBERS) if (fields[name] !== undefined) state[name] = Number(fields[name]);
  // Version 1 knew one currency only.
  if (state['amount'] !== undefined) state['currency'] = 'IDR';
  const upgraded = OrderState.safeParse({ ...state, references, commands });
  return upgraded.success ? upgraded.data : undefined;
}
