package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class EventVerifierTest {
  private static TestKeys keys;
  private static EventVerifier verifier;

  @BeforeAll
  static void keys() throws Exception {
    keys = new TestKeys();
    verifier = new EventVerifier(keys.trust().signingKeys());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> reparsed(Map<String, Object> event) throws Exception {
    return (Map<String, Object>) Json.parse(CanonicalJson.compact(event));
  }

  @Test
  void acceptsAnEventSignedByAPublishedKey() throws Exception {
    EventVerifier.Verdict v = verifier.verify(reparsed(Events.payment(keys, "e-1")));
    assertTrue(v.valid(), v.reason());
    assertEquals(keys.keyId, v.keyId());
  }

  @Test
  @SuppressWarnings("unchecked")
  void refusesATamperedEvent() throws Exception {
    Map<String, Object> event = reparsed(Events.payment(keys, "e-2"));
    Map<String, Object> amount = (Map<String, Object>) ((Map<String, Object>) event.get("data")).get("amount");
    amount.put("value", new BigDecimal("10001"));
    assertEquals("the signature does not match the event", verifier.verify(event).reason());
  }

  @Test
  void refusesASignatureByAnotherKeyUnderAPublishedId() throws Exception {
    Map<String, Object> forged = new TestKeys().sign(Events.payment(keys, "e-3"));
    forged.put("paystreamkid", keys.keyId);
    assertEquals("the signature does not match the event", verifier.verify(reparsed(forged)).reason());
  }

  @Test
  void refusesAnUnknownKeyId() throws Exception {
    TestKeys stranger = new TestKeys();
    Map<String, Object> event = stranger.sign(Events.payment(keys, "e-4"));
    assertEquals("no published key has id " + stranger.keyId, verifier.verify(reparsed(event)).reason());
  }

  @Test
  void refusesAnUnsignedEvent() throws Exception {
    Map<String, Object> event = new LinkedHashMap<>(Events.payment(keys, "e-5"));
    event.remove("paystreamsig");
    assertEquals("the event carries no paystreamsig / paystreamkid", verifier.verify(event).reason());
    event.put("paystreamsig", 42);
    assertFalse(verifier.verify(event).valid());
  }

  @Test
  void refusesAMalformedSignature() throws Exception {
    Map<String, Object> event = reparsed(Events.payment(keys, "e-6"));
    event.put("paystreamsig", "not-a-signature");
    assertEquals("the signature does not match the event", verifier.verify(event).reason());
  }
}
