// Simulated customers: they turn a card into a Midtrans token the way Midtrans' JS does in the
// shop's page, and they authorise payments — in the e-wallet (the simulator's pay action), by a
// transfer to a virtual account's number, or by entering the OTP on the 3-D Secure page a card
// charge redirects to.
import type { PaymentEvent } from '@paystream/contracts';
import type { HttpsClient } from './https-client.ts';
import type { SimAdmin } from './simulator.ts';

/** The simulator's sandbox card that its 3DS page accepts with OTP 112233. */
export const SANDBOX_CARD = '4811111111111114';

export class Customers {
  readonly #baseUrl: string;
  readonly #clientKey: string;
  readonly #http: HttpsClient;
  readonly #admin: SimAdmin;

  constructor(opts: { baseUrl: string; clientKey: string; http: HttpsClient; admin: SimAdmin }) {
    this.#baseUrl = opts.baseUrl;
    this.#clientKey = opts.clientKey;
    this.#http = opts.http;
    this.#admin = opts.admin;
  }

  /** A single-use card token from `GET /v2/token`: all a command may carry for a card. */
  async cardToken(card = SANDBOX_CARD): Promise<string> {
    const query = new URLSearchParams({
      card_number: card,
      card_exp_month: '12',
      card_exp_year: '2030',
      card_cvv: '123',
      client_key: this.#clientKey,
    });
    const { status, body } = await this.#http.json(`${this.#baseUrl}/v2/token?${query.toString()}`);
    const token = (body as { token_id?: unknown } | undefined)?.token_id;
    if (status !== 200 || typeof token !== 'string') throw new Error(`no card token (HTTP ${String(status)})`);
    return token;
  }

  /** Authorises the payment an action_required event asks for. */
  async pay(event: PaymentEvent): Promise<void> {
    const action = event.data.action;
    if (action?.kind === 'three_ds' && action.url) {
      const answer = await this.#http.send(action.url, {
        method: 'POST',
        body: 'otp=112233',
        contentType: 'application/x-www-form-urlencoded',
      });
      if (answer.status !== 200 || !answer.text.includes('Payment successful'))
        throw new Error(`3DS for ${event.data.orderId} did not succeed: HTTP ${String(answer.status)}`);
      return;
    }
    // A virtual account is paid by transfer to its number from the payer's bank.
    if (action?.kind === 'virtual_account' && action.vaNumber) {
      await this.#admin.pay({ vaNumber: action.vaNumber });
      return;
    }
    // A convenience-store code is paid in cash at the counter, the cashier entering the code.
    if (action?.kind === 'payment_code') {
      await this.#admin.pay({ paymentCode: action.paymentCode });
      return;
    }
    const referenceNo = event.data.midtrans['referenceNo'];
    await this.#admin.pay(referenceNo ? { referenceNo } : { orderId: event.data.orderId });
  }

  /** Pays every event, `concurrency` customers at a time. */
  async payAll(events: readonly PaymentEvent[], concurrency = 16): Promise<void> {
    let next = 0;
    const one = async (): Promise<void> => {
      for (let i = next++; i < events.length; i = next++) await this.pay(events[i] as PaymentEvent);
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, events.length) }, one));
  }
}
