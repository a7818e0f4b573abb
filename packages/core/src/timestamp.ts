// X-TIMESTAMP in the form the BI-SNAP documentation shows: Western Indonesian Time, no fraction.
const WIB_OFFSET_MS = 7 * 60 * 60 * 1000;

export function snapTimestamp(at: Date = new Date()): string {
  const wib = new Date(at.getTime() + WIB_OFFSET_MS).toISOString();
  return `${wib.slice(0, 19)}+07:00`;
}

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

/** Parses an RFC 3339 timestamp as Midtrans sends them; undefined when malformed. */
export function parseSnapTimestamp(value: string): Date | undefined {
  if (!RFC3339.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : new Date(ms);
}
