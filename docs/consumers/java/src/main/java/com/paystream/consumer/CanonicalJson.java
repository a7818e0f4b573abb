package com.paystream.consumer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON text the way JavaScript writes it. {@link #canonical} is RFC 8785 (JSON Canonicalization
 * Scheme), the bytes a result-event signature covers: object keys sorted by UTF-16 code units, no
 * whitespace, strings and numbers serialised as {@code JSON.stringify} does. {@link #compact} is the
 * same without sorting, for the consumer's output lines.
 */
public final class CanonicalJson {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private CanonicalJson() {}

  /** The canonical JSON text of a value made of maps, lists, strings, numbers, booleans and null. */
  public static String canonical(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, true, out);
    return out.toString();
  }

  /** The canonical JSON of an event without its {@code paystreamsig}: what the worker signed. */
  public static byte[] eventBytes(Map<String, Object> event) {
    Map<String, Object> signed = new LinkedHashMap<>(event);
    signed.remove("paystreamsig");
    return canonical(signed).getBytes(StandardCharsets.UTF_8);
  }

  /** JSON without whitespace, object keys in their insertion order. */
  public static String compact(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, false, out);
    return out.toString();
  }

  private static void write(Object value, boolean sortKeys, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof Boolean) {
      out.append(value.toString());
    } else if (value instanceof Number) {
      out.append(EcmaNumber.toString(((Number) value).doubleValue()));
    } else if (value instanceof String) {
      string((String) value, out);
    } else if (value instanceof List) {
      out.append('[');
      boolean first = true;
      for (Object item : (List<?>) value) {
        if (!first) out.append(',');
        first = false;
        write(item, sortKeys, out);
      }
      out.append(']');
    } else if (value instanceof Map) {
      Map<?, ?> map = (Map<?, ?>) value;
      List<String> keys = new ArrayList<>();
      for (Object k : map.keySet()) keys.add((String) k);
      // String.compareTo compares UTF-16 code units, the order RFC 8785 prescribes.
      if (sortKeys) Collections.sort(keys);
      out.append('{');
      boolean first = true;
      for (String k : keys) {
        if (!first) out.append(',');
        first = false;
        string(k, out);
        out.append(':');
        write(map.get(k), sortKeys, out);
      }
      out.append('}');
    } else {
      throw new IllegalArgumentException("JSON cannot represent a " + value.getClass().getName());
    }
  }

  /**
   * A string as {@code JSON.stringify} writes it: {@code "} and {@code \} escaped, control
   * characters as {@code \b \f \n \r \t} or {@code \}{@code u00xx}, lone surrogates as
   * {@code \}{@code udxxx}, everything else literal.
   */
  static void string(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"': out.append("\\\""); continue;
        case '\\': out.append("\\\\"); continue;
        case '\b': out.append("\\b"); continue;
        case '\f': out.append("\\f"); continue;
        case '\n': out.append("\\n"); continue;
        case '\r': out.append("\\r"); continue;
        case '\t': out.append("\\t"); continue;
        default: break;
      }
      if (c < 0x20) {
        unicodeEscape(c, out);
      } else if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          out.append(c).append(s.charAt(++i));
        } else {
          unicodeEscape(c, out);
        }
      } else if (Character.isLowSurrogate(c)) {
        unicodeEscape(c, out);
      } else {
        out.append(c);
      }
    }
    out.append('"');
  }

  private static void unicodeEscape(char c, StringBuilder out) {
    out.append("\\u")
        .append(HEX[(c >> 12) & 0xf])
        .append(HEX[(c >> 8) & 0xf])
        .append(HEX[(c >> 4) & 0xf])
        .append(HEX[c & 0xf]);
  }
}
