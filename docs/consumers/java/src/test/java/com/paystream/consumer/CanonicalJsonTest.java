package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CanonicalJsonTest {
  private static String canonical(String json) throws Json.ParseException {
    return CanonicalJson.canonical(Json.parse(json));
  }

  @Test
  void matchesTheExampleOfRfc8785() throws Exception {
    String input =
        "{\n  \"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],\n"
            + "  \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\",\n"
            + "  \"literals\": [null, true, false]\n}";
    assertEquals(
        "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}",
        canonical(input));
  }

  @Test
  void sortsKeysByUtf16CodeUnits() throws Exception {
    // U+1F600 is the surrogate pair D83D DE00: before U+FB33 in UTF-16, after it by code point.
    String input = "{\"\\u20ac\":1,\"\\r\":2,\"\\ufb33\":3,\"1\":4,\"\\ud83d\\ude00\":5,\"\\u0080\":6,\"\\u00f6\":7,\"b\":{\"z\":[],\"a\":{}}}";
    assertEquals(
        "{\"\\r\":2,\"1\":4,\"b\":{\"a\":{},\"z\":[]},\"\u0080\":6,\"\u00f6\":7,\"\u20ac\":1,\"\ud83d\ude00\":5,\"\ufb33\":3}",
        canonical(input));
  }

  @Test
  void escapesStringsAsJsonStringifyDoes() throws Exception {
    assertEquals(
        "\"\\b\\f\\n\\r\\t\\u0000\\u001f \\\" \\\\ / \u007f \u2028 \u00d1urhaliza \u65e5\u672c \ud83d\ude00 \\ud800 \\udfff\"",
        canonical("\"\\b\\f\\n\\r\\t\\u0000\\u001F \\\" \\\\ \\/ \u007f \u2028 \u00d1urhaliza \u65e5\u672c \ud83d\ude00 \\uD800 \\uDFFF\""));
  }

  @Test
  void writesNumbersAsEcmaScriptDoes() throws Exception {
    String[][] cases = {
      {"0", "0"}, {"-0", "0"}, {"-0.0", "0"}, {"1.0", "1"}, {"1E2", "100"}, {"10000", "10000"},
      {"1e20", "100000000000000000000"}, {"1e21", "1e+21"}, {"123456789012345680000", "123456789012345680000"},
      {"1152921504606846976", "1152921504606847000"}, {"9007199254740993", "9007199254740992"},
      {"0.1", "0.1"}, {"0.30000000000000004", "0.30000000000000004"}, {"0.000001", "0.000001"},
      {"1e-7", "1e-7"}, {"1.5e-7", "1.5e-7"}, {"-1.5e-7", "-1.5e-7"}, {"5e-324", "5e-324"},
      {"1.7976931348623157e308", "1.7976931348623157e+308"}, {"2.82879384806159e17", "282879384806159000"},
      {"1e23", "1e+23"}, {"4.35", "4.35"}, {"10000.5", "10000.5"}, {"-42", "-42"},
    };
    for (String[] c : cases) assertEquals(c[1], canonical(c[0]), c[0]);
  }

  @Test
  void refusesNumbersJavaScriptCannotHold() throws Exception {
    Object huge = Json.parse("[1e400]");
    assertThrows(IllegalArgumentException.class, () -> CanonicalJson.canonical(huge));
  }
}
