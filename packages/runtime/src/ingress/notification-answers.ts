// How a notification's body is read, and how Midtrans is told it was taken: each BI-SNAP notify path
// has its own success code, and a VA payment is answered with the account it paid.
import type { Answer } from './replay-window.ts';

/** The BI-SNAP success answer per notify path (Midtrans reference §6). */
const ACK: Record<string, string> = {
  '/v1.0/debit/notify': '2005600',
  '/v1.0/qr/qr-mpm-notify': '2005200',
  '/v1.0/transfer-va/payment': '2002500',
};
const VA_NOTIFY_PATH = '/v1.0/transfer-va/payment';

/** A VA payment notification is answered with the account it paid, as Midtrans expects. */
function vaEcho(body: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    ['partnerServiceId', 'customerNo', 'virtualAccountNo', 'trxId'].flatMap((k) => (typeof body[k] === 'string' ? [[k, body[k]]] : [])),
  );
}

/** Every Midtrans notification is a JSON object; anything else (null, an array, a number) is malformed. */
export function parseObject(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(raw.toString('utf8')) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The success answer to a notification on `path`. */
export function acknowledged(path: string, body: Record<string, unknown>): Answer {
  return {
    status: 200,
    body: {
      responseCode: ACK[path] ?? '2000000',
      responseMessage: 'Successful',
      ...(path === VA_NOTIFY_PATH ? { virtualAccountData: vaEcho(body) } : {}),
    },
  };
}
