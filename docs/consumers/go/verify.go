package main

import (
	"crypto/ed25519"
	"encoding/base64"
	"strings"
)

// Verdict is the outcome of checking an event's signature.
type Verdict struct {
	Valid  bool
	KeyID  string
	Reason string
}

// SignedBytes is what the worker signs: the canonical JSON of the whole event without
// `paystreamsig` (its key id `paystreamkid` included).
func SignedBytes(event *Object) ([]byte, error) {
	signed := NewObject()
	for _, k := range event.Keys {
		if k != "paystreamsig" {
			signed.Set(k, event.Values[k])
		}
	}
	return CanonicalJSON(signed)
}

// VerifyEvent checks `paystreamsig` (base64url Ed25519) over the canonical event with the published
// key named by `paystreamkid`, with the same reasons as @paystream/contracts' verifyEvent.
func VerifyEvent(event *Object, keys map[string]ed25519.PublicKey) Verdict {
	kid, kidOK := stringField(event, "paystreamkid")
	sig, sigOK := stringField(event, "paystreamsig")
	if !kidOK || !sigOK {
		return Verdict{Reason: "the event carries no paystreamsig / paystreamkid"}
	}
	pub, ok := keys[kid]
	if !ok {
		return Verdict{Reason: "no published key has id " + kid}
	}
	msg, err := SignedBytes(event)
	if err != nil {
		return Verdict{Reason: "the event has no canonical form: " + err.Error()}
	}
	signature, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(sig, "="))
	if err != nil || !ed25519.Verify(pub, msg, signature) {
		return Verdict{Reason: "the signature does not match the event"}
	}
	return Verdict{Valid: true, KeyID: kid}
}

func stringField(o *Object, key string) (string, bool) {
	v, ok := o.Get(key)
	if !ok {
		return "", false
	}
	s, ok := v.(string)
	return s, ok
}
