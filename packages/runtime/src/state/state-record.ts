// What a record of the order-state topic may hold. Anyone able to write to the topic can put any bytes
// there, and every worker reads the whole topic at start: a record is read inside a guard, checked
// against the order state's schema (order-state.ts; a version 1 record is checked as before and
// upgraded), and skipped with a reason when it does not fit, so one bad record can neither stop a
// worker from starting nor put a value into an order that the code never writes.
import { OrderId } from '@paystream/contracts';
import { upgradeV1, StateRecordV1 } from './order-state-v1.ts';
import { ORDER_STATE_VERSION, OrderState } from './order-state.ts';

/** A real record is at most a few KiB: an order's references, method, charge, status and command bindings. */
export const MAX_STATE_RECORD_BYTES = 16 * 1024;

/**
 * Why a record was skipped; the `reason` label of paystream_state_records_skipped_total.
 * `future_version`: written by a newer runtime, in a version this one cannot read.
 */
export const STATE_SKIP_REASONS = ['key', 'oversize', 'not_json', 'schema', 'unknown_tombstone', 'future_version'] as const;
export type StateSkipReason = (typeof STATE_SKIP_REASONS)[number];

/** A record of the topic that was not applied: where it is and why, never what it held. */
export interface SkippedStateRecord {
  readonly partition: number;
  readonly offset: string;
  readonly reason: StateSkipReason;
}

/** A record read: its order and its state (version 2, upgraded when it was older), null for a tombstone; or why it was skipped. */
export type StateRead = { readonly orderId: string; readonly state: OrderState | null } | { readonly skip: StateSkipReason };

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
  const state = stateOf(parsed);
  return typeof state === 'string' ? { skip: state } : { orderId, state };
}

/**
 * The version 2 state a parsed record holds. A versioned record names its version with a number;
 * version 1 had none (its fields are all strings, so a reference named `v` is a string).
 */
function stateOf(parsed: unknown): OrderState | StateSkipReason {
  const version = parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as { v?: unknown }).v : undefined;
  if (typeof version === 'number' && Number.isSafeInteger(version) && version > ORDER_STATE_VERSION) return 'future_version';
  if (typeof version === 'number') {
    const record = OrderState.safeParse(parsed);
    return record.success ? record.data : 'schema';
  }
  const record = StateRecordV1.safeParse(parsed);
  return (record.success ? upgradeV1(record.data) : undefined) ?? 'schema';
}
