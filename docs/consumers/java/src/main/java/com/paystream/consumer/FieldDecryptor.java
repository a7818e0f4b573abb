package com.paystream.consumer;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Finds and decrypts the encrypted fields of an event's {@code data}: objects {@code {"alg":
 * "A256GCM", "kid", "iv", "ct", "tag"}} (nothing else in them) anywhere below {@code data}, except
 * inside arrays, each named by its dotted path ({@code customer.phone}). AES-256-GCM with the key
 * named by {@code kid}, the path as additional authenticated data; the plaintext is JSON.
 */
public final class FieldDecryptor {
  private static final Set<String> FIELD_KEYS = Set.of("alg", "kid", "iv", "ct", "tag");
  private static final Pattern KID = Pattern.compile("[0-9a-f]{16}");

  /** A field that does not decrypt under the key its kid names (tampered, or moved to another path). */
  public static final class DecryptionException extends Exception {
    private static final long serialVersionUID = 1L;

    DecryptionException(String message) {
      super(message);
    }
  }

  /** The decrypted fields by path, in document order, and the paths of those under a kid without a key. */
  public static final class Decrypted {
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final List<String> undecrypted = new ArrayList<>();

    public Map<String, Object> values() {
      return values;
    }

    public List<String> undecrypted() {
      return undecrypted;
    }
  }

  private final Map<String, byte[]> keys;

  /** {@code keys}: the 32-byte event-encryption keys this consumer may use, by kid. */
  public FieldDecryptor(Map<String, byte[]> keys) {
    this.keys = keys;
  }

  public Decrypted decryptAll(Object data) throws DecryptionException {
    Decrypted out = new Decrypted();
    walk(data, "", out);
    return out;
  }

  private void walk(Object value, String path, Decrypted out) throws DecryptionException {
    if (!(value instanceof Map)) return; // scalars, null, and arrays hold no encrypted fields
    Map<?, ?> map = (Map<?, ?>) value;
    if (!path.isEmpty() && isEncryptedField(map)) {
      String kid = (String) map.get("kid");
      if (keys.containsKey(kid)) out.values.put(path, decrypt(map, path));
      else out.undecrypted.add(path);
      return;
    }
    for (Map.Entry<?, ?> e : map.entrySet())
      walk(e.getValue(), path.isEmpty() ? (String) e.getKey() : path + "." + e.getKey(), out);
  }

  /** The shape {@code @paystream/contracts} accepts as an encrypted field, and no other. */
  static boolean isEncryptedField(Map<?, ?> map) {
    if (!map.keySet().equals(FIELD_KEYS)) return false;
    for (Object v : map.values()) if (!(v instanceof String)) return false;
    return "A256GCM".equals(map.get("alg"))
        && KID.matcher((String) map.get("kid")).matches()
        && ((String) map.get("iv")).length() >= 16
        && ((String) map.get("tag")).length() >= 22;
  }

  /** Decrypts one field found at {@code path}; its kid must name one of the keys. */
  public Object decrypt(Map<?, ?> field, String path) throws DecryptionException {
    String kid = (String) field.get("kid");
    byte[] key = keys.get(kid);
    if (key == null) throw new DecryptionException("no event-encryption key with id " + kid);
    byte[] iv = Base64Url.decode((String) field.get("iv"));
    byte[] ct = Base64Url.decode((String) field.get("ct"));
    byte[] tag = Base64Url.decode((String) field.get("tag"));
    byte[] input = new byte[ct.length + tag.length];
    System.arraycopy(ct, 0, input, 0, ct.length);
    System.arraycopy(tag, 0, input, ct.length, tag.length);
    byte[] plaintext;
    try {
      Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
      gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(tag.length * 8, iv));
      gcm.updateAAD(path.getBytes(StandardCharsets.UTF_8));
      plaintext = gcm.doFinal(input);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new DecryptionException("the encrypted field " + path + " does not decrypt with key " + kid);
    }
    try {
      return Json.parse(new String(plaintext, StandardCharsets.UTF_8));
    } catch (Json.ParseException e) {
      throw new DecryptionException("the encrypted field " + path + " does not hold JSON");
    }
  }
}
