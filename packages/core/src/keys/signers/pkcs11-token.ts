// Reaching a token through a PKCS#11 module: its slot by token label or slot id, a logged-in session and
// the objects on it, each step failing with a reason an operator can act on and never with the PIN.
import { PaystreamError } from '../../errors.ts';
import { during, failure, Pkcs11Failure, returnValueOf } from './pkcs11-errors.ts';
import { pkcs11js, type Handle, type Pkcs11, type Pkcs11Module } from './pkcs11-module.ts';
import type { Pkcs11Target } from './pkcs11-target.ts';

type Template = pkcs11js.Template;

interface SlotSearch {
  readonly slot?: Handle | undefined;
  /** Why no slot was chosen. */
  readonly problem: string;
}

function tokenLabelOf(lib: Pkcs11, slot: Handle): string | undefined {
  const info = during('reading the token information', () => lib.C_GetTokenInfo(slot));
  // A slot with an uninitialised token (SoftHSM always offers one) holds no key.
  return (info.flags & pkcs11js.CKF_TOKEN_INITIALIZED) === 0 ? undefined : info.label.trimEnd();
}

/** The CK_SLOT_ID a slot handle carries (a native unsigned long): what RFC 7512's `slot-id` names. */
function slotId(handle: Handle): number {
  return handle.length >= 8 ? Number(handle.readBigUInt64LE(0)) : handle.readUInt32LE(0);
}

function searchSlot(lib: Pkcs11, target: Pkcs11Target): SlotSearch {
  const slots = during('listing the slots', () => lib.C_GetSlotList(true));
  if (target.slot !== undefined) {
    const slot = slots.find((handle) => slotId(handle) === target.slot);
    if (slot === undefined)
      return { problem: `no slot ${String(target.slot)} holds a token: the module's are ${slots.map(slotId).join(', ')}` };
    const label = tokenLabelOf(lib, slot);
    if (label === undefined) return { problem: `the token in slot ${String(target.slot)} is not initialised` };
    if (target.tokenLabel !== undefined && label !== target.tokenLabel)
      return { problem: `the token in slot ${String(target.slot)} is labelled "${label}", not "${target.tokenLabel}"` };
    return { slot, problem: '' };
  }
  const matching = slots.filter((slot) => tokenLabelOf(lib, slot) === target.tokenLabel);
  const label = target.tokenLabel ?? '';
  if (matching.length === 0) return { problem: `no token labelled "${label}" is present` };
  if (matching.length > 1) return { problem: `${String(matching.length)} tokens are labelled "${label}"; name the token by its slot too` };
  return { slot: matching[0], problem: '' };
}

/**
 * The slot holding the target's token. Some modules (SoftHSM) see only the tokens present at
 * C_Initialize, so a token not found is looked for once more after re-initialising the module.
 */
export function findSlot(module: Pkcs11Module, target: Pkcs11Target): Handle {
  const first = searchSlot(module.lib, target);
  if (first.slot !== undefined) return first.slot;
  during('re-initialising the PKCS#11 module', () => module.reinitialise());
  const second = searchSlot(module.lib, target);
  if (second.slot !== undefined) return second.slot;
  throw new Pkcs11Failure(second.problem);
}

/** A serial session on `slot`: read-only to sign, read-write to generate keys. */
export function openSession(lib: Pkcs11, slot: Handle, writable: boolean): Handle {
  const flags = pkcs11js.CKF_SERIAL_SESSION | (writable ? pkcs11js.CKF_RW_SESSION : 0);
  return during('opening a session', () => lib.C_OpenSession(slot, flags));
}

/** Closes a session, ignoring a session already gone. */
export function closeSession(lib: Pkcs11, session: Handle): void {
  try {
    lib.C_CloseSession(session);
  } catch {
    // Closed by the token or by C_CloseAllSessions already.
  }
}

/**
 * Logs the user in with a PIN read now. Login state is the application's, per token: when another
 * session of this process is logged in already, the token answers CKR_USER_ALREADY_LOGGED_IN and
 * the session is usable as it is.
 */
export function login(lib: Pkcs11, session: Handle, pin: () => string): void {
  let value: string;
  try {
    value = pin();
  } catch (err) {
    if (err instanceof Pkcs11Failure) throw err;
    // Paystream's errors name a file or field, never its content; other errors are not quoted.
    throw new Pkcs11Failure(`the PIN could not be read${PaystreamError.is(err) ? `: ${err.message}` : ''}`);
  }
  if (value === '') throw new Pkcs11Failure('the PIN is empty');
  try {
    lib.C_Login(session, pkcs11js.CKU_USER, value);
  } catch (err) {
    if (returnValueOf(err) === 'CKR_USER_ALREADY_LOGGED_IN') return;
    throw failure('logging in', err, { quote: false });
  }
}

/** Every object matching `template` (up to 16: more means the address is ambiguous anyway). */
export function findObjects(lib: Pkcs11, session: Handle, template: Template): Handle[] {
  during('searching the token', () => lib.C_FindObjectsInit(session, template));
  try {
    return during('searching the token', () => lib.C_FindObjects(session, 16));
  } finally {
    try {
      lib.C_FindObjectsFinal(session);
    } catch {
      // The session is gone; the search died with it.
    }
  }
}

/** The search template for the target's key of `objectClass` (CKO_PRIVATE_KEY or CKO_PUBLIC_KEY). */
export function keyTemplate(objectClass: number, keyLabel: string | undefined, keyId: Buffer | undefined): Template {
  const template: Template = [{ type: pkcs11js.CKA_CLASS, value: objectClass }];
  if (keyLabel !== undefined) template.push({ type: pkcs11js.CKA_LABEL, value: keyLabel });
  if (keyId !== undefined) template.push({ type: pkcs11js.CKA_ID, value: keyId });
  return template;
}

/** `labelled "y"`, `with id 01ab` or both: how a key is named in a reason. */
export function keyWords(keyLabel: string | undefined, keyId: Buffer | undefined): string {
  const label = keyLabel === undefined ? [] : [`labelled "${keyLabel}"`];
  const id = keyId === undefined ? [] : [`with id ${keyId.toString('hex')}`];
  return [...label, ...id].join(' and ');
}
