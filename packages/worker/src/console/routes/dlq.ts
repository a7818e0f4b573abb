// GET /api/dlq — DLQ records across methods, filtered, newest first, without payloads;
// GET /api/dlq/:method/:partition/:offset — one record, its payload shown to an operator or above.
import { printableJson } from '../../cli/dlq/printable.ts';
import type { ApiRoute } from '../api-route.ts';
import { DLQ_LIMIT, dlqRecord, listDlq } from '../data/dlq-data.ts';
import { answering, limitParam, methodParam, queryInvalid, windowParams } from '../data/query.ts';
import type { ConsoleDeps } from './index.ts';

const CODE = /^PS_ERR_[A-Z0-9_]{1,80}$/;

export function dlqRoutes(deps: ConsoleDeps): ApiRoute[] {
  const now = deps.now ?? Date.now;
  const sources = { kafka: deps.kafka, admin: deps.admin, names: deps.topology };
  return [
    {
      method: 'GET',
      path: '/api/dlq',
      role: 'viewer',
      handle: (req) =>
        answering(async () => {
          const code = req.query.get('code') || undefined;
          if (code !== undefined && !CODE.test(code)) throw queryInvalid('code', 'an error code, e.g. the PS_ERR_… a record shows');
          const method = methodParam(req.query.get('method'), deps.methods);
          const window = windowParams(req.query, now());
          const limit = limitParam(req.query, DLQ_LIMIT.default, DLQ_LIMIT.max);
          const listing = await listDlq(sources, { methods: method ? [method] : deps.methods, code, limit, ...window });
          return printableJson({
            ...listing,
            limit,
            window: { from: new Date(window.fromMs).toISOString(), to: new Date(window.toMs).toISOString() },
          });
        }),
    },
    {
      method: 'GET',
      path: '/api/dlq/:method/:partition/:offset',
      role: 'viewer',
      handle: (req) =>
        answering(async () => {
          const method = methodParam(req.params['method'] ?? '', deps.methods) ?? '';
          const partition = req.params['partition'] ?? '';
          const offset = req.params['offset'] ?? '';
          if (!/^\d{1,6}$/.test(partition)) throw queryInvalid('partition', 'a partition number');
          if (!/^\d{1,19}$/.test(offset)) throw queryInvalid('offset', 'an offset');
          const at = { method, partition: Number(partition), offset: String(Number(offset)) };
          return printableJson(await dlqRecord(sources, deps.cipher, req.user.role, at));
        }),
    },
  ];
}
