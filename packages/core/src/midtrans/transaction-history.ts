// BI-SNAP reporting: Transaction History List (service 12) and Detail (13), the calls settlement
// reconciliation reads Midtrans' side from. They go through the one Midtrans client like every other
// call (signature, token, TLS policy, breaker, retries), and an answer is trusted only once it has
// the documented shape: a row that cannot be read stops the whole read, never silently drops out.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { codes } from '../error-catalogue/index.ts';
import { createError } from '../errors.ts';
import { parseSnapTimestamp, snapTimestamp } from '../timestamp.ts';
import type { JsonObject, MidtransApi, MidtransOutcome } from './facade.ts';

export const HISTORY_LIST_PATH = '/v1.0/transaction-history-list';
export const HISTORY_DETAIL_PATH = '/v1.0/transaction-history-detail';
/** Midtrans' largest page ("Max: 50"). */
export const HISTORY_MAX_PAGE_SIZE = 50;

/** One transaction as Midtrans reports it. */
export interface HistoryTransaction {
  /** Midtrans' transaction id. */
  readonly referenceNo: string;
  /** The merchant's reference it was made with (the order, a trxId, an X-EXTERNAL-ID). */
  readonly partnerReferenceNo?: string;
  /** When it was made, from `dateTime` (Midtrans writes whole seconds). */
  readonly atMs: number;
  readonly amount: { readonly value: string; readonly currency: string };
  /** The status word as written (`SUCCESS`, `PENDING`, …). */
  readonly status: string;
  /** The BI-SNAP two-digit status (`00` success … `09` rejected), when the row carries it. */
  readonly statusCode?: string;
  /** `PAYMENT`, `TOP_UP`, … */
  readonly type: string;
  readonly paymentType?: string;
}

export interface HistoryPeriod {
  /** Inclusive, to the second, as Midtrans selects. */
  readonly from: Date;
  readonly to: Date;
  /** Transaction types to list (`additionalInfo.types`); every type when absent. */
  readonly types?: readonly string[];
}

export interface TransactionHistoryOptions {
  /** Credential set; the default one when absent. */
  readonly merchant?: string;
  /** Rows per page, at most 50 (the default). */
  readonly pageSize?: number;
  /** A read of more pages than this stops as unreadable: a server that never ends its pages. */
  readonly maxPages?: number;
}

const Money = z.object({ value: z.string().regex(/^\d{1,16}\.\d{2}$/), currency: z.string().regex(/^[A-Z]{3}$/) });
const Reference = z.string().min(1).max(64);
const Info = z.looseObject({
  referenceNo: Reference.optional(),
  partnerReferenceNo: Reference.optional(),
  latestTransactionStatus: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  paymentType: z.string().optional(),
});
// The list carries a row's identifiers in additionalInfo; the detail answer at the top. Both are read.
const Row = z.looseObject({
  referenceNo: Reference.optional(),
  partnerReferenceNo: Reference.optional(),
  dateTime: z.string().refine((s) => parseSnapTimestamp(s) !== undefined, 'not an RFC 3339 time'),
  amount: Money,
  status: z.string().min(1).max(32),
  type: z.string().min(1).max(32),
  additionalInfo: Info.optional(),
});
const ListAnswer = z.looseObject({ detailData: z.array(Row).optional() });

type ParsedRow = z.infer<typeof Row>;

function transactionOf(row: ParsedRow, path: string, at: string): HistoryTransaction {
  const info = row.additionalInfo;
  const referenceNo = row.referenceNo ?? info?.referenceNo;
  if (referenceNo === undefined) throw invalid(path, `${at}: the transaction carries no referenceNo`);
  const partnerReferenceNo = row.partnerReferenceNo ?? info?.partnerReferenceNo;
  return {
    referenceNo,
    ...(partnerReferenceNo === undefined ? {} : { partnerReferenceNo }),
    atMs: parseSnapTimestamp(row.dateTime)?.getTime() ?? Number.NaN,
    amount: { value: row.amount.value, currency: row.amount.currency },
    status: row.status,
    ...(info?.latestTransactionStatus === undefined ? {} : { statusCode: info.latestTransactionStatus }),
    type: row.type,
    ...(info?.paymentType === undefined ? {} : { paymentType: info.paymentType }),
  };
}

const invalid = (path: string, reason: string) => createError(codes.PS_ERR_RECONCILE_HISTORY_INVALID, { path, reason });

/** The answer's body parsed by `schema`; the first problem is named by its place, never by its value. */
function parsed<T>(schema: z.ZodType<T>, body: JsonObject, path: string): T {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw invalid(path, `${issue?.path.join('.') || 'the answer'}: ${issue?.message ?? 'unreadable'}`);
}

function refused(path: string, o: Extract<MidtransOutcome, { ok: false }>) {
  const answer = o.responseCode?.raw ?? `HTTP ${String(o.httpStatus)}`;
  return createError(codes.PS_ERR_RECONCILE_HISTORY_REFUSED, { path, answer, reason: o.message });
}

/** Midtrans' own account of a merchant's transactions, read through the Midtrans client. */
export class TransactionHistory {
  readonly #api: MidtransApi;
  readonly #merchant: { merchant?: string };
  readonly #pageSize: number;
  readonly #maxPages: number;

  constructor(api: MidtransApi, options: TransactionHistoryOptions = {}) {
    this.#api = api;
    this.#merchant = options.merchant === undefined ? {} : { merchant: options.merchant };
    this.#pageSize = Math.min(HISTORY_MAX_PAGE_SIZE, Math.max(1, options.pageSize ?? HISTORY_MAX_PAGE_SIZE));
    this.#maxPages = options.maxPages ?? 20_000;
  }

  /** One page (numbered from 0) of the period's transactions. */
  async page(period: HistoryPeriod, pageNumber: number): Promise<HistoryTransaction[]> {
    const body: JsonObject = {
      fromDateTime: snapTimestamp(period.from),
      toDateTime: snapTimestamp(period.to),
      pageSize: this.#pageSize,
      pageNumber,
      ...(period.types ? { additionalInfo: { types: [...period.types] } } : {}),
    };
    // Each page is its own request; a retry of one resends its X-EXTERNAL-ID with the same bytes.
    const o = await this.#api.snap({ path: HISTORY_LIST_PATH, externalId: randomUUID(), body, ...this.#merchant });
    if (!o.ok) throw refused(HISTORY_LIST_PATH, o);
    const rows = parsed(ListAnswer, o.body, HISTORY_LIST_PATH).detailData ?? [];
    return rows.map((row, i) => transactionOf(row, HISTORY_LIST_PATH, `detailData.${String(i)}`));
  }

  /** Every page of the period, in order; a short page is the last. */
  async *pages(period: HistoryPeriod): AsyncGenerator<HistoryTransaction[]> {
    let previousFirst: string | undefined;
    for (let n = 0; ; n++) {
      if (n >= this.#maxPages) throw invalid(HISTORY_LIST_PATH, `more than ${String(this.#maxPages)} pages`);
      const page = await this.page(period, n);
      // A server that ignores pageNumber would answer the first page for ever.
      if (page.length > 0 && page[0]?.referenceNo === previousFirst)
        throw invalid(HISTORY_LIST_PATH, `page ${String(n)} repeats page ${String(n - 1)}`);
      yield page;
      if (page.length < this.#pageSize) return;
      previousFirst = page[0]?.referenceNo;
    }
  }

  /** Every transaction of the period. */
  async all(period: HistoryPeriod): Promise<HistoryTransaction[]> {
    const out: HistoryTransaction[] = [];
    for await (const page of this.pages(period)) out.push(...page);
    return out;
  }

  /** One transaction by both its references; undefined when Midtrans has no such transaction. */
  async detail(ids: { readonly partnerReferenceNo: string; readonly referenceNo: string }): Promise<HistoryTransaction | undefined> {
    const body: JsonObject = { originalPartnerReferenceNo: ids.partnerReferenceNo, additionalInfo: { referenceNo: ids.referenceNo } };
    const o = await this.#api.snap({ path: HISTORY_DETAIL_PATH, externalId: randomUUID(), body, ...this.#merchant });
    if (!o.ok && o.kind === 'not-found') return undefined;
    if (!o.ok) throw refused(HISTORY_DETAIL_PATH, o);
    return transactionOf(parsed(Row, o.body, HISTORY_DETAIL_PATH), HISTORY_DETAIL_PATH, 'the answer');
  }
}
