// Each rule of the compatibility checker on properties and single values: types, values, bounds,
// string forms (the unions, references and the version rule: compatibility-unions.spec.ts).
import { describe, expect, it } from 'vitest';
import { changes, messages, none, object, str, type Json } from './compatibility-helpers.ts';

describe('properties', () => {
  const before = object({ id: str, note: str }, ['id']);

  it('a removed property is breaking', () => {
    expect(changes(before, object({ id: str }, ['id']))).toEqual({ breaking: ['$.note property-removed'], additive: [] });
  });

  it('a property made required, or a new required one, is breaking', () => {
    expect(changes(before, object({ id: str, note: str }, ['id', 'note'])).breaking).toEqual(['$.note property-required']);
    expect(changes(before, object({ id: str, note: str, at: str }, ['id', 'at'])).breaking).toEqual(['$.at property-required']);
  });

  it('a property no longer required is breaking: readers counted on it', () => {
    expect(changes(before, object({ id: str, note: str }, [])).breaking).toEqual(['$.id property-optional']);
  });

  it('a new optional property is additive', () => {
    expect(changes(before, object({ id: str, note: str, at: str }, ['id']))).toEqual({ breaking: [], additive: ['$.at property-added'] });
  });

  it('names nested properties, odd names, array items and map values by their path', () => {
    const nest = (leaf: Json) =>
      object({
        data: object({ 'odd-name': leaf, list: { type: 'array', items: leaf }, map: { type: 'object', additionalProperties: leaf } }),
      });
    expect(changes(nest(str), nest({ type: 'integer' })).breaking).toEqual([
      '$.data["odd-name"] type-changed',
      '$.data.list[] type-changed',
      '$.data.map.* type-changed',
    ]);
  });

  it('closing an object to unlisted properties is breaking, opening it additive', () => {
    const open = { type: 'object', properties: { id: str } };
    expect(changes(open, { ...open, additionalProperties: false })).toEqual({ breaking: ['$ additional-closed'], additive: [] });
    expect(changes({ ...open, additionalProperties: false }, open)).toEqual({ breaking: [], additive: ['$ additional-opened'] });
    expect(changes(open, { ...open, additionalProperties: str }).breaking).toEqual(['$.* type-changed']);
  });
});

describe('types', () => {
  it('a narrowed, widened or changed type is breaking', () => {
    expect(changes({ type: ['string', 'null'] }, str).breaking).toEqual(['$ type-changed']);
    expect(changes({ type: 'integer' }, { type: 'number' }).breaking).toEqual(['$ type-changed']);
    expect(changes(str, { type: 'integer' }).breaking).toEqual(['$ type-changed']);
    expect(changes({}, str).breaking).toEqual(['$ type-changed']);
    expect(messages({ type: 'number' }, { type: 'integer' })).toEqual([
      'type narrowed from number to integer: values the released version accepts are refused',
    ]);
  });

  it('the same types in another order are no change', () => {
    expect(changes({ type: ['string', 'null'] }, { type: ['null', 'string'] })).toEqual(none);
  });
});

describe('values', () => {
  const kinds = { type: 'string', enum: ['a', 'b'] };

  it('a removed value is breaking, a new one additive', () => {
    expect(changes(kinds, { type: 'string', enum: ['a'] })).toEqual({ breaking: ['$ value-removed'], additive: [] });
    expect(changes(kinds, { type: 'string', enum: ['a', 'b', 'c'] })).toEqual({ breaking: [], additive: ['$ value-added'] });
    expect(messages(kinds, { type: 'string', enum: ['b', 'c'] })).toEqual(['value "a" removed', 'value "c" added']);
  });

  it('a const is a single value; restricting a free value is breaking, freeing it additive', () => {
    expect(changes({ type: 'string', const: 'a' }, kinds)).toEqual({ breaking: [], additive: ['$ value-added'] });
    expect(changes(str, kinds).breaking).toEqual(['$ values-restricted']);
    expect(changes(kinds, str).additive).toEqual(['$ values-opened']);
  });

  it('a union of constants is compared as its values', () => {
    const union = (...vs: string[]) => ({ anyOf: vs.map((v) => ({ type: 'string', const: v })) });
    expect(changes(union('a', 'b'), union('b', 'c'))).toEqual({ breaking: ['$ value-removed'], additive: ['$ value-added'] });
  });
});

describe('bounds', () => {
  it('a tightened bound is breaking, a relaxed one additive', () => {
    expect(changes({ type: 'string', maxLength: 255 }, { type: 'string', maxLength: 100 }).breaking).toEqual(['$ bound-tightened']);
    expect(changes({ type: 'string', maxLength: 255 }, str).additive).toEqual(['$ bound-relaxed']);
    expect(changes(str, { type: 'string', minLength: 1 }).breaking).toEqual(['$ bound-tightened']);
    expect(changes({ type: 'array', minItems: 2 }, { type: 'array', minItems: 1 }).additive).toEqual(['$ bound-relaxed']);
    expect(changes({ type: 'array' }, { type: 'array', uniqueItems: true }).breaking).toEqual(['$ bound-tightened']);
    expect(messages({ type: 'string', maxLength: 255 }, { type: 'string', maxLength: 100 })).toEqual(['maxLength lowered from 255 to 100']);
  });

  it('number ranges: minimum and exclusiveMinimum together, exclusive integer bounds as the inclusive ones they are', () => {
    const int = (extra: Json) => ({ type: 'integer', ...extra });
    expect(changes(int({ exclusiveMinimum: 0 }), int({ minimum: 1 }))).toEqual(none);
    expect(changes(int({ minimum: 0 }), int({ exclusiveMinimum: 0 })).breaking).toEqual(['$ bound-tightened']);
    expect(changes({ type: 'number', minimum: 0 }, { type: 'number', exclusiveMinimum: 0 }).breaking).toEqual(['$ bound-tightened']);
    expect(changes(int({ maximum: 100 }), int({ maximum: 1000 })).additive).toEqual(['$ bound-relaxed']);
    expect(changes(int({}), int({ maximum: 1000 })).breaking).toEqual(['$ bound-tightened']);
    expect(messages(int({ exclusiveMinimum: 0 }), int({ minimum: 5 }))).toEqual(['minimum raised from > 0 to >= 5']);
  });

  it('multipleOf: a divisor of the released one relaxes, anything else tightens', () => {
    expect(changes({ type: 'number', multipleOf: 10 }, { type: 'number', multipleOf: 5 }).additive).toEqual(['$ bound-relaxed']);
    expect(changes({ type: 'number', multipleOf: 5 }, { type: 'number', multipleOf: 10 }).breaking).toEqual(['$ bound-tightened']);
  });
});

describe('string forms', () => {
  it('a changed or new pattern or format is breaking; a dropped one additive', () => {
    expect(changes({ type: 'string', pattern: '^a' }, { type: 'string', pattern: '^b' }).breaking).toEqual(['$ pattern-changed']);
    expect(changes(str, { type: 'string', pattern: '^a' }).breaking).toEqual(['$ pattern-changed']);
    expect(changes({ type: 'string', pattern: '^a' }, str).additive).toEqual(['$ pattern-removed']);
    expect(changes({ type: 'string', format: 'uri' }, { type: 'string', format: 'email' }).breaking).toEqual(['$ format-changed']);
    expect(changes({ type: 'string', format: 'uri' }, str).additive).toEqual(['$ format-removed']);
  });
});
