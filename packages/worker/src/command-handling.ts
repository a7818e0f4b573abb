// The dispatcher over the worker's parts: the plugins, core's Midtrans client, key ring and event
// crypto, the producer and the order state. A Midtrans refusal of the credentials pauses their
// plugins (see pausing.ts); every other failure is retried with the same identifiers.
import { Dispatcher, type CredentialsWatch, type Outcome } from '@paystream/runtime';
import type { Foundation } from './foundation.ts';
import type { KafkaSide } from './kafka.ts';

export function commandDispatcher(
  { core, byMethod, names, settings, log }: Pick<Foundation, 'core' | 'byMethod' | 'names' | 'settings' | 'log'>,
  { publisher, orders }: Pick<KafkaSide, 'publisher' | 'orders'>,
  credentials: Pick<CredentialsWatch, 'report'>,
  onOutcome: (o: Outcome) => void,
): Dispatcher {
  return new Dispatcher({
    plugins: byMethod,
    midtrans: core.client,
    publisher,
    orders,
    resultsTopic: names.results,
    commandTopic: (p) => names.commands(p.method),
    retryBaseMs: settings.retry.baseMs,
    retryMaxMs: settings.retry.maxMs,
    crypto: { signer: core.eventSigner, cipher: core.fieldCipher, source: 'paystream/worker' },
    accountOf: (merchant) => {
      const m = core.keyRing.merchant(merchant);
      return { ...(m.merchantId ? { merchantId: m.merchantId } : {}), vaPartnerServiceIds: m.virtualAccounts };
    },
    merchantKnown: (merchant) => merchant === undefined || core.keyRing.merchantNames().includes(merchant),
    onOutcome,
    onError: (err) => log.error({ err }, 'writing the outcome of a command failed; retrying'),
    onMidtransError: (err, plugin, command) => {
      if (err.kind === 'auth' || err.kind === 'credentials-revoked')
        credentials.report(command.merchant ?? core.keyRing.defaultMerchant, plugin.api);
      log.warn(
        { err, method: plugin.method, orderId: command.orderId, commandId: command.commandId },
        'Midtrans call failed; retrying with the same identifiers',
      );
    },
  });
}
