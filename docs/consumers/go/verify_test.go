package main

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
)

// sampleEvent is a result event with the shapes the signature must cover exactly: unicode (outside
// the BMP and in U+E000–U+FFFF, also as keys), nested objects, integers and fractions.
func sampleEvent(t *testing.T, id string) *Object {
	return mustParse(t, fmt.Sprintf(`{"specversion":"1.0","id":%q,"source":"paystream://worker",
		"type":"paystream.payment.succeeded","time":"2025-01-02T03:04:05.678Z","datacontenttype":"application/json",
		"data":{"orderId":"order-1","amount":{"value":150000,"currency":"IDR"},"ratio":0.30000000000000004,
		"big":1e21,"tiny":1.5e-7,"note":"Grüße <&> \u2028 😀 \ue000\uffff \"q\" \\ \n",
		"\uffff":1,"😀":2,"\ue000":3,"nested":{"deep":{"list":[1,2.5,{"x":null}]}}}}`, id)).(*Object)
}

func trustOf(t *testing.T, signers ...signer) *Trust {
	t.Helper()
	type key struct {
		KeyID        string `json:"keyId"`
		PublicKeyPem string `json:"publicKeyPem"`
	}
	var f struct {
		SigningKeys    []key `json:"signingKeys"`
		EncryptionKeys []any `json:"encryptionKeys"`
	}
	for _, s := range signers {
		f.SigningKeys = append(f.SigningKeys, key{s.keyID, s.pem})
	}
	raw, _ := json.Marshal(f)
	trust, err := ParseTrust(raw)
	if err != nil {
		t.Fatal(err)
	}
	return trust
}

func TestVerifiesASignedEvent(t *testing.T) {
	a, b := newSigner(t), newSigner(t)
	trust := trustOf(t, a, b) // both published, as during a rotation's overlap
	event := b.sign(t, sampleEvent(t, "id-1"))
	if v := VerifyEvent(event, trust.SigningKeys); !v.Valid || v.KeyID != b.keyID {
		t.Fatalf("verdict %+v", v)
	}
	// The signature is over the canonical form, so the value's own spacing and key order do not matter.
	pretty, _ := json.MarshalIndent(json.RawMessage(mustCanonical(t, event)), "", "  ")
	if v := VerifyEvent(mustParse(t, string(pretty)).(*Object), trust.SigningKeys); !v.Valid {
		t.Fatalf("re-spaced event: %+v", v)
	}
}

func TestRefusesWithTheTypeScriptVerifiersReasons(t *testing.T) {
	s, other := newSigner(t), newSigner(t)
	trust := trustOf(t, s)
	signed := func(change func(e *Object)) *Object {
		e := s.sign(t, sampleEvent(t, "id-2"))
		change(e)
		return e
	}
	const mismatch = "the signature does not match the event"
	cases := []struct {
		name   string
		event  *Object
		reason string
	}{
		{"no signature", sampleEvent(t, "id-2"), "the event carries no paystreamsig / paystreamkid"},
		{"unknown key", other.sign(t, sampleEvent(t, "id-2")), "no published key has id " + other.keyID},
		{"key id not a string", signed(func(e *Object) { e.Set("paystreamkid", json.Number("1")) }),
			"the event carries no paystreamsig / paystreamkid"},
		{"tampered amount", signed(func(e *Object) {
			e.Values["data"].(*Object).Values["amount"].(*Object).Set("value", json.Number("1"))
		}), mismatch},
		{"added field", signed(func(e *Object) { e.Set("subject", "added after signing") }), mismatch},
		{"changed unicode key", signed(func(e *Object) {
			d := e.Values["data"].(*Object)
			d.Set("\U0001F601", d.Values["😀"])
			delete(d.Values, "😀")
			d.Keys = slices.DeleteFunc(d.Keys, func(k string) bool { return k == "😀" })
		}), mismatch},
		{"garbled signature", signed(func(e *Object) { e.Set("paystreamsig", "not*base64url") }), mismatch},
	}
	for _, c := range cases {
		if v := VerifyEvent(c.event, trust.SigningKeys); v.Valid || v.Reason != c.reason {
			t.Errorf("%s: verdict %+v, want reason %q", c.name, v, c.reason)
		}
	}
}

func TestTrustFileErrorsNeverShowKeyMaterial(t *testing.T) {
	secret := strings.Repeat("A", 40)
	for _, raw := range []string{
		`{"signingKeys":[{"keyId":"k","publicKeyPem":"-----BEGIN PUBLIC KEY-----\n` + secret + `\n-----END PUBLIC KEY-----\n"}]}`,
		`{"encryptionKeys":[{"kid":"k","key":"` + secret + `"}]}`,
	} {
		_, err := ParseTrust([]byte(raw))
		if err == nil || strings.Contains(err.Error(), secret) {
			t.Errorf("ParseTrust: %v", err)
		}
	}
}
