// JSON Schema, as zod emits it for the plugins' details, back to zod source: the subset the details
// use (strict objects of strings, enums, URLs, patterns, bounded integers, defaults). Anything else
// throws, so a plugin that grows a new construct makes the generator say so instead of guessing.
export interface JsonSchema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, JsonSchema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean;
  readonly enum?: readonly (string | number)[];
  readonly format?: string;
  readonly pattern?: string;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly default?: unknown;
  readonly description?: string;
  readonly $schema?: string;
  readonly const?: string | number | boolean;
  /** Only `{ field: { properties: { other: { const } } } }`: when `field` is present, `other` must be that value. */
  readonly dependentSchemas?: Readonly<Record<string, JsonSchema>>;
}

const KNOWN = new Set([
  'type',
  'properties',
  'required',
  'additionalProperties',
  'enum',
  'format',
  'pattern',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'default',
  'description',
  '$schema',
  'dependentSchemas',
]);

const regex = (pattern: string): string => `new RegExp(${JSON.stringify(pattern)})`;

function stringSource(s: JsonSchema): string {
  if (s.enum) return `z.enum(${JSON.stringify(s.enum)})`;
  let out = s.format === 'uri' ? 'z.url()' : 'z.string()';
  if (s.format && s.format !== 'uri') throw new Error(`string format ${s.format} is not supported`);
  if (s.minLength !== undefined) out += `.min(${String(s.minLength)})`;
  if (s.maxLength !== undefined) out += `.max(${String(s.maxLength)})`;
  if (s.pattern !== undefined) out += `.regex(${regex(s.pattern)})`;
  return out;
}

function numberSource(s: JsonSchema): string {
  let out = s.type === 'integer' ? 'z.number().int()' : 'z.number()';
  if (s.minimum !== undefined) out += `.min(${String(s.minimum)})`;
  if (s.maximum !== undefined) out += `.max(${String(s.maximum)})`;
  return out;
}

function objectSource(s: JsonSchema): string {
  if (s.additionalProperties !== false) throw new Error('details objects must be strict (additionalProperties: false)');
  const required = new Set(s.required ?? []);
  const fields = Object.entries(s.properties ?? {}).map(([name, child]) => {
    const value = zodSource(child);
    const optional = !required.has(name) && child.default === undefined ? '.optional()' : '';
    return `${JSON.stringify(name)}: ${value}${optional}`;
  });
  return `z.strictObject({ ${fields.join(', ')} })${dependentSource(s)}`;
}

/** Each dependent rule as a refinement on the field it depends on, worded as the plugins word it. */
function dependentSource(s: JsonSchema): string {
  return Object.entries(s.dependentSchemas ?? {})
    .map(([field, rule]) => {
      const entries = Object.entries(rule.properties ?? {});
      const [other, constraint] = entries[0] ?? [];
      if (entries.length !== 1 || !other || constraint?.const === undefined || Object.keys(rule).length !== 1)
        throw new Error(`dependentSchemas.${field}: only one property with a const value is supported`);
      const value = JSON.stringify(constraint.const);
      const message = JSON.stringify(`${field} applies to ${other} ${String(constraint.const)} only`);
      return `.refine((d) => d[${JSON.stringify(field)}] === undefined || d[${JSON.stringify(other)}] === ${value}, { path: [${JSON.stringify(field)}], message: ${message} })`;
    })
    .join('');
}

/** The zod expression that accepts what the schema accepts. */
export function zodSource(s: JsonSchema): string {
  const unknown = Object.keys(s).filter((k) => !KNOWN.has(k));
  if (unknown.length > 0) throw new Error(`JSON Schema keywords ${unknown.join(', ')} are not supported`);
  let out: string;
  if (s.type === 'object') out = objectSource(s);
  else if (s.type === 'string') out = stringSource(s);
  else if (s.type === 'integer' || s.type === 'number') out = numberSource(s);
  else if (s.type === 'boolean') out = 'z.boolean()';
  else throw new Error(`JSON Schema type ${String(s.type)} is not supported`);
  return s.default === undefined ? out : `${out}.default(${JSON.stringify(s.default)})`;
}
