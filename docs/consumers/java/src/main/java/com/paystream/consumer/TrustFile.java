package com.paystream.consumer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The keys this consumer trusts (docs/consumers/README.md): Paystream's published Ed25519 signing
 * keys by key id, and the AES-256 event-encryption keys it may use by kid. Error messages name the
 * file and the entry, never key material.
 */
public final class TrustFile {
  private static final Pattern PEM =
      Pattern.compile("-----BEGIN PUBLIC KEY-----([A-Za-z0-9+/=\\s]+)-----END PUBLIC KEY-----");

  /** A trust file that cannot be used, with the reason. */
  public static final class InvalidTrustFile extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidTrustFile(String message) {
      super(message);
    }
  }

  private final Map<String, PublicKey> signingKeys;
  private final Map<String, byte[]> encryptionKeys;

  TrustFile(Map<String, PublicKey> signingKeys, Map<String, byte[]> encryptionKeys) {
    this.signingKeys = Collections.unmodifiableMap(signingKeys);
    this.encryptionKeys = Collections.unmodifiableMap(encryptionKeys);
  }

  /** Published signing keys by key id. */
  public Map<String, PublicKey> signingKeys() {
    return signingKeys;
  }

  /** Event-encryption keys (32 bytes each) by kid. */
  public Map<String, byte[]> encryptionKeys() {
    return encryptionKeys;
  }

  public static TrustFile read(Path file) throws InvalidTrustFile {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new InvalidTrustFile("cannot read the trust file " + file + ": " + e.getMessage());
    }
    try {
      return parse(text);
    } catch (InvalidTrustFile e) {
      throw new InvalidTrustFile("the trust file " + file + " " + e.getMessage());
    }
  }

  /** Reads the trust file's JSON text; the message of a refusal completes "the trust file X …". */
  static TrustFile parse(String text) throws InvalidTrustFile {
    Object root;
    try {
      root = Json.parse(text);
    } catch (Json.ParseException e) {
      throw new InvalidTrustFile("is not JSON: " + e.getMessage());
    }
    if (!(root instanceof Map)) throw new InvalidTrustFile("is not a JSON object");
    Map<?, ?> trust = (Map<?, ?>) root;
    Map<String, PublicKey> signing = new LinkedHashMap<>();
    for (Map<?, ?> entry : entries(trust, "signingKeys")) {
      String keyId = text(entry, "signingKeys", "keyId");
      signing.put(keyId, publicKey(text(entry, "signingKeys", "publicKeyPem"), keyId));
    }
    if (signing.isEmpty()) throw new InvalidTrustFile("lists no signingKeys: no event could be verified");
    Map<String, byte[]> encryption = new LinkedHashMap<>();
    for (Map<?, ?> entry : entries(trust, "encryptionKeys")) {
      String kid = text(entry, "encryptionKeys", "kid");
      byte[] key;
      try {
        key = Base64.getDecoder().decode(text(entry, "encryptionKeys", "key").trim());
      } catch (IllegalArgumentException e) {
        throw new InvalidTrustFile("has an encryption key " + kid + " that is not standard base64");
      }
      if (key.length != 32)
        throw new InvalidTrustFile("has an encryption key " + kid + " that is not 32 bytes (AES-256)");
      if (!kid.equals(aesKeyId(key)))
        throw new InvalidTrustFile("lists an encryption key as " + kid + " but its id is " + aesKeyId(key));
      encryption.put(kid, key);
    }
    return new TrustFile(signing, encryption);
  }

  private static List<Map<?, ?>> entries(Map<?, ?> trust, String field) throws InvalidTrustFile {
    Object list = trust.get(field);
    if (list == null) return List.of();
    if (!(list instanceof List)) throw new InvalidTrustFile("has a " + field + " that is not an array");
    List<Map<?, ?>> out = new ArrayList<>();
    for (Object item : (List<?>) list) {
      if (!(item instanceof Map)) throw new InvalidTrustFile("has an entry of " + field + " that is not an object");
      out.add((Map<?, ?>) item);
    }
    return out;
  }

  private static String text(Map<?, ?> entry, String field, String name) throws InvalidTrustFile {
    Object v = entry.get(name);
    if (!(v instanceof String) || ((String) v).isEmpty())
      throw new InvalidTrustFile("has an entry of " + field + " without a string " + name);
    return (String) v;
  }

  /** An event-encryption key's id, as Paystream names it: the first 16 hex digits of its SHA-256. */
  static String aesKeyId(byte[] key) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key)).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }

  /** An Ed25519 public key from its SPKI PEM. */
  static PublicKey publicKey(String pem, String keyId) throws InvalidTrustFile {
    Matcher m = PEM.matcher(pem);
    if (!m.find()) throw new InvalidTrustFile("has a signing key " + keyId + " that is no SPKI public key in PEM");
    try {
      byte[] der = Base64.getMimeDecoder().decode(m.group(1));
      return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
    } catch (IllegalArgumentException | GeneralSecurityException e) {
      throw new InvalidTrustFile("has a signing key " + keyId + " that is not an Ed25519 public key");
    }
  }
}
