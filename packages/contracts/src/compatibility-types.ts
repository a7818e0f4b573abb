// The vocabulary of the compatibility check (src/compatibility.ts): what a change is, the rules that
// sort changes into breaking and additive ones, and the small helpers every part of the walk shares.

/** A JSON Schema object; `true` and `false` schemas are read as `{}` and `{ not: {} }`. */
export type SchemaObject = Readonly<Record<string, unknown>>;

/** Changes a reader or a writer of the message could break on: they need a major version. */
export type BreakingRule =
  | 'schema-removed'
  | 'property-removed'
  | 'property-required'
  | 'property-optional'
  | 'type-changed'
  | 'value-removed'
  | 'values-restricted'
  | 'bound-tightened'
  | 'pattern-changed'
  | 'format-changed'
  | 'member-removed'
  | 'alternative-added'
  | 'additional-closed'
  | 'default-changed'
  | 'keyword-changed';

/** Changes every message of the released version survives, and readers are told to expect: a minor version. */
export type AdditiveRule =
  | 'schema-added'
  | 'property-added'
  | 'value-added'
  | 'values-opened'
  | 'member-added'
  | 'bound-relaxed'
  | 'pattern-removed'
  | 'format-removed'
  | 'additional-opened'
  | 'default-added';

export type Rule = BreakingRule | AdditiveRule;

export interface Change {
  /** Where, in instance terms: `ResultEvent<PaymentEvent>.data.action<PaymentCodeAction>.store`, `[]` an array item, `.*` a map value. */
  readonly path: string;
  readonly rule: Rule;
  /** What changed, in words. */
  readonly message: string;
}

export interface Comparison {
  readonly breaking: Change[];
  readonly additive: Change[];
}

export interface CompareOptions {
  /** The property whose values tell a union's members apart: its values are compared for the whole union instead. */
  readonly discriminator?: string;
  /** Set on that property itself. */
  readonly ignoreValues?: boolean;
}

/** A schema with its `$ref`s followed, and the `$defs` name it was reached by, if any. */
export interface Resolved {
  readonly schema: SchemaObject;
  readonly name: string | undefined;
  readonly ref: string | undefined;
}

/** One comparison under way: what it found so far, and how to descend into a pair of subschemas. */
export interface Walk {
  readonly result: Comparison;
  compare(released: unknown, current: unknown, path: string, options?: CompareOptions): void;
  resolve(side: 'released' | 'current', schema: unknown): Resolved;
}

export function breaking(walk: Walk, path: string, rule: BreakingRule, message: string): void {
  walk.result.breaking.push({ path, rule, message });
}

export function additive(walk: Walk, path: string, rule: AdditiveRule, message: string): void {
  walk.result.additive.push({ path, rule, message });
}

export function isObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function asSchema(value: unknown): SchemaObject {
  if (value === false) return { not: {} };
  return isObject(value) ? value : {};
}

/** The path of a property: `.name`, or `["odd name"]`. */
export function child(path: string, name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `${path}.${name}` : `${path}[${JSON.stringify(name)}]`;
}

/** A value as the messages show it, long ones (patterns) cut short. */
export function show(value: unknown): string {
  const text = JSON.stringify(value);
  return text.length > 72 ? `${text.slice(0, 69)}…` : text;
}

export const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/** The values a schema allows (`const`, `enum`, or both), or undefined when it does not list them. */
export function valuesOf(schema: SchemaObject): unknown[] | undefined {
  const fromEnum = Array.isArray(schema['enum']) ? (schema['enum'] as unknown[]) : undefined;
  if (!('const' in schema)) return fromEnum;
  const only = schema['const'];
  return !fromEnum || fromEnum.some((v) => same(v, only)) ? [only] : [];
}

export function typesOf(schema: SchemaObject): string[] | undefined {
  const type = schema['type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : undefined;
}

export function propertiesOf(schema: SchemaObject): Readonly<Record<string, unknown>> {
  const properties = schema['properties'];
  return isObject(properties) ? properties : {};
}

export function requiredOf(schema: SchemaObject): ReadonlySet<string> {
  const required = schema['required'];
  return new Set(Array.isArray(required) ? required.filter((r): r is string => typeof r === 'string') : []);
}

/** Keywords that change no message: descriptions, identifiers, and `x-` keywords such as the contract version. */
export function isAnnotation(keyword: string): boolean {
  return keyword.startsWith('x-') || ANNOTATIONS.has(keyword);
}

const ANNOTATIONS = new Set([
  'title',
  'description',
  '$comment',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  '$schema',
  '$id',
  '$anchor',
  '$dynamicAnchor',
  '$vocabulary',
  '$defs',
  'definitions',
]);
