// The JSON descriptor a running simulator writes for its clients: where it listens, which CA to
// trust, and the credentials it issued (secrets as files beside the descriptor, owner-only).
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Simulator } from './server.ts';

export interface Descriptor {
  readonly baseUrl: string;
  readonly adminUrl: string;
  readonly caCertPath: string;
  readonly credentials: {
    readonly clientId: string;
    readonly partnerId: string;
    readonly channelId: string;
    readonly merchantId: string;
    readonly clientSecret: string;
    readonly merchantPrivateKeyPath?: string;
    readonly merchantPublicKeyPath: string;
    readonly midtransPublicKeyPath: string;
    readonly serverKey: string;
    readonly clientKey: string;
  };
}

function secretFile(path: string, content: string): string {
  writeFileSync(path, content, { mode: 0o600 });
  chmodSync(path, 0o600);
  return path;
}

export function writeDescriptor(sim: Simulator, stateFile: string): Descriptor {
  const file = resolve(stateFile);
  const dir = join(dirname(file), 'sim-keys');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const c = sim.credentials;
  const descriptor: Descriptor = {
    baseUrl: sim.baseUrl,
    adminUrl: sim.adminUrl,
    caCertPath: secretFile(join(dir, 'ca.pem'), sim.caCertPem),
    credentials: {
      clientId: c.clientId,
      partnerId: c.partnerId,
      channelId: c.channelId,
      merchantId: c.merchantId,
      clientSecret: c.clientSecret,
      ...(c.merchantPrivateKeyPem
        ? { merchantPrivateKeyPath: secretFile(join(dir, 'merchant-private.pem'), c.merchantPrivateKeyPem) }
        : {}),
      merchantPublicKeyPath: secretFile(join(dir, 'merchant-public.pem'), c.merchantPublicKeyPem),
      midtransPublicKeyPath: secretFile(join(dir, 'midtrans-public.pem'), c.midtransPublicKeyPem),
      serverKey: c.serverKey,
      clientKey: c.clientKey,
    },
  };
  writeFileSync(file, `${JSON.stringify(descriptor, null, 2)}\n`, { mode: 0o600 });
  return descriptor;
}
