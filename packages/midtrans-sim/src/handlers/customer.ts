// The customer's pages: /pay/{ref} to authorise or decline an e-wallet, QRIS or VA payment, and
// /3ds/{ref} for a card's 3-D Secure challenge. GET shows the page, POST is the customer's answer.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { SimContext } from '../context.ts';
import { text } from '../core-wire.ts';
import { decline, pay } from '../customer-actions.ts';
import { donePage, payPage } from '../pages.ts';
import type { Tx } from '../store.ts';
import { SANDBOX_OTP, completeThreeDs, threeDsPage, threeDsResult } from '../three-ds.ts';

export function handleCustomer(ctx: SimContext, req: IncomingMessage, res: ServerResponse, url: URL, raw: Buffer): void {
  const [, page, ref] = url.pathname.split('/');
  const tx = ref ? ctx.store.transactions.get(ref) : undefined;
  if (!tx) {
    res.writeHead(404, { 'content-type': 'text/html' }).end(donePage('No such payment'));
    return;
  }
  const html = (status: number, body: string): void => void res.writeHead(status, { 'content-type': 'text/html; charset=utf-8' }).end(body);
  if (req.method === 'GET')
    html(200, page === '3ds' ? threeDsPage(ref ?? '', text(tx.extra['masked_card']), tx.amount) : payPage(ref ?? '', tx.method, tx.amount));
  else html(200, donePage(page === '3ds' ? submitThreeDs(ctx, tx, raw) : submitPayment(ctx, tx, raw)));
}

function submitThreeDs(ctx: SimContext, tx: Tx, raw: Buffer): string {
  const otp = new URLSearchParams(raw.toString('utf8')).get('otp');
  completeThreeDs(ctx, tx, otp === SANDBOX_OTP);
  return threeDsResult(tx);
}

function submitPayment(ctx: SimContext, tx: Tx, raw: Buffer): string {
  if (new URLSearchParams(raw.toString('utf8')).get('decision') === 'decline')
    return decline(ctx, tx) ? 'Payment declined' : `Payment not possible (status ${tx.status})`;
  return pay(ctx, tx) ? 'Payment successful' : `Payment not possible (status ${tx.status})`;
}
