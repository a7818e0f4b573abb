// How state records merge into an order's known references: references accumulate and the status
// only moves forward, so a late or concurrent record can never move an order back; and which new
// references (lookup keys, commandId bindings) a record adds to an order's index.
import type { PaymentStatus } from '@paystream/contracts';
import type { KnownReferences } from '@paystream/plugin-sdk';
import { mayFollow } from './transitions.ts';

/** References under which Midtrans notifications may name an order instead of its order id. */
const LOOKUP_KEYS = ['referenceNo', 'externalId', 'partnerReferenceNo'] as const;

/**
 * The field that binds a commandId to the fingerprint of the one command it names (see the
 * dispatcher's command-bindings.ts); the field's name also indexes the order, so a commandId reused
 * for another order is found.
 */
export const COMMAND_BINDING_PREFIX = 'cmd_';
export const commandBindingField = (commandId: string): string => COMMAND_BINDING_PREFIX + commandId.replace(/-/g, '').toLowerCase();
const bindingsOf = (state: KnownReferences): string[] => Object.keys(state).filter((k) => k.startsWith(COMMAND_BINDING_PREFIX));

/** The references under which an order may be looked up that `next` adds to `current`. */
export function newReferences(orderId: string, current: KnownReferences | undefined, next: KnownReferences): string[] {
  const references = LOOKUP_KEYS.flatMap((key) => {
    const value = next[key];
    return value && value !== orderId && value !== current?.[key] ? [value] : [];
  });
  return [...references, ...bindingsOf(next).filter((field) => current?.[field] === undefined)];
}

/** Every reference the order's index holds for this state: lookup keys and commandId bindings. */
export function referencesOf(state: KnownReferences): string[] {
  return [...LOOKUP_KEYS.flatMap((key) => (state[key] ? [state[key]] : [])), ...bindingsOf(state)];
}

export function mergeState(current: KnownReferences | undefined, incoming: KnownReferences): KnownReferences {
  if (!current) return incoming;
  const from = current['status'] as PaymentStatus | undefined;
  const to = incoming['status'] as PaymentStatus | undefined;
  const status = to === undefined || (from !== undefined && !mayFollow(from, to)) ? from : to;
  return { ...current, ...incoming, ...(status ? { status } : {}) };
}

export const same = (a: KnownReferences, b: KnownReferences): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};
