// Teardown that always runs to the end: each step is tried in reverse order of set-up, failures are
// collected and reported together, so one broken step never leaves a process or topic behind.
export class Cleanup {
  readonly #steps: { what: string; run: () => unknown }[] = [];

  add(what: string, run: () => unknown): void {
    this.#steps.push({ what, run });
  }

  async run(): Promise<void> {
    const errors: Error[] = [];
    for (const step of this.#steps.splice(0).reverse()) {
      try {
        await step.run();
      } catch (err) {
        errors.push(new Error(`cleanup "${step.what}" failed: ${err instanceof Error ? err.message : String(err)}`));
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('; '));
  }
}
