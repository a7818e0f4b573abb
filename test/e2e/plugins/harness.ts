// One Paystream worker for a whole suite, deployed as in production but under a topic prefix of its
// own on the shared test broker: the Midtrans simulator over HTTPS notifies the worker's ingress,
// commands are published as an upstream service does, and every result event is read back and
// checked as a downstream service would check it (schema, CloudEvents, signature).
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { CommandType, PaymentCommand, PaymentEvent, ResultEvent } from '@paystream/contracts';
import { createLogger, parseCoreConfig } from '@paystream/core';
import { testKafka, uniqueTopic } from '@paystream/kafka-broker/testing';
import type { LedgerEntry, Simulator, Tx } from '@paystream/midtrans-sim';
import { CORE_NOTIFICATION_PATH, topology, type Topology } from '@paystream/runtime';
import { Customers, eventProblems, startRunSimulator, type HttpsClient } from '@paystream/test-harness';
import { coreConfigFromSimulator, runWorker, type RunningWorker } from '@paystream/worker';
import type { Admin, Consumer, Producer } from 'kafkajs';
import { vi } from 'vitest';

export interface Received {
  readonly event: ResultEvent;
  /** What a downstream service would refuse the event for: schema, CloudEvents validation, signature. */
  readonly problems: readonly string[];
}

export interface Harness {
  readonly sim: Simulator;
  /** HTTPS to the simulator, trusting its per-run CA only. */
  readonly http: HttpsClient;
  readonly customers: Customers;
  readonly worker: RunningWorker;
  readonly names: Topology;
  /** A fresh order id for one test case. */
  orderId(method: string, label: string): string;
  command(
    method: string,
    orderId: string,
    type: CommandType,
    fields?: { amount?: number; details?: Record<string, unknown> },
  ): PaymentCommand;
  publish(command: PaymentCommand): Promise<void>;
  /** Every result event of the order read so far, in the order it was published. */
  events(orderId: string): readonly Received[];
  /** Waits for the first event of the order that matches. */
  next(orderId: string, what: string, match: (e: ResultEvent) => boolean): Promise<ResultEvent>;
  /**
   * Waits until the simulator has no notification about this transaction left to deliver and every
   * result event published until then has been read; returns the order's events.
   */
  settle(orderId: string, tx?: Tx): Promise<readonly Received[]>;
  /** The simulator's admin API over HTTPS, as a test drives Midtrans' sandbox. */
  admin(path: string, body: Record<string, unknown>): Promise<{ status: number; body: Record<string, unknown> }>;
  /** The simulator ledger's entries for one transaction. */
  ledger(tx: Tx): LedgerEntry['event'][];
  /** Notification deliveries to the worker's ingress about this transaction, with their answers. */
  deliveries(tx: Tx): (number | string)[];
  close(): Promise<void>;
}

const run = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;

export async function startHarness(brokers: string[], amountLimits: Readonly<Record<string, number>>): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'paystream-plugins-e2e-'));
  const running = await startRunSimulator(dir, 60_000);
  const { sim, http } = running;
  Object.assign(sim.amountLimits, amountLimits);
  const customers = new Customers({ baseUrl: sim.baseUrl, clientKey: sim.credentials.clientKey, http, admin: running.admin });
  const names = topology(`${uniqueTopic('e2e-plugins')}.`);
  const logs: string[] = [];
  const logger = createLogger(
    { name: 'plugins-e2e', level: 'warn' },
    new Writable({
      write: (c: Buffer, _e, done) => {
        logs.push(c.toString('utf8'));
        done();
      },
    }),
  );
  const worker = await runWorker({
    core: parseCoreConfig(coreConfigFromSimulator(running.descriptorPath, dir)),
    brokers,
    topicPrefix: names.prefix,
    partitions: 3,
    maxInFlight: 64,
    logger,
    stateDir: join(dir, 'state'),
  });
  sim.webhooks.config.snapBaseUrl = worker.ingressUrl;
  sim.webhooks.config.coreNotificationUrl = `${worker.ingressUrl}${CORE_NOTIFICATION_PATH}`;

  const kafka = testKafka(brokers, 'plugins-e2e');
  const kafkaAdmin: Admin = kafka.admin();
  await kafkaAdmin.connect();
  const producer: Producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const byOrder = new Map<string, Received[]>();
  const read = new Map<number, number>();
  const reader: Consumer = kafka.consumer({ groupId: `${names.prefix}reader` });
  await reader.connect();
  await reader.subscribe({ topic: names.results, fromBeginning: true });
  await reader.run({
    eachMessage: ({ partition, message }) => {
      const raw = message.value?.toString('utf8') ?? '';
      const key = message.key?.toString('utf8') ?? '';
      byOrder.set(key, [
        ...(byOrder.get(key) ?? []),
        { event: JSON.parse(raw) as ResultEvent, problems: eventProblems(raw, worker.publicKeys()).problems },
      ]);
      read.set(partition, Number(message.offset) + 1);
      return Promise.resolve();
    },
  });

  const events = (orderId: string): readonly Received[] => byOrder.get(orderId) ?? [];
  const deliveries = (tx: Tx): (number | string)[] =>
    sim.webhooks.deliveries.filter((d) => d.orderId === tx.partnerReferenceNo && d.url.startsWith(worker.ingressUrl)).map((d) => d.status);
  // Midtrans knows an order by the references its events carry (partnerReferenceNo, trxId, …).
  const namesOf = (orderId: string): Set<string> =>
    new Set([
      orderId,
      ...events(orderId).flatMap((r) => (r.event.type === 'paystream.command.rejected' ? [] : Object.values(r.event.data.midtrans))),
    ]);
  const diagnose = (orderId: string): string =>
    `events so far: ${JSON.stringify(events(orderId).map((r) => [r.event.type, r.event.type === 'paystream.command.rejected' ? r.event.data.code : r.event.data.verification]))}; ` +
    `notification answers: ${JSON.stringify(sim.webhooks.deliveries.filter((d) => namesOf(orderId).has(d.orderId)).map((d) => d.status))}; worker errors: ${logs
      .filter((l) => !l.includes('"component":"kafka"'))
      .slice(-3)
      .join('')}`;

  return {
    sim,
    http,
    customers,
    worker,
    names,
    orderId: (method, label) => `${method}-${label}-${run}`,
    command: (method, orderId, type, fields = {}) => ({
      commandId: randomUUID(),
      type,
      method,
      orderId,
      amount: { value: fields.amount ?? 125_000, currency: 'IDR' },
      customer: { firstName: 'Siti', email: 'siti@example.com' },
      details: fields.details ?? {},
      requestedAt: new Date().toISOString(),
    }),
    publish: async (command) => {
      await producer.send({
        topic: names.commands(command.method),
        acks: -1,
        messages: [{ key: command.orderId, value: JSON.stringify(command) }],
      });
    },
    events,
    next: (orderId, what, match) =>
      vi.waitFor(
        () => {
          const hit = events(orderId).find((r) => match(r.event));
          if (!hit) throw new Error(`no ${what} event for ${orderId}; ${diagnose(orderId)}`);
          return hit.event;
        },
        { timeout: 90_000, interval: 50 },
      ),
    settle: async (orderId, tx) => {
      await vi.waitFor(
        () => {
          if (tx && sim.webhooks.outstanding(tx.partnerReferenceNo) > 0)
            throw new Error(`notifications for ${orderId} are still being delivered; ${diagnose(orderId)}`);
        },
        { timeout: 90_000, interval: 50 },
      );
      const ends = await kafkaAdmin.fetchTopicOffsets(names.results);
      await vi.waitFor(
        () => {
          const behind = ends.filter((p) => (read.get(p.partition) ?? 0) < Number(p.high));
          if (behind.length > 0)
            throw new Error(`the reader is behind on ${names.results} partitions ${behind.map((p) => p.partition).join(', ')}`);
        },
        { timeout: 90_000, interval: 50 },
      );
      return events(orderId);
    },
    admin: async (path, body) => {
      const answer = await http.json(`${sim.adminUrl}${path}`, 'POST', body);
      return { status: answer.status, body: answer.body as Record<string, unknown> };
    },
    ledger: (tx) => sim.store.ledger.filter((e) => e.referenceNo === tx.referenceNo).map((e) => e.event),
    deliveries,
    close: async () => {
      await reader.disconnect();
      await producer.disconnect();
      await worker.stop(5_000);
      const ours = (await kafkaAdmin.listTopics()).filter((t) => t.startsWith(names.prefix));
      if (ours.length > 0) await kafkaAdmin.deleteTopics({ topics: ours });
      const groups = (await kafkaAdmin.listGroups()).groups.map((g) => g.groupId).filter((g) => g.startsWith(names.prefix));
      if (groups.length > 0) await kafkaAdmin.deleteGroups(groups);
      await kafkaAdmin.disconnect();
      await running.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The payment event (not a rejection) of a result, or a failure naming what arrived instead. */
export function payment(e: ResultEvent): PaymentEvent {
  if (e.type === 'paystream.command.rejected') throw new Error(`the command was rejected: ${e.data.code} ${e.data.message}`);
  return e;
}

/** `action_required`, `succeeded`, … or `rejected`, for comparing an order's event sequence. */
export const kind = (r: Received): string => r.event.type.replace(/^paystream\.(payment|command)\./, '');
