// GET /api/orders?q= — orders by any identifier, from the order directory; GET /api/orders/:orderId —
// the order's timeline, read from its partitions within a time window (`from`, `to`, `method`).
import { OrderId } from '@paystream/contracts';
import { printableJson } from '../../cli/dlq/printable.ts';
import type { ApiRoute } from '../api-route.ts';
import { answering, methodParam, notFound, queryInvalid, windowParams } from '../data/query.ts';
import { readTimeline } from '../data/timeline.ts';
import type { ConsoleDeps } from './index.ts';

/** Longer than any order id, command id or Midtrans reference the directory indexes. */
const MAX_QUERY = 128;

export function orderRoutes(deps: ConsoleDeps): ApiRoute[] {
  const now = deps.now ?? Date.now;
  return [
    {
      method: 'GET',
      path: '/api/orders',
      role: 'viewer',
      handle: (req) =>
        answering(() => {
          const q = (req.query.get('q') ?? '').trim();
          if (q.length === 0 || q.length > MAX_QUERY) throw queryInvalid('q', `from 1 to ${String(MAX_QUERY)} characters`);
          return Promise.resolve(printableJson({ orders: deps.directory.find(q), directory: deps.directory.stats }));
        }),
    },
    {
      method: 'GET',
      path: '/api/orders/:orderId',
      role: 'viewer',
      handle: (req) =>
        answering(async () => {
          const orderId = req.params['orderId'] ?? '';
          if (!OrderId.safeParse(orderId).success) throw queryInvalid('orderId', 'not an order id');
          const window = windowParams(req.query, now());
          const order = deps.directory.get(orderId) ?? null;
          const asked = methodParam(req.query.get('method'), deps.methods);
          // An order the directory does not hold (refused before it had a state, or dropped) is looked for under every method.
          const known = order?.method != null && deps.methods.includes(order.method) ? order.method : undefined;
          const methods = asked ? [asked] : known ? [known] : deps.methods;
          const timeline = await readTimeline(
            { kafka: deps.kafka, admin: deps.admin, names: deps.topology, eventKeys: deps.eventKeys },
            { orderId, methods, identifiers: deps.directory.identifiersOf(orderId), ...window },
          );
          if (!order && timeline.entries.length === 0) throw notFound.order(orderId);
          return printableJson({
            orderId,
            order,
            window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() },
            methods,
            ...timeline,
          });
        }),
    },
  ];
}
