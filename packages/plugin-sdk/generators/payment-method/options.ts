// The generator's options as a zod schema: Nx hands over what the command line said (or what its
// prompts asked), and a mistake must read as a sentence about that option, not as a schema dump.
// Nothing that differs between payment methods has a default: a missing fact is refused by name.
import { z } from 'zod';
import { contractActionKinds } from './action-kinds.ts';
import { AUTH_ROWS, AUTH_TABLE, MIN_FACTORS } from './auth-table.ts';
import { parseDuration, type Duration } from './duration.ts';

/** The operations a generated plugin can start with; approve/deny belong to card flows written by hand. */
export const GENERATED_OPERATIONS = ['charge', 'status', 'cancel', 'refund'] as const;
export type GeneratedOperation = (typeof GENERATED_OPERATIONS)[number];

/** Stricter than the SDK's kebab-case: the id also becomes `<camel>Plugin`, so it must start with a letter. */
const METHOD_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
/** Midtrans' Core API payment types are snake_case: `cstore`, `bank_transfer`. */
const PAYMENT_TYPE = /^[a-z][a-z0-9]*(?:_[a-z0-9]+)*$/;

/** "is missing" for an option a prompt would have asked, saying what to pass instead. */
const missing = (flag: string, how: string) => ({
  error: (issue: { input: unknown }) => (issue.input === undefined ? `${flag} is missing: ${how}` : `${flag} must be text, ${how}`),
});

/** Comma-separated text (or the list a prompt gave), trimmed, empty entries dropped. */
const list = (flag: string, how: string) =>
  z
    .union([z.string(), z.array(z.string())], missing(flag, how))
    .transform((v) => (Array.isArray(v) ? v : v.split(',')).map((s) => s.trim()).filter(Boolean));

const OPS_HOW = `pass --ops with some of ${GENERATED_OPERATIONS.join(', ')}, e.g. --ops=charge,status,cancel (status is always added)`;
const Operations = list('--ops', OPS_HOW)
  .pipe(
    z
      .array(
        z.enum(GENERATED_OPERATIONS, {
          error: (issue) => `unknown operation "${String(issue.input)}": choose among ${GENERATED_OPERATIONS.join(', ')}`,
        }),
      )
      .min(1, { error: `--ops names no operation: ${OPS_HOW}` }),
  )
  // `status` is mandatory (the reconciler and the notification ingress call it), so it is always added.
  .transform((ops) => GENERATED_OPERATIONS.filter((op) => op === 'status' || ops.includes(op)));

/** The action kind, checked against the contracts' kinds as they are when the generator runs. */
function actionKind(action: string | undefined): string {
  const kinds = contractActionKinds();
  if (action === undefined || action === '')
    throw new Error(`--action is missing: pass the kind of customer action an accepted charge answers with, one of ${kinds.join(', ')}`);
  if (!kinds.includes(action))
    throw new Error(`--action=${action} is not a customer action kind of the contracts: choose among ${kinds.join(', ')}`);
  return action;
}

const Factors = list('--factors', 'pass --auth=<row> or --factors').refine((f) => f.length >= MIN_FACTORS, {
  message: `--factors must name at least ${String(MIN_FACTORS)} customer-authentication factors (BI-SNAP requires two), e.g. --factors="PIN,device possession"`,
});

const PendingTimeout = z
  .string(
    missing(
      '--pending-timeout',
      'pass how long a charge may stay pending before it should have expired, e.g. --pending-timeout=15m, 24h or 7d',
    ),
  )
  .transform((text, ctx): Duration => {
    const duration = parseDuration(text);
    if (duration) return duration;
    ctx.addIssue({
      code: 'custom',
      message: `--pending-timeout=${text} is not a duration: write a whole number and s, m, h or d, e.g. 15m, 24h, 7d`,
    });
    return z.NEVER;
  });

const Raw = z.strictObject({
  name: z.string({ error: 'name the method, e.g. npm run plugin:new -- ovo' }).regex(METHOD_ID, {
    error: (issue) => `"${String(issue.input)}" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja`,
  }),
  api: z.enum(['snap', 'core'], {
    error: (issue) =>
      issue.input === undefined
        ? '--api is missing: pass --api=snap (BI-SNAP) or --api=core (Core API v2)'
        : `--api must be snap (BI-SNAP) or core (Core API v2), not ${JSON.stringify(issue.input)}`,
  }),
  ops: Operations,
  action: z.string().optional(),
  // An empty answer to a prompt says "not this one": the other way of naming the factors is used.
  auth: z.string().optional(),
  factors: z.union([z.string(), z.array(z.string())]).optional(),
  pendingTimeout: PendingTimeout,
  paymentType: z.string().optional(),
});

/** The customer authentication a plugin declares: a row of the table, or the factors given. */
function customerAuthentication(auth: string | undefined, factors: string | readonly string[] | undefined, title: string) {
  const given = factors !== undefined && factors !== '' && factors.length > 0;
  const row = auth === undefined || auth === '' || auth === 'none' ? undefined : auth;
  if (row !== undefined && given) throw new Error('give either --auth=<row> or --factors, not both');
  if (row !== undefined) {
    const found = AUTH_TABLE.find((r) => r.row === row);
    if (!found)
      throw new Error(`--auth=${row} is not a row of the BI-SNAP end-customer authentication table: choose among ${AUTH_ROWS.join(', ')}`);
    return { description: found.description, factors: found.factors, row: found.row };
  }
  if (!given)
    throw new Error(
      `--auth or --factors is missing: pass --auth with a row of the BI-SNAP end-customer authentication table (${AUTH_ROWS.join(', ')}) or --factors="<factor>,<factor>"`,
    );
  const parsed = Factors.safeParse(factors);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => i.message).join('; '));
  return { description: `${title}: the customer authenticates with ${parsed.data.join(' + ')}`, factors: parsed.data, row: undefined };
}

export type PaymentMethodOptions = z.input<typeof Raw>;

export interface NormalizedOptions {
  readonly name: string;
  readonly api: 'snap' | 'core';
  readonly ops: readonly GeneratedOperation[];
  /** The contracts' CustomerAction kind the charge answers with. */
  readonly action: string;
  readonly customerAuthentication: { readonly description: string; readonly factors: readonly string[]; readonly row: string | undefined };
  readonly pendingTimeout: Duration;
  /** Core API only: Midtrans' `payment_type`. */
  readonly paymentType: string | undefined;
}

const messages = (error: z.ZodError): string => error.issues.map((i) => i.message).join('; ');

function paymentTypeOf(api: 'snap' | 'core', paymentType: string | undefined): string | undefined {
  if (api === 'snap') {
    if (paymentType !== undefined && paymentType !== '')
      throw new Error('--payment-type is for --api=core only: a BI-SNAP method is named by its paths and pay method');
    return undefined;
  }
  if (paymentType === undefined || paymentType === '')
    throw new Error("--payment-type is missing: --api=core needs Midtrans' Core API payment_type, e.g. --payment-type=cstore or akulaku");
  if (!PAYMENT_TYPE.test(paymentType))
    throw new Error(
      `--payment-type=${paymentType} is not a Core API payment_type: use snake_case as Midtrans does, e.g. cstore or bank_transfer`,
    );
  return paymentType;
}

/** Parses the options, throwing one readable message: every problem of the first options read, else the first later one. */
export function normalizeOptions(raw: unknown): NormalizedOptions {
  const parsed = Raw.safeParse(raw);
  if (!parsed.success) throw new Error(`payment-method: ${messages(parsed.error)}`);
  const { name, api, ops, action, auth, factors, pendingTimeout, paymentType } = parsed.data;
  try {
    const title = name.replace(/(^|-)([a-z0-9])/g, (_m: string, _d: string, c: string) => c.toUpperCase());
    return {
      name,
      api,
      ops,
      action: actionKind(action),
      customerAuthentication: customerAuthentication(auth, factors, title),
      pendingTimeout,
      paymentType: paymentTypeOf(api, paymentType),
    };
  } catch (err) {
    throw new Error(`payment-method: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
