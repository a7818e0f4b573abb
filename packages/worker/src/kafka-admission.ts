// The start waits, unready, until Kafka admits the worker. A refused login or certificate, a token that
// cannot be had, or brokers that do not answer would otherwise end the process at once, and an
// orchestrator restarting it would only repeat the refusal: instead the operations endpoint answers
// /readyz 503 with the reason (kafka-refusal.ts), nothing is consumed, and the connection is tried again
// with a backoff up to 30 s — at once after a SIGHUP, which is how an operator says the files are fixed.
// The endpoint opened for the wait is the worker's own once it starts: one address for the process' life.
import type { Logger } from '@paystream/core';
import { startOperations, type Readiness, type WorkerMetrics } from '@paystream/runtime';
import type { Kafka } from 'kafkajs';
import type { KafkaSecurity } from './config/kafka-security.ts';
import { kafkaRefusal, refusalError } from './kafka-refusal.ts';

export interface AdmissionOptions {
  readonly kafka: Kafka;
  readonly security: KafkaSecurity;
  readonly log: Logger;
  readonly metrics: WorkerMetrics;
  /** Where /healthz, /readyz and /metrics answer while the worker waits (the worker's own endpoint, once started). */
  readonly operations?: { readonly host?: string; readonly port?: number } | undefined;
  /** Drops the cached OAUTHBEARER token, which the brokers may have been the ones to refuse. */
  readonly forgetToken: () => void;
  readonly initialDelayMs?: number;
  readonly maxDelayMs?: number;
}

/** An operations endpoint whose readiness source changes hands: the wait's reasons, then the started worker's. */
export interface SharedOperations {
  readonly url: string;
  serve(readiness: Readiness): void;
  close(): Promise<void>;
}

/** The endpoints opened by a wait and not yet taken by the worker, by the worker's `operations` settings object. */
const opened = new WeakMap<object, Promise<SharedOperations>>();

function openShared(metrics: WorkerMetrics, where: object): Promise<SharedOperations> {
  const existing = opened.get(where);
  if (existing) return existing;
  let current: Readiness = () => [];
  const endpoint = startOperations(metrics, () => current(), where).then((e) => ({
    url: e.url,
    serve: (readiness: Readiness) => void (current = readiness),
    close: () => {
      opened.delete(where);
      return e.close();
    },
  }));
  opened.set(where, endpoint);
  return endpoint;
}

/** The endpoint a wait opened for these `operations` settings, now the caller's (undefined when Kafka admitted the worker at once). */
export function takeWaitingOperations(where: object): Promise<SharedOperations> | undefined {
  const endpoint = opened.get(where);
  opened.delete(where);
  return endpoint;
}

/** Closes the endpoint a wait left open for a worker whose start then failed. */
export async function closeWaitingOperations(where: object): Promise<void> {
  await takeWaitingOperations(where)?.then((e) => e.close());
}

/** Thrown by a wait ended by `stopWaitingForKafka`. */
export class KafkaAdmissionStopped extends Error {
  constructor() {
    super('the wait for Kafka to admit the worker was stopped');
    this.name = 'KafkaAdmissionStopped';
  }
}

let stopping = false;
const waits = new Set<() => void>();

/** The process is stopping (SIGTERM before the worker started): each wait ends, now or when it would begin. */
export function stopWaitingForKafka(): void {
  stopping = true;
  for (const end of waits) end();
}

export interface KafkaAdmission {
  /** Resolves once a client connects and authenticates; throws what is not a refusal (kafkaRefusal). */
  readonly admitted: Promise<void>;
  /** Tries again now (after a SIGHUP). */
  wake(): void;
}

/**
 * One connection, authentication and metadata request, retried by kafkajs only briefly: the backoff is the
 * admission's. The request matters: a refused OAUTHBEARER token lets connect() succeed, and the broker then closes.
 */
async function probe(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 1, initialRetryTime: 200 } });
  try {
    await admin.connect();
    await admin.describeCluster();
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export function awaitKafkaAdmission(o: AdmissionOptions): KafkaAdmission {
  let wake = (): void => undefined;
  let woken = false;
  const pause = (ms: number): Promise<void> =>
    new Promise((done) => {
      const timer = setTimeout(done, ms);
      wake = () => {
        clearTimeout(timer);
        done();
      };
      if (woken) wake();
      woken = false;
    });
  const wakeNow = (): void => {
    woken = true;
    wake();
  };
  const admitted = (async () => {
    let endpoint: SharedOperations | undefined;
    waits.add(wakeNow);
    try {
      for (let attempt = 1; ; attempt++) {
        if (stopping) throw new KafkaAdmissionStopped();
        try {
          woken = false;
          await probe(o.kafka);
          if (attempt > 1) o.log.info({ attempts: attempt }, 'Kafka admits the worker');
          // Kept open for the worker's own readiness (takeWaitingOperations), unready until then.
          if (o.operations) {
            endpoint?.serve(() => ['kafka: admitted; the worker is starting']);
            endpoint = undefined;
          }
          return;
        } catch (err) {
          const refusal = kafkaRefusal(err, o.security);
          if (!refusal) throw err;
          const error = refusalError(refusal);
          const reason = `kafka: ${error.code}: ${error.message}`;
          endpoint ??= await openShared(o.metrics, o.operations ?? {});
          endpoint.serve(() => [reason]);
          const delayMs = Math.round(Math.min(o.maxDelayMs ?? 30_000, (o.initialDelayMs ?? 1_000) * 2 ** Math.min(attempt - 1, 10)));
          o.log.error(
            { code: error.code, setting: refusal.setting, attempt, retryInMs: delayMs, readyz: `${endpoint.url}/readyz` },
            `${error.message}; waiting unready, retrying (SIGHUP retries at once)`,
          );
          o.forgetToken();
          await pause(delayMs * (0.75 + Math.random() / 4));
        }
      }
    } finally {
      waits.delete(wakeNow);
      await endpoint?.close();
    }
  })();
  return { admitted, wake: wakeNow };
}
