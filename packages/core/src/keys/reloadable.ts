// Key material held for its users and swapped atomically on reload — SIGHUP or a changed file, the
// triggers coalesced — keeping the last good material when a reload fails. Core's key ring and the
// command key ring hold theirs in one of these.
import { PaystreamError } from '../errors.ts';

export type ReloadListener = (result: { readonly ok: boolean; readonly error?: string }) => void;

/** Where material comes from: files and environment here; a KMS adapter implements the same. */
export interface MaterialSource<M> {
  load(): Promise<M>;
  /** Calls back when the material may have changed; returns the unsubscribe function. */
  watch?(onChange: () => void): () => void;
}

export class ReloadableMaterial<M> {
  #material: M;
  readonly #source: MaterialSource<M>;
  /** Named in a reload failure that carries no catalogue code. */
  readonly #what: string;
  readonly #listeners = new Set<ReloadListener>();
  readonly #unwatch: (() => void) | undefined;
  #reloading: Promise<void> | undefined;

  constructor(source: MaterialSource<M>, material: M, what: string, watch: boolean) {
    this.#source = source;
    this.#material = material;
    this.#what = what;
    this.#unwatch = watch && source.watch ? source.watch(() => void this.reload()) : undefined;
  }

  get current(): M {
    return this.#material;
  }

  onReload(listener: ReloadListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Re-reads the source; coalesces concurrent triggers (SIGHUP and file change at once). */
  reload(): Promise<void> {
    this.#reloading ??= this.#doReload().finally(() => (this.#reloading = undefined));
    return this.#reloading;
  }

  async #doReload(): Promise<void> {
    try {
      this.#material = await this.#source.load();
      for (const l of this.#listeners) l({ ok: true });
    } catch (err) {
      const error = PaystreamError.is(err) ? `${err.code}: ${err.message}` : `${this.#what} could not be loaded`;
      for (const l of this.#listeners) l({ ok: false, error });
    }
  }

  close(): void {
    this.#unwatch?.();
  }
}

/** SIGHUP reloads the ring; returns the function that removes the handler. */
export function reloadOnSighup(ring: { reload(): Promise<void> }): () => void {
  const handler = (): void => void ring.reload();
  process.on('SIGHUP', handler);
  return () => process.off('SIGHUP', handler);
}
