package com.paystream.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class TrustFileTest {
  private final TestKeys keys = new TestKeys();

  @Test
  void readsTheSigningAndEncryptionKeys() throws Exception {
    TrustFile trust = keys.trust();
    assertEquals(keys.signing.getPublic(), trust.signingKeys().get(keys.keyId));
    assertArrayEquals(keys.aesKey, trust.encryptionKeys().get(keys.kid));
    assertEquals(keys.kid, TrustFile.aesKeyId(keys.aesKey));
  }

  @Test
  void refusesAnEncryptionKeyUnderAnotherId() {
    String trust = keys.trustJson().replace(keys.kid, "0123456789abcdef");
    TrustFile.InvalidTrustFile e = assertThrows(TrustFile.InvalidTrustFile.class, () -> TrustFile.parse(trust));
    assertEquals("lists an encryption key as 0123456789abcdef but its id is " + keys.kid, e.getMessage());
  }

  @Test
  void refusesAPublicKeyThatIsNotEd25519() throws Exception {
    byte[] x25519 = KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
    String pem = "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(x25519)
        + "\n-----END PUBLIC KEY-----\n";
    assertThrows(TrustFile.InvalidTrustFile.class, () -> TrustFile.publicKey(pem, "k"));
  }

  @Test
  void refusesWhatIsNoTrustFile() {
    for (String text : new String[] {"", "[]", "{}", "{\"signingKeys\":{}}", "{\"signingKeys\":[{\"keyId\":\"k\"}]}"}) {
      TrustFile.InvalidTrustFile e = assertThrows(TrustFile.InvalidTrustFile.class, () -> TrustFile.parse(text), text);
      assertTrue(!e.getMessage().isEmpty());
    }
  }
}
