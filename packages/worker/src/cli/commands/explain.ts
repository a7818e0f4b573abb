// Diagnoses a transactional signature: recomputes it from the request as sent and, when it does not
// match, tries the usual mistakes one at a time to name the one that explains it.
import { parseSnapTimestamp, transactionSignature } from '@paystream/core';
import { z } from 'zod';
import { UsageError } from '../args.ts';

const SentRequest = z.strictObject({
  method: z.string().min(1),
  path: z.string().min(1),
  headers: z.record(z.string(), z.string()),
  body: z.string(),
});

export interface Finding {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
}

const DOC_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;
const MAX_SKEW_MS = 5 * 60_000;

function header(headers: Record<string, string>, name: string): string | undefined {
  const hit = Object.entries(headers).find(([k]) => k.toLowerCase() === name.toLowerCase());
  return hit?.[1];
}

function timestampFindings(ts: string | undefined, now: Date): Finding[] {
  if (!ts) return [{ check: 'X-TIMESTAMP', ok: false, detail: 'missing' }];
  const at = parseSnapTimestamp(ts);
  if (!at)
    return [{ check: 'X-TIMESTAMP', ok: false, detail: `"${ts}" is not an ISO-8601 timestamp (expected YYYY-MM-DDTHH:mm:ss+07:00)` }];
  const skew = at.getTime() - now.getTime();
  return [
    {
      check: 'X-TIMESTAMP format',
      ok: DOC_FORM.test(ts),
      detail: DOC_FORM.test(ts) ? ts : `"${ts}" parses, but Midtrans documents YYYY-MM-DDTHH:mm:ss+07:00`,
    },
    { check: 'clock skew', ok: Math.abs(skew) <= MAX_SKEW_MS, detail: `${(skew / 1000).toFixed(0)} s from now` },
  ];
}

export function explainRequest(
  raw: string,
  clientSecret: string,
  { now, token }: { now: Date; token?: string },
): { valid: boolean; findings: Finding[] } {
  let req: z.infer<typeof SentRequest>;
  try {
    req = SentRequest.parse(JSON.parse(raw));
  } catch {
    throw new UsageError('the request file must be JSON {"method","path","headers":{…},"body":"<raw body>"}');
  }
  const ts = header(req.headers, 'X-TIMESTAMP');
  const sent = header(req.headers, 'X-SIGNATURE');
  const bearer = header(req.headers, 'Authorization')?.replace(/^Bearer\s+/i, '') ?? '';
  const findings = timestampFindings(ts, now);
  const path = req.path.replace(/^https?:\/\/[^/]+/, '');
  const sign = (p: { path?: string; token?: string; body?: string; secret?: string }): string =>
    transactionSignature(
      {
        method: req.method,
        path: p.path ?? path,
        accessToken: p.token ?? bearer,
        body: new TextEncoder().encode(p.body ?? req.body),
        timestamp: ts ?? '',
      },
      p.secret ?? clientSecret,
    );
  if (!sent) return { valid: false, findings: [...findings, { check: 'X-SIGNATURE', ok: false, detail: 'missing' }] };
  if (sign({}) === sent)
    return {
      valid: findings.every((f) => f.ok),
      findings: [
        ...findings,
        { check: 'X-SIGNATURE', ok: true, detail: 'matches the body, path, token, timestamp and client secret as sent' },
      ],
    };
  findings.push({ check: 'X-SIGNATURE', ok: false, detail: 'does not match the request as sent' });
  findings.push(diagnose(req, path, sign, sent, token));
  return { valid: false, findings };
}

function diagnose(
  req: z.infer<typeof SentRequest>,
  path: string,
  sign: (p: { path?: string; token?: string; body?: string }) => string,
  sent: string,
  token: string | undefined,
): Finding {
  const reserialised = (() => {
    try {
      return JSON.stringify(JSON.parse(req.body));
    } catch {
      return undefined;
    }
  })();
  if (reserialised !== undefined && reserialised !== req.body && sign({ body: reserialised }) === sent) {
    return {
      check: 'cause',
      ok: false,
      detail:
        'the body was re-serialised after signing: the signature covers the compact JSON, but different bytes were sent. Serialise once and send the signed bytes.',
    };
  }
  const bare = path.split('?')[0] ?? path;
  const v = bare.indexOf('/v1.0/');
  for (const candidate of [bare, v > 0 ? bare.slice(v) : undefined]) {
    if (candidate !== undefined && candidate !== path && sign({ path: candidate }) === sent)
      return { check: 'cause', ok: false, detail: `wrong path in StringToSign: the signature was made over "${candidate}"` };
  }
  if (token !== undefined && sign({ token }) === sent)
    return {
      check: 'cause',
      ok: false,
      detail: 'wrong token: the signature was made with a different access token than the Authorization header carries',
    };
  return { check: 'cause', ok: false, detail: 'wrong client secret, or a body, path or token that differs in a way not recognised' };
}
