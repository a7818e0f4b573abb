// The keywords of one schema that constrain a single value: type, values (enum/const), bounds,
// string formats and patterns, default; and any other keyword, which may change only by being kept.
import {
  additive,
  breaking,
  isAnnotation,
  same,
  show,
  typesOf,
  valuesOf,
  type CompareOptions,
  type SchemaObject,
  type Walk,
} from './compatibility-types.ts';

const LOWER = ['minLength', 'minItems', 'minProperties', 'minContains'] as const;
const UPPER = ['maxLength', 'maxItems', 'maxProperties', 'maxContains'] as const;
const STRING_FORMS = ['pattern', 'format', 'contentEncoding', 'contentMediaType'] as const;

/** Keywords some part of the walk compares; any other keyword that changed is reported as it is. */
const COMPARED = new Set<string>([
  ...LOWER,
  ...UPPER,
  ...STRING_FORMS,
  'type',
  'enum',
  'const',
  'minimum',
  'exclusiveMinimum',
  'maximum',
  'exclusiveMaximum',
  'multipleOf',
  'uniqueItems',
  'default',
  'properties',
  'required',
  'additionalProperties',
  'patternProperties',
  'propertyNames',
  'items',
  'prefixItems',
  'anyOf',
  'oneOf',
  'allOf',
]);

export function compareKeywords(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string, options: CompareOptions = {}): void {
  compareTypes(walk, old, cur, path);
  if (!options.ignoreValues) compareValues(walk, old, cur, path);
  compareLengths(walk, old, cur, path);
  compareRange(walk, old, cur, path);
  compareStringForms(walk, old, cur, path);
  compareDefault(walk, old, cur, path);
  for (const keyword of new Set([...Object.keys(old), ...Object.keys(cur)])) {
    if (COMPARED.has(keyword) || isAnnotation(keyword) || same(old[keyword], cur[keyword])) continue;
    breaking(walk, path, 'keyword-changed', `${keyword} changed from ${show(old[keyword])} to ${show(cur[keyword])}`);
  }
}

const accepts = (types: string[] | undefined, type: string): boolean =>
  types === undefined || types.includes(type) || (type === 'integer' && types.includes('number'));
const typeText = (types: string[] | undefined): string => (types ? types.join(' | ') : 'any type');

function compareTypes(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  const was = typesOf(old);
  const is = typesOf(cur);
  const lost = was === undefined ? is !== undefined : was.some((t) => !accepts(is, t));
  const gained = is === undefined ? was !== undefined : is.some((t) => !accepts(was, t));
  const from = `from ${typeText(was)} to ${typeText(is)}`;
  if (lost && gained) breaking(walk, path, 'type-changed', `type changed ${from}`);
  else if (lost) breaking(walk, path, 'type-changed', `type narrowed ${from}: values the released version accepts are refused`);
  else if (gained) breaking(walk, path, 'type-changed', `type widened ${from}: readers get values of a type the field never had`);
}

function compareValues(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  const was = valuesOf(old);
  const is = valuesOf(cur);
  if (!was) {
    if (is) breaking(walk, path, 'values-restricted', `now restricted to ${is.map(show).join(', ')}`);
  } else if (!is) additive(walk, path, 'values-opened', `no longer restricted to ${was.map(show).join(', ')}`);
  else compareValueLists(walk, was, is, path);
}

export function compareValueLists(walk: Walk, was: unknown[], is: unknown[], path: string): void {
  for (const v of was) if (!is.some((w) => same(v, w))) breaking(walk, path, 'value-removed', `value ${show(v)} removed`);
  for (const v of is) if (!was.some((w) => same(v, w))) additive(walk, path, 'value-added', `value ${show(v)} added`);
}

const num = (value: unknown): number | undefined => (typeof value === 'number' ? value : undefined);

/** `maxLength lowered from 255 to 100`, `minimum >= 1 added`, `pattern … removed`. */
function moved(keyword: string, was: string | undefined, is: string | undefined, how: 'raised' | 'lowered' | 'changed'): string {
  if (was === undefined) return `${keyword} ${is ?? ''} added`;
  if (is === undefined) return `${keyword} ${was} removed`;
  return `${keyword} ${how} from ${was} to ${is}`;
}
const upOrDown = (up: boolean) => (up ? 'raised' : 'lowered');
const text = (value: number | undefined): string | undefined => (value === undefined ? undefined : String(value));

function compareLengths(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  for (const [keywords, none, tighter] of [
    [LOWER, 0, (a: number, b: number) => a > b],
    [UPPER, Infinity, (a: number, b: number) => a < b],
  ] as const) {
    for (const k of keywords) {
      const was = num(old[k]);
      const is = num(cur[k]);
      const message = moved(k, text(was), text(is), upOrDown((is ?? none) > (was ?? none)));
      if (tighter(is ?? none, was ?? none)) breaking(walk, path, 'bound-tightened', message);
      else if (tighter(was ?? none, is ?? none)) additive(walk, path, 'bound-relaxed', message);
    }
  }
  const unique = [old['uniqueItems'] === true, cur['uniqueItems'] === true];
  if (!unique[0] && unique[1]) breaking(walk, path, 'bound-tightened', 'items must now be unique');
  if (unique[0] && !unique[1]) additive(walk, path, 'bound-relaxed', 'items need no longer be unique');
}

interface Bound {
  readonly value: number;
  readonly exclusive: boolean;
  /** As the schema states it: `> 0`, `<= 500`. */
  readonly text: string;
}

/** The strictest of `minimum`/`exclusiveMinimum` (sign 1) or `maximum`/`exclusiveMaximum` (sign -1); an exclusive bound on integers is made inclusive. */
function boundOf(schema: SchemaObject, sign: 1 | -1): Bound | undefined {
  const integer = same(typesOf(schema), ['integer']);
  const inclusive = num(schema[sign === 1 ? 'minimum' : 'maximum']);
  const exclusive = num(schema[sign === 1 ? 'exclusiveMinimum' : 'exclusiveMaximum']);
  const op = sign === 1 ? '>' : '<';
  const bounds: Bound[] = [];
  if (inclusive !== undefined) bounds.push({ value: inclusive, exclusive: false, text: `${op}= ${inclusive}` });
  if (exclusive !== undefined) {
    const text = `${op} ${exclusive}`;
    const value = sign === 1 ? Math.floor(exclusive) + 1 : Math.ceil(exclusive) - 1;
    bounds.push(integer ? { value, exclusive: false, text } : { value: exclusive, exclusive: true, text });
  }
  return bounds.reduce<Bound | undefined>((best, b) => (best && !stricter(b, best, sign) ? best : b), undefined);
}

const stricter = (a: Bound, b: Bound, sign: 1 | -1): boolean =>
  a.value * sign > b.value * sign || (a.value === b.value && a.exclusive && !b.exclusive);

function compareRange(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  for (const [sign, name] of [
    [1, 'minimum'],
    [-1, 'maximum'],
  ] as const) {
    const was = boundOf(old, sign);
    const is = boundOf(cur, sign);
    const tightened = is !== undefined && (!was || stricter(is, was, sign));
    const message = moved(name, was?.text, is?.text, upOrDown(tightened === (sign === 1)));
    if (tightened) breaking(walk, path, 'bound-tightened', message);
    else if (was && (!is || stricter(was, is, sign))) additive(walk, path, 'bound-relaxed', message);
  }
  const was = num(old['multipleOf']);
  const is = num(cur['multipleOf']);
  if (was === is) return;
  const message = moved('multipleOf', text(was), text(is), upOrDown((is ?? 0) > (was ?? 0)));
  if (is !== undefined && (was === undefined || !Number.isInteger(was / is))) breaking(walk, path, 'bound-tightened', message);
  else additive(walk, path, 'bound-relaxed', message);
}

function compareStringForms(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  for (const k of STRING_FORMS) {
    const was = old[k];
    const is = cur[k];
    if (same(was, is)) continue;
    const pattern = k === 'pattern';
    const message = moved(k, was === undefined ? undefined : show(was), is === undefined ? undefined : show(is), 'changed');
    if (is === undefined) additive(walk, path, pattern ? 'pattern-removed' : 'format-removed', message);
    else breaking(walk, path, pattern ? 'pattern-changed' : 'format-changed', message);
  }
}

function compareDefault(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  const had = 'default' in old;
  const has = 'default' in cur;
  if ((!had && !has) || same(old['default'], cur['default'])) return;
  if (!had) additive(walk, path, 'default-added', `default ${show(cur['default'])} added`);
  else if (!has)
    breaking(
      walk,
      path,
      'default-changed',
      `default ${show(old['default'])} removed: a message without the field now means something else`,
    );
  else breaking(walk, path, 'default-changed', `default changed from ${show(old['default'])} to ${show(cur['default'])}`);
}
