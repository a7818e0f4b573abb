package com.paystream.consumer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** Keys made at test time, and events signed and fields encrypted the way the worker does it. */
final class TestKeys {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  final KeyPair signing;
  final String keyId;
  final byte[] aesKey = new byte[32];
  final String kid;

  TestKeys() {
    try {
      signing = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      keyId = sha256Hex(signing.getPublic().getEncoded()).substring(0, 16);
      RANDOM.nextBytes(aesKey);
      kid = sha256Hex(aesKey).substring(0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String sha256Hex(byte[] bytes) throws GeneralSecurityException {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  String publicKeyPem() {
    return "-----BEGIN PUBLIC KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(signing.getPublic().getEncoded())
        + "\n-----END PUBLIC KEY-----\n";
  }

  /** The trust file a consumer of these keys is given. */
  String trustJson() {
    Map<String, Object> signingKey = new LinkedHashMap<>();
    signingKey.put("keyId", keyId);
    signingKey.put("publicKeyPem", publicKeyPem());
    Map<String, Object> encryptionKey = new LinkedHashMap<>();
    encryptionKey.put("kid", kid);
    encryptionKey.put("key", Base64.getEncoder().encodeToString(aesKey));
    return CanonicalJson.compact(
        Map.of("signingKeys", java.util.List.of(signingKey), "encryptionKeys", java.util.List.of(encryptionKey)));
  }

  TrustFile trust() throws TrustFile.InvalidTrustFile {
    return TrustFile.parse(trustJson());
  }

  /** The event with {@code paystreamkid} set and {@code paystreamsig} over its canonical form. */
  Map<String, Object> sign(Map<String, Object> event) throws GeneralSecurityException {
    Map<String, Object> signed = new LinkedHashMap<>(event);
    signed.put("paystreamkid", keyId);
    signed.remove("paystreamsig");
    Signature ed25519 = Signature.getInstance("Ed25519");
    ed25519.initSign(signing.getPrivate());
    ed25519.update(CanonicalJson.canonical(signed).getBytes(StandardCharsets.UTF_8));
    signed.put("paystreamsig", B64URL.encodeToString(ed25519.sign()));
    return signed;
  }

  /** An encrypted field as the worker writes it: AES-256-GCM of the JSON value, the path as AAD. */
  Map<String, Object> encrypt(String path, Object value) throws GeneralSecurityException {
    byte[] iv = new byte[12];
    RANDOM.nextBytes(iv);
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(aesKey, "AES"), new GCMParameterSpec(128, iv));
    gcm.updateAAD(path.getBytes(StandardCharsets.UTF_8));
    byte[] out = gcm.doFinal(CanonicalJson.compact(value).getBytes(StandardCharsets.UTF_8));
    int ctLength = out.length - 16;
    Map<String, Object> field = new LinkedHashMap<>();
    field.put("alg", "A256GCM");
    field.put("kid", kid);
    field.put("iv", B64URL.encodeToString(iv));
    field.put("ct", B64URL.encodeToString(java.util.Arrays.copyOfRange(out, 0, ctLength)));
    field.put("tag", B64URL.encodeToString(java.util.Arrays.copyOfRange(out, ctLength, out.length)));
    return field;
  }
}
