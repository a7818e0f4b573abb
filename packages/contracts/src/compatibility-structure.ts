// The keywords of one schema that hold other schemas: an object's properties, required list and
// additional properties; an array's items; allOf.
import {
  additive,
  asSchema,
  breaking,
  child,
  isObject,
  propertiesOf,
  requiredOf,
  same,
  show,
  type CompareOptions,
  type SchemaObject,
  type Walk,
} from './compatibility-types.ts';

export function compareStructure(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string, options: CompareOptions = {}): void {
  compareProperties(walk, old, cur, path, options);
  compareAdditional(walk, old, cur, path);
  compareArrays(walk, old, cur, path);
  compareAllOf(walk, old, cur, path);
}

function compareProperties(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string, options: CompareOptions): void {
  const [was, is] = [propertiesOf(old), propertiesOf(cur)];
  const [wasRequired, isRequired] = [requiredOf(old), requiredOf(cur)];
  for (const [name, schema] of Object.entries(was)) {
    const at = child(path, name);
    if (!(name in is)) {
      breaking(walk, at, 'property-removed', `property ${name} removed`);
      continue;
    }
    if (wasRequired.has(name) && !isRequired.has(name))
      breaking(walk, at, 'property-optional', `property ${name} no longer required: readers can no longer count on it`);
    if (!wasRequired.has(name) && isRequired.has(name))
      breaking(walk, at, 'property-required', `property ${name} now required: messages without it are refused`);
    walk.compare(schema, is[name], at, name === options.discriminator ? { ignoreValues: true } : {});
  }
  for (const name of Object.keys(is)) {
    if (name in was) continue;
    if (isRequired.has(name)) breaking(walk, child(path, name), 'property-required', `new property ${name} is required`);
    else additive(walk, child(path, name), 'property-added', `new optional property ${name}`);
  }
  for (const name of isRequired) {
    if (!wasRequired.has(name) && !(name in was) && !(name in is))
      breaking(walk, child(path, name), 'property-required', `property ${name} now required`);
  }
}

/** `additionalProperties` and `patternProperties`, `propertyNames`: what the object says of properties it does not list. */
function compareAdditional(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  const closed = (s: SchemaObject) => s['additionalProperties'] === false || same(s['additionalProperties'], { not: {} });
  const [wasClosed, isClosed] = [closed(old), closed(cur)];
  if (!wasClosed && isClosed) breaking(walk, path, 'additional-closed', 'closed to properties it does not list');
  else if (wasClosed && !isClosed) additive(walk, path, 'additional-opened', 'open to properties it does not list');
  else if (!wasClosed && ('additionalProperties' in old || 'additionalProperties' in cur))
    walk.compare(asSchema(old['additionalProperties']), asSchema(cur['additionalProperties']), `${path}.*`);
  if ('propertyNames' in old || 'propertyNames' in cur)
    walk.compare(asSchema(old['propertyNames']), asSchema(cur['propertyNames']), `${path}.(property names)`);
  const [was, is] = [old['patternProperties'], cur['patternProperties']].map((p) => (isObject(p) ? p : {})) as [SchemaObject, SchemaObject];
  for (const pattern of new Set([...Object.keys(was), ...Object.keys(is)])) {
    if (pattern in was && pattern in is) walk.compare(was[pattern], is[pattern], `${path}./${pattern}/`);
    else breaking(walk, path, 'keyword-changed', `patternProperties ${show(pattern)} ${pattern in was ? 'removed' : 'added'}`);
  }
}

function compareArrays(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  if ('items' in old || 'items' in cur) walk.compare(asSchema(old['items']), asSchema(cur['items']), `${path}[]`);
  const [was, is] = [old['prefixItems'], cur['prefixItems']].map((p) => (Array.isArray(p) ? (p as unknown[]) : [])) as [
    unknown[],
    unknown[],
  ];
  for (let i = 0; i < Math.max(was.length, is.length); i++) {
    if (i < was.length && i < is.length) walk.compare(was[i], is[i], `${path}[${i}]`);
    else
      breaking(walk, `${path}[${i}]`, 'keyword-changed', `prefixItems ${i < was.length ? 'no longer describe' : 'now describe'} item ${i}`);
  }
}

/** allOf: every member still applies (compared in order); one more constrains, one fewer relaxes. */
function compareAllOf(walk: Walk, old: SchemaObject, cur: SchemaObject, path: string): void {
  const [was, is] = [old['allOf'], cur['allOf']].map((p) => (Array.isArray(p) ? (p as unknown[]) : [])) as [unknown[], unknown[]];
  for (let i = 0; i < Math.max(was.length, is.length); i++) {
    if (i < was.length && i < is.length) walk.compare(was[i], is[i], path);
    else if (i < was.length) additive(walk, path, 'bound-relaxed', `allOf member ${i} removed`);
    else breaking(walk, path, 'keyword-changed', `allOf member ${i} added`);
  }
}
