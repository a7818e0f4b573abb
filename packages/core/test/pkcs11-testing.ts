// What the PKCS#11 specs share: a second copy of the binding, to look at the token behind a signer's
// back (Cryptoki's state is the process's, so it sees the same tokens and sessions), and the coded
// refusal a signer's promise ends in.
import pkcs11js from 'pkcs11js';
import { PaystreamError } from '../src/errors.ts';

/** The rejection of `attempt`, which must be a coded KeyError. */
export async function refusal(attempt: Promise<unknown>): Promise<PaystreamError> {
  const err: unknown = await attempt.catch((e: unknown) => e);
  if (!PaystreamError.is(err) || err.name !== 'KeyError') throw new Error(`expected a KeyError, got ${String(err)}`);
  return err;
}

/** Runs a PKCS#11 call that may answer `tolerated`: a state that is already as wanted. */
export function tolerating(tolerated: string, call: () => void): void {
  try {
    call();
  } catch (err) {
    if (!(err instanceof Error) || err.message !== tolerated) throw err;
  }
}

/** A second copy of the binding on `module`, initialised unless the process already did. */
export function binding(module: string): pkcs11js.PKCS11 {
  const lib = new pkcs11js.PKCS11();
  lib.load(module);
  tolerating('CKR_CRYPTOKI_ALREADY_INITIALIZED', () => lib.C_Initialize());
  return lib;
}
