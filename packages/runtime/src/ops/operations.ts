// /healthz (the process is alive), /readyz (Kafka members running, no breaker open, credentials
// usable) and /metrics (Prometheus) for orchestrators and dashboards.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface Readiness {
  /** Each reason the worker is not ready; empty when it is. */
  (): string[];
}

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly commands = new Counter({ name: 'paystream_commands_total', help: 'Commands handled, by method and outcome', labelNames: ['method', 'outcome'], registers: [this.registry] });
  readonly dlq = new Counter({ name: 'paystream_dlq_total', help: 'Commands sent to the DLQ, by code', labelNames: ['code'], registers: [this.registry] });
  readonly inFlight = new Gauge({ name: 'paystream_in_flight', help: 'Commands accepted and not yet finished', registers: [this.registry] });
  readonly midtransLatency = new Histogram({ name: 'paystream_midtrans_call_seconds', help: 'Midtrans call latency by API family, path and result', labelNames: ['family', 'path', 'result'], buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  readonly breakerOpen = new Gauge({ name: 'paystream_breaker_open', help: '1 while the breaker of a credential set and API family is open', labelNames: ['merchant', 'family'], registers: [this.registry] });
  readonly tokenRequests = new Gauge({ name: 'paystream_access_token_requests', help: 'B2B access tokens requested since start', registers: [this.registry] });
  readonly notifications = new Counter({ name: 'paystream_notifications_total', help: 'Midtrans notifications received, by outcome', labelNames: ['outcome'], registers: [this.registry] });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'paystream_process_' });
  }
}

export async function startOperations(metrics: WorkerMetrics, readiness: Readiness, { host = '127.0.0.1', port = 0 } = {}): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const reasons = readiness();
      res.writeHead(reasons.length === 0 ? 200 : 503, { 'content-type': 'application/json' }).end(JSON.stringify({ ready: reasons.length === 0, reasons }));
    } else if (path === '/metrics') {
      metrics.registry.metrics().then(
        (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => res.writeHead(500).end(),
      );
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((done) => server.listen(port, host, done));
  return {
    url: `http://${host}:${String((server.address() as AddressInfo).port)}`,
    close: () =>
      new Promise((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
