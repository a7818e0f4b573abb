// Small schemas of the form z.toJSONSchema emits, and the changes between two of them as `path rule`.
import { compareSchemas } from '../src/compatibility.ts';

export type Json = Record<string, unknown>;

/** The changes from `old` to `cur`, each as `path rule`. */
export function changes(old: unknown, cur: unknown): { breaking: string[]; additive: string[] } {
  const { breaking, additive } = compareSchemas(old, cur);
  return { breaking: breaking.map((c) => `${c.path} ${c.rule}`), additive: additive.map((c) => `${c.path} ${c.rule}`) };
}
export const messages = (old: unknown, cur: unknown): string[] => {
  const { breaking, additive } = compareSchemas(old, cur);
  return [...breaking, ...additive].map((c) => c.message);
};

export const object = (properties: Json, required: string[] = Object.keys(properties), extra: Json = {}): Json => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
  ...extra,
});
export const str: Json = { type: 'string' };
export const none = { breaking: [], additive: [] };
