// What a customer sees: the e-wallet / QRIS / VA authorisation page and the page that ends a payment
// (the 3DS challenge page is in three-ds.ts).
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

export function payPage(ref: string, method: string, amount: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pay with ${escapeHtml(method)}</title></head>
<body><h1>${escapeHtml(method.toUpperCase())}</h1><p>Amount: IDR <span id="amount">${escapeHtml(amount)}</span></p>
<form method="post" action="/pay/${escapeHtml(ref)}"><button id="authorise" type="submit" name="decision" value="authorise">Authorise payment</button>
<button id="decline" type="submit" name="decision" value="decline">Decline</button></form></body></html>`;
}

export function donePage(text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Done</title></head><body><p id="result">${escapeHtml(text)}</p></body></html>`;
}
