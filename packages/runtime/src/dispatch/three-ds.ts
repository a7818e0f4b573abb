// Refusing any attempt of a command to switch 3-D Secure off: whether a charge authenticates is
// decided by the backend, never by the command.

const THREE_DS_KEYS = new Set(['secure', 'authentication', '3ds', 'threeds', '3dsecure', 'threedsecure']);
const OFF = new Set(['false', '0', 'off', 'no', 'none', 'disable', 'disabled']);
/** Deeper than any real command's details; beyond it a command is refused, not half-checked. */
export const MAX_DETAILS_DEPTH = 32;

/** A key as the switch names are written: case, NFKC forms, invisible characters and `-_. ` aside. */
const canonical = (text: string): string =>
  /^[A-Za-z0-9]*$/.test(text)
    ? text.toLowerCase()
    : text
        .normalize('NFKC')
        .replace(/[\p{Cf}\s_.-]/gu, '')
        .toLowerCase();

const isOff = (v: unknown): boolean => v === false || v === 0 || (typeof v === 'string' && v.length <= 64 && OFF.has(canonical(v)));

/**
 * True when any nested field named like a 3DS switch is set off (false, 0, "false", "off", …), or
 * when the value nests deeper than MAX_DETAILS_DEPTH: a switch below a depth limit must not pass
 * unseen, so what is too deep to check counts as switching 3DS off. Iterative, so 5,000 levels
 * cannot overflow the stack.
 */
export function disablesThreeDs(value: unknown): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_DETAILS_DEPTH) return true;
    for (const [k, child] of Object.entries(v)) {
      if (THREE_DS_KEYS.has(canonical(k)) && isOff(child)) return true;
      stack.push([child, depth + 1]);
    }
  }
  return false;
}
