// What a generated plugin still needs before it takes real traffic. One list, rendered into the
// plugin's README and printed when the generator finishes, so the two never disagree.

export interface ChecklistItem {
  readonly title: string;
  readonly detail: string;
}

export interface ChecklistFacts {
  /** The method id, e.g. `ovo`. */
  readonly name: string;
  readonly api: 'snap' | 'core';
}

export function checklist({ name, api }: ChecklistFacts): readonly ChecklistItem[] {
  const plugin = `plugins/${name}/src/${name}.plugin.ts`;
  const spec = `plugins/${name}/src/${name}.plugin.spec.ts`;
  return [
    {
      title: 'Endpoints',
      detail:
        api === 'snap'
          ? `confirm the BI-SNAP paths, service codes, pay method and notify path of ${name} in \`endpoints\` of ${plugin}; the generated ones are the direct-debit family's (docs.midtrans.com/reference/direct-debit-api-gopay).`
          : `confirm the Core API \`payment_type\`, the charge body and the notification \`payment_type\` of ${name} in ${plugin}; the generated ones follow /v2/charge and /v2/{order_id}/status|cancel|refund (docs.midtrans.com/docs/coreapi-e-money-integration).`,
    },
    {
      title: 'Status table',
      detail: `list every status the method documents in the README's status table, make sure the operations map each one (the SDK's ${api === 'snap' ? 'snapStatus' : 'coreStatus'} leaves anything unknown pending), and add every row to the mapping test in ${spec}.`,
    },
    {
      title: 'Customer authentication',
      detail: `set \`customerAuthentication\` from the BI-SNAP end-customer authentication table (at least two factors; the generated "PIN + device possession" is the e-wallet row).`,
    },
    {
      title: 'Details schema',
      detail: `give \`Details\` exactly the fields a ${name} command carries (strict: never card data, never a 3DS switch).`,
    },
    {
      title: 'Fixtures',
      detail: `record the Midtrans request, response and notification of every operation in plugins/${name}/src/__fixtures__/ and use them in the spec, the contract kit's \`chargeAnswer\` included.`,
    },
    {
      title: 'Method page',
      detail: `fill in docs/methods/${name}.md (flow, endpoints, statuses, customer authentication, details, errors).`,
    },
    {
      title: 'End-to-end test',
      detail: `add a test in test/e2e that publishes a charge to paystream.commands.${name} and follows it through the worker and the Midtrans simulator to a verified result event (teach the simulator the method first if it does not know it).`,
    },
  ];
}

/** The checklist as the terminal shows it once the files are written. */
export function checklistText(facts: ChecklistFacts): string {
  const items = checklist(facts).map((item, i) => `  ${String(i + 1)}. ${item.title}: ${item.detail}`);
  return [`plugins/${facts.name} is written and listed in the worker. Before it takes real traffic (plugins/${facts.name}/README.md):`, ...items].join('\n');
}
