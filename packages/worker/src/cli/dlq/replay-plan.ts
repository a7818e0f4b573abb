// Where a DLQ record may be replayed to, decided from the command it holds and never from a field
// of the record: anyone able to write a DLQ record could otherwise make an operator's replay write
// anything to any topic (the order state included). The command is decrypted, validated as a
// PaymentCommand, must name the method whose DLQ it was read from, and that method must be one this
// install runs; its command topic is then the only target.
import { DlqHeaders, PaymentCommand } from '@paystream/contracts';
import { codes } from '@paystream/core';
import type { Topology } from '@paystream/runtime';
import { at, isReadable, type DlqEntry } from './dlq-records.ts';
import type { PayloadReader } from './payload-reader.ts';

export interface Replay {
  readonly from: string;
  readonly topic: string;
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

export interface Refusal {
  readonly from: string;
  readonly code: typeof codes.PS_ERR_DLQ_RECORD_INVALID | typeof codes.PS_ERR_DLQ_NOT_REPLAYABLE;
  readonly reason: string;
}

export interface ReplayContext {
  /** The method whose DLQ the entries were read from. */
  readonly method: string;
  readonly names: Topology;
  /** The methods this install runs. */
  readonly installed: ReadonlySet<string>;
  readonly payloads: PayloadReader;
}

const MASKED =
  'the stored payload was masked (card data), so it is not the command that was sent; the upstream service must send it again, with a Midtrans card token';

function json(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function planReplay(entry: DlqEntry, ctx: ReplayContext): Replay | Refusal {
  const from = `${ctx.names.dlq(ctx.method)}/${at(entry)}`;
  if (!isReadable(entry)) return { from, ...entry.unreadable };
  const refuse = (reason: string): Refusal => ({ from, code: codes.PS_ERR_DLQ_NOT_REPLAYABLE, reason });
  const r = entry.record;
  if (r.payloadMasked === true || r.code === codes.PS_ERR_COMMAND_CARD_DATA) return refuse(MASKED);
  if (r.payloadTruncated === true)
    return refuse('the stored payload was cut at the size a DLQ record keeps, so it is not the command that was sent');
  const payload = ctx.payloads.read(r);
  if ('error' in payload) return refuse(payload.error);
  const command = PaymentCommand.safeParse(json(payload.text));
  if (!command.success) return refuse('the stored payload is not a valid payment command; the upstream service must send a corrected one');
  const method = command.data.method;
  if (method !== ctx.method) return refuse(`the command names method ${method}, not ${ctx.method} whose DLQ holds it`);
  if (!ctx.installed.has(method)) return refuse(`method ${method} is not one this install runs`);
  return {
    from,
    topic: ctx.names.commands(method),
    key: command.data.orderId,
    value: payload.text,
    headers: { [DlqHeaders.attempts]: String(r.attempts), [DlqHeaders.firstSeen]: r.firstSeen, 'paystream-replayed-from': from },
  };
}

export const isReplay = (p: Replay | Refusal): p is Replay => 'topic' in p;
