// PKCS#11 failures in an operator's words: every failure of the HSM signer becomes a reason that
// names the cause and the PKCS#11 return value, and says whether a fresh session may cure it.

/** What an operator should read for a PKCS#11 return value; the value itself is appended. */
const WORDS: Readonly<Record<string, string>> = {
  CKR_PIN_INCORRECT: 'the token refused the PIN',
  CKR_PIN_LOCKED: 'the token locked the PIN after too many wrong attempts; its security officer must unlock it',
  CKR_PIN_EXPIRED: 'the PIN has expired; set a new one on the token',
  CKR_PIN_LEN_RANGE: 'the PIN has a length the token does not accept',
  CKR_PIN_INVALID: 'the PIN holds characters the token does not accept',
  CKR_USER_PIN_NOT_INITIALIZED: 'the token has no user PIN yet; initialise it with the token tool',
  CKR_TOKEN_NOT_PRESENT: 'the token is not present',
  CKR_TOKEN_NOT_RECOGNIZED: 'the token is not recognised by the module',
  CKR_DEVICE_REMOVED: 'the token was removed',
  CKR_DEVICE_ERROR: 'the token reported a device error',
  CKR_DEVICE_MEMORY: 'the token is out of memory',
  CKR_SESSION_HANDLE_INVALID: 'the session with the token was lost',
  CKR_SESSION_CLOSED: 'the session with the token was closed',
  CKR_SESSION_COUNT: 'the token has no free session',
  CKR_USER_NOT_LOGGED_IN: 'the token logged the session out',
  CKR_KEY_HANDLE_INVALID: 'the key is no longer on the token',
  CKR_OBJECT_HANDLE_INVALID: 'the key is no longer on the token',
  CKR_KEY_FUNCTION_NOT_PERMITTED: 'the key is not allowed to sign (CKA_SIGN is false)',
  CKR_KEY_TYPE_INCONSISTENT: 'the key is not an RSA key',
  CKR_MECHANISM_INVALID: 'the token does not offer SHA256withRSA (CKM_SHA256_RSA_PKCS)',
  CKR_CRYPTOKI_NOT_INITIALIZED: 'the PKCS#11 module was finalised',
  CKR_SLOT_ID_INVALID: 'the slot is gone',
};

/** Return values after which a new session (and, for the module, a new C_Initialize) may succeed. */
const SESSION_LOSS = new Set([
  'CKR_SESSION_HANDLE_INVALID',
  'CKR_SESSION_CLOSED',
  'CKR_DEVICE_REMOVED',
  'CKR_TOKEN_NOT_PRESENT',
  'CKR_USER_NOT_LOGGED_IN',
  'CKR_DEVICE_ERROR',
  'CKR_KEY_HANDLE_INVALID',
  'CKR_OBJECT_HANDLE_INVALID',
  'CKR_OPERATION_ACTIVE',
  'CKR_CRYPTOKI_NOT_INITIALIZED',
  'CKR_SLOT_ID_INVALID',
]);

/** A failure already put into words; `returnValue` is the PKCS#11 CKR_… name when there is one. */
export class Pkcs11Failure extends Error {
  readonly reason: string;
  readonly returnValue: string | undefined;

  readonly #sessionSuspect: boolean;

  /** `sessionSuspect`: the session is at fault though the token reported no error. */
  constructor(reason: string, returnValue?: string, sessionSuspect = false) {
    super(reason);
    this.name = 'Pkcs11Failure';
    this.reason = reason;
    this.returnValue = returnValue;
    this.#sessionSuspect = sessionSuspect;
  }

  /** The session, not the configuration, is at fault: dropping it and opening a new one may cure it. */
  get sessionLost(): boolean {
    return this.#sessionSuspect || (this.returnValue !== undefined && SESSION_LOSS.has(this.returnValue));
  }
}

/**
 * The CKR_… name of a pkcs11js error: `Pkcs11Error` carries it as its message (and the number as
 * `code`); a few calls (C_FindObjects) throw a plain Error whose message is `CKR_NAME:number`.
 */
export function returnValueOf(err: unknown): string | undefined {
  const message = err instanceof Error ? err.message : '';
  return /\bCKR_[A-Z0-9_]+/.exec(message)?.[0];
}

export interface FailureOptions {
  /** Whether the error's own message may be quoted; never for a step that handles the PIN. */
  readonly quote?: boolean;
}

/** `err`, raised while doing `step` (e.g. `logging in`), as a failure with an operator's reason. */
export function failure(step: string, err: unknown, options: FailureOptions = {}): Pkcs11Failure {
  if (err instanceof Pkcs11Failure) return err;
  const returnValue = returnValueOf(err);
  if (returnValue !== undefined) {
    const words = WORDS[returnValue] ?? `the token failed while ${step}`;
    return new Pkcs11Failure(`${words} (${returnValue})`, returnValue);
  }
  const detail = options.quote === true && err instanceof Error && err.message !== '' ? `: ${err.message.split('\n')[0] ?? ''}` : '';
  return new Pkcs11Failure(`the PKCS#11 module failed while ${step}${detail}`);
}

/** Runs one PKCS#11 step, turning whatever it throws into a failure named after the step. */
export function during<T>(step: string, action: () => T, options: FailureOptions = { quote: true }): T {
  try {
    return action();
  } catch (err) {
    throw failure(step, err, options);
  }
}

/** The asynchronous form of `during`, for the calls pkcs11js runs off the main thread. */
export async function duringAsync<T>(step: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (err) {
    throw failure(step, err, { quote: true });
  }
}
