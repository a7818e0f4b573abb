package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FieldDecryptorTest {
  private final TestKeys keys = new TestKeys();
  private final FieldDecryptor decryptor = new FieldDecryptor(Map.of(keys.kid, keys.aesKey));

  @Test
  void decryptsEveryFieldByItsDottedPath() throws Exception {
    Map<String, Object> data = new LinkedHashMap<>();
    data.put("customer", Map.of("phone", keys.encrypt("customer.phone", "+6281234567890")));
    data.put("a", Map.of("b", Map.of("c", keys.encrypt("a.b.c", Map.of("n", new BigDecimal("12"), "s", "\u65e5\u672c")))));
    data.put("list", List.of(keys.encrypt("list.0", "arrays are not searched")));
    data.put("amount", new BigDecimal("10000"));
    FieldDecryptor.Decrypted out = decryptor.decryptAll(Json.parse(CanonicalJson.compact(data)));
    assertEquals(
        Map.of("customer.phone", "+6281234567890", "a.b.c", Map.of("n", new BigDecimal("12"), "s", "\u65e5\u672c")),
        out.values());
    assertTrue(out.undecrypted().isEmpty());
  }

  @Test
  void listsFieldsUnderAKidWithoutAKey() throws Exception {
    TestKeys other = new TestKeys();
    Map<String, Object> data = Map.of("customer", Map.of("email", other.encrypt("customer.email", "siti@example.com")));
    FieldDecryptor.Decrypted out = decryptor.decryptAll(data);
    assertEquals(List.of("customer.email"), out.undecrypted());
    assertTrue(out.values().isEmpty());
  }

  @Test
  void refusesAFieldMovedToAnotherPath() throws Exception {
    Map<String, Object> data = Map.of("customer", Map.of("email", keys.encrypt("customer.phone", "+6281234567890")));
    FieldDecryptor.DecryptionException e =
        assertThrows(FieldDecryptor.DecryptionException.class, () -> decryptor.decryptAll(data));
    assertEquals("the encrypted field customer.email does not decrypt with key " + keys.kid, e.getMessage());
  }

  @Test
  void refusesATamperedCiphertext() throws Exception {
    Map<String, Object> field = keys.encrypt("customer.phone", "+6281234567890");
    field.put("ct", "A" + ((String) field.get("ct")).substring(1));
    assertThrows(FieldDecryptor.DecryptionException.class, () -> decryptor.decryptAll(Map.of("customer", Map.of("phone", field))));
  }

  @Test
  void takesOnlyTheExactShapeForAnEncryptedField() throws Exception {
    Map<String, Object> extra = new LinkedHashMap<>(keys.encrypt("x", "v"));
    extra.put("note", "not part of the shape");
    Map<String, Object> otherAlg = new LinkedHashMap<>(keys.encrypt("y", "v"));
    otherAlg.put("alg", "A128GCM");
    FieldDecryptor.Decrypted out = decryptor.decryptAll(Map.of("x", extra, "y", otherAlg));
    assertTrue(out.values().isEmpty());
    assertTrue(out.undecrypted().isEmpty());
    assertTrue(FieldDecryptor.isEncryptedField(keys.encrypt("z", "v")));
  }
}
