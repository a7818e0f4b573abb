package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void readsWhatJsonParseReads() throws Exception {
    Object v = Json.parse(" {\"a\": [1, -2.50, 3e2, true, false, null], \"b\": {\"c\": \"\\u00e9\"}, \"a\": 7}\r\n\t");
    assertEquals(Map.of("a", new BigDecimal("7"), "b", Map.of("c", "\u00e9")), v);
    assertEquals(List.of(new BigDecimal("-2.50")), Json.parse("[-2.50]"));
    assertEquals("\ud800", Json.parse("\"\\ud800\""));
  }

  @Test
  void refusesWhatJsonParseRefuses() {
    String[] bad = {
      "", "{", "{\"id\": \"half", "[1,]", "{\"a\":1,}", "01", "1.", ".5", "+1", "1e", "NaN", "Infinity", "'a'",
      "{a:1}", "\"tab\tinside\"", "\"\\x\"", "\"\\u12g4\"", "\ufeff{}", "{} {}", "[1 2]", "nul", "truex", "\u00a0{}",
    };
    for (String text : bad) assertThrows(Json.ParseException.class, () -> Json.parse(text), text);
  }

  @Test
  void refusesNestingBeyondTheLimit() {
    String deep = "[".repeat(Json.MAX_DEPTH + 2) + "]".repeat(Json.MAX_DEPTH + 2);
    assertThrows(Json.ParseException.class, () -> Json.parse(deep));
  }
}
