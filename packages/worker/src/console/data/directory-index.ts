// The console's in-memory index of orders, fed by the order-state topic: each order's summary and the
// identifiers it is found by (its order id, command ids, every Midtrans reference). Bounded: it holds
// the `capacity` orders most recently changed; one more drops the least recently changed, which the
// search then no longer finds (its timeline is still read from Kafka by its order id). A tombstone
// removes its order.
import { commandKey, type OrderState } from '@paystream/runtime';

/** The orders held by default: about 200 MB of heap at a dozen identifiers an order (measured: 2 KB an order). */
export const DEFAULT_CAPACITY = 100_000;
/** The most answers a search gives. */
export const MAX_FOUND = 20;
/** Identifiers longer than this (payment URLs, QR strings) are not indexed: nobody types them. */
const MAX_IDENTIFIER = 128;
/** Identifiers indexed per order at most; a real order has a dozen. */
const MAX_IDENTIFIERS = 48;

export interface OrderSummary {
  readonly orderId: string;
  readonly method: string | null;
  readonly status: string | null;
  readonly amount: { readonly value: number; readonly currency: string } | null;
  /** When the order's state last changed (the time of its last state record). */
  readonly updatedAt: string;
}

interface Held {
  readonly summary: OrderSummary;
  readonly ids: readonly string[];
}

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
/** One spelling of a command id, however it is written; other identifiers are matched as they are. */
const normal = (id: string): string => (UUID.test(id) ? commandKey(id) : id);

function identifiersOf(orderId: string, state: OrderState): string[] {
  const ids = new Set<string>();
  const add = (id: string | undefined): void => {
    if (id !== undefined && id.length > 0 && id.length <= MAX_IDENTIFIER && id !== orderId && ids.size < MAX_IDENTIFIERS)
      ids.add(normal(id));
  };
  add(state.chargeCommandId);
  for (const key of Object.keys(state.commands)) add(key);
  for (const value of Object.values(state.references)) add(value);
  return [...ids];
}

export class DirectoryIndex {
  /** In the order of their last change, least recent first (a Map keeps insertion order). */
  readonly #orders = new Map<string, Held>();
  /** Identifier → the orders it names (almost always one). */
  readonly #byId = new Map<string, string | string[]>();
  #dropped = 0;

  readonly capacity: number;

  constructor(capacity = DEFAULT_CAPACITY) {
    this.capacity = capacity;
  }

  get size(): number {
    return this.#orders.size;
  }

  /** Orders dropped to stay within capacity since the start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Applies one state record: the order's whole state, or null for a tombstone. */
  apply(orderId: string, state: OrderState | null, atMs: number): void {
    this.#remove(orderId);
    if (state === null) return;
    const summary: OrderSummary = {
      orderId,
      method: state.method ?? null,
      status: state.status ?? null,
      amount: state.amount === undefined ? null : { value: state.amount, currency: state.currency ?? 'IDR' },
      updatedAt: new Date(atMs).toISOString(),
    };
    const held = { summary, ids: identifiersOf(orderId, state) };
    this.#orders.set(orderId, held);
    for (const id of held.ids) this.#link(id, orderId);
    if (this.#orders.size > this.capacity) {
      const oldest = this.#orders.keys().next().value;
      if (oldest !== undefined) this.#remove(oldest);
      this.#dropped++;
    }
  }

  get(orderId: string): OrderSummary | undefined {
    return this.#orders.get(orderId)?.summary;
  }

  /** The identifiers the order is found by (command ids in one spelling), besides its order id. */
  identifiersOf(orderId: string): readonly string[] {
    return this.#orders.get(orderId)?.ids ?? [];
  }

  /** The orders `text` names exactly (order id, command id, Midtrans reference), at most MAX_FOUND, most recently changed first. */
  find(text: string): OrderSummary[] {
    const named = this.#byId.get(normal(text));
    const ids = new Set([
      ...(this.#orders.has(text) ? [text] : []),
      ...(named === undefined ? [] : typeof named === 'string' ? [named] : named),
    ]);
    return [...ids]
      .flatMap((id) => this.#orders.get(id)?.summary ?? [])
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .slice(0, MAX_FOUND);
  }

  #link(id: string, orderId: string): void {
    const current = this.#byId.get(id);
    if (current === undefined) this.#byId.set(id, orderId);
    else if (typeof current === 'string') this.#byId.set(id, current === orderId ? current : [current, orderId]);
    else if (!current.includes(orderId)) current.push(orderId);
  }

  #remove(orderId: string): void {
    const held = this.#orders.get(orderId);
    if (!held) return;
    this.#orders.delete(orderId);
    for (const id of held.ids) {
      const current = this.#byId.get(id);
      if (current === orderId) this.#byId.delete(id);
      else if (Array.isArray(current)) {
        const rest = current.filter((o) => o !== orderId);
        if (rest.length === 1 && rest[0] !== undefined) this.#byId.set(id, rest[0]);
        else this.#byId.set(id, rest);
      }
    }
  }
}
