// The worker: core, the chosen plugins and the runtime made into one process — one consumer group per
// plugin, one batching idempotent producer, the order state and its reconciler, the notification
// ingress, pausing while Midtrans is unreachable or refuses our credentials — and its orderly
// shutdown. Each part is built in a file of its own and bound in one container (composition.ts).
import { refusePlainHttpExposure } from '@paystream/runtime';
import { workerContainer } from './composition.ts';
import { workerSettings, type WorkerOptions } from './config/worker-options.ts';
import { closeWaitingOperations } from './kafka-admission.ts';
import { TOKENS } from './tokens.ts';

export { ensureTopics, pluginTopics } from './kafka.ts';
export { selectPlugins } from './plugin-container.ts';
export type { WorkerOptions } from './config/worker-options.ts';

export interface RunningWorker {
  readonly plugins: readonly string[];
  /** The notification ingress' base URL, to register with Midtrans as the notification URL. */
  readonly ingressUrl: string;
  /** Where /healthz, /readyz and /metrics answer. */
  readonly operationsUrl: string;
  readonly publicKeys: () => { keyId: string; publicKeyPem: string }[];
  /** Each reason the worker is not ready; empty when it is. */
  readonly readiness: () => string[];
  /** Drains for at most `drainMs` (the options' drainTimeoutMs when absent), then closes everything. */
  stop(drainMs?: number): Promise<void>;
}

export async function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  const settings = workerSettings(options);
  // Before anything connects: a worker that would expose plain HTTP does not start at all.
  refusePlainHttpExposure(settings.ingress);
  try {
    return await workerContainer(settings).getAsync(TOKENS.worker);
  } catch (err) {
    // A wait for Kafka hands its operations endpoint to the worker (kafka-admission.ts); a failed start closes it.
    await closeWaitingOperations(settings.operations);
    throw err;
  }
}
