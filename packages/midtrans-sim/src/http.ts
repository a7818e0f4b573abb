// The wire helpers every handler shares: the capped body reader, the JSON answer and body parser,
// and the response nobody reads.
import type { IncomingMessage, ServerResponse } from 'node:http';

const MAX_BODY = 1 << 20;

export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((done, failed) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(c);
    });
    req.on('end', () => done(Buffer.concat(chunks)));
    req.on('error', failed);
  });
}

export function json(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'x-timestamp': new Date().toISOString() }).end(text);
}

/** The body as a JSON object, or undefined when it is not JSON or not an object. */
export function parseJson(raw: Buffer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(raw.toString('utf8'));
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** A response nobody reads: Midtrans' real answer when a processed fault replaces it. */
export function discard(): ServerResponse {
  const sink = { headersSent: false, writeHead: () => sink, end: () => sink };
  return sink as unknown as ServerResponse;
}
