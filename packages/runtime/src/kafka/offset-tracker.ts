// Which offset of a partition may be committed: never past a message whose work is unfinished. A
// crash at any instant therefore redelivers every command whose result was not yet published.

interface Slot {
  readonly offset: number;
  done: boolean;
}

class PartitionTrack {
  readonly #slots: Slot[] = [];
  #head = 0;
  #committable: number | undefined;

  start(offset: number): void {
    const last = this.#slots.at(-1);
    if (last && offset <= last.offset) throw new RangeError(`offset ${String(offset)} arrived after ${String(last.offset)}`);
    this.#slots.push({ offset, done: false });
  }

  /** Marks an offset finished; returns the new commit point when it moved. */
  finish(offset: number): number | undefined {
    const slot = this.#slots.find((s, i) => i >= this.#head && s.offset === offset);
    if (!slot) throw new RangeError(`offset ${String(offset)} is not in flight`);
    slot.done = true;
    const before = this.#committable;
    while (this.#head < this.#slots.length && this.#slots[this.#head]?.done) {
      this.#committable = (this.#slots[this.#head]?.offset ?? 0) + 1;
      this.#head++;
    }
    if (this.#head > 1024) {
      this.#slots.splice(0, this.#head);
      this.#head = 0;
    }
    return this.#committable !== before ? this.#committable : undefined;
  }

  get committable(): number | undefined {
    return this.#committable;
  }

  get inFlight(): number {
    return this.#slots.length - this.#head;
  }

  /** The lowest offset still being worked on, if any. */
  get lowestUnfinished(): number | undefined {
    return this.#slots[this.#head]?.offset;
  }
}

/** A partition's track; work started on a track that was since forgotten commits nothing. */
export type PartitionHandle = PartitionTrack;

/** Offsets per topic-partition. Kafka commits "the next offset to read", hence `offset + 1`. */
export class OffsetTracker {
  readonly #parts = new Map<string, PartitionTrack>();

  #key(topic: string, partition: number): string {
    return `${topic}\u0000${String(partition)}`;
  }

  /** Records an offset as in flight and returns the track to finish it on. */
  start(topic: string, partition: number, offset: number): PartitionHandle {
    const key = this.#key(topic, partition);
    let p = this.#parts.get(key);
    if (!p) this.#parts.set(key, (p = new PartitionTrack()));
    p.start(offset);
    return p;
  }

  /** Finishes an offset; the new commit point when it moved and the track is still current. */
  finish(topic: string, partition: number, track: PartitionHandle, offset: number): number | undefined {
    const moved = track.finish(offset);
    return this.#parts.get(this.#key(topic, partition)) === track ? moved : undefined;
  }

  committable(topic: string, partition: number): number | undefined {
    return this.#parts.get(this.#key(topic, partition))?.committable;
  }

  lowestUnfinished(topic: string, partition: number): number | undefined {
    return this.#parts.get(this.#key(topic, partition))?.lowestUnfinished;
  }

  inFlight(): number {
    let n = 0;
    for (const p of this.#parts.values()) n += p.inFlight;
    return n;
  }

  /** Forgets a partition this consumer no longer owns; its unfinished work will be redelivered. */
  forget(topic: string, partition: number): void {
    this.#parts.delete(this.#key(topic, partition));
  }

  partitions(): { topic: string; partition: number }[] {
    return [...this.#parts.keys()].map((k) => {
      const [topic = '', partition = '0'] = k.split('\u0000');
      return { topic, partition: Number(partition) };
    });
  }
}
