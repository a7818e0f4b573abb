// The BI-SNAP transactional endpoints by path: direct debit (GoPay, ShopeePay, DANA), QRIS MPM,
// virtual accounts and the transaction history reports, each with its service code, mandatory fields
// and state transitions.
import type { Route } from './snap/common.ts';
import { debitRoutes } from './snap/debit.ts';
import { historyRoutes } from './snap/history.ts';
import { qrisRoutes } from './snap/qris.ts';
import { vaRoutes } from './snap/va.ts';

export type { Answer, Route, RouteContext } from './snap/common.ts';

export const snapRoutes: Record<string, Route> = { ...debitRoutes, ...qrisRoutes, ...vaRoutes, ...historyRoutes };
