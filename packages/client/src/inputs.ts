// The typed inputs of each command and the PaymentCommand they become: validated against the
// contract and the method's own details schema before anything is published, so that a command
// the worker would refuse is refused here, field by field.
import { randomUUID } from 'node:crypto';
import { PaymentCommand, type CommandType, type Customer } from '@paystream/contracts';
import type { z } from 'zod';
import { codes, PaystreamClientError, type InputProblem } from './errors.ts';
import { detailsSchemas, methodOperations } from './generated/details.ts';

export type Method = keyof typeof detailsSchemas;
export const METHODS = Object.keys(detailsSchemas) as readonly Method[];
export type Operation = 'charge' | 'status' | 'cancel' | 'refund' | 'approve' | 'deny';

/** The charge details of a method, as its plugin accepts them. */
export type ChargeDetails<M extends Method> = z.input<(typeof detailsSchemas)[M]>;

/** What every command names. */
export interface CommandInput<M extends Method = Method> {
  readonly method: M;
  readonly orderId: string;
  /** Whole rupiah: the order's amount, or for a refund the amount to refund. */
  readonly amount: number;
  /** The credential set, when the worker has several. */
  readonly merchant?: string;
  /** The idempotency key; a new UUID when absent. Send a retried command with the same one. */
  readonly commandId?: string;
}

export interface ChargeInput<M extends Method = Method> extends CommandInput<M> {
  readonly details: ChargeDetails<M>;
  readonly customer?: Customer;
}

const problemsOf = (error: z.ZodError, prefix: string): InputProblem[] =>
  error.issues.map((i) => ({ path: [prefix, ...i.path.map(String)].filter(Boolean).join('.'), message: i.message }));

function invalid(type: string, method: string, problems: readonly InputProblem[]): PaystreamClientError {
  const text = problems.map((p) => `${p.path || '(command)'}: ${p.message}`).join('; ');
  return new PaystreamClientError(codes.PS_ERR_CLIENT_INVALID_INPUT, { type, method, problems: text }, { problems });
}

function checkMethod(method: string, op: Operation): Method {
  if (!Object.hasOwn(detailsSchemas, method))
    throw new PaystreamClientError(codes.PS_ERR_CLIENT_UNKNOWN_METHOD, { method: method.slice(0, 64), known: METHODS.join(', ') });
  const m = method as Method;
  const ops: readonly string[] = methodOperations[m];
  if (!ops.includes(op)) throw invalid(`payment.${op}`, m, [{ path: 'type', message: `${m} supports ${ops.join(', ')}` }]);
  return m;
}

/** The command for `op`, or the error naming every problem of the input. */
export function buildCommand(op: Operation, input: CommandInput | ChargeInput): PaymentCommand {
  const type: CommandType = `payment.${op}`;
  const method = checkMethod(input.method, op);
  const charge = op === 'charge' ? (input as ChargeInput) : undefined;
  const problems: InputProblem[] = [];
  if (charge) {
    const details = detailsSchemas[method].safeParse(charge.details);
    if (!details.success) problems.push(...problemsOf(details.error, 'details'));
  }
  const command = PaymentCommand.safeParse({
    commandId: input.commandId ?? randomUUID(),
    type,
    method,
    orderId: input.orderId,
    ...(input.merchant === undefined ? {} : { merchant: input.merchant }),
    amount: { value: input.amount, currency: 'IDR' },
    ...(charge?.customer ? { customer: charge.customer } : {}),
    details: charge?.details ?? {},
    requestedAt: new Date().toISOString(),
  });
  if (!command.success) problems.push(...problemsOf(command.error, ''));
  if (problems.length > 0 || !command.success) throw invalid(type, method, problems);
  return command.data;
}
