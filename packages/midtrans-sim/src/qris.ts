// A dynamic QRIS (EMVCo MPM) payload with its CRC16-CCITT, as a customer's e-wallet would scan it.
function tlv(id: string, value: string): string {
  return `${id}${String(value.length).padStart(2, '0')}${value}`;
}

export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

export function qrisPayload(referenceNo: string, amount: string): string {
  const body =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', tlv('00', 'ID.CO.QRIS.WWW') + tlv('01', '936009140000000000') + tlv('02', 'ID1020000000001') + tlv('03', 'UMI')) +
    tlv('52', '5411') +
    tlv('53', '360') +
    tlv('54', amount.replace(/\.00$/, '')) +
    tlv('58', 'ID') +
    tlv('59', 'PAYSTREAM SIM') +
    tlv('60', 'JAKARTA') +
    tlv('62', tlv('05', referenceNo.slice(0, 25)));
  const withCrcTag = `${body}6304`;
  return withCrcTag + crc16(withCrcTag);
}
