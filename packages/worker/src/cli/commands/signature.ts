// `paystream signature …`: compute and check BI-SNAP signatures the way Midtrans does, to debug a
// 4017300 / 401xx00 without guessing.
import { readFileSync } from 'node:fs';
import { createPrivateKey } from 'node:crypto';
import {
  loadMerchantPrivateKey,
  loadRsaPublicKey,
  sha256Hex,
  tokenSignature,
  tokenStringToSign,
  transactionSignature,
  transactionStringToSign,
  verifyNotificationSignature,
} from '@paystream/core';
import { output, readInput, required, UsageError, type Command } from '../args.ts';
import { explainRequest } from './explain.ts';

function readBytes(path: string, what: string): Uint8Array {
  try {
    return readFileSync(path);
  } catch {
    throw new UsageError(`cannot read ${what} from ${path}`);
  }
}

export const signatureToken: Command = {
  words: ['signature', 'token'],
  summary: 'the X-SIGNATURE of a B2B access-token request (SHA256withRSA over clientId|X-TIMESTAMP)',
  usage: 'usage: paystream signature token --client-id ID --timestamp TS --private-key FILE [--json]',
  options: { 'client-id': { type: 'string' }, timestamp: { type: 'string' }, 'private-key': { type: 'string' } },
  run(values) {
    const clientId = required(values, 'client-id');
    const timestamp = required(values, 'timestamp');
    const key = loadMerchantPrivateKey(readInput(required(values, 'private-key'), 'the private key'));
    output(values, {
      stringToSign: tokenStringToSign(clientId, timestamp),
      'X-SIGNATURE': tokenSignature(clientId, timestamp, createPrivateKey(key.export({ type: 'pkcs8', format: 'pem' }))),
    });
    return 0;
  },
};

export const signatureTransaction: Command = {
  words: ['signature', 'transaction'],
  summary: 'the body hash, StringToSign and X-SIGNATURE of a transactional request (HMAC-SHA512)',
  usage:
    'usage: paystream signature transaction --method POST --path /v1.0/… --token TOKEN --timestamp TS --client-secret-file FILE --body-file FILE [--json]',
  options: {
    method: { type: 'string' },
    path: { type: 'string' },
    token: { type: 'string' },
    timestamp: { type: 'string' },
    'client-secret-file': { type: 'string' },
    'body-file': { type: 'string' },
  },
  run(values) {
    const body = readBytes(required(values, 'body-file'), 'the body');
    const secret = readInput(required(values, 'client-secret-file'), 'the client secret').trim();
    const input = {
      method: required(values, 'method'),
      path: required(values, 'path'),
      accessToken: required(values, 'token'),
      body,
      timestamp: required(values, 'timestamp'),
    };
    output(values, {
      bodySha256: sha256Hex(body),
      stringToSign: transactionStringToSign(input),
      'X-SIGNATURE': transactionSignature(input, secret),
    });
    return 0;
  },
};

export const signatureVerifyNotification: Command = {
  words: ['signature', 'verify-notification'],
  summary: 'verify a Midtrans BI-SNAP notification signature (exit 0 valid, 1 invalid)',
  usage:
    'usage: paystream signature verify-notification --path /v1.0/…/notify --timestamp TS --signature SIG --body-file FILE --public-key FILE [--json]',
  options: {
    path: { type: 'string' },
    timestamp: { type: 'string' },
    signature: { type: 'string' },
    'body-file': { type: 'string' },
    'public-key': { type: 'string' },
  },
  run(values) {
    const key = loadRsaPublicKey(readInput(required(values, 'public-key'), 'the Midtrans public key'), 'the Midtrans public key');
    const valid = verifyNotificationSignature(
      {
        method: 'POST',
        path: required(values, 'path'),
        timestamp: required(values, 'timestamp'),
        signature: required(values, 'signature'),
        rawBody: readBytes(required(values, 'body-file'), 'the body'),
      },
      key,
    );
    output(values, { valid });
    return valid ? 0 : 1;
  },
};

export const signatureExplain: Command = {
  words: ['signature', 'explain'],
  summary: 'given a request as sent and the credentials, say which part of its signature is wrong',
  usage:
    'usage: paystream signature explain --request-file FILE --client-secret-file FILE [--token TOKEN] [--now ISO] [--json]\n' +
    '  FILE holds {"method","path","headers":{…},"body":"<raw body as sent>"}',
  options: {
    'request-file': { type: 'string' },
    'client-secret-file': { type: 'string' },
    token: { type: 'string' },
    now: { type: 'string' },
  },
  run(values) {
    const raw = readInput(required(values, 'request-file'), 'the request');
    const secret = readInput(required(values, 'client-secret-file'), 'the client secret').trim();
    const now = typeof values['now'] === 'string' ? new Date(values['now']) : new Date();
    const report = explainRequest(raw, secret, { now, ...(typeof values['token'] === 'string' ? { token: values['token'] } : {}) });
    if (values['json'] === true) console.log(JSON.stringify(report, null, 2));
    else for (const f of report.findings) console.log(`${f.ok ? 'ok ' : 'BAD'}  ${f.check}: ${f.detail}`);
    return report.valid ? 0 : 1;
  },
};
