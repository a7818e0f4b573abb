// The contract evolves by the rules of docs/contracts.md, "Evolving the contracts": the current
// schemas against the latest snapshot under released/, and deliberate changes to copies of the 1.1.0
// snapshot, which the checker must name and sort.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkRelease, compareDocuments, contractVersionOf, parseVersion, type Change, type Comparison } from '../src/compatibility.ts';
import { CONTRACT_VERSION, jsonSchemas } from '../src/schemas.ts';
import { readRelease, releasedVersions } from '../scripts/release-schemas.ts';

type Defs = Record<string, Record<string, unknown> & { properties: Record<string, Record<string, unknown>>; required: string[] }>;

/** A copy of the 1.1.0 snapshot with `edit` applied to the `$defs` of one message's schema. */
function edited(message: string, edit: (defs: Defs) => void): Comparison {
  const released = readRelease('1.1.0');
  const copy = structuredClone(released) as Record<string, { $defs: Defs }>;
  edit(copy[message]!.$defs);
  return compareDocuments(released, copy);
}

const named = (changes: Change[]) => changes.map(({ path, rule }) => ({ path, rule }));

describe('the current contract', () => {
  const versions = releasedVersions();
  const latest = versions.at(-1)!;

  it('keeps the schemas of each released version, stating that version, and none newer than the current one', () => {
    expect(versions).toContain('1.1.0');
    expect(Object.keys(readRelease('1.1.0')).sort()).toEqual(['DlqRecord', 'PaymentCommand', 'ResultEvent']);
    for (const version of versions) {
      const schemas = Object.values(readRelease(version));
      expect(schemas.length, version).toBeGreaterThan(0);
      for (const schema of schemas) expect(contractVersionOf(schema), version).toBe(version);
    }
    expect(checkRelease(latest, CONTRACT_VERSION, { breaking: [], additive: [] })).toEqual([]);
  });

  it('publishes each schema under a versionless $id, stating the contract version', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      expect(schema).toMatchObject({
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        $id: `https://paystream.dev/schemas/${name}.json`,
        'x-paystream-contract-version': CONTRACT_VERSION,
      });
    }
  });

  it('breaks nothing since the latest release unless its major version is higher, and has the version its changes call for', () => {
    const result = compareDocuments(readRelease(latest), jsonSchemas());
    if (parseVersion(CONTRACT_VERSION)!.major === parseVersion(latest)!.major) expect(result.breaking).toEqual([]);
    expect(checkRelease(latest, CONTRACT_VERSION, result)).toEqual([]);
  });

  it('went from 1.0.0 to 1.1.0 by adding two action kinds, and nothing else', () => {
    const dir = join(import.meta.dirname, 'fixtures/compatibility/1.0.0');
    const published = Object.fromEntries(
      readdirSync(dir).map((f) => [f.replace('.json', ''), JSON.parse(readFileSync(join(dir, f), 'utf8')) as unknown]),
    );
    const result = compareDocuments(published, readRelease('1.1.0'));
    expect(result.breaking).toEqual([]);
    expect(result.additive.map((c) => c.message)).toEqual(['new member: kind "payment_code"', 'new member: kind "instructions"']);
    expect(result.additive[0]!.path).toBe('ResultEvent<PaymentEvent>.data.action.kind');
    expect(checkRelease('1.0.0', '1.1.0', result)).toEqual([]);
    expect(checkRelease('1.0.0', '1.0.1', result)).toHaveLength(2);
  });
});

describe('a breaking change to the released schemas', () => {
  const cases: [string, string, (defs: Defs) => void, { path: string; rule: string }][] = [
    [
      'removes a field',
      'ResultEvent',
      (d) => delete d['PaymentEventData']!.properties['reason'],
      { path: 'ResultEvent<PaymentEvent>.data.reason', rule: 'property-removed' },
    ],
    [
      'makes a field required',
      'PaymentCommand',
      (d) => d['PaymentCommand']!.required.push('customer'),
      { path: 'PaymentCommand.customer', rule: 'property-required' },
    ],
    [
      'adds a required field',
      'DlqRecord',
      (d) => {
        d['DlqRecord']!.properties['worker'] = { type: 'string' };
        d['DlqRecord']!.required.push('worker');
      },
      { path: 'DlqRecord.worker', rule: 'property-required' },
    ],
    [
      'removes an enum value',
      'ResultEvent',
      (d) => (d['PaymentStatus']!['enum'] = (d['PaymentStatus']!['enum'] as string[]).filter((s) => s !== 'refunded')),
      { path: 'ResultEvent<PaymentEvent>.data.status', rule: 'value-removed' },
    ],
    [
      'narrows a type',
      'PaymentCommand',
      (d) => (d['PaymentCommand']!.properties['details']!['additionalProperties'] = { type: 'string' }),
      { path: 'PaymentCommand.details.*', rule: 'type-changed' },
    ],
    [
      'changes a type',
      'ResultEvent',
      (d) => (d['RejectedEventData']!.properties['offset'] = { type: 'integer', minimum: 0 }),
      { path: 'ResultEvent<RejectedEvent>.data.offset', rule: 'type-changed' },
    ],
    [
      'removes an event type',
      'ResultEvent',
      (d) => (d['PaymentEvent']!.properties['type']!['enum'] = ['paystream.payment.succeeded', 'paystream.payment.failed']),
      { path: 'ResultEvent.type', rule: 'member-removed' },
    ],
    [
      'removes an action kind',
      'ResultEvent',
      (d) => (d['CustomerAction']!['oneOf'] = (d['CustomerAction']!['oneOf'] as unknown[]).slice(0, 2)),
      { path: 'ResultEvent<PaymentEvent>.data.action.kind', rule: 'member-removed' },
    ],
    [
      'lowers a maximum length',
      'DlqRecord',
      (d) => (d['DlqRecord']!.properties['message']!['maxLength'] = 1024),
      { path: 'DlqRecord.message', rule: 'bound-tightened' },
    ],
    [
      'changes a pattern',
      'PaymentCommand',
      (d) => (d['OrderId']!['pattern'] = '^[A-Za-z0-9]{1,50}$'),
      { path: 'PaymentCommand.orderId', rule: 'pattern-changed' },
    ],
    [
      'closes a map to keys it does not list',
      'ResultEvent',
      (d) => (d['PaymentEventData']!.properties['midtrans']!['additionalProperties'] = false),
      { path: 'ResultEvent<PaymentEvent>.data.midtrans', rule: 'additional-closed' },
    ],
  ];

  it.each(cases)('fails when it %s, naming the change', (_, message, edit, expected) => {
    const result = edited(message, edit);
    expect(named(result.breaking)).toContainEqual(expected);
    const problems = checkRelease('1.1.0', '1.2.0', result);
    expect(problems.some((p) => p.startsWith(`${expected.path}: `) && p.includes('needs version 2.0.0'))).toBe(true);
    expect(checkRelease('1.1.0', '2.0.0', result)).toEqual([]);
  });

  it('says in words what changed', () => {
    const result = edited('ResultEvent', (d) => (d['PaymentEvent']!.properties['type']!['enum'] = ['paystream.payment.succeeded']));
    expect(result.breaking.map((c) => c.message)).toContain('member removed: nothing accepts type "paystream.payment.refunded" any more');
  });
});

describe('an additive change to the released schemas', () => {
  const cases: [string, string, (defs: Defs) => void, { path: string; rule: string }][] = [
    [
      'adds an optional field',
      'ResultEvent',
      (d) => (d['PaymentEventData']!.properties['note'] = { type: 'string', maxLength: 200 }),
      { path: 'ResultEvent<PaymentEvent>.data.note', rule: 'property-added' },
    ],
    [
      'adds an action kind',
      'ResultEvent',
      (d) => {
        d['BarcodeAction'] = {
          type: 'object',
          properties: { kind: { type: 'string', const: 'barcode' }, barcode: { type: 'string', minLength: 1 } },
          required: ['kind', 'barcode'],
          additionalProperties: false,
        };
        (d['CustomerAction']!['oneOf'] as unknown[]).push({ $ref: '#/$defs/BarcodeAction' });
      },
      { path: 'ResultEvent<PaymentEvent>.data.action.kind', rule: 'member-added' },
    ],
    [
      'adds an event type',
      'ResultEvent',
      (d) => (d['PaymentEvent']!.properties['type']!['enum'] as string[]).push('paystream.payment.authorized'),
      { path: 'ResultEvent.type', rule: 'member-added' },
    ],
    [
      'adds an enum value',
      'PaymentCommand',
      (d) => (d['CommandType']!['enum'] as string[]).push('payment.capture'),
      { path: 'PaymentCommand.type', rule: 'value-added' },
    ],
    [
      'raises a maximum length',
      'DlqRecord',
      (d) => (d['DlqRecord']!.properties['message']!['maxLength'] = 4096),
      { path: 'DlqRecord.message', rule: 'bound-relaxed' },
    ],
  ];

  it.each(cases)('passes as additive when it %s, with a minor version', (_, message, edit, expected) => {
    const result = edited(message, edit);
    expect(result.breaking).toEqual([]);
    expect(named(result.additive)).toContainEqual(expected);
    expect(checkRelease('1.1.0', '1.2.0', result)).toEqual([]);
    expect(checkRelease('1.1.0', '1.1.1', result).every((p) => p.includes('needs version 1.2.0'))).toBe(true);
    expect(checkRelease('1.1.0', '1.1.1', result)).toHaveLength(result.additive.length);
  });
});
