// What the attack sent, by offset, and the DLQ's answer to each: one DLQ record with the case's code
// for a hostile command, none for a valid charge. DLQ records are read (and decrypted) once each, as
// the tap brings them in.
import type { PaymentCommand, ResultEvent } from '@paystream/contracts';
import type { IHeaders } from 'kafkajs';
import type { HostileCase } from './cases.ts';
import { PARTITION } from './partition.ts';
import type { HostileRun, RawCommand } from './run.ts';
import { byOffset, dlqProblems, readDlq, sizeOf, type DlqEntry } from './verdicts.ts';

/** A valid charge, with the headers an upstream service sent along. */
export interface ValidCharge {
  readonly command: PaymentCommand;
  readonly headers?: IHeaders;
}

export class Sent {
  readonly hostile = new Map<string, HostileCase>();
  readonly valid = new Map<string, ValidCharge>();
  readonly #run: HostileRun;
  readonly #dlq: DlqEntry[] = [];

  constructor(run: HostileRun) {
    this.#run = run;
  }

  /** Sends the items in this order to the attacked partition and remembers each by its offset. */
  async send(items: readonly (ValidCharge | HostileCase)[]): Promise<string[]> {
    const records: RawCommand[] = items.map((i) =>
      'code' in i ? i : { key: i.command.orderId, value: JSON.stringify(i.command), ...(i.headers ? { headers: i.headers } : {}) },
    );
    const offsets = await this.#run.send(records);
    items.forEach((item, n) => {
      const offset = offsets[n] ?? '';
      if ('code' in item) this.hostile.set(offset, item);
      else this.valid.set(offset, item);
    });
    return offsets;
  }

  /** Every DLQ record the tap has seen, parsed and decrypted. */
  dlq(): readonly DlqEntry[] {
    const tapped = this.#run.tap.on(this.#run.dlqTopic);
    if (tapped.length > this.#dlq.length) this.#dlq.push(...readDlq(tapped.slice(this.#dlq.length), this.#run.encryptionKeys));
    return this.#dlq;
  }

  /** What is wrong with the DLQ's answers to the given offsets (all sent when absent): `@offset name: problem`. */
  problems(offsets?: ReadonlySet<string>): string[] {
    const dlq = byOffset(this.dlq(), this.#run.commandTopic);
    const out: string[] = [];
    for (const [offset, c] of this.hostile) {
      if (offsets && !offsets.has(offset)) continue;
      for (const p of dlqProblems(c, dlq.get(offset) ?? [], sizeOf(c.value))) out.push(`@${offset} ${c.name}: ${p}`);
    }
    for (const [offset, v] of this.valid)
      if ((!offsets || offsets.has(offset)) && dlq.has(offset)) out.push(`@${offset} valid charge ${v.command.orderId}: went to the DLQ`);
    return out;
  }
}

/** Codes whose command was read as JSON naming its order: downstream must hear of the refusal. */
const ANNOUNCED = new Set([
  'PS_ERR_COMMAND_UNKNOWN_MERCHANT',
  'PS_ERR_COMMAND_KEY_MISMATCH',
  'PS_ERR_COMMAND_INVALID',
  'PS_ERR_COMMAND_UNKNOWN_METHOD',
  'PS_ERR_COMMAND_DUPLICATE_ID',
]);

/** Rejected events against the hostile commands: at most one each, with its code; exactly one when the order is known. */
export function rejectedProblems(sent: Sent, events: Iterable<{ readonly event: ResultEvent }>, commandTopic: string): string[] {
  const byOffset = new Map<string, string[]>();
  for (const { event } of events)
    if (event.type === 'paystream.command.rejected' && event.data.topic === commandTopic && event.data.partition === PARTITION)
      byOffset.set(event.data.offset, [...(byOffset.get(event.data.offset) ?? []), event.data.code]);
  const out: string[] = [];
  for (const [offset, c] of sent.hostile) {
    const codes = byOffset.get(offset) ?? [];
    if (codes.length > 1 || codes.some((code) => code !== c.code)) out.push(`@${offset} ${c.name}: rejected events ${codes.join(', ')}`);
    if (codes.length === 0 && ANNOUNCED.has(c.code) && c.orderId) out.push(`@${offset} ${c.name}: no rejected event`);
  }
  for (const [offset, v] of sent.valid) if (byOffset.has(offset)) out.push(`@${offset} valid charge ${v.command.orderId}: rejected`);
  return out;
}

/** Problems folded by case name and problem, with counts: readable for thousands of commands. */
export function tally(problems: readonly string[]): string[] {
  const counts = new Map<string, number>();
  for (const p of problems) {
    const what = p.replace(/^@\d+ /, '');
    counts.set(what, (counts.get(what) ?? 0) + 1);
  }
  return [...counts].map(([what, n]) => `${String(n)}× ${what}`);
}
