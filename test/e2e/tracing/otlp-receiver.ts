// A local OTLP/HTTP traces receiver: accepts the worker exporter's POSTs on /v1/traces (OTLP JSON,
// gzip or not), answers as a collector does, and keeps every span decoded with its attributes.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
  readonly kind: number;
  readonly service: string;
  readonly scope: string;
  readonly attributes: Readonly<Record<string, string | number | boolean>>;
  readonly links: readonly { traceId: string; spanId: string }[];
  /** Every name and text of the span as exported: what the privacy scan reads. */
  readonly raw: string;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes?: { key: string; value: OtlpValue }[];
  links?: { traceId: string; spanId: string }[];
}
interface OtlpRequest {
  resourceSpans?: {
    resource?: { attributes?: { key: string; value: OtlpValue }[] };
    scopeSpans?: { scope?: { name?: string }; spans?: OtlpSpan[] }[];
  }[];
}

const valueOf = (v: OtlpValue): string | number | boolean =>
  v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : (v.doubleValue ?? v.boolValue ?? ''));
const attributesOf = (list: { key: string; value: OtlpValue }[] = []): Record<string, string | number | boolean> =>
  Object.fromEntries(list.map((a) => [a.key, valueOf(a.value)]));

function decode(body: OtlpRequest): ReceivedSpan[] {
  return (body.resourceSpans ?? []).flatMap((rs) => {
    const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '');
    return (rs.scopeSpans ?? []).flatMap((ss) =>
      (ss.spans ?? []).map((s) => ({
        traceId: s.traceId,
        spanId: s.spanId,
        parentSpanId: s.parentSpanId ?? '',
        name: s.name,
        kind: s.kind,
        service,
        scope: ss.scope?.name ?? '',
        attributes: attributesOf(s.attributes),
        links: (s.links ?? []).map((l) => ({ traceId: l.traceId, spanId: l.spanId })),
        raw: JSON.stringify(s),
      })),
    );
  });
}

async function bodyOf(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  return req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw;
}

export class OtlpReceiver {
  readonly spans: ReceivedSpan[] = [];
  /** What the receiver could not take: a content type it does not read, a body that is not OTLP JSON. */
  readonly problems: string[] = [];
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<OtlpReceiver> {
    const server = createServer();
    const receiver = new OtlpReceiver(server);
    server.on('request', (req, res) => {
      void receiver.#take(req).then((status) => res.writeHead(status, { 'content-type': 'application/json' }).end('{}'));
    });
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    return receiver;
  }

  /** The base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT names it. */
  get url(): string {
    return `http://127.0.0.1:${String((this.#server.address() as AddressInfo).port)}`;
  }

  trace(traceId: string): ReceivedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  close(): Promise<void> {
    return new Promise((done) => this.#server.close(() => done()));
  }

  async #take(req: IncomingMessage): Promise<number> {
    if (req.method !== 'POST' || req.url !== '/v1/traces') return 404;
    const type = req.headers['content-type'] ?? '';
    try {
      const body = await bodyOf(req);
      if (!type.startsWith('application/json')) {
        this.problems.push(`content type ${type} (${String(body.length)} bytes)`);
        return 415;
      }
      this.spans.push(...decode(JSON.parse(body.toString('utf8')) as OtlpRequest));
      return 200;
    } catch (err) {
      this.problems.push(err instanceof Error ? err.message : String(err));
      return 400;
    }
  }
}
