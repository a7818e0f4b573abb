// An HTTPS client for the console tests: trusts the test CA only, keeps the raw headers, never follows.
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';

export interface Got {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly text: string;
  readonly json: unknown;
}

export interface CallOptions {
  readonly headers?: Record<string, string>;
  readonly body?: string | Buffer;
}

export function call(base: string, ca: string, method: string, path: string, opts: CallOptions = {}): Promise<Got> {
  const url = new URL(path, base);
  return new Promise((done, fail) => {
    const req = request(url, { method, ca, headers: { ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', fail);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json: unknown;
        try {
          json = JSON.parse(text) as unknown;
        } catch {
          json = undefined;
        }
        done({ status: res.statusCode ?? 0, headers: res.headers, text, json });
      });
    });
    req.on('error', fail);
    req.end(opts.body);
  });
}

/** The session cookie's `name=value` part from a sign-in answer. */
export function cookieOf(got: Got): string {
  const line = got.headers['set-cookie']?.[0] ?? '';
  return line.split(';')[0] ?? '';
}

export const errorCode = (got: Got): unknown => (got.json as { error?: { code?: unknown } } | undefined)?.error?.code;
