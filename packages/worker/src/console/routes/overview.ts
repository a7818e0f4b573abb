// GET /api/audit — the audit trail, newest first, each event verified; GET /api/overview — what
// Kafka alone tells of the installation (data/overview.ts).
import { printableJson } from '../../cli/dlq/printable.ts';
import type { ApiRoute } from '../api-route.ts';
import { AUDIT_LIMIT, listAudit } from '../data/audit-data.ts';
import { overview } from '../data/overview.ts';
import { answering, limitParam, windowParams } from '../data/query.ts';
import type { ConsoleDeps } from './index.ts';

export function auditRoutes(deps: ConsoleDeps): ApiRoute[] {
  const now = deps.now ?? Date.now;
  return [
    {
      method: 'GET',
      path: '/api/audit',
      role: 'viewer',
      handle: (req) =>
        answering(async () => {
          const window = windowParams(req.query, now());
          const limit = limitParam(req.query, AUDIT_LIMIT.default, AUDIT_LIMIT.max);
          const sources = { kafka: deps.kafka, admin: deps.admin, names: deps.topology, eventKeys: deps.eventKeys };
          return printableJson({ ...(await listAudit(sources, { ...window, limit })), limit });
        }),
    },
  ];
}

export function overviewRoutes(deps: ConsoleDeps): ApiRoute[] {
  const now = deps.now ?? Date.now;
  return [
    {
      method: 'GET',
      path: '/api/overview',
      role: 'viewer',
      handle: () =>
        answering(async () =>
          printableJson({
            ...(await overview({ kafka: deps.kafka, admin: deps.admin, names: deps.topology, methods: deps.methods }, now())),
            directory: deps.directory.stats,
          }),
        ),
    },
  ];
}
