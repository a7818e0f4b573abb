// What a Midtrans answer means: its body parsed once, its class (response-code.ts), and then an
// outcome for the plugin or a typed MidtransError. BI-SNAP and the Core API say the same things in
// different fields, so each family has its own reading.
import type { IssuedToken } from './access-tokens.ts';
import { codes } from '../error-catalogue/index.ts';
import { MidtransError, type JsonObject, type MidtransOutcome, type ResponseCode } from './facade.ts';
import { classifyCore, classifySnap, parseResponseCode, type AnswerClass } from './response-code.ts';
import type { RawAnswer } from './transport.ts';

/** An answer with its body parsed once and its class, as every step after the send reads it. */
export interface Answer extends RawAnswer {
  readonly json: JsonObject;
  readonly cls: AnswerClass;
}

/** An answer that counts as a failure for the breaker (5xx, 429, 202xx00, 504xx00). */
export class TransientAnswer extends Error {
  readonly answer: Answer;
  constructor(answer: Answer) {
    super(`transient answer ${String(answer.status)}`);
    this.answer = answer;
  }
}

/** How one API family's answers are classified and turned into an outcome. */
export interface AnswerReading {
  classify(status: number, json: JsonObject): AnswerClass;
  outcome(answer: Answer): MidtransOutcome;
}

function parseJson(text: string): JsonObject {
  try {
    const v: unknown = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as JsonObject) : {};
  } catch {
    return {};
  }
}

/** Parses and classifies a raw answer; transient answers throw so the breaker counts them. */
export function readAnswer(raw: RawAnswer, reading: AnswerReading): Answer {
  const json = parseJson(raw.body);
  const answer: Answer = { ...raw, json, cls: reading.classify(raw.status, json) };
  if (answer.cls === 'retriable' || answer.cls === 'ambiguous') throw new TransientAnswer(answer);
  return answer;
}

/** BI-SNAP's reading also covers the access-token endpoint, whose answer is a token. */
export interface SnapAnswerReading extends AnswerReading {
  issuedToken(merchant: string, answer: Answer): IssuedToken;
}

/** A refusal Midtrans answered in its body: its kind, status and message (from `messageField`), the body kept. */
function refusedOutcome(
  answer: Answer,
  messageField: string,
  extra: { responseCode?: ResponseCode; statusCode?: string },
): MidtransOutcome {
  const { json: body, cls } = answer;
  const said = body[messageField];
  return {
    ok: false,
    kind: cls === 'invalid' || cls === 'conflict' || cls === 'not-found' ? cls : 'business',
    httpStatus: answer.status,
    message: typeof said === 'string' ? said : `HTTP ${String(answer.status)}`,
    body,
    ...extra,
  };
}

export const snapAnswers: SnapAnswerReading = {
  classify(status: number, json: JsonObject): AnswerClass {
    return classifySnap(status, parseResponseCode(json['responseCode']));
  },

  outcome(answer: Answer): MidtransOutcome {
    const { json: body, cls } = answer;
    const responseCode = parseResponseCode(body['responseCode']);
    const rc = responseCode ? { responseCode } : {};
    if (cls === 'ok') return { ok: true, httpStatus: answer.status, body, ...rc };
    if (cls === 'auth' || cls === 'token-invalid') {
      throw new MidtransError(
        'auth',
        codes.PS_ERR_MIDTRANS_UNAUTHORIZED,
        {
          what: 'the request signature or token',
          answer: responseCode?.raw ?? String(answer.status),
          check: 'the client secret and the clock',
        },
        {
          httpStatus: answer.status,
          ...(responseCode ? { responseCode: responseCode.raw } : {}),
        },
      );
    }
    return refusedOutcome(answer, 'responseMessage', rc);
  },

  /** The access-token endpoint's answer: a token with its expiry, or the refusal. */
  issuedToken(merchant: string, answer: Answer): IssuedToken {
    const body = answer.json;
    const expiresIn = Number(body['expiresIn'] ?? 900);
    if (answer.status >= 200 && answer.status < 300 && typeof body['accessToken'] === 'string' && body['accessToken'] !== '') {
      return {
        accessToken: body['accessToken'],
        expiresAtMs: Date.now() + (Number.isFinite(expiresIn) && expiresIn > 0 ? expiresIn : 900) * 1000,
      };
    }
    const code = typeof body['responseCode'] === 'string' ? body['responseCode'] : undefined;
    throw new MidtransError(
      'auth',
      codes.PS_ERR_MIDTRANS_TOKEN_REFUSED,
      { merchant, answer: `HTTP ${String(answer.status)}${code ? `, ${code}` : ''}` },
      {
        httpStatus: answer.status,
        ...(code ? { responseCode: code } : {}),
      },
    );
  },
};

export const coreAnswers: AnswerReading = {
  classify(status: number, json: JsonObject): AnswerClass {
    const code = json['status_code'];
    return classifyCore(status, typeof code === 'string' ? code : undefined);
  },

  outcome(answer: Answer): MidtransOutcome {
    const { json: body, cls } = answer;
    const statusCode = typeof body['status_code'] === 'string' ? { statusCode: body['status_code'] } : {};
    if (cls === 'ok') return { ok: true, httpStatus: answer.status, body, ...statusCode };
    if (cls === 'auth') {
      const refused = { what: 'the server key', answer: `HTTP ${String(answer.status)}`, check: 'the server key of the Core API' };
      throw new MidtransError('auth', codes.PS_ERR_MIDTRANS_UNAUTHORIZED, refused, {
        httpStatus: answer.status,
      });
    }
    return refusedOutcome(answer, 'status_message', statusCode);
  },
};
