package com.paystream.consumer;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict JSON parser (RFC 8259, as JavaScript's {@code JSON.parse} accepts it). Objects become
 * {@link LinkedHashMap}s (a repeated key keeps its last value, as in JavaScript), arrays
 * {@link ArrayList}s, strings {@link String}s (lone surrogates kept), numbers exact
 * {@link BigDecimal}s, and {@code true}/{@code false}/{@code null} {@link Boolean}s and
 * {@code null}.
 */
public final class Json {
  /** Deeper nesting than any result event has is refused instead of exhausting the stack. */
  static final int MAX_DEPTH = 512;

  /** Why a text is no JSON, with the position where the parser gave up. */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;

    ParseException(String message, int position) {
      super(message + " at position " + position);
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value; nothing but whitespace may follow it. */
  public static Object parse(String text) throws ParseException {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) throw p.error("unexpected text after the JSON value");
    return value;
  }

  private ParseException error(String message) {
    return new ParseException(message, pos);
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') return;
      pos++;
    }
  }

  private Object value(int depth) throws ParseException {
    if (depth > MAX_DEPTH) throw error("the JSON nests deeper than " + MAX_DEPTH + " levels");
    if (pos >= text.length()) throw error("unexpected end of the JSON text");
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true", Boolean.TRUE);
      case 'f':
        return literal("false", Boolean.FALSE);
      case 'n':
        return literal("null", null);
      default:
        if (c == '-' || (c >= '0' && c <= '9')) return number();
        throw error("unexpected character '" + c + "'");
    }
  }

  private Object literal(String word, Object value) throws ParseException {
    if (!text.startsWith(word, pos)) throw error("unexpected character '" + text.charAt(pos) + "'");
    pos += word.length();
    return value;
  }

  private Map<String, Object> object(int depth) throws ParseException {
    Map<String, Object> out = new LinkedHashMap<>();
    pos++;
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return out;
    }
    for (;;) {
      skipWhitespace();
      if (peek() != '"') throw error("expected a string key");
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      out.put(key, value(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == '}') return out;
      if (c != ',') throw new ParseException("expected ',' or '}'", pos - 1);
    }
  }

  private List<Object> array(int depth) throws ParseException {
    List<Object> out = new ArrayList<>();
    pos++;
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return out;
    }
    for (;;) {
      skipWhitespace();
      out.add(value(depth + 1));
      skipWhitespace();
      char c = peek();
      pos++;
      if (c == ']') return out;
      if (c != ',') throw new ParseException("expected ',' or ']'", pos - 1);
    }
  }

  /** The character at the position, or U+0000 at the end (never valid where it is looked for). */
  private char peek() {
    return pos < text.length() ? text.charAt(pos) : '\0';
  }

  private void expect(char c) throws ParseException {
    if (peek() != c) throw error("expected '" + c + "'");
    pos++;
  }

  private String string() throws ParseException {
    pos++;
    StringBuilder out = new StringBuilder();
    for (;;) {
      if (pos >= text.length()) throw error("unterminated string");
      char c = text.charAt(pos++);
      if (c == '"') return out.toString();
      if (c < 0x20) throw new ParseException("control character in a string", pos - 1);
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) throw error("unterminated string");
      char e = text.charAt(pos++);
      switch (e) {
        case '"': out.append('"'); break;
        case '\\': out.append('\\'); break;
        case '/': out.append('/'); break;
        case 'b': out.append('\b'); break;
        case 'f': out.append('\f'); break;
        case 'n': out.append('\n'); break;
        case 'r': out.append('\r'); break;
        case 't': out.append('\t'); break;
        case 'u': out.append(unicodeEscape()); break;
        default: throw new ParseException("invalid escape '\\" + e + "'", pos - 2);
      }
    }
  }

  private char unicodeEscape() throws ParseException {
    if (pos + 4 > text.length()) throw error("incomplete \\u escape");
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0 || text.charAt(pos + i) > 'f') throw error("invalid \\u escape");
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private Object number() throws ParseException {
    int start = pos;
    if (peek() == '-') pos++;
    if (peek() == '0') pos++;
    else if (!digits()) throw error("expected a digit");
    if (peek() == '.') {
      pos++;
      if (!digits()) throw error("expected a digit after '.'");
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      if (peek() == '+' || peek() == '-') pos++;
      if (!digits()) throw error("expected a digit in the exponent");
    }
    String literal = text.substring(start, pos);
    try {
      return new BigDecimal(literal);
    } catch (NumberFormatException | ArithmeticException outOfRange) {
      // An exponent beyond BigDecimal's range: JavaScript reads it as ±Infinity or 0 as well.
      return Double.parseDouble(literal);
    }
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') pos++;
    return pos > start;
  }
}
