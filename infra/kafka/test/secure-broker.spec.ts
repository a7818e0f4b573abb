// The secured broker (docs/kafka.md, "The secured broker") against real kafkajs clients: SCRAM over
// TLS, an mTLS principal and its ACLs, and every connection it must refuse.
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
  type Admin,
  type Kafka,
  type SASLOptions,
} from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureSecureBroker, secureAdminKafka, type SecureBroker } from '../src/secure-testing.ts';
import { createTopics, uniqueTopic } from '../src/testing.ts';
import { client, connectAdmin, handshake, jwtPart, produce, refusal, requestToken, signJwt } from './secure-clients.ts';

let broker: SecureBroker;
let admin: Admin;
let ca: string;
const created: string[] = [];

beforeAll(async () => {
  broker = await ensureSecureBroker();
  ca = readFileSync(broker.caFile, 'utf8');
  admin = secureAdminKafka(broker).admin();
  await admin.connect();
});

afterAll(async () => {
  if (created.length > 0) await admin.deleteTopics({ topics: created }).catch(() => undefined);
  await admin.disconnect();
  await broker.stop();
});

const password = (user: string): string => readFileSync(broker.users[user]!.passwordFile, 'utf8').trim();
const scram = (user: string): SASLOptions => ({ mechanism: 'scram-sha-512', username: user, password: password(user) });

/** READ, WRITE and DESCRIBE on one topic; effective a moment later, once the metadata record reaches the authorizer. */
async function grantTopic(principal: string, name: string): Promise<void> {
  const operations = [AclOperationTypes.READ, AclOperationTypes.WRITE, AclOperationTypes.DESCRIBE];
  await admin.createAcls({
    acl: operations.map((operation) => ({
      resourceType: AclResourceTypes.TOPIC,
      resourceName: name,
      resourcePatternType: ResourcePatternTypes.LITERAL,
      principal,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    })),
  });
}

const produces = (kafka: Kafka, name: string): Promise<boolean> =>
  produce(kafka, name, 'granted').then(
    () => true,
    () => false,
  );

async function topic(prefix: string): Promise<string> {
  const name = uniqueTopic(prefix);
  await createTopics(admin, [name]);
  created.push(name);
  return name;
}

describe('the secured broker', () => {
  it('keeps every private key and password readable by its owner only', () => {
    const tlsDir = dirname(broker.caFile);
    const secrets = [join(tlsDir, 'ca.key'), broker.clientCert.keyFile, ...Object.values(broker.users).map((u) => u.passwordFile)];
    for (const file of secrets) expect({ file, mode: statSync(file).mode & 0o777 }).toEqual({ file, mode: 0o600 });
    expect(statSync(tlsDir).mode & 0o777).toBe(0o700);
    expect(statSync(dirname(broker.users['checkout']!.passwordFile)).mode & 0o777).toBe(0o700);
  });

  it('lets the admin (SCRAM-SHA-512 over TLS) create a topic, produce and consume', async () => {
    const name = await topic('secure-admin');
    const kafka = secureAdminKafka(broker);
    await produce(kafka, name, 'over-tls');
    const consumer = kafka.consumer({ groupId: uniqueTopic('secure-group') });
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    const value = await new Promise<string>((done, fail) => {
      consumer
        .run({
          eachMessage: ({ message }) => {
            done(message.value?.toString() ?? '');
            return Promise.resolve();
          },
        })
        .catch(fail);
    });
    await consumer.disconnect();
    expect(value).toBe('over-tls');
  });

  it('commits a transaction: its marker travels the inter-broker mTLS listener as User:kafka-broker', async () => {
    const name = await topic('secure-tx');
    const producer = secureAdminKafka(broker).producer({
      transactionalId: uniqueTopic('secure-tx'),
      idempotent: true,
      maxInFlightRequests: 1,
    });
    await producer.connect();
    const tx = await producer.transaction();
    await tx.send({ topic: name, messages: [{ key: 'k', value: 'committed' }] });
    await tx.commit();
    await producer.disconnect();
    // The record at offset 0, the commit marker at 1: the coordinator wrote it to the partition leader.
    await expect.poll(async () => (await admin.fetchTopicOffsets(name))[0]?.high, { timeout: 15_000 }).toBe('2');
  });

  it('authenticates the mTLS client as User:paystream-worker, which produces once the admin grants it the topic', async () => {
    const name = await topic('secure-mtls');
    const { certFile, keyFile, principal } = broker.clientCert;
    const worker = client({ brokers: broker.mtlsBrokers, ssl: { ca: [ca], cert: readFileSync(certFile), key: readFileSync(keyFile) } });
    expect(await refusal(() => produce(worker, name, 'too early'))).toContain('TOPIC_AUTHORIZATION_FAILED');

    await grantTopic(principal, name);
    await expect.poll(() => produces(worker, name), { timeout: 15_000, interval: 250 }).toBe(true);
    expect((await admin.fetchTopicOffsets(name))[0]?.high).toBe('1');
  });

  it('refuses a principal without ACLs with a topic authorization error', async () => {
    const name = await topic('secure-no-acl');
    const checkout = client({ brokers: broker.brokers, ssl: { ca: [ca] }, sasl: scram('checkout') });
    await connectAdmin(checkout); // authenticated...
    expect(await refusal(() => produce(checkout, name, 'denied'))).toContain('TOPIC_AUTHORIZATION_FAILED'); // ...but not authorized
  });

  it('accepts SCRAM-SHA-256 as well', async () => {
    await connectAdmin(
      client({
        brokers: broker.brokers,
        ssl: { ca: [ca] },
        sasl: { mechanism: 'scram-sha-256', username: 'ledger', password: password('ledger') },
      }),
    );
  });

  it('refuses a wrong SCRAM password with an authentication error', async () => {
    const sasl = { mechanism: 'scram-sha-512', username: 'paystream-worker', password: 'not-the-password' } as const;
    expect(await refusal(() => connectAdmin(client({ brokers: broker.brokers, ssl: { ca: [ca] }, sasl })))).toContain(
      'KafkaJSSASLAuthenticationError',
    );
  });

  it('speaks TLS 1.3, and TLS 1.2 to a client that offers no more, but refuses TLS 1.1', async () => {
    const address = broker.brokers[0]!;
    expect(await handshake(address, { ca })).toBe('TLSv1.3');
    expect(await handshake(address, { ca, maxVersion: 'TLSv1.2' })).toBe('TLSv1.2');
    // The broker answers with a protocol_version alert: the refusal is its own, not the client's.
    const legacy = { ca, minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
    expect(await handshake(address, legacy)).toBe('ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION');
  });

  it('fails the TLS handshake of a client that does not trust the run CA', async () => {
    expect(await handshake(broker.brokers[0]!, {})).toBe('SELF_SIGNED_CERT_IN_CHAIN');
    // Even with the admin's password: the client refuses the broker before SASL starts.
    const untrusting = client({ brokers: broker.brokers, ssl: true, sasl: { mechanism: 'scram-sha-512', ...broker.admin } });
    expect(await refusal(() => connectAdmin(untrusting))).toContain('self-signed certificate in certificate chain');
  });

  it('refuses PLAINTEXT on the SASL_SSL port, and a client without a certificate on the mTLS port', async () => {
    expect(await refusal(() => connectAdmin(client({ brokers: broker.brokers })))).toMatch(/KafkaJSConnection(Closed)?Error/);
    // TLS 1.3 ends the client's side of the handshake first; the broker's alert arrives with the first read.
    expect(await refusal(() => connectAdmin(client({ brokers: broker.mtlsBrokers, ssl: { ca: [ca] } })))).toMatch(
      /alert (bad certificate|certificate required)/,
    );
  });
});

describe('OAUTHBEARER with the local OIDC issuer', () => {
  const secret = (): string => readFileSync(broker.oauth.clientSecretFile, 'utf8').trim();
  const bearer = (value: string): Kafka =>
    client({
      brokers: broker.brokers,
      ssl: { ca: [ca] },
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: () => Promise.resolve({ value }) },
    });
  async function token(): Promise<string> {
    const { status, body } = await requestToken(broker.oauth.tokenEndpoint, broker.oauth.clientId, secret());
    expect(status).toBe(200);
    return String(body['access_token']);
  }

  it('grants client credentials to a registered client only, as RS256 JWTs its JWKS verifies', async () => {
    const { status, body } = await requestToken(broker.oauth.tokenEndpoint, broker.oauth.clientId, secret());
    expect({ status, type: body['token_type'] }).toEqual({ status: 200, type: 'Bearer' });
    const jwt = String(body['access_token']);
    expect(jwtPart(jwt, 1)).toMatchObject({ sub: 'paystream-worker', aud: 'kafka', iss: new URL(broker.oauth.tokenEndpoint).origin });
    const jwks = (await (await fetch(broker.oauth.jwksUrl)).json()) as { keys: { kid: string }[] };
    expect(jwks.keys.map((k) => k.kid)).toEqual([jwtPart(jwt, 0)['kid']]);

    expect(await requestToken(broker.oauth.tokenEndpoint, broker.oauth.clientId, 'wrong')).toEqual({
      status: 401,
      body: { error: 'invalid_client' },
    });
    expect((await requestToken(broker.oauth.tokenEndpoint, 'stranger', secret())).status).toBe(401);
    expect((await requestToken(broker.oauth.tokenEndpoint, broker.oauth.clientId, secret(), 'password')).status).toBe(400);
  });

  it('authenticates the token as User:paystream-worker, which produces once granted the topic', async () => {
    const name = await topic('secure-oauth');
    const worker = bearer(await token());
    expect(await refusal(() => produce(worker, name, 'too early'))).toContain('TOPIC_AUTHORIZATION_FAILED');
    await grantTopic('User:paystream-worker', name);
    await expect.poll(() => produces(worker, name), { timeout: 15_000, interval: 250 }).toBe(true);
  });

  it('refuses a token signed with another key, and a genuinely signed one for another audience, issuer or time', async () => {
    const genuine = await token();
    const header = jwtPart(genuine, 0);
    const claims = jwtPart(genuine, 1);
    // The issuer's own key (the test runs as the owner of the broker home) signs the tokens the broker must still refuse.
    const issuerKey = createPrivateKey(readFileSync(join(dirname(dirname(broker.caFile)), 'oauth/signing.key')));
    expect(signJwt(header, claims, issuerKey).split('.')[2]).toBe(genuine.split('.')[2]);
    await connectAdmin(bearer(genuine));

    const now = Math.floor(Date.now() / 1000);
    const refused = [
      signJwt(header, claims, generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey),
      signJwt(header, { ...claims, aud: 'another-service' }, issuerKey),
      signJwt(header, { ...claims, iss: 'https://issuer.example' }, issuerKey),
      signJwt(header, { ...claims, iat: now - 7200, exp: now - 3600 }, issuerKey),
    ];
    // kafkajs reads the broker's OAUTHBEARER error challenge as success; the broker then closes the connection.
    for (const value of refused) expect(await refusal(() => connectAdmin(bearer(value)))).toContain('KafkaJSBrokerNotFound');
  });
});
