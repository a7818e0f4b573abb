// /healthz (the process is alive), /readyz (Kafka members running, no breaker open, credentials
// usable) and /metrics (Prometheus) for orchestrators and dashboards.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { registerBuildInfo } from './build-info.ts';

export interface Readiness {
  /** Each reason the worker is not ready; empty when it is. */
  (): string[];
}

/** How often the event-loop lag metrics sample. */
const EVENT_LOOP_SAMPLE_MS = 100;

export class WorkerMetrics {
  readonly registry = new Registry();
  readonly commands = new Counter({
    name: 'paystream_commands_total',
    help: 'Commands handled, by method and outcome',
    labelNames: ['method', 'outcome'],
    registers: [this.registry],
  });
  readonly dlq = new Counter({
    name: 'paystream_dlq_total',
    help: 'Commands sent to the DLQ, by code',
    labelNames: ['code'],
    registers: [this.registry],
  });
  readonly inFlight = new Gauge({
    name: 'paystream_in_flight',
    help: 'Commands accepted and not yet finished',
    registers: [this.registry],
  });
  readonly midtransLatency = new Histogram({
    name: 'paystream_midtrans_call_seconds',
    help: 'Midtrans call latency by API family, path and result',
    labelNames: ['family', 'path', 'result'],
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  readonly breakerOpen = new Gauge({
    name: 'paystream_breaker_open',
    help: '1 while the breaker of a credential set and API family is open',
    labelNames: ['merchant', 'family'],
    registers: [this.registry],
  });
  // Counted by core's access-token manager; copied from it at each scrape (`setTotal`).
  readonly tokenRequests = new Counter({
    name: 'paystream_access_token_requests_total',
    help: 'B2B access tokens requested from Midtrans',
    registers: [this.registry],
  });
  readonly tokenFailures = new Counter({
    name: 'paystream_access_token_failures_total',
    help: 'B2B access token requests that failed (refused, unreachable, unreadable answer)',
    registers: [this.registry],
  });
  readonly credentialsRefused = new Gauge({
    name: 'paystream_credentials_refused',
    help: '1 while Midtrans refuses (or the key ring revoked) the credentials of a credential set and API family',
    labelNames: ['merchant', 'family'],
    registers: [this.registry],
  });
  readonly certificateExpiry = new Gauge({
    name: 'paystream_certificate_expiry_timestamp_seconds',
    help: 'When each configured certificate stops being valid (Unix time), by role and SHA-256 fingerprint',
    labelNames: ['role', 'fingerprint'],
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: 'paystream_ready',
    help: '1 while /readyz answers ready, 0 while it names a reason',
    registers: [this.registry],
  });
  readonly notifications = new Counter({
    name: 'paystream_notifications_total',
    help: 'Midtrans notifications received, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly commandLatency = new Histogram({
    name: 'paystream_command_result_seconds',
    help: 'From a command reaching Kafka to its result being acknowledged, by method',
    labelNames: ['method'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
    registers: [this.registry],
  });
  readonly consumerLag = new Gauge({
    name: 'paystream_consumer_lag',
    help: 'Commands on owned partitions not yet finished, by topic and partition',
    labelNames: ['topic', 'partition'],
    registers: [this.registry],
  });
  readonly paused = new Gauge({
    name: 'paystream_consumption_paused',
    help: '1 while consumption of a method is paused (breaker open, credentials refused)',
    labelNames: ['method'],
    registers: [this.registry],
  });
  readonly reconcilerWaiting = new Gauge({
    name: 'paystream_reconciler_waiting_orders',
    help: 'Orders waiting for their outcome that the reconciler follows',
    registers: [this.registry],
  });
  readonly reconcilerInquiries = new Counter({
    name: 'paystream_reconciler_inquiries_total',
    help: 'Status inquiries by the reconciler, by outcome',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly orders = new Gauge({ name: 'paystream_orders_known', help: 'Orders in the order state', registers: [this.registry] });
  readonly stateRecordsSkipped = new Counter({
    name: 'paystream_state_records_skipped_total',
    help: 'Order-state records skipped as unreadable or invalid, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly stateIndexRebuilds = new Counter({
    name: 'paystream_state_index_rebuilds_total',
    help: 'Local order-state indexes rebuilt from the topic at start instead of resumed from their checkpoints, by reason',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly stateOrdersRetired = new Counter({
    name: 'paystream_state_orders_retired_total',
    help: 'Orders this worker took out of the order state once their retention was over, by the status they ended with',
    labelNames: ['status'],
    registers: [this.registry],
  });

  /** Gauges read from live objects just before each scrape. */
  readonly #collectors: (() => void)[] = [];

  constructor() {
    // The event-loop lag histogram samples on a native timer: prom-client's 10 ms woke an idle worker
    // a hundred times a second; at 100 ms a stall shorter than that can go unseen, a longer one cannot.
    collectDefaultMetrics({ register: this.registry, prefix: 'paystream_process_', eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
    registerBuildInfo(this.registry);
  }

  onScrape(collect: () => void): void {
    this.#collectors.push(collect);
  }

  /** Sets a counter whose count is kept elsewhere (a monotonic total) to that total. */
  static setTotal(counter: Counter, total: number): void {
    counter.reset();
    counter.inc(total);
  }

  /** The Prometheus text exposition, gauges refreshed first. */
  async text(): Promise<string> {
    for (const c of this.#collectors) c();
    return this.registry.metrics();
  }
}

export async function startOperations(
  metrics: WorkerMetrics,
  readiness: Readiness,
  { host = '127.0.0.1', port = 0 } = {},
): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://ops').pathname;
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"ok"}');
    } else if (path === '/readyz') {
      const reasons = readiness();
      res
        .writeHead(reasons.length === 0 ? 200 : 503, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ready: reasons.length === 0, reasons }));
    } else if (path === '/metrics') {
      metrics.text().then(
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
