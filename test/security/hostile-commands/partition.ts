// One partition of the command topic carries the whole attack: order ids are chosen so that the
// project's partitioner (murmur2 of the key, as Kafka's own) sends them there, and every record is
// also written to it explicitly, so keys that are not order ids (a card, another order, none) land
// beside the commands they could stall.
import { murmur2 } from '@paystream/runtime';
import { PARTITIONS } from '@paystream/test-harness';

/** The attacked partition of `paystream.commands.gopay`; the others stay empty. */
export const PARTITION = 4;

export const partitionOf = (key: string, partitions = PARTITIONS): number => (murmur2(Buffer.from(key)) & 0x7fffffff) % partitions;

/** Order ids on the attacked partition: `${stem}-${n}`, skipping those the partitioner sends elsewhere. */
export class OrderIds {
  #next = 0;
  readonly #stem: string;

  constructor(stem: string) {
    if (!/^[A-Za-z0-9_~.-]{1,40}$/.test(stem)) throw new RangeError('an order id stem is at most 40 order-id characters');
    this.#stem = stem;
  }

  next(): string {
    for (;;) {
      const id = `${this.#stem}-${String(this.#next++)}`;
      if (partitionOf(id) === PARTITION) return id;
    }
  }
}
