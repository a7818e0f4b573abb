// BI-SNAP answers: HTTP status + service code + case code, with the documented messages.
export class SnapFailure extends Error {
  readonly http: number;
  readonly caseCode: string;
  constructor(http: number, caseCode: string, message: string) {
    super(message);
    this.http = http;
    this.caseCode = caseCode;
  }
}

export const fail = {
  badFormat: (field: string) => new SnapFailure(400, '01', `Invalid Field Format ${field}`),
  mandatory: (field: string) => new SnapFailure(400, '02', `Invalid Mandatory Field ${field}`),
  signature: () => new SnapFailure(401, '00', 'Unauthorized. Signature'),
  token: () => new SnapFailure(401, '01', 'Invalid Token (B2B)'),
  amountLimit: () => new SnapFailure(403, '02', 'Exceeds Transaction Amount Limit'),
  notPermitted: (reason: string) => new SnapFailure(403, '15', `Transaction Not Permitted.${reason}`),
  insufficient: () => new SnapFailure(403, '14', 'Insufficient Funds'),
  notFound: () => new SnapFailure(404, '01', 'Transaction Not Found'),
  conflict: () => new SnapFailure(409, '00', 'Cannot use same X-EXTERNAL-ID'),
  duplicateRefund: () => new SnapFailure(409, '01', 'Duplicate partnerRefundNo'),
  tooMany: () => new SnapFailure(429, '00', 'Too Many Requests'),
  internal: () => new SnapFailure(500, '01', 'Internal Server Error'),
  inProgress: () => new SnapFailure(202, '00', 'Request In Progress'),
  timeout: () => new SnapFailure(504, '00', 'Timeout'),
};

export function responseCode(http: number, service: string, caseCode: string): string {
  return `${String(http)}${service}${caseCode}`;
}
