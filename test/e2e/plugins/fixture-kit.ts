// What fixtures share, the built-in ones in fixtures.ts and those plugins ship in their own folder
// (plugins/<name>/test/whole-system.ts): the action a charge asked for, the simulator's transaction
// behind it, and the customer on the e-wallet's page. Only HTTPS and the simulator's types, so a
// plugin's typecheck stays small.
import type { PaymentEvent } from '@paystream/contracts';
import type { Simulator, Tx } from '@paystream/midtrans-sim';
import type { Action, FixtureHarness } from './fixture-types.ts';

export function actionOf(charge: PaymentEvent): Action {
  const action = charge.data.action;
  if (!action) throw new Error(`the ${charge.data.method} charge asked the customer for nothing`);
  return action;
}

/** A field of the action (`url`, `qrString`, `vaNumber`, `paymentCode`, …) as the customer reads it; '' when it has none. */
export function actionField(charge: PaymentEvent, field: string): string {
  const action: Readonly<Record<string, unknown>> = actionOf(charge);
  const value = action[field];
  return typeof value === 'string' ? value : '';
}

/** The simulator's transaction of a charge: by its BI-SNAP referenceNo, else its Core API transaction id. */
export const byReference = (sim: Simulator, charge: PaymentEvent): Tx | undefined =>
  sim.store.transactions.get(charge.data.midtrans['referenceNo'] ?? charge.data.midtrans['transactionId'] ?? '');

const resultOf = (html: string): string => /id="result">([^<]*)/.exec(html)?.[1] ?? html.slice(0, 200);

/** The customer opens the e-wallet link, sees the amount, and authorises or declines; returns what the page said. */
export async function walletPage(
  http: FixtureHarness['http'],
  url: string,
  decision: 'authorise' | 'decline',
): Promise<{ amount: string; result: string }> {
  const page = await http.send(url);
  const amount = /id="amount">([^<]*)/.exec(page.text)?.[1] ?? '';
  const answer = await http.send(url, { method: 'POST', body: `decision=${decision}`, contentType: 'application/x-www-form-urlencoded' });
  return { amount, result: resultOf(answer.text) };
}
