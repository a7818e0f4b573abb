// Orders read or written lately, kept parsed: a command reads its order several times, and 256 are in
// flight by default. The least recently used leaves first.
import type { OrderState } from './order-state.ts';

const SIZE = 1_024;

export class RecentOrders {
  readonly #orders = new Map<string, OrderState | null>();

  /** The order's state, null when known to be absent, undefined when not kept. */
  get(orderId: string): OrderState | null | undefined {
    const state = this.#orders.get(orderId);
    if (state !== undefined) this.set(orderId, state);
    return state;
  }

  set(orderId: string, state: OrderState | null): void {
    this.#orders.delete(orderId);
    this.#orders.set(orderId, state);
    if (this.#orders.size <= SIZE) return;
    const oldest = this.#orders.keys().next();
    if (!oldest.done) this.#orders.delete(oldest.value);
  }
}
