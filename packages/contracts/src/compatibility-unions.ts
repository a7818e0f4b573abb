// anyOf/oneOf: the event types of a result event and the kinds of a customer action (unions told
// apart by a property's values), unions of plain values, and other alternatives (a nullable field).
// A schema that is not a union meets a union as a union of one member: an object that became the
// first kind of a union of kinds is compared with that kind.
import { compareValueLists } from './compatibility-keywords.ts';
import {
  additive,
  breaking,
  child,
  propertiesOf,
  same,
  typesOf,
  valuesOf,
  type Resolved,
  type SchemaObject,
  type Walk,
} from './compatibility-types.ts';

type Side = 'released' | 'current';

interface Member {
  readonly raw: unknown;
  readonly schema: SchemaObject;
  /** The `$defs` name it is reached by. */
  readonly name: string | undefined;
}

export const isUnion = (schema: SchemaObject): boolean => Array.isArray(schema['oneOf']) || Array.isArray(schema['anyOf']);

function membersOf(walk: Walk, side: Side, whole: Resolved): Member[] {
  const list = whole.schema['oneOf'] ?? whole.schema['anyOf'];
  if (!Array.isArray(list)) return [{ raw: whole.schema, schema: whole.schema, name: whole.name }];
  return list.map((raw: unknown) => {
    const { schema, name } = walk.resolve(side, raw);
    return { raw, schema, name };
  });
}

const isValueMember = (m: Member): boolean => valuesOf(m.schema) !== undefined && !('properties' in m.schema);

export function compareUnions(walk: Walk, old: Resolved, cur: Resolved, path: string): void {
  if (Array.isArray(old.schema['anyOf']) && Array.isArray(cur.schema['oneOf']))
    breaking(walk, path, 'keyword-changed', 'anyOf became oneOf: a message must now match exactly one alternative');
  const was = membersOf(walk, 'released', old);
  const is = membersOf(walk, 'current', cur);
  const valuesIn = (members: Member[]) => members.filter(isValueMember).flatMap((m) => valuesOf(m.schema) ?? []);
  compareValueLists(walk, valuesIn(was), valuesIn(is), path);
  const [wasOthers, isOthers] = [was.filter((m) => !isValueMember(m)), is.filter((m) => !isValueMember(m))];
  const discriminator = discriminatorOf(walk, wasOthers, isOthers);
  if (discriminator) compareDiscriminated(walk, wasOthers, isOthers, path, discriminator);
  else compareAlternatives(walk, wasOthers, isOthers, path);
}

/** The values `member` allows for property `name`, as JSON text. */
function keysOf(walk: Walk, side: Side, member: Member, name: string): string[] | undefined {
  const property = propertiesOf(member.schema)[name];
  if (property === undefined) return undefined;
  return valuesOf(walk.resolve(side, property).schema)?.map((v) => JSON.stringify(v));
}

/** A property every member on both sides limits to values of its own (`type`, `kind`), if there is one. */
function discriminatorOf(walk: Walk, was: Member[], is: Member[]): string | undefined {
  const [first] = was;
  if (first === undefined || is.length === 0) return undefined;
  const tells = (side: Side, members: Member[], name: string): boolean => {
    const seen = new Set<string>();
    for (const m of members) {
      const keys = keysOf(walk, side, m, name);
      if (!keys || keys.length === 0 || keys.some((k) => seen.has(k))) return false;
      for (const k of keys) seen.add(k);
    }
    return true;
  };
  return Object.keys(propertiesOf(first.schema)).find((name) => tells('released', was, name) && tells('current', is, name));
}

/**
 * The union's values of the discriminator are compared as a whole (a kind may move to another
 * member); each current member is compared with every released member it shares a value with, as
 * the messages of those values must still fit.
 */
function compareDiscriminated(walk: Walk, was: Member[], is: Member[], path: string, d: string): void {
  const released = was.map((m) => ({ m, keys: keysOf(walk, 'released', m, d) ?? [] }));
  const current = is.map((n, j) => ({ n, j, keys: keysOf(walk, 'current', n, d) ?? [] }));
  const [before, after] = [new Set(released.flatMap((r) => r.keys)), new Set(current.flatMap((c) => c.keys))];
  const at = child(path, d);
  for (const k of before) if (!after.has(k)) breaking(walk, at, 'member-removed', `member removed: nothing accepts ${d} ${k} any more`);
  for (const k of after) if (!before.has(k)) additive(walk, at, 'member-added', `new member: ${d} ${k}`);
  for (const { m, keys: wasKeys } of released) {
    for (const { n, j, keys } of current) {
      if (!wasKeys.some((k) => keys.includes(k))) continue;
      const label = n.name ?? (keys.length === 1 ? `${d}=${String(JSON.parse(keys.join()))}` : `#${j}`);
      walk.compare(m.raw, n.raw, `${path}<${label}>`, { discriminator: d });
    }
  }
}

const labelOf = (m: Member, i: number): string => m.name ?? typesOf(m.schema)?.join('|') ?? `#${i}`;

/** Alternatives not told apart by a property: matched by `$defs` name, then by equal schema, by type, by position. */
function compareAlternatives(walk: Walk, was: Member[], is: Member[], path: string): void {
  const taken = new Set<number>();
  const free = (test: (n: Member, j: number) => boolean): number => is.findIndex((n, j) => !taken.has(j) && test(n, j));
  was.forEach((m, i) => {
    let j = m.name === undefined ? -1 : free((n) => n.name === m.name);
    if (j < 0) j = free((n) => same(n.schema, m.schema));
    if (j < 0) j = free((n) => typesOf(n.schema) !== undefined && same(typesOf(n.schema), typesOf(m.schema)));
    if (j < 0 && was.length === is.length) j = free((_, k) => k === i);
    const match = j < 0 ? undefined : is[j];
    if (match === undefined) {
      breaking(walk, path, 'member-removed', `alternative ${labelOf(m, i)} removed`);
      return;
    }
    taken.add(j);
    walk.compare(m.raw, match.raw, `${path}<${labelOf(match, j)}>`);
  });
  is.forEach((n, j) => {
    if (!taken.has(j))
      breaking(walk, path, 'alternative-added', `new alternative ${labelOf(n, j)}: readers get values of a shape the field never had`);
  });
}
