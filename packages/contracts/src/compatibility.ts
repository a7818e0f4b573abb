// Whether a contract version may follow another: compares a released JSON Schema of a message with
// the current one (JSON Schema 2020-12 as z.toJSONSchema emits it) and sorts what changed into
// breaking and additive changes by the rules of docs/contracts.md, "Evolving the contracts".
//
// A change is judged from both ends of a topic: the writer (an upstream service writing commands,
// Paystream writing events) and the reader (Paystream reading commands, a downstream service reading
// events). Breaking: a property removed, newly required or no longer required; a type changed,
// narrowed or widened; a value removed; a bound tightened; a pattern or format changed; a member of a
// union removed, or an alternative added to a union its readers are not told to expect; an object
// closed to unlisted properties. Additive: a new optional property, a new value, a new member of a
// union told apart by a property (an event type, an action kind), a bound relaxed, a pattern or
// format dropped, an object opened. Descriptions and other annotations are no change at all.
import { compareKeywords } from './compatibility-keywords.ts';
import { compareStructure } from './compatibility-structure.ts';
import { asSchema, type CompareOptions, type Comparison, type Resolved, type SchemaObject, type Walk } from './compatibility-types.ts';
import { compareUnions, isUnion } from './compatibility-unions.ts';

export type { AdditiveRule, BreakingRule, Change, Comparison, Rule } from './compatibility-types.ts';
export { checkRelease, contractVersionOf, compareVersions, parseVersion } from './compatibility-release.ts';

/** The schema a local `$ref` (`#/$defs/Name`, any JSON pointer) points at in `root`. */
function pointer(root: unknown, ref: string): unknown {
  let at: unknown = root;
  for (const token of ref.slice(1).split('/').slice(1)) {
    const key = decodeURIComponent(token).replaceAll('~1', '/').replaceAll('~0', '~');
    at = typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  return at;
}

/** Follows `$ref`s within `root`; keywords beside a `$ref` (a description, a default) are kept over the target's. */
function resolve(root: unknown, schema: unknown): Resolved {
  let current = asSchema(schema);
  let name: string | undefined;
  let ref: string | undefined;
  for (let hops = 0; hops < 32; hops++) {
    const { $ref, ...beside } = current;
    if (typeof $ref !== 'string' || !$ref.startsWith('#')) break;
    const target = pointer(root, $ref);
    if (target === undefined) break;
    ref ??= $ref;
    name ??= $ref.split('/').at(-1);
    current = { ...asSchema(target), ...beside };
  }
  return { schema: current, name, ref };
}

/** Every change from `released` to `current`, the paths starting at `root`. */
export function compareSchemas(released: unknown, current: unknown, root = '$'): Comparison {
  const result: Comparison = { breaking: [], additive: [] };
  // The pairs of `$ref`s being compared further up: a recursive schema is compared once along a path.
  const descent = new Set<string>();
  const walk: Walk = {
    result,
    resolve: (side, schema) => resolve(side === 'released' ? released : current, schema),
    compare(old, cur, path, options = {}) {
      const was = resolve(released, old);
      const is = resolve(current, cur);
      if (was.ref === undefined && is.ref === undefined) {
        compareResolved(walk, was, is, path, options);
        return;
      }
      const key = `${was.ref ?? ''} ${is.ref ?? ''}`;
      if (descent.has(key)) return;
      descent.add(key);
      try {
        compareResolved(walk, was, is, path, options);
      } finally {
        descent.delete(key);
      }
    },
  };
  walk.compare(released, current, root);
  return result;
}

function compareResolved(walk: Walk, was: Resolved, is: Resolved, path: string, options: CompareOptions): void {
  const [old, cur]: [SchemaObject, SchemaObject] = [was.schema, is.schema];
  if (isUnion(old) || isUnion(cur)) {
    compareUnions(walk, was, is, path);
    if (!(isUnion(old) && isUnion(cur))) return;
  }
  compareKeywords(walk, old, cur, path, options);
  compareStructure(walk, old, cur, path, options);
}

/** Compares each message's schema by name (`PaymentCommand`, `ResultEvent`, `DlqRecord`): paths start with the name. */
export function compareDocuments(released: Readonly<Record<string, unknown>>, current: Readonly<Record<string, unknown>>): Comparison {
  const result: Comparison = { breaking: [], additive: [] };
  for (const [name, schema] of Object.entries(released)) {
    if (!(name in current)) {
      result.breaking.push({ path: name, rule: 'schema-removed', message: `the ${name} message is no longer published` });
      continue;
    }
    const { breaking, additive } = compareSchemas(schema, current[name], name);
    result.breaking.push(...breaking);
    result.additive.push(...additive);
  }
  for (const name of Object.keys(current))
    if (!(name in released)) result.additive.push({ path: name, rule: 'schema-added', message: `new message ${name}` });
  return result;
}
