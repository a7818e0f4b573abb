// Kafka credentials replaced on disk are taken up without a restart. kafkajs copies its `ssl` options
// into tls.connect for each new socket (Object.assign, which calls getters), and reads the SASL
// password and OAUTHBEARER provider at each authentication; so an options object whose properties
// read the material loaded last makes a reload count from the next reconnect. SIGHUP reloads, as it
// does the Midtrans keys, and wakes a worker waiting for Kafka to admit it.
import type { Logger } from '@paystream/core';

/** An object with the keys of `current()` when made, each an enumerable getter reading `current()` again. */
export function liveOptions<T extends object>(current: () => T): T {
  const view = {};
  for (const key of Object.keys(current()))
    Object.defineProperty(view, key, { enumerable: true, get: () => (current() as Record<string, unknown>)[key] });
  return view as T;
}

export interface CredentialsReload {
  /** Reads the TLS files again and forgets the cached token; throws (naming the setting) and keeps the old material when a file is bad. */
  reload(): void;
}

/**
 * Reloads on each SIGHUP; a bad file is logged (the setting, never its content) and the material in use
 * stays. `onReload` runs after each attempt (the wait for admission retries at once). Returns the unsubscribe.
 */
export function reloadKafkaCredentialsOnSighup(source: CredentialsReload, log: Logger, onReload?: () => void): () => void {
  const handler = (): void => {
    try {
      source.reload();
      log.info('SIGHUP: Kafka credentials read again; the next connection uses them');
    } catch (err) {
      log.error({ err }, 'SIGHUP: Kafka credentials cannot be read again; the ones in use stay');
    }
    onReload?.();
  };
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
