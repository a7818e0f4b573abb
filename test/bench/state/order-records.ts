// The orders the state suite fills a state topic with: GoPay charges the customer paid, each record as
// the worker writes it once the order succeeded — its Midtrans references (externalId derived from the
// command, partnerReferenceNo = the order id, Midtrans' referenceNo), the charge's facts and the
// commandId bound to its fingerprint — keyed by order id, with the writer header the worker sets.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { partitionOfKey, readStateRecord, type StateRead } from '@paystream/runtime';

/** The typed order state (version 2) as the runtime reads it back from the topic. */
type OrderState = NonNullable<Extract<StateRead, { readonly orderId: string }>['state']>;

/** Names the worker instance that wrote a record (order-references.ts); a worker applies every record another one wrote. */
const WRITER_HEADER = 'paystream-writer';

/**
 * The partitions of a worker's default configuration (`kafka.partitions`): of every command topic and of
 * the state topic alike, so that a fleet splits the state the way it splits the commands (issue 15, part 4).
 */
export const STATE_PARTITIONS = 6;

const AMOUNT_IDR = 150_000;

export interface StateMessage {
  readonly key: string;
  readonly value: string;
  readonly headers: Record<string, string>;
}

/** Paid orders of one fill, `order-<tag>-<i>`, all written by one (imaginary) earlier worker. */
export class SucceededOrders {
  readonly #tag: string;
  readonly #writer = randomUUID();
  /** When the orders were charged and paid: one instant for all, it changes no record's size. */
  readonly #paidAt = new Date().toISOString();
  readonly #expiresAt = new Date(Date.parse(this.#paidAt) + 15 * 60_000).toISOString();

  constructor(tag: string) {
    this.#tag = tag;
  }

  orderId(i: number): string {
    return `order-${this.#tag}-${String(i)}`;
  }

  /** Order i's record as the worker writes it. */
  message(i: number): StateMessage {
    const orderId = this.orderId(i);
    return { key: orderId, value: encodeStateRecord(this.state(orderId)), headers: { [WRITER_HEADER]: this.#writer } };
  }

  state(orderId: string): OrderState {
    const commandId = randomUUID();
    const key = commandId.replace(/-/g, '');
    return {
      v: 2,
      status: 'succeeded',
      amount: AMOUNT_IDR,
      currency: 'IDR',
      method: 'gopay',
      chargeCommandId: commandId,
      partition: partitionOfKey(orderId, STATE_PARTITIONS),
      expiresAt: this.#expiresAt,
      statusAt: this.#paidAt,
      // Opaque identifiers of the sizes the worker stores: the externalId a UUID derived from the command
      // (ids.ts; a random one here, as hashing costs the generator more than the rest of the record).
      references: { externalId: randomUUID(), partnerReferenceNo: orderId, referenceNo: randomUUID() },
      // The binding's key is the commandId without dashes (state-merge.ts); its value the command's fingerprint (22 base64url characters).
      commands: { [key]: Buffer.from(key, 'hex').toString('base64url') },
    };
  }

  /** Fails unless a generated record reads back through the runtime's own reader as exactly what was written. */
  selfCheck(): void {
    const orderId = this.orderId(0);
    const state = this.state(orderId);
    const read = readStateRecord(Buffer.from(orderId), Buffer.from(encodeStateRecord(state)));
    if ('skip' in read) throw new Error(`the worker would skip the generated state records (reason: ${read.skip})`);
    if (!isDeepStrictEqual(read.state, state))
      throw new Error(`the worker reads a generated record back differently: ${JSON.stringify(read.state)}`);
  }
}

/**
 * The bytes of a state record: the typed order state (version 2, order-state.ts), validated by the
 * runtime's reader in `selfCheck`. The one place to change should the record format change again.
 */
export function encodeStateRecord(state: OrderState): string {
  return JSON.stringify(state);
}
