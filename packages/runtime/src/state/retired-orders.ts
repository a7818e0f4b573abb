// How an order leaves the state once its retention is over: a tombstone on the order-state topic,
// acknowledged by every in-sync replica, naming when it left (header `paystream-retired-at`); then
// the order, its references and its schedule are deleted from the local index and its id remembered
// as retired. Every reader of the topic does the same with the tombstones it reads, so each index of
// the fleet ends up without the order but knowing it left: a late command for it is refused, never
// taken for a new order. Compaction keeps a tombstone for the topic's `delete.retention.ms`, which is
// how long a fresh index can still learn the id (docs/runtime.md, "Retention").
import type { IHeaders } from 'kafkajs';
import type { Publisher } from '../kafka/publisher.ts';
import type { OrderState } from './order-state.ts';
import type { RetainedOrders, RetentionCutoffs } from './retained-orders.ts';
import { referencesOf } from './state-merge.ts';

/** The header of a retirement's tombstone: when the order left the state (ISO 8601). */
export const RETIRED_AT_HEADER = 'paystream-retired-at';

/** What retirement needs of the local index. */
export interface RetiringStore {
  get(orderId: string): OrderState | undefined;
  delete(orderId: string, references: readonly string[]): void;
  readonly retained: RetainedOrders;
}

/** When a tombstone says its order left the state (epoch ms); undefined for a plain tombstone or an unreadable time. */
export function retiredAtOf(headers: IHeaders | undefined): number | undefined {
  const value = headers?.[RETIRED_AT_HEADER];
  if (value === undefined || Array.isArray(value)) return undefined;
  const text = value.toString();
  const at = text.length <= 64 ? Date.parse(text) : Number.NaN;
  return Number.isFinite(at) ? at : undefined;
}

export class RetiredOrders {
  readonly #store: RetiringStore;
  readonly #publisher: Publisher;
  readonly #topic: string;
  readonly #headers: Readonly<Record<string, string>>;

  /** `headers`: what names the writer on its records, so that its reader skips its own tombstones (applied at ack time). */
  constructor(store: RetiringStore, publisher: Publisher, topic: string, headers: Readonly<Record<string, string>> = {}) {
    this.#store = store;
    this.#publisher = publisher;
    this.#topic = topic;
    this.#headers = headers;
  }

  /**
   * Takes the order out of the state: its tombstone first (acks=all), then the local index. Returns
   * the state it had, or undefined when it was not known (nothing is written then).
   */
  async retire(orderId: string, at = Date.now()): Promise<OrderState | undefined> {
    const state = this.#store.get(orderId);
    if (!state) return undefined;
    const when = new Date(at).toISOString();
    await this.#publisher.send([
      { topic: this.#topic, key: orderId, value: null, headers: { ...this.#headers, [RETIRED_AT_HEADER]: when } },
    ]);
    this.#leave(orderId, state, at);
    return state;
  }

  /**
   * A tombstone read from the topic: the order is deleted, and remembered as retired when the tombstone
   * says when it left. False when it named no known order and no retirement (a record to skip).
   */
  read(orderId: string, headers: IHeaders | undefined): boolean {
    const at = retiredAtOf(headers);
    const state = this.#store.get(orderId);
    if (state) this.#store.delete(orderId, referencesOf(state));
    if (at !== undefined) this.#store.retained.retire(orderId, at);
    return state !== undefined || at !== undefined;
  }

  /** When the order left the state, while its id is remembered; undefined for an order that did not. */
  at(orderId: string): Date | undefined {
    const at = this.#store.retained.retiredAt(orderId);
    return at === undefined ? undefined : new Date(at);
  }

  /** Ended orders of one command partition whose retention is over. */
  due(method: string, partition: number, cutoffs: RetentionCutoffs, limit: number): string[] {
    return this.#store.retained.due(method, partition, cutoffs, limit);
  }

  /** Whether the order is still due (it may have moved on since it was named due, a refund say). */
  isDue(orderId: string, cutoffs: RetentionCutoffs): boolean {
    return this.#store.retained.isDue(orderId, cutoffs);
  }

  /** Forgets the ids of orders that left before `before` (epoch ms); returns how many. */
  prune(before: number): number {
    return this.#store.retained.prune(before);
  }

  #leave(orderId: string, state: OrderState, at: number): void {
    this.#store.delete(orderId, referencesOf(state));
    this.#store.retained.retire(orderId, at);
  }
}
