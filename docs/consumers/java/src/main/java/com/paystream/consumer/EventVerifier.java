package com.paystream.consumer;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Map;

/**
 * Checks a result event's {@code paystreamsig}: the base64url Ed25519 signature, by the published key
 * named in {@code paystreamkid}, over the canonical JSON of the event without {@code paystreamsig}.
 * The reasons of a refusal are those of the TypeScript verifier in {@code @paystream/contracts}.
 */
public final class EventVerifier {
  /** What the verifier decided: valid with the key id that signed, or refused with a reason. */
  public static final class Verdict {
    private final boolean valid;
    private final String keyId;
    private final String reason;

    private Verdict(boolean valid, String keyId, String reason) {
      this.valid = valid;
      this.keyId = keyId;
      this.reason = reason;
    }

    static Verdict valid(String keyId) {
      return new Verdict(true, keyId, null);
    }

    static Verdict refused(String reason) {
      return new Verdict(false, null, reason);
    }

    public boolean valid() {
      return valid;
    }

    /** The id of the key that signed; null when refused. */
    public String keyId() {
      return keyId;
    }

    /** Why the event was refused; null when valid. */
    public String reason() {
      return reason;
    }
  }

  private final Map<String, PublicKey> keys;

  /** {@code keys}: Paystream's published signing keys by key id (all of them during a rotation). */
  public EventVerifier(Map<String, PublicKey> keys) {
    this.keys = keys;
  }

  public Verdict verify(Map<String, Object> event) {
    Object kid = event.get("paystreamkid");
    Object sig = event.get("paystreamsig");
    if (!(kid instanceof String) || !(sig instanceof String))
      return Verdict.refused("the event carries no paystreamsig / paystreamkid");
    PublicKey key = keys.get(kid);
    if (key == null) return Verdict.refused("no published key has id " + kid);
    byte[] signed;
    try {
      signed = CanonicalJson.eventBytes(event);
    } catch (IllegalArgumentException noCanonicalForm) {
      // A number JSON can carry but JavaScript cannot hold (beyond ±1.8e308): nothing signed it.
      return Verdict.refused("the signature does not match the event");
    }
    return matches(key, signed, Base64Url.decode((String) sig))
        ? Verdict.valid((String) kid)
        : Verdict.refused("the signature does not match the event");
  }

  private static boolean matches(PublicKey key, byte[] signed, byte[] signature) {
    try {
      Signature ed25519 = Signature.getInstance("Ed25519");
      ed25519.initVerify(key);
      ed25519.update(signed);
      return ed25519.verify(signature);
    } catch (GeneralSecurityException malformedSignature) {
      return false;
    }
  }
}
