// The arguments of `paystream events …`: times, the order, the method, the group and the actor, each
// checked before anything connects. A refused value is never repeated back (it may be pasted secret).
import { OrderId } from '@paystream/contracts';
import { z } from 'zod';
import { UsageError } from '../args.ts';

type Values = Record<string, string | boolean | string[] | undefined>;

const Time = z.iso.datetime({ offset: true });
/** Printable ASCII without spaces: what Kafka tools and ACL prefixes handle without quoting. */
const GROUP = /^[\x21-\x7e]{1,249}$/;
const METHOD = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
/** Letters of any script, digits, spaces and the punctuation of names and e-mail addresses. */
const ACTOR = /^[\p{L}\p{N}][\p{L}\p{N} ._@+'-]{0,199}$/u;

const text = (values: Values, name: string): string | undefined => {
  const v = values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v === '') throw new UsageError(`--${name} needs a value`);
  return v;
};

/** `--NAME` as epoch ms: an RFC 3339 time with its offset, e.g. 2026-05-01T10:00:00+07:00 or …Z. */
export function timeOption(values: Values, name: string): number | undefined {
  const raw = text(values, name);
  if (raw === undefined) return undefined;
  if (!Time.safeParse(raw).success) throw new UsageError(`--${name} is an RFC 3339 time with its offset, e.g. 2026-05-01T10:00:00+07:00`);
  return Date.parse(raw);
}

export function orderOption(values: Values): string | undefined {
  const raw = text(values, 'order');
  if (raw !== undefined && !OrderId.safeParse(raw).success) throw new UsageError('--order is not an order id (see PaymentCommand.orderId)');
  return raw;
}

export function methodOption(values: Values): string | undefined {
  const raw = text(values, 'method');
  if (raw !== undefined && !METHOD.test(raw)) throw new UsageError('--method is a kebab-case plugin id, e.g. gopay');
  return raw;
}

/** `--actor`: who the audit names instead of user@host, e.g. the operator's name or ticket handle. */
export function actorOption(values: Values): string | undefined {
  const raw = text(values, 'actor');
  if (raw !== undefined && !ACTOR.test(raw))
    throw new UsageError("--actor is a name of at most 200 letters, digits, spaces and . _ @ + ' -, starting with a letter or digit");
  return raw;
}

export function groupArgument(group: string | undefined): string {
  if (group === undefined)
    throw new UsageError('name the consumer group, e.g. paystream events reset-group ledger.results --to-time 2026-05-01T00:00:00Z');
  if (!GROUP.test(group)) throw new UsageError('a consumer group name here is 1 to 249 printable ASCII characters without spaces');
  return group;
}

/** The span of `--from`/`--to`, both or neither; the start before the end. */
export function rangeOption(values: Values): { fromMs: number; toMs: number } | undefined {
  const fromMs = timeOption(values, 'from');
  const toMs = timeOption(values, 'to');
  if (fromMs === undefined && toMs === undefined) return undefined;
  if (fromMs === undefined || toMs === undefined) throw new UsageError('--from and --to go together: the start and the end of the period');
  if (fromMs >= toMs) throw new UsageError('--from must be before --to');
  return { fromMs, toMs };
}
