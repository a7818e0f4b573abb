// The secured broker's certificates, issued per broker home with the openssl CLI: a CA, the broker's
// certificate and mTLS client certificates whose CN becomes the Kafka principal.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BrokerError } from './errors.ts';

/** The CN the broker presents to clients, and to itself on the controller and inter-broker listeners. */
export const BROKER_PRINCIPAL = 'kafka-broker';
/** mTLS client certificates issued per home; `CN=<name>` authenticates as `User:<name>`. */
export const CLIENT_CERT_PRINCIPALS = ['paystream-worker', 'checkout', 'ledger', 'operator'] as const;

const DAYS = 365;

export interface TlsFiles {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly brokerCert: string;
  /** Private key, broker certificate and CA certificate in one file, as `ssl.keystore.type=PEM` reads it. */
  readonly brokerKeystore: string;
  certFile(cn: string): string;
  keyFile(cn: string): string;
}

export function tlsFiles(home: string): TlsFiles {
  const dir = join(home, 'tls');
  return {
    dir,
    caCert: join(dir, 'ca.pem'),
    caKey: join(dir, 'ca.key'),
    brokerCert: join(dir, `${BROKER_PRINCIPAL}.pem`),
    brokerKeystore: join(dir, 'broker.keystore.pem'),
    certFile: (cn) => join(dir, `${cn}.pem`),
    keyFile: (cn) => join(dir, `${cn}.key`),
  };
}

function openssl(args: string[]): { readonly ok: boolean; readonly stderr: string } {
  const r = spawnSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) throw new BrokerError('openssl is not installed or not on PATH: the secured broker issues its certificates with it.');
  return { ok: r.status === 0, stderr: r.stderr };
}

function mustOpenssl(args: string[]): void {
  const r = openssl(args);
  if (!r.ok) throw new BrokerError(`openssl ${args[0] ?? ''} failed:\n${r.stderr.trim()}`);
}

/** A minimal configuration, so the certificates never depend on the system's openssl.cnf. */
function writeConfig(f: TlsFiles): string {
  const file = join(f.dir, 'openssl.cnf');
  const ca = ['basicConstraints = critical,CA:TRUE', 'keyUsage = critical,keyCertSign,cRLSign', 'subjectKeyIdentifier = hash'];
  writeFileSync(file, ['[req]', 'distinguished_name = dn', 'prompt = no', '[dn]', '[ca]', ...ca, ''].join('\n'));
  return file;
}

/** An EC P-256 key in PKCS#8 PEM (the form Kafka's PEM key store reads), readable by the owner only. */
function newKey(file: string): void {
  mustOpenssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file]);
  chmodSync(file, 0o600);
}

function issue(f: TlsFiles, config: string, cn: string, usage: 'serverAuth,clientAuth' | 'clientAuth'): void {
  const csr = join(f.dir, `${cn}.csr`);
  const ext = join(f.dir, `${cn}.ext`);
  newKey(f.keyFile(cn));
  mustOpenssl(['req', '-new', '-config', config, '-key', f.keyFile(cn), '-subj', `/CN=${cn}`, '-out', csr]);
  const san = usage === 'clientAuth' ? [] : ['subjectAltName = IP:127.0.0.1,DNS:localhost'];
  const lines = ['basicConstraints = critical,CA:FALSE', 'keyUsage = critical,digitalSignature', `extendedKeyUsage = ${usage}`, ...san];
  writeFileSync(ext, `${lines.join('\n')}\nsubjectKeyIdentifier = hash\nauthorityKeyIdentifier = keyid\n`);
  const serial = `0x${randomBytes(16).toString('hex')}`;
  const sign = ['-CA', f.caCert, '-CAkey', f.caKey, '-set_serial', serial, '-days', String(DAYS), '-sha256', '-extfile', ext];
  mustOpenssl(['x509', '-req', '-in', csr, ...sign, '-out', f.certFile(cn)]);
  rmSync(csr);
  rmSync(ext);
}

/**
 * Issues the CA and every certificate unless the home already holds a set valid for another day. The
 * folder is 0700 before any key is written; new material never invalidates SCRAM users or data.
 */
export function ensureTls(home: string): TlsFiles {
  const f = tlsFiles(home);
  if (existsSync(f.brokerKeystore) && openssl(['x509', '-checkend', '86400', '-noout', '-in', f.brokerCert]).ok) return f;
  rmSync(f.dir, { recursive: true, force: true });
  mkdirSync(f.dir, { recursive: true, mode: 0o700 });
  chmodSync(f.dir, 0o700);
  const config = writeConfig(f);
  newKey(f.caKey);
  const subject = `/CN=Paystream local CA ${randomBytes(4).toString('hex')}`;
  mustOpenssl([
    'req',
    '-x509',
    '-new',
    '-config',
    config,
    '-extensions',
    'ca',
    '-key',
    f.caKey,
    '-subj',
    subject,
    '-days',
    String(DAYS),
    '-sha256',
    '-out',
    f.caCert,
  ]);
  issue(f, config, BROKER_PRINCIPAL, 'serverAuth,clientAuth');
  for (const cn of CLIENT_CERT_PRINCIPALS) issue(f, config, cn, 'clientAuth');
  const keystore = [f.keyFile(BROKER_PRINCIPAL), f.brokerCert, f.caCert].map((file) => readFileSync(file, 'utf8')).join('');
  // Written last: its presence marks a complete set.
  writeFileSync(f.brokerKeystore, keystore, { mode: 0o600 });
  return f;
}
