// Each rule of the compatibility checker on unions (event types, action kinds, nullable fields),
// references and annotations, whole documents, and the version rule of checkRelease.
import { describe, expect, it } from 'vitest';
import { checkRelease, compareDocuments, compareVersions } from '../src/compatibility.ts';
import { changes, messages, none, object, str, type Json } from './compatibility-helpers.ts';

describe('unions', () => {
  const member = (kind: string | string[], properties: Json = {}, required: string[] = []) =>
    object({ kind: Array.isArray(kind) ? { type: 'string', enum: kind } : { type: 'string', const: kind }, ...properties }, [
      'kind',
      ...required,
    ]);
  const doc = (members: Record<string, Json>): Json => ({
    $ref: '#/$defs/Action',
    $defs: { Action: { oneOf: Object.keys(members).map((n) => ({ $ref: `#/$defs/${n}` })) }, ...members },
  });
  const released = doc({ Link: member(['deeplink', 'redirect'], { url: str }, ['url']), Qr: member('qr', { qrString: str }) });

  it('a removed member is breaking, naming the value of the property that tells members apart', () => {
    expect(changes(released, doc({ Link: member(['deeplink', 'redirect'], { url: str }, ['url']) })).breaking).toEqual([
      '$.kind member-removed',
    ]);
    expect(messages(released, doc({ Link: member(['deeplink'], { url: str }, ['url']), Qr: member('qr', { qrString: str }) }))).toEqual([
      'member removed: nothing accepts kind "redirect" any more',
    ]);
  });

  it('a new member is additive', () => {
    const more = doc({
      Link: member(['deeplink', 'redirect'], { url: str }, ['url']),
      Qr: member('qr', { qrString: str }),
      Code: member('code'),
    });
    expect(changes(released, more)).toEqual({ breaking: [], additive: ['$.kind member-added'] });
  });

  it('compares each member with the released members of its values, named by its $defs name', () => {
    const changed = doc({ Link: member(['deeplink', 'redirect'], { url: str }, ['url']), Qr: member('qr', {}) });
    expect(changes(released, changed).breaking).toEqual(['$<Qr>.qrString property-removed']);
  });

  it('a value moved to another member with the same fields is no change', () => {
    const split = doc({
      Link: member(['deeplink'], { url: str }, ['url']),
      Redirect: member('redirect', { url: str }, ['url']),
      Qr: member('qr', { qrString: str }),
    });
    expect(changes(released, split)).toEqual(none);
  });

  it('an object that became the first member of a union of kinds: the new kinds are additive', () => {
    const single = object({ kind: { type: 'string', enum: ['deeplink', 'qr'] }, url: str }, ['kind']);
    const union = doc({ Standard: single, Code: member('code', { code: str }, ['code']) });
    expect(changes(single, union)).toEqual({ breaking: [], additive: ['$.kind member-added'] });
  });

  it('an alternative without a telling property: removed or added is breaking (a field made nullable)', () => {
    const nullable = { anyOf: [str, { type: 'null' }] };
    expect(changes(str, nullable)).toEqual({ breaking: ['$ alternative-added'], additive: [] });
    expect(changes(nullable, str)).toEqual({ breaking: ['$ member-removed'], additive: [] });
    expect(changes(nullable, { anyOf: [{ type: 'string', maxLength: 5 }, { type: 'null' }] }).breaking).toEqual([
      '$<string> bound-tightened',
    ]);
  });
});

describe('references and annotations', () => {
  it('follows $ref, and a renamed definition with the same shape is no change', () => {
    const a = { $ref: '#/$defs/Id', $defs: { Id: { type: 'string', pattern: '^x' } } };
    const b = { $ref: '#/$defs/Identifier', $defs: { Identifier: { type: 'string', pattern: '^x' } } };
    expect(changes(a, b)).toEqual(none);
    expect(changes(a, { ...b, $defs: { Identifier: str } }).additive).toEqual(['$ pattern-removed']);
  });

  it('ends on recursive schemas', () => {
    const tree = (leaf: Json) => ({
      $ref: '#/$defs/Node',
      $defs: { Node: object({ value: leaf, children: { type: 'array', items: { $ref: '#/$defs/Node' } } }) },
    });
    expect(changes(tree(str), tree({ type: 'integer' })).breaking).toEqual(['$.value type-changed']);
  });

  it('descriptions, identifiers and the contract version are no change; other keywords must stay as they are', () => {
    const a = { $id: 'https://paystream.dev/schemas/A.json', 'x-paystream-contract-version': '1.1.0', description: 'old', type: 'string' };
    const b = { $id: 'https://paystream.dev/schemas/A.json', 'x-paystream-contract-version': '1.2.0', description: 'new', type: 'string' };
    expect(changes(a, b)).toEqual(none);
    expect(changes({ not: { const: 'a' } }, { not: { const: 'b' } }).breaking).toEqual(['$ keyword-changed']);
  });

  it('a new default is additive; a changed or removed one breaking', () => {
    expect(changes({ type: 'object' }, { type: 'object', default: {} }).additive).toEqual(['$ default-added']);
    expect(changes({ type: 'object', default: {} }, { type: 'object' }).breaking).toEqual(['$ default-changed']);
  });

  it('compares documents by message, a message no longer published being breaking', () => {
    expect(compareDocuments({ A: str, B: str }, { A: str, C: str })).toEqual({
      breaking: [{ path: 'B', rule: 'schema-removed', message: 'the B message is no longer published' }],
      additive: [{ path: 'C', rule: 'schema-added', message: 'new message C' }],
    });
  });
});

describe('checkRelease', () => {
  const breaking = { path: '$.a', rule: 'property-removed' as const, message: 'property a removed' };
  const additive = { path: '$.b', rule: 'property-added' as const, message: 'new optional property b' };

  it('wants a higher major version for a breaking change', () => {
    expect(checkRelease('1.1.0', '1.9.0', { breaking: [breaking], additive: [] })).toEqual([
      '$.a: property a removed (breaking: needs version 2.0.0 or later, not 1.9.0)',
    ]);
    expect(checkRelease('1.1.0', '2.0.0', { breaking: [breaking], additive: [additive] })).toEqual([]);
  });

  it('wants at least a higher minor version for an additive change', () => {
    expect(checkRelease('1.1.0', '1.1.3', { breaking: [], additive: [additive] })).toEqual([
      '$.b: new optional property b (additive: needs version 1.2.0 or later, not 1.1.3)',
    ]);
    expect(checkRelease('1.1.0', '1.2.0', { breaking: [], additive: [additive] })).toEqual([]);
  });

  it('takes any version for no change, but not a lower one nor one that is not a version', () => {
    expect(checkRelease('1.1.0', '1.1.0', { breaking: [], additive: [] })).toEqual([]);
    expect(checkRelease('1.1.0', '1.0.9', { breaking: [], additive: [] })).toEqual([
      'version 1.0.9 is lower than the released version 1.1.0',
    ]);
    expect(checkRelease('1.1', '1.2.0', { breaking: [], additive: [] })).toEqual(['not a contract version (major.minor.patch): 1.1']);
    expect(['1.10.0', '1.2.0', '0.9.1'].sort(compareVersions)).toEqual(['0.9.1', '1.2.0', '1.10.0']);
  });
});
