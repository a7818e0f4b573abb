// What @paystream/client carries of the plugins and the error catalogue is what they say today:
// the generated files are fresh, and each method's generated details schema accepts and refuses
// what its plugin's own schema does (the refinements included, via their JSON Schema patterns).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detailsSchemas } from '@paystream/client';
import type { PaymentMethodPlugin } from '@paystream/plugin-sdk';
import { generatedDir, renderedClientFiles } from '../../scripts/generate-client.ts';

const samples: unknown[] = [
  {},
  { bank: 'bca' },
  { bank: 'bni', validForMinutes: 30, customerName: 'Siti', subCompanyCode: '12345' },
  { bank: 'bca', subCompanyCode: '1234' },
  { bank: 'bca', subCompanyCode: '12345' },
  { bank: 'bca', customerName: '   ' },
  { bank: 'nowhere' },
  { returnUrl: 'https://shop.example/back' },
  { returnUrl: 'http://shop.example/back' },
  { returnUrl: 'not a url' },
  { validForMinutes: 0 },
  { validForMinutes: 1440 },
  { validForMinutes: 1441 },
  { validForMinutes: 1.5 },
  { tokenId: 'x'.repeat(16) },
  { tokenId: 'short' },
  { store: 'alfamart', message: 'thanks' },
  { store: 'alfamart', message: '' },
  { provider: 'kredivo' },
  { provider: 'paylater' },
  { acquirer: 'AIRPAY SHOPEE' },
  { acquirer: 'ovo' },
  { unknown: true },
];

describe('the client package', () => {
  it('carries fresh generated files (regenerate with: node scripts/generate-client.ts)', async () => {
    for (const [file, text] of Object.entries(await renderedClientFiles()))
      expect(readFileSync(join(generatedDir, file), 'utf8'), `${file} is stale`).toBe(text);
  });

  it.each(Object.keys(detailsSchemas))('accepts and refuses the %s details its plugin does', async (method) => {
    const mod = (await import(`@paystream/plugin-${method}`)) as Record<string, unknown>;
    const plugin = Object.values(mod).find(
      (v): v is PaymentMethodPlugin => typeof v === 'object' && v !== null && 'details' in v && 'method' in v,
    );
    const generated = detailsSchemas[method as keyof typeof detailsSchemas];
    for (const sample of samples) {
      const theirs = plugin?.details.safeParse(sample);
      const ours = generated.safeParse(sample);
      expect(ours.success, `${method} ${JSON.stringify(sample)}`).toBe(theirs?.success);
      if (ours.success && theirs?.success) expect(ours.data).toEqual(theirs.data);
    }
  });
});
