// Duplicates and replays of a verified notification within the window cost no second status
// inquiry: one handling per notification at a time (single flight; concurrent copies share its
// answer), and a notification answered 200 answers the same 200 to its copies until the window ends.
// A handling that failed is forgotten, so the next copy (Midtrans' retry) is handled again. Bounded
// in time (the window) and size (the oldest entry goes first).
import { createHash } from 'node:crypto';

export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

interface Entry {
  readonly answer: Promise<Answer>;
  /** When a 200 stops answering its copies; Infinity while in flight. */
  expiresAt: number;
}

/** 15 minutes: a notification is fresh for ±5 minutes of its X-TIMESTAMP, so a fresh replay always finds its first copy. */
export const REPLAY_WINDOW_MS = 15 * 60_000;

export class ReplayWindow {
  readonly #entries = new Map<string, Entry>();
  readonly #windowMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(opts: { windowMs?: number; maxEntries?: number; now?: () => number } = {}) {
    this.#windowMs = opts.windowMs ?? REPLAY_WINDOW_MS;
    this.#maxEntries = opts.maxEntries ?? 10_000;
    this.#now = opts.now ?? Date.now;
  }

  /** Fixed-size keys, whatever the input: a digest of the parts. */
  static key(...parts: readonly (string | Uint8Array)[]): string {
    const hash = createHash('sha256');
    for (const p of parts) hash.update(p).update('\0');
    return hash.digest('base64');
  }

  /** Runs `handle` unless a notification under any of `keys` is in flight or was answered 200 within the window. */
  async once(keys: readonly string[], handle: () => Promise<Answer>): Promise<{ answer: Answer; duplicate: boolean }> {
    const earlier = keys.map((k) => this.#live(k)).find((e) => e !== undefined);
    if (earlier) return { answer: await earlier.answer, duplicate: true };
    const entry: Entry = { answer: handle(), expiresAt: Infinity };
    for (const k of keys) this.#put(k, entry);
    try {
      const answer = await entry.answer;
      if (answer.status === 200) entry.expiresAt = this.#now() + this.#windowMs;
      else this.#forget(keys, entry);
      return { answer, duplicate: false };
    } catch (err) {
      this.#forget(keys, entry);
      throw err;
    }
  }

  get size(): number {
    return this.#entries.size;
  }

  #live(key: string): Entry | undefined {
    const entry = this.#entries.get(key);
    if (entry && entry.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  #put(key: string, entry: Entry): void {
    const now = this.#now();
    // Insertion order is close to expiry order: drop the expired from the front, then the oldest if still full.
    for (const [k, e] of this.#entries) {
      if (e.expiresAt > now && this.#entries.size < this.#maxEntries) break;
      this.#entries.delete(k);
    }
    this.#entries.set(key, entry);
  }

  #forget(keys: readonly string[], entry: Entry): void {
    for (const k of keys) if (this.#entries.get(k) === entry) this.#entries.delete(k);
  }
}
