// Midtrans paths as metric labels: a closed set of route templates, never an identifier.

/** Core API routes that name an order in their path, by what follows the order id. */
const CORE_ORDER_ROUTE = /^\/v2\/[^/]+\/(status|cancel|refund|approve|deny|expire|capture)$/;
/** BI-SNAP routes: fixed lowercase words after the version (identifiers travel in the body). */
const SNAP_ROUTE = /^\/v1\.0(\/[a-z][a-z0-9-]{0,40}){1,4}$/;

/**
 * The route a path was sent to, from a closed set of templates: an order id in a Core API path
 * would otherwise add a metric series per order. A path of no known shape is `other`.
 */
export function routeTemplate(path: string): string {
  const order = CORE_ORDER_ROUTE.exec(path);
  if (order) return `/v2/:orderId/${order[1] ?? ''}`;
  return path === '/v2/charge' || SNAP_ROUTE.test(path) ? path : 'other';
}
