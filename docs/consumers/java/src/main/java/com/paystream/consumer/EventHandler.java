package com.paystream.consumer;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the consumer does with one record, apart from Kafka: parse, verify (before anything else is
 * read), decrypt, deduplicate by event id, and describe the outcome as the output line of
 * docs/consumers/README.md. A refused event is never decrypted and never handed on.
 */
public final class EventHandler {
  private final EventVerifier verifier;
  private final FieldDecryptor decryptor;
  /** The ids handed on in this run: an event published twice after a crash has the same id. */
  private final Set<String> seen = new HashSet<>();

  public EventHandler(EventVerifier verifier, FieldDecryptor decryptor) {
    this.verifier = verifier;
    this.decryptor = decryptor;
  }

  public static EventHandler of(TrustFile trust) {
    return new EventHandler(new EventVerifier(trust.signingKeys()), new FieldDecryptor(trust.encryptionKeys()));
  }

  /** The output line for a record: its position, then the verdict and, when valid, the event. */
  public Map<String, Object> handle(int partition, long offset, byte[] key, byte[] value) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("partition", partition);
    line.put("offset", Long.toString(offset));
    line.put("key", key == null ? null : new String(key, StandardCharsets.UTF_8));
    Map<String, Object> event = parse(value);
    if (event == null) return refuse(line, "the value is not a JSON object");
    EventVerifier.Verdict verdict = verifier.verify(event);
    if (!verdict.valid()) return refuse(line, verdict.reason());
    FieldDecryptor.Decrypted fields;
    try {
      fields = decryptor.decryptAll(event.get("data"));
    } catch (FieldDecryptor.DecryptionException e) {
      return refuse(line, e.getMessage());
    }
    Object id = event.get("id");
    line.put("valid", true);
    line.put("keyId", verdict.keyId());
    line.put("id", id);
    line.put("type", event.get("type"));
    line.put("decrypted", fields.values());
    if (!fields.undecrypted().isEmpty()) line.put("undecrypted", fields.undecrypted());
    if (!seen.add(CanonicalJson.compact(id))) line.put("duplicate", true);
    return line;
  }

  /** Whether a line is an event to hand on: valid, and not seen before in this run. */
  public static boolean handOn(Map<String, Object> line) {
    return Boolean.TRUE.equals(line.get("valid")) && !line.containsKey("duplicate");
  }

  private static Map<String, Object> refuse(Map<String, Object> line, String reason) {
    line.put("valid", false);
    line.put("reason", reason);
    return line;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> parse(byte[] value) {
    if (value == null) return null;
    try {
      Object parsed = Json.parse(new String(value, StandardCharsets.UTF_8));
      return parsed instanceof Map ? (Map<String, Object>) parsed : null;
    } catch (Json.ParseException e) {
      return null;
    }
  }
}
