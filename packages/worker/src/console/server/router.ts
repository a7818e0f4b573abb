// Finds the ApiRoute a request's path and method name: `:name` segments match one whole segment,
// percent-decoded, and bounded (a path of too many or too long segments matches nothing).
import type { ApiRoute } from '../api-route.ts';

const MAX_SEGMENTS = 16;
const MAX_SEGMENT_CHARS = 256;

export type Match =
  | { readonly kind: 'found'; readonly route: ApiRoute; readonly params: Record<string, string> }
  | { readonly kind: 'method'; readonly allowed: readonly string[] }
  | { readonly kind: 'none' }
  | { readonly kind: 'undecodable' };

const segmentsOf = (path: string): string[] => path.split('/').slice(1);

function decode(segment: string): string | undefined {
  try {
    const value = decodeURIComponent(segment);
    return value.length <= MAX_SEGMENT_CHARS && !value.includes('/') ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The params of `route` for `segments`, undefined when it does not match, null when a param does not decode. */
function paramsOf(route: ApiRoute, segments: readonly string[]): Record<string, string> | undefined | null {
  const pattern = segmentsOf(route.path);
  if (pattern.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, p] of pattern.entries()) {
    const s = segments[i] ?? '';
    if (!p.startsWith(':')) {
      if (p !== s) return undefined;
      continue;
    }
    const value = s === '' ? undefined : decode(s);
    if (value === undefined) return null;
    params[p.slice(1)] = value;
  }
  return params;
}

export function matchRoute(routes: readonly ApiRoute[], method: string, path: string): Match {
  const segments = segmentsOf(path);
  if (segments.length > MAX_SEGMENTS || segments.some((s) => s.length > MAX_SEGMENT_CHARS * 3)) return { kind: 'none' };
  const allowed: string[] = [];
  let undecodable = false;
  for (const route of routes) {
    const params = paramsOf(route, segments);
    if (params === null) undecodable = true;
    if (!params) continue;
    if (route.method === method) return { kind: 'found', route, params };
    allowed.push(route.method);
  }
  if (allowed.length > 0) return { kind: 'method', allowed };
  return undecodable ? { kind: 'undecodable' } : { kind: 'none' };
}

/** Refuses, at start, a route outside `/api/` or two routes of the same method and path. */
export function checkRoutes(routes: readonly ApiRoute[]): void {
  const seen = new Set<string>();
  for (const r of routes) {
    if (!r.path.startsWith('/api/')) throw new Error(`a console API route lives under /api/: ${r.path}`);
    const key = `${r.method} ${r.path.replace(/:[^/]+/g, ':')}`;
    if (seen.has(key)) throw new Error(`two console API routes answer ${key}`);
    seen.add(key);
  }
}
