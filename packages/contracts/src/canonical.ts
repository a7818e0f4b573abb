// RFC 8785 (JSON Canonicalization Scheme): the bytes a result-event signature covers. Keys sorted by
// UTF-16 code units, no whitespace, ECMAScript number and string serialisation.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
}

/** What the worker signs: the whole event without `paystreamsig` (its key id included). */
export function canonicalEventBytes(event: Readonly<Record<string, unknown>>): Uint8Array {
  const { paystreamsig: _signature, ...signed } = event;
  return new TextEncoder().encode(canonicalJson(signed));
}
