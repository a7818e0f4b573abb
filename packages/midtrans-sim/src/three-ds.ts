// 3-D Secure for Core API card charges: the sandbox test cards and their outcomes, the challenge
// page the customer is redirected to, and what submitting it does to the transaction.
import { notifyMerchant, type SimContext } from './context.ts';
import { text } from './core-wire.ts';
import { escapeHtml } from './pages.ts';
import type { Tx } from './store.ts';

/** Sandbox test cards (Midtrans reference §8.3): outcome after 3DS. */
export const TEST_CARDS: Record<string, 'accept' | 'bank-deny' | 'fds-challenge' | 'fds-deny'> = {
  '4811111111111114': 'accept',
  '5211111111111117': 'accept',
  '4911111111111113': 'bank-deny',
  '4611111111111116': 'fds-challenge',
  '4711111111111115': 'fds-deny',
};

/** The one-time password the sandbox accepts. */
export const SANDBOX_OTP = '112233';

export function threeDsPage(ref: string, maskedCard: string, amount: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>3D Secure</title></head>
<body><h1>3D Secure authentication</h1><p>Card ${escapeHtml(maskedCard)}, IDR ${escapeHtml(amount)}</p>
<form method="post" action="/3ds/${escapeHtml(ref)}"><label for="otp">One-time password</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code"><button id="submit" type="submit">Submit</button></form></body></html>`;
}

/** The customer completed (or failed) 3DS: the card's test outcome decides. */
export function completeThreeDs(ctx: SimContext, tx: Tx, otpOk: boolean): void {
  const outcome = TEST_CARDS[text(tx.extra['card'])] ?? 'accept';
  tx.extra['transaction_status'] =
    !otpOk || outcome === 'bank-deny' || outcome === 'fds-deny' ? 'deny' : outcome === 'fds-challenge' ? 'capture' : 'capture';
  tx.extra['fraud_status'] = outcome === 'fds-challenge' ? 'challenge' : outcome === 'fds-deny' ? 'deny' : 'accept';
  tx.status = tx.extra['transaction_status'] === 'deny' ? '09' : outcome === 'fds-challenge' ? '03' : '00';
  ctx.store.record(tx.status === '00' ? 'paid' : tx.status === '09' ? 'failed' : 'challenge', tx);
  notifyMerchant(ctx, tx);
}

/** What the customer reads after submitting the challenge. */
export function threeDsResult(tx: Tx): string {
  return tx.status === '09' ? 'Payment denied' : tx.status === '00' ? 'Payment successful' : 'Payment under review';
}
