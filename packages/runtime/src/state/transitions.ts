// The order state machine: a payment only moves forward, and reaches one terminal outcome. Late,
// duplicated or out-of-order answers and notifications can never move it back.
import type { PaymentStatus } from '@paystream/contracts';

const RANK: Record<PaymentStatus, number> = {
  pending: 0,
  action_required: 1,
  pending_review: 2,
  succeeded: 3,
  failed: 3,
  expired: 3,
  canceled: 3,
  refunded: 4,
};

export const TERMINAL: ReadonlySet<PaymentStatus> = new Set(['failed', 'expired', 'canceled', 'refunded']);

/** Whether a result with status `to` may follow the order's current status `from`. */
export function mayFollow(from: PaymentStatus | undefined, to: PaymentStatus): boolean {
  if (from === undefined) return true;
  if (from === to) return true; // the same result again: harmless, its event id is the same
  if (TERMINAL.has(from)) return false;
  if (from === 'succeeded') return to === 'refunded';
  return RANK[to] > RANK[from] || (RANK[to] === RANK[from] && RANK[to] < 3);
}
