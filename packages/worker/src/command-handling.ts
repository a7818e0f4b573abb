// The dispatcher over the worker's parts: the plugins, core's Midtrans client, key ring and event
// crypto, the producer and the order state. A Midtrans refusal of the credentials pauses their
// plugins (see pausing.ts); every other failure is retried with the same identifiers.
import { KeyError, type MidtransError } from '@paystream/core';
import { Dispatcher } from '@paystream/runtime';
import type { WorkerParts } from './tokens.ts';

type DispatcherParts = 'keyRing' | 'commandKeys' | 'client' | 'eventSigner' | 'fieldCipher' | 'plugins' | 'names' | 'settings' | 'log';

/** Why an HSM or KMS key cannot sign, for /readyz; undefined for a refusal by Midtrans. */
function keyProblem(err: MidtransError): string | undefined {
  return err.kind === 'key-unavailable' && KeyError.is(err.cause) ? err.cause.message : undefined;
}

export function commandDispatcher(
  parts: Pick<WorkerParts, DispatcherParts | 'publisher' | 'orders' | 'pausing' | 'onOutcome'>,
): Dispatcher {
  const { keyRing, names, settings, log } = parts;
  return new Dispatcher({
    plugins: parts.plugins,
    midtrans: parts.client,
    publisher: parts.publisher,
    orders: parts.orders,
    resultsTopic: names.results,
    commandTopic: (p) => names.commands(p.method),
    retryBaseMs: settings.retry.baseMs,
    retryMaxMs: settings.retry.maxMs,
    crypto: { signer: parts.eventSigner, cipher: parts.fieldCipher, source: 'paystream/worker' },
    accountOf: (merchant) => {
      const m = keyRing.merchant(merchant);
      return { ...(m.merchantId ? { merchantId: m.merchantId } : {}), vaPartnerServiceIds: m.virtualAccounts };
    },
    commandAuth: parts.commandKeys,
    merchantKnown: (merchant) => merchant === undefined || keyRing.merchantNames().includes(merchant),
    onOutcome: parts.onOutcome,
    onError: (err) => log.error({ err }, 'writing the outcome of a command failed; retrying'),
    onMidtransError: (err, plugin, command) => {
      if (err.kind === 'auth' || err.kind === 'credentials-revoked' || err.kind === 'key-unavailable')
        parts.pausing.credentials.report(command.merchant ?? keyRing.defaultMerchant, plugin.api, keyProblem(err));
      log.warn(
        { err, method: plugin.method, orderId: command.orderId, commandId: command.commandId },
        'Midtrans call failed; retrying with the same identifiers',
      );
    },
  });
}
