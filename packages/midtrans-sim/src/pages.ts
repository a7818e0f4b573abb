// What a customer sees: the e-wallet / QRIS / VA authorisation page and the 3DS challenge page.
const escape = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`);

export function payPage(ref: string, method: string, amount: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Pay with ${escape(method)}</title></head>
<body><h1>${escape(method.toUpperCase())}</h1><p>Amount: IDR <span id="amount">${escape(amount)}</span></p>
<form method="post" action="/pay/${escape(ref)}"><button id="authorise" type="submit" name="decision" value="authorise">Authorise payment</button>
<button id="decline" type="submit" name="decision" value="decline">Decline</button></form></body></html>`;
}

export function threeDsPage(ref: string, maskedCard: string, amount: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>3D Secure</title></head>
<body><h1>3D Secure authentication</h1><p>Card ${escape(maskedCard)}, IDR ${escape(amount)}</p>
<form method="post" action="/3ds/${escape(ref)}"><label for="otp">One-time password</label>
<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code"><button id="submit" type="submit">Submit</button></form></body></html>`;
}

export function donePage(text: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Done</title></head><body><p id="result">${escape(text)}</p></body></html>`;
}
