// The instrumentation scope of the runtime's spans.
export const RUNTIME_SCOPE = '@paystream/runtime';
