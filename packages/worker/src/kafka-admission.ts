// The start waits, unready, until Kafka admits the worker. A refused login or certificate, a token that
// cannot be had, or brokers that do not answer would otherwise end the process at once, and an
// orchestrator restarting it would only repeat the refusal: instead the operations endpoint answers
// /readyz 503 with the reason (kafka-refusal.ts), nothing is consumed, and the connection is tried again
// with a backoff up to 30 s — at once after a SIGHUP, which is how an operator says the files are fixed.
import type { Logger } from '@paystream/core';
import { startOperations, type WorkerMetrics } from '@paystream/runtime';
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
  const admitted = (async () => {
    let endpoint: { url: string; close(): Promise<void> } | undefined;
    let reasons: string[] = [];
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          woken = false;
          await probe(o.kafka);
          if (attempt > 1) o.log.info({ attempts: attempt }, 'Kafka admits the worker');
          return;
        } catch (err) {
          const refusal = kafkaRefusal(err, o.security);
          if (!refusal) throw err;
          const error = refusalError(refusal);
          reasons = [`kafka: ${error.code}: ${error.message}`];
          endpoint ??= await startOperations(o.metrics, () => reasons, o.operations);
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
      await endpoint?.close();
    }
  })();
  return {
    admitted,
    wake: () => {
      woken = true;
      wake();
    },
  };
}
