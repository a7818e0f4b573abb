package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventHandlerTest {
  private static TestKeys keys;

  @BeforeAll
  static void keys() {
    keys = new TestKeys();
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void printsAValidEventWithItsDecryptedFieldsAndMarksARepeatedId() throws Exception {
    EventHandler handler = EventHandler.of(keys.trust());
    byte[] value = utf8(CanonicalJson.compact(Events.payment(keys, "e-1")));
    Map<String, Object> first = handler.handle(0, 41, utf8("order-1"), value);
    assertEquals(
        "{\"partition\":0,\"offset\":\"41\",\"key\":\"order-1\",\"valid\":true,\"keyId\":\"" + keys.keyId + "\","
            + "\"id\":\"e-1\",\"type\":\"paystream.payment.succeeded\",\"decrypted\":{\"customer.phone\":\"+6281234567890\","
            + "\"customer.lastName\":\"\u00d1urhaliza \u65e5\u672c \ud83d\ude00\"}}",
        CanonicalJson.compact(first));
    assertTrue(EventHandler.handOn(first));
    Map<String, Object> again = handler.handle(0, 42, null, value);
    assertEquals(Boolean.TRUE, again.get("duplicate"));
    assertEquals(null, again.get("key"));
    assertFalse(EventHandler.handOn(again));
  }

  @Test
  void refusesWhatIsNoJsonObject() throws Exception {
    EventHandler handler = EventHandler.of(keys.trust());
    for (String value : new String[] {"{\"id\": \"half", "[1,2]", "\"text\"", "null"}) {
      Map<String, Object> line = handler.handle(1, 7, null, utf8(value));
      assertEquals(false, line.get("valid"));
      assertEquals("the value is not a JSON object", line.get("reason"));
    }
    assertEquals("the value is not a JSON object", handler.handle(1, 8, null, null).get("reason"));
  }

  @Test
  void neverDecryptsARefusedEvent() throws Exception {
    EventHandler handler = EventHandler.of(keys.trust());
    TestKeys stranger = new TestKeys();
    Map<String, Object> line = handler.handle(0, 3, null, utf8(CanonicalJson.compact(stranger.sign(Events.payment(keys, "e-2")))));
    assertEquals(false, line.get("valid"));
    assertEquals("no published key has id " + stranger.keyId, line.get("reason"));
    assertFalse(line.containsKey("decrypted"));
  }
}
