// Card: the charge carries a token from `GET /v2/token` and must ask for 3DS; the answer redirects
// to the 3DS page, where the card's test outcome and the OTP decide (three-ds.ts).
import type { Body, CoreAnswer } from '../core-wire.ts';
import type { Tx } from '../store.ts';
import { HOUR, type CardToken, type CorePaymentType } from './payment-type.ts';

/** Puts the tokenised card on the charge; the refusal when the token is unusable or 3DS was not asked for. */
function attachCard(tx: Tx, cc: Body | undefined, tokens: ReadonlyMap<string, CardToken>): CoreAnswer | undefined {
  const token = typeof cc?.['token_id'] === 'string' ? tokens.get(cc['token_id']) : undefined;
  if (!token || token.expiresAt < Date.now())
    return { status: 411, body: { status_code: '411', status_message: 'Token id is missing, invalid, or timed out' } };
  if (cc?.['authentication'] !== true)
    return { status: 400, body: { status_code: '400', status_message: 'credit_card.authentication must be true: 3DS is required' } };
  Object.assign(tx.extra, { card: token.card, masked_card: `${token.card.slice(0, 6)}-${token.card.slice(-4)}` });
  return undefined;
}

export const creditCard: CorePaymentType = {
  paymentType: 'credit_card',
  requires: [],
  completion: 'three-ds',
  expiryMs: 24 * HOUR,
  // A card is denied on its 3DS page (a wrong OTP, a denying test card), never by a decline button.
  outcomes: ['pay'],
  open: (tx, body, env) => attachCard(tx, body['credit_card'] as Body | undefined, env.cardTokens),
  answer: (_tx, env) => ({ redirect_url: env.customerUrl }),
};
