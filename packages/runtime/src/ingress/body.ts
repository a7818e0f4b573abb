// Request bodies are read up to MAX_BODY_BYTES and no further: a declared Content-Length above it is
// refused before a byte of the body is read, and a body that grows past it (chunked) is cut off at
// the chunk that crosses it. A refusal closes the connection, since Node would otherwise read
// whatever is left of the body to keep the connection alive.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { MAX_BODY_BYTES } from './limits.ts';

export type BodyRead = { readonly raw: Buffer } | { readonly refused: 'too-large' | 'aborted' };

export function declaredTooLarge(req: IncomingMessage): boolean {
  const declared = req.headers['content-length'];
  return declared !== undefined && Number(declared) > MAX_BODY_BYTES;
}

export function readBounded(req: IncomingMessage): Promise<BodyRead> {
  return new Promise((done) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = (refused: 'too-large' | 'aborted'): void => {
      req.removeListener('data', onData);
      req.pause();
      done({ refused });
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) stop('too-large');
      else chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => done({ raw: Buffer.concat(chunks) }));
    req.once('error', () => stop('aborted'));
    req.once('close', () => {
      if (!req.complete) stop('aborted');
    });
  });
}

/** Answers as JSON and keeps the connection for the client's next request. */
export function reply(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Answers as JSON without reading (the rest of) the body, and closes the connection. */
export function refuse(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  req.pause();
  const socket = req.socket;
  if (res.headersSent || res.destroyed) {
    socket.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  res.writeHead(status, { 'content-type': 'application/json', connection: 'close' }).end(JSON.stringify(body), () => socket.destroy());
}
