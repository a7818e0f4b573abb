// The console's sessions, in memory: a random id (32 bytes, base64url) in the cookie, a CSRF token
// of the same strength, an absolute and an idle expiry, and a bound on how many exist at once (the
// oldest goes first). Kept by the id's SHA-256, so the store never holds what the cookie carries.
import { createHash, randomBytes } from 'node:crypto';
import type { ConsoleUser } from '../api-route.ts';

export const IDLE_MS = 30 * 60_000;
export const MAX_SESSIONS = 10_000;

export interface Session {
  readonly user: ConsoleUser;
  readonly csrfToken: string;
  readonly startedAt: number;
  lastSeenAt: number;
}

export interface SessionOptions {
  readonly ttlMs: number;
  readonly idleMs?: number;
  readonly max?: number;
  readonly now?: () => number;
}

const keyOf = (id: string): string => createHash('sha256').update(id).digest('base64url');
const random = (): string => randomBytes(32).toString('base64url');

export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #ttlMs: number;
  readonly #idleMs: number;
  readonly #max: number;
  readonly #now: () => number;

  constructor(opts: SessionOptions) {
    this.#ttlMs = opts.ttlMs;
    this.#idleMs = Math.min(opts.idleMs ?? IDLE_MS, opts.ttlMs);
    this.#max = opts.max ?? MAX_SESSIONS;
    this.#now = opts.now ?? Date.now;
  }

  /** A new session for `user`: its id goes into the cookie and nowhere else. */
  create(user: ConsoleUser): { id: string; session: Session } {
    const now = this.#now();
    this.#sweep(now);
    // Map order is creation order: the first key is the oldest session.
    while (this.#sessions.size >= this.#max) this.#sessions.delete(this.#sessions.keys().next().value ?? '');
    const id = random();
    const session: Session = { user, csrfToken: random(), startedAt: now, lastSeenAt: now };
    this.#sessions.set(keyOf(id), session);
    return { id, session };
  }

  /** The live session of `id`, seen now; an expired one is forgotten. */
  get(id: string): Session | undefined {
    const key = keyOf(id);
    const session = this.#sessions.get(key);
    if (!session) return undefined;
    const now = this.#now();
    if (this.#expired(session, now)) {
      this.#sessions.delete(key);
      return undefined;
    }
    session.lastSeenAt = now;
    return session;
  }

  delete(id: string): void {
    this.#sessions.delete(keyOf(id));
  }

  get size(): number {
    return this.#sessions.size;
  }

  #expired(s: Session, now: number): boolean {
    return now - s.startedAt >= this.#ttlMs || now - s.lastSeenAt >= this.#idleMs;
  }

  #sweep(now: number): void {
    for (const [key, s] of this.#sessions) if (this.#expired(s, now)) this.#sessions.delete(key);
  }
}
