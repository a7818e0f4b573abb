// The reconciler: a notification can be lost (Midtrans gives up after its retries, the ingress was
// down, a network path failed), so every order still waiting for its outcome gets status inquiries
// with backoff until it reaches one. Only the worker that owns the order's command partition asks,
// in the order's key sequence, so inquiries never race the order's own commands. Its schedule is
// rebuilt from the order state topic at start and after each rebalance: nothing to store elsewhere.
// What it publishes is what Midtrans answered to an inquiry — never a guess.
import { MidtransError } from '@paystream/core';
import type { PaymentStatus } from '@paystream/contracts';
import type { KnownReferences, PaymentMethodPlugin } from '@paystream/plugin-sdk';
import type { Dispatcher } from '../dispatch/dispatcher.ts';
import type { OrderReferences } from '../state/order-references.ts';
import { inquirable, statusCommand } from '../state/status-command.ts';
import { mayFollow } from '../state/transitions.ts';
import { MinHeap } from './min-heap.ts';

const WAITING: ReadonlySet<string> = new Set<PaymentStatus>(['action_required', 'pending', 'pending_review']);

/** True for an order that still waits for its outcome and names the charge to ask about. */
export function awaitsOutcome(state: KnownReferences): boolean {
  return WAITING.has(state['status'] ?? '') && inquirable(state);
}

export interface ReconcilerOptions {
  readonly orders: Pick<OrderReferences, 'get' | 'entries' | 'onChange'>;
  readonly plugins: ReadonlyMap<string, PaymentMethodPlugin>;
  readonly dispatcher: Pick<Dispatcher, 'inquire' | 'publish'>;
  /** Whether this worker owns the order now (the partition its charge came from is assigned here). */
  readonly owns: (state: KnownReferences) => boolean;
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

interface Entry {
  readonly due: number;
  readonly orderId: string;
  readonly generation: number;
}

export class Reconciler {
  readonly #o: ReconcilerOptions;
  readonly #firstMs: number;
  readonly #maxMs: number;
  readonly #now: () => number;
  readonly #heap = new MinHeap<Entry>((a, b) => a.due - b.due);
  /** The live schedule: generation and attempt of each waiting order; heap entries of older generations are stale. */
  readonly #scheduled = new Map<string, { generation: number; attempt: number }>();
  #generation = 0;
  #active = 0;
  #timer: NodeJS.Timeout | undefined;
  #unsubscribe: (() => void) | undefined;
  #inquiries = 0;

  constructor(opts: ReconcilerOptions) {
    this.#o = opts;
    this.#firstMs = opts.firstMs ?? 30_000;
    this.#maxMs = Math.max(opts.maxMs ?? 300_000, this.#firstMs);
    this.#now = opts.now ?? Date.now;
  }

  /** Orders waiting for their outcome, owned here or not. */
  get waiting(): number {
    return this.#scheduled.size;
  }

  /** Inquiries sent since start. */
  get inquiries(): number {
    return this.#inquiries;
  }

  start(): void {
    this.#unsubscribe = this.#o.orders.onChange((orderId, state) => {
      if (awaitsOutcome(state)) this.#schedule(orderId, 0, this.#firstMs);
      else this.#scheduled.delete(orderId);
    });
    this.rescan();
    this.#timer = setInterval(() => this.#tick(), Math.max(10, Math.min(1_000, Math.floor(this.#firstMs / 4))));
    this.#timer.unref();
  }

  /**
   * Schedules every waiting order again, spread over the first delay: at start (the state was just
   * read back) and when partitions change owner (orders this worker now owns must not wait out a
   * backoff that belonged to their previous owner).
   */
  rescan(): void {
    for (const [orderId, state] of this.#o.orders.entries()) {
      if (awaitsOutcome(state)) this.#schedule(orderId, 0, Math.floor(Math.random() * this.#firstMs));
    }
  }

  stop(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#unsubscribe?.();
  }

  #delay(attempt: number): number {
    return Math.min(this.#maxMs, this.#firstMs * 2 ** Math.min(attempt, 20)) * (0.8 + Math.random() * 0.4);
  }

  #schedule(orderId: string, attempt: number, delayMs: number): void {
    const generation = ++this.#generation;
    this.#scheduled.set(orderId, { generation, attempt });
    this.#heap.push({ due: this.#now() + delayMs, orderId, generation });
  }

  #tick(): void {
    const concurrency = this.#o.concurrency ?? 16;
    const now = this.#now();
    while (this.#active < concurrency) {
      const top = this.#heap.peek();
      if (!top || top.due > now) return;
      this.#heap.pop();
      const live = this.#scheduled.get(top.orderId);
      if (live?.generation !== top.generation) continue;
      const state = this.#o.orders.get(top.orderId);
      if (!awaitsOutcome(state)) {
        this.#scheduled.delete(top.orderId);
        continue;
      }
      if (!this.#o.owns(state)) {
        this.#schedule(top.orderId, live.attempt + 1, this.#delay(live.attempt + 1));
        continue;
      }
      this.#active++;
      const run = this.#o.run ?? ((_id: string, task: () => Promise<void>) => task());
      void run(top.orderId, () => this.#inquire(top.orderId, live.attempt)).finally(() => this.#active--);
    }
  }

  async #inquire(orderId: string, attempt: number): Promise<void> {
    const state = this.#o.orders.get(orderId);
    const plugin = this.#o.plugins.get(state['method'] ?? '');
    const note = (outcome: string): void => this.#o.onEvent?.({ orderId, outcome });
    if (!plugin || !awaitsOutcome(state)) return;
    const command = statusCommand(orderId, state, plugin);
    try {
      this.#inquiries++;
      const update = await this.#o.dispatcher.inquire(plugin, command);
      if (update.amount !== undefined && update.amount !== command.amount.value) {
        note(`amount mismatch: ${String(update.amount)} ≠ ${String(command.amount.value)}`);
        this.#schedule(orderId, attempt + 1, this.#maxMs);
        return;
      }
      const current = state['status'] as PaymentStatus;
      if (update.status !== current && mayFollow(current, update.status)) {
        await this.#o.dispatcher.publish(command, plugin, update, { verification: 'inquiry' });
        note(update.status);
      } else note(`still ${current}`);
    } catch (err) {
      // Midtrans failing (or a defect in a plugin) must not end the schedule: the order is asked again.
      note(`inquiry failed: ${MidtransError.is(err) ? err.code : err instanceof Error ? err.message : String(err)}`);
    }
    // Publishing an outcome unschedules the order (onChange); anything else asks again later.
    if (awaitsOutcome(this.#o.orders.get(orderId)) && this.#scheduled.get(orderId)?.attempt === attempt) this.#schedule(orderId, attempt + 1, this.#delay(attempt + 1));
  }
}
