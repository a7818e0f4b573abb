// The ingress' TLS certificate and key, read as core reads key files: a failure names the field, never
// its value, and the key must be readable by its owner only (unless allowInsecureKeyFilePermissions).
import { readConfiguredFile } from '@paystream/core';
import type { WorkerConfig } from './worker-config.ts';

export function readIngressTls(
  config: Pick<WorkerConfig, 'ingress'>,
  allowInsecurePermissions: boolean,
): { certPem: string; keyPem: string } | undefined {
  const { tlsCertFile, tlsKeyFile } = config.ingress;
  if (tlsCertFile === undefined || tlsKeyFile === undefined) return undefined;
  return {
    certPem: readConfiguredFile(tlsCertFile, 'ingress.tlsCertFile'),
    keyPem: readConfiguredFile(tlsKeyFile, 'ingress.tlsKeyFile', { private: true, allowInsecurePermissions }),
  };
}
