// One loaded PKCS#11 module per library file per process: Cryptoki's state is global to the
// process (a second C_Initialize fails with CKR_CRYPTOKI_ALREADY_INITIALIZED), so every signer and
// key generation on a module shares it, and their calls run one at a time.
import { realpathSync } from 'node:fs';
import pkcs11js from 'pkcs11js';
import { failure, Pkcs11Failure, returnValueOf } from './pkcs11-errors.ts';

export type Pkcs11 = pkcs11js.PKCS11;
export type Handle = pkcs11js.Handle;
export { pkcs11js };

export class Pkcs11Module {
  readonly lib: Pkcs11;
  #initialised = false;
  #generation = 0;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(lib: Pkcs11) {
    this.lib = lib;
  }

  /**
   * Counts the module's initialisations. Session and object handles belong to one generation: after
   * a re-initialisation they are stale and must be forgotten, never closed (the number may by then
   * name another signer's session).
   */
  get generation(): number {
    return this.#generation;
  }

  /** Runs `task` after every task queued before it, initialising the module first when needed. */
  run<T>(task: (lib: Pkcs11) => T | Promise<T>): Promise<T> {
    const result = this.#queue.then(async () => {
      this.#initialise();
      try {
        return await task(this.lib);
      } catch (err) {
        // Someone finalised the module behind our back: initialise it again at the next task.
        if (returnValueOf(err) === 'CKR_CRYPTOKI_NOT_INITIALIZED') this.#initialised = false;
        throw err;
      }
    });
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /**
   * Finalises and initialises the module again, inside a task: the only way some modules (SoftHSM
   * among them) notice a token added after C_Initialize. Every session of the module is lost.
   */
  reinitialise(): void {
    try {
      this.lib.C_Finalize();
    } catch {
      // Already finalised: initialising is all that is left to do.
    }
    this.#initialised = false;
    this.#initialise();
  }

  #initialise(): void {
    if (this.#initialised) return;
    try {
      this.lib.C_Initialize();
    } catch (err) {
      // Another copy of the binding in this process initialised it: the state is shared, so use it.
      if (returnValueOf(err) !== 'CKR_CRYPTOKI_ALREADY_INITIALIZED') throw failure('initialising the PKCS#11 module', err, { quote: true });
    }
    this.#initialised = true;
    this.#generation += 1;
  }

  /** C_Finalize and unload once the tasks already queued are done; the module is unusable afterwards. */
  async finalize(): Promise<void> {
    await this.#queue;
    if (this.#initialised) {
      try {
        this.lib.C_Finalize();
      } catch {
        // Finalised already.
      }
    }
    this.#initialised = false;
    try {
      this.lib.close();
    } catch {
      // Unloaded already.
    }
  }
}

const modules = new Map<string, Pkcs11Module>();

/** The shared module for the library at `path`, loaded at first use; a load that fails is retried next time. */
export function pkcs11Module(path: string): Pkcs11Module {
  // The same library reached through a symbolic link is the same module: dlopen loads it once.
  let file: string;
  try {
    file = realpathSync(path);
  } catch {
    throw new Pkcs11Failure(`the PKCS#11 module file ${path} is gone`);
  }
  let module = modules.get(file);
  if (module === undefined) {
    const lib = new pkcs11js.PKCS11();
    try {
      lib.load(file);
    } catch (err) {
      // The loader's message names the file and why (missing library, wrong architecture): no secret.
      throw new Pkcs11Failure(`the PKCS#11 module could not be loaded: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    module = new Pkcs11Module(lib);
    modules.set(file, module);
  }
  return module;
}

/** Finalises and unloads every module this process loaded (tests, process end); later use loads them anew. */
export async function finalizePkcs11Modules(): Promise<void> {
  const loaded = [...modules.values()];
  modules.clear();
  await Promise.all(loaded.map((module) => module.finalize()));
}
