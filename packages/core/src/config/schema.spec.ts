import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
import { parseCoreConfig } from './schema.ts';

const valid = {
  snapBaseUrl: 'https://merchants.sbx.midtrans.com',
  coreBaseUrl: 'https://api.sandbox.midtrans.com',
  merchants: { default: { clientId: 'c', partnerId: 'p', channelId: '12345', privateKeyFile: '/k.pem', clientSecretFile: '/s' } },
  midtransPublicKeyFiles: ['/m.pem'],
};

describe('core configuration', () => {
  it('fills defaults and freezes', () => {
    const c = parseCoreConfig(valid);
    expect(c.http).toMatchObject({ connectTimeoutMs: 5000, totalTimeoutMs: 30000 });
    expect(c.tls.allowTls12ForSnap).toBe(false);
    expect(Object.isFrozen(c.merchants['default'])).toBe(true);
  });

  it('names every bad field and never echoes a value', () => {
    let err: unknown;
    try {
      parseCoreConfig({
        ...valid,
        snapBaseUrl: 'http://plain.example',
        merchants: { default: { ...valid.merchants.default, channelId: 'S3CR3T' } },
        midtransPublicKeyFiles: [],
      });
    } catch (e) {
      err = e;
    }
    expect(ConfigError.is(err)).toBe(true);
    const issues = (err as ConfigError).issues.join('\n');
    expect(issues).toContain('snapBaseUrl');
    expect(issues).toContain('merchants.default.channelId');
    expect(issues).toContain('midtransPublicKeyFiles');
    expect(issues).not.toContain('S3CR3T');
  });

  it('refuses a default merchant that does not exist and unknown fields', () => {
    expect(() => parseCoreConfig({ ...valid, defaultMerchant: 'shop-b' })).toThrow(/defaultMerchant/);
    expect(() => parseCoreConfig({ ...valid, serverKey: 'x' })).toThrow(/serverKey|Unrecognized/);
  });
});
