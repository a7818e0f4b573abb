// How a change merges into an order's state: references and command bindings accumulate, the
// runtime's fields take the newer value, and the status only moves forward (its time with it), so a
// late or concurrent record can never move an order back; and which new references (lookup keys,
// commandId bindings) a change adds to an order's index.
import { mayFollow } from './transitions.ts';
import { LOOKUP_KEYS, ORDER_STATE_VERSION, RUNTIME_FIELDS, type OrderChange, type OrderState } from './order-state.ts';

/** The key of a commandId in an order's `commands`: one spelling for every way a UUID may be written. */
export const commandKey = (commandId: string): string => commandId.replace(/-/g, '').toLowerCase();

/**
 * How the index names a bound commandId, so that a commandId reused for another order is found; no
 * lookup of a Midtrans reference ever answers with it.
 */
export const COMMAND_BINDING_PREFIX = 'cmd_';
export const commandBindingField = (commandId: string): string => COMMAND_BINDING_PREFIX + commandKey(commandId);
const bindingsOf = (state: OrderState, keys = Object.keys(state.commands)): string[] => keys.map((k) => COMMAND_BINDING_PREFIX + k);

/** The references under which an order may be looked up that `next` adds to `current`. */
export function newReferences(orderId: string, current: OrderState | undefined, next: OrderState): string[] {
  const references = LOOKUP_KEYS.flatMap((key) => {
    const value = next.references[key];
    return value && value !== orderId && value !== current?.references[key] ? [value] : [];
  });
  return [
    ...references,
    ...bindingsOf(
      next,
      Object.keys(next.commands).filter((k) => current?.commands[k] === undefined),
    ),
  ];
}

/** Every reference the order's index holds for this state: lookup keys and commandId bindings. */
export function referencesOf(state: OrderState): string[] {
  return [...LOOKUP_KEYS.flatMap((key) => (state.references[key] ? [state.references[key]] : [])), ...bindingsOf(state)];
}

/** The runtime's fields that take the newer value; the status and its time merge apart. */
const NEWER_FIELDS = RUNTIME_FIELDS.filter((name) => name !== 'status' && name !== 'statusAt');

/** The runtime's fields of a change that are set, without the status and the maps, into `out`. */
function fieldsOf(change: OrderChange, out: Record<string, unknown>): void {
  for (const name of NEWER_FIELDS) if (change[name] !== undefined) out[name] = change[name];
}

/** `incoming` merged into the order's `current` state (none yet: undefined). */
export function mergeState(current: OrderState | undefined, incoming: OrderChange): OrderState {
  // Built field by field, never deleted from: a deleted property makes a slow object of every state.
  const merged: Record<string, unknown> = { v: ORDER_STATE_VERSION };
  if (current) fieldsOf(current, merged);
  fieldsOf(incoming, merged);
  merged['references'] = { ...current?.references, ...incoming.references };
  merged['commands'] = { ...current?.commands, ...incoming.commands };
  const from = current?.status;
  const to = incoming.status;
  // The status only moves forward; its time is that of the change that moved it.
  const moved = to !== undefined && to !== from && mayFollow(from, to);
  const status = moved ? to : from;
  const statusAt = moved ? incoming.statusAt : (current?.statusAt ?? (to === from ? incoming.statusAt : undefined));
  if (status) merged['status'] = status;
  if (statusAt) merged['statusAt'] = statusAt;
  return merged as OrderState;
}

const sameMap = (a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean => {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => a[k] === b[k]);
};

/** Whether two states hold the same. */
export const same = (a: OrderState, b: OrderState): boolean =>
  RUNTIME_FIELDS.every((name) => a[name] === b[name]) && sameMap(a.references, b.references) && sameMap(a.commands, b.commands);
