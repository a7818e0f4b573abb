// RFC 8785 (JSON Canonicalization Scheme): the bytes a result-event signature covers. Keys sorted by
// UTF-16 code units, no whitespace, ECMAScript number and string serialisation.
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no representation for NaN or Infinity');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') return JSON.stringify(value);
  // Built by concatenation: every event is signed, and the intermediate arrays of entries, sorted
  // copies and joins were the largest share of what the worker allocates per command.
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) out += `${i > 0 ? ',' : ''}${canonicalJson((value[i] as unknown) ?? null)}`;
    return `${out}]`;
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    // The default sort compares UTF-16 code units, which is what RFC 8785 orders keys by.
    const keys = Object.keys(record).sort();
    let out = '{';
    for (const k of keys) {
      const v = record[k];
      if (v === undefined) continue;
      out += `${out.length > 1 ? ',' : ''}${JSON.stringify(k)}:${canonicalJson(v)}`;
    }
    return `${out}}`;
  }
  throw new TypeError(`canonical JSON cannot represent a ${typeof value}`);
}

/** What the worker signs: the whole event without `paystreamsig` (its key id included). */
export function canonicalEventBytes(event: Readonly<Record<string, unknown>>): Uint8Array {
  const { paystreamsig: _signature, ...signed } = event;
  return new TextEncoder().encode(canonicalJson(signed));
}
