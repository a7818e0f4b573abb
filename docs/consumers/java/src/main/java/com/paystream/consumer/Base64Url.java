package com.paystream.consumer;

import java.io.ByteArrayOutputStream;

/**
 * Decodes base64url (and standard base64) the forgiving way Node.js's {@code Buffer.from(s,
 * "base64url")} does, which is how the TypeScript verifier reads signatures and ciphertexts:
 * characters outside both alphabets are skipped, {@code =} ends the data, and bits left over at the
 * end are dropped. The signature check and the authenticated decryption decide what the bytes are
 * worth.
 */
public final class Base64Url {
  private Base64Url() {}

  public static byte[] decode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length() * 3 / 4 + 1);
    int buffer = 0;
    int bits = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '=') break;
      int v = value(c);
      if (v < 0) continue;
      buffer = (buffer << 6) | v;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out.write((buffer >> bits) & 0xff);
      }
    }
    return out.toByteArray();
  }

  private static int value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '-' || c == '+') return 62;
    if (c == '_' || c == '/') return 63;
    return -1;
  }
}
