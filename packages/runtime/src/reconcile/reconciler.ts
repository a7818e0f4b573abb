// The reconciler: a notification can be lost (Midtrans gives up after its retries, the ingress was
// down, a network path failed), so every order still waiting for its outcome gets status inquiries
// with backoff until it reaches one. Only the worker that owns the order's command partition asks,
// in the order's key sequence, so inquiries never race the order's own commands. Its schedule lives
// beside the order state in the worker's local index, by command partition, and is rebuilt from the
// order state at start: a backlog of a million waiting orders costs disk rows, not heap.
// What it publishes is what Midtrans answered to an inquiry — never a guess.
import { MidtransError } from '@paystream/core';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { amountMismatch } from '../dispatch/amount-check.ts';
import type { OrderUpdatesApi, UpdatesOption } from '../dispatch/order-updates.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { isWaiting, type OrderState } from '../state/order-state.ts';
import type { OrderSchedule } from '../state/order-store.ts';
import { inquirable, statusCommand } from '../state/status-command.ts';
import { mayFollow } from '../state/transitions.ts';
import { reconcileSpan } from '../tracing/spans.ts';

/** True for an order that still waits for its outcome and names the charge to ask about. */
export function awaitsOutcome(state: OrderState): boolean {
  return isWaiting(state) && inquirable(state);
}

export type ReconcilerOptions = ReconcilerSettings & UpdatesOption;

export interface ReconcilerSettings {
  readonly orders: Pick<OrderReferences, 'get' | 'waiting' | 'onChange'> & { readonly schedule: OrderSchedule };
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  /** The command partitions this worker owns now, by method: it asks about the orders charged there. */
  readonly owned: () => Iterable<{ readonly method: string; readonly partition: number }>;
  /** Runs an inquiry in the order's key sequence (the consumer's `submit`); directly when absent. */
  readonly run?: (orderId: string, task: () => Promise<void>) => Promise<void>;
  /** Delay before an order's first inquiry after its last change (ms). */
  readonly firstMs?: number;
  /** Cap of the backoff between inquiries (ms). */
  readonly maxMs?: number;
  /** Inquiries in flight at most. */
  readonly concurrency?: number;
  readonly onEvent?: (e: { readonly orderId: string; readonly outcome: string }) => void;
  readonly now?: () => number;
}

/** Orders charged before partitions were recorded belong to whoever owns partition 0. */
const partitionOf = (state: OrderState): number => state.partition ?? 0;

/** Most due orders looked at in one tick, so that a tick never holds the event loop for long. */
const TICK_ROWS = 1_000;

/** How long after an order should have expired it is asked about, whatever its backoff: its expiry notification may be lost. */
export const EXPIRY_GRACE_MS = 60_000;

/**
 * When the order should have ended at the latest: the expiry Midtrans gave its customer action, else
 * the moment it began waiting plus its method's `pendingTimeoutMs`.
 */
export function expectedEnd(state: OrderState, plugin: Pick<PaymentMethodPlugin, 'pendingTimeoutMs'> | undefined): number | undefined {
  const expires = state.expiresAt === undefined ? NaN : Date.parse(state.expiresAt);
  if (Number.isFinite(expires)) return expires;
  const since = state.statusAt === undefined ? NaN : Date.parse(state.statusAt);
  return plugin && Number.isFinite(since) ? since + plugin.pendingTimeoutMs : undefined;
}

export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #schedule: OrderSchedule;
  readonly #updates: OrderUpdatesApi;
  readonly #firstMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  #active = 0;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #inquiries = 0;
  #running = false;

  constructor(opts: ReconcilerOptions) {
    this.#o = opts;
    this.#schedule = opts.orders.schedule;
    this.#updates = opts.updates;
    this.#firstMs = opts.firstMs ?? 30_000;
    this.#maxMs = Math.max(opts.maxMs ?? 300_000, this.#firstMs);
    this.#now = opts.now ?? Date.now;
  }

  /** Orders waiting for their outcome, owned here or not. */
  get waiting(): number {
    return this.#schedule.size;
  }

  /** Inquiries sent since start. */
  get inquiries(): number {
    return this.#inquiries;
  }

  /** Follows every change from now on; the orders already held are scheduled once `scanAfter` settles (the worker ready). */
  start(scanAfter: Promise<unknown> = Promise.resolve()): void {
    this.#running = true;
    this.#unsubscribe = this.#o.orders.onChange((orderId, state) => {
      if (awaitsOutcome(state)) this.#set(orderId, state, 0, this.#untilAsked(state, this.#firstMs));
      else this.#schedule.delete(orderId);
    });
    void scanAfter.then(() => this.#build());
    this.#timer = setInterval(() => this.#tick(), Math.max(10, Math.min(1_000, Math.floor(this.#firstMs / 4))));
    this.#timer.unref();
  }

  /**
   * Called when partitions change owner. The schedule is kept by partition and only the owned ones
   * are read, so orders this worker now owns are due at once unless it asked about them itself —
   * they never wait out a backoff that belonged to their previous owner. It only ticks early.
   */
  rescan(): void {
    if (this.#running) setImmediate(() => this.#tick());
  }

  stop(): void {
    this.#running = false;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
  }

  /**
   * Schedules every waiting order the order state holds at start, spread over the first delay, a
   * page at a time so that a large state never holds the event loop. Only waiting orders are read:
   * the ended ones, nearly all of a large state, would make a warm restart grow with the business.
   */
  async #build(): Promise<void> {
    let n = 0;
    for (const [orderId, state] of this.#o.orders.waiting()) {
      if (!this.#running) return;
      if (awaitsOutcome(state) && this.#schedule.attempt(orderId) === undefined)
        this.#set(orderId, state, 0, Math.floor(Math.random() * this.#firstMs));
      if (++n % 1_000 === 0) await new Promise((r) => setImmediate(r));
    }
  }

  #delay(attempt: number): number {
    return Math.min(this.#maxMs, this.#firstMs * 2 ** Math.min(attempt, 20)) * (0.8 + Math.random() * 0.4);
  }

  /** The delay, shortened so that the order is asked once its expected end (plus the grace) has passed. */
  #untilAsked(state: OrderState, delayMs: number): number {
    const end = expectedEnd(state, this.#o.plugins.get(state.method ?? ''));
    const untilEnd = end === undefined ? Infinity : end + EXPIRY_GRACE_MS - this.#now();
    return untilEnd > 0 ? Math.min(delayMs, untilEnd) : delayMs;
  }

  #set(orderId: string, state: OrderState, attempt: number, delayMs: number): void {
    this.#schedule.set(orderId, { method: state.method ?? '', partition: partitionOf(state), due: this.#now() + delayMs, attempt });
  }

  #tick(): void {
    if (!this.#running) return;
    const concurrency = this.#o.concurrency ?? 16;
    const now = this.#now();
    let rows = 0;
    for (const { method, partition } of this.#o.owned()) {
      while (this.#active < concurrency && rows < TICK_ROWS) {
        const due = this.#schedule.due(method, partition, now, concurrency - this.#active);
        if (due.length === 0) break;
        rows += due.length;
        for (const entry of due) this.#dispatch(entry.orderId, entry.attempt);
      }
      if (this.#active >= concurrency || rows >= TICK_ROWS) return;
    }
  }

  #dispatch(orderId: string, attempt: number): void {
    const state = this.#o.orders.get(orderId);
    if (!awaitsOutcome(state)) {
      this.#schedule.delete(orderId);
      return;
    }
    // Out of the due range while it is asked; the inquiry schedules the next attempt. Should it never
    // finish, the order comes due again after the longest delay.
    this.#set(orderId, state, attempt, this.#maxMs);
    this.#active++;
    const run = this.#o.run ?? ((_id: string, task: () => Promise<void>) => task());
    void run(orderId, () => reconcileSpan(orderId, attempt, () => this.#inquire(orderId, attempt))).finally(() => this.#active--);
  }

  async #inquire(orderId: string, attempt: number): Promise<void> {
    const state = this.#o.orders.get(orderId);
    const plugin = this.#o.plugins.get(state.method ?? '');
    const note = (outcome: string): void => this.#o.onEvent?.({ orderId, outcome });
    if (!plugin || !awaitsOutcome(state) || !state.status) return;
    const command = statusCommand(orderId, state, plugin);
    try {
      this.#inquiries++;
      const update = await this.#updates.inquire(plugin, command);
      const wrong = amountMismatch(update, command.amount);
      if (wrong) {
        note(wrong);
        this.#set(orderId, state, attempt + 1, this.#maxMs);
        return;
      }
      const current = state.status;
      if (update.status !== current && mayFollow(current, update.status)) {
        await this.#updates.publish(command, plugin, update, { verification: 'inquiry' });
        note(update.status);
      } else {
        // Past its expected end and still waiting: Midtrans has not expired it as the method says it would.
        const end = expectedEnd(state, plugin);
        note(end !== undefined && this.#now() >= end + EXPIRY_GRACE_MS ? `overdue: still ${current}` : `still ${current}`);
      }
    } catch (err) {
      // Midtrans failing (or a defect in a plugin) must not end the schedule: the order is asked again.
      note(`inquiry failed: ${MidtransError.is(err) ? err.code : err instanceof Error ? err.message : String(err)}`);
    }
    // Publishing an outcome unschedules the order (onChange); anything else asks again later.
    const now = this.#o.orders.get(orderId);
    if (awaitsOutcome(now) && this.#schedule.attempt(orderId) === attempt)
      this.#set(orderId, now, attempt + 1, this.#untilAsked(now, this.#delay(attempt + 1)));
  }
}
