// The generator's options as a zod schema: Nx hands over what the command line said, and a mistake
// must read as a sentence about the method id or the operations, not as a schema dump.
import { z } from 'zod';

/** The operations a generated plugin can start with; approve/deny belong to card flows written by hand. */
export const GENERATED_OPERATIONS = ['charge', 'status', 'cancel', 'refund'] as const;
export type GeneratedOperation = (typeof GENERATED_OPERATIONS)[number];

/** Stricter than the SDK's kebab-case: the id also becomes `<camel>Plugin`, so it must start with a letter. */
const METHOD_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const Operations = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((op) => op.trim())
      .filter(Boolean),
  )
  .pipe(
    z.array(
      z.enum(GENERATED_OPERATIONS, {
        error: (issue) => `unknown operation "${String(issue.input)}": choose among ${GENERATED_OPERATIONS.join(', ')}`,
      }),
    ),
  )
  // `status` is mandatory (the reconciler and the notification ingress call it), so it is always added.
  .transform((ops) => GENERATED_OPERATIONS.filter((op) => op === 'status' || ops.includes(op)));

export const PaymentMethodOptions = z.strictObject({
  name: z.string({ error: 'name the method, e.g. npm run plugin:new -- ovo' }).regex(METHOD_ID, {
    error: (issue) => `"${String(issue.input)}" is not a method id: use kebab-case starting with a letter, e.g. ovo or link-aja`,
  }),
  api: z
    .enum(['snap', 'core'], { error: (issue) => `--api must be snap (BI-SNAP) or core (Core API v2), not "${String(issue.input)}"` })
    .default('snap'),
  ops: Operations.default(['charge', 'status', 'cancel', 'refund']),
});
export type PaymentMethodOptions = z.input<typeof PaymentMethodOptions>;
export type NormalizedOptions = z.output<typeof PaymentMethodOptions>;

/** Parses the options, throwing one readable message per problem. */
export function normalizeOptions(raw: unknown): NormalizedOptions {
  const parsed = PaymentMethodOptions.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw new Error(`payment-method: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
}
