package main

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"encoding/pem"
	"testing"
)

// signer is an Ed25519 key made for one test, with its id as Paystream computes it: the first
// 16 hex digits of the SHA-256 of the SPKI DER.
type signer struct {
	priv  ed25519.PrivateKey
	pub   ed25519.PublicKey
	keyID string
	pem   string
}

func newSigner(t *testing.T) signer {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(der)
	return signer{priv, pub, hex.EncodeToString(sum[:])[:16], string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))}
}

// sign sets paystreamkid and paystreamsig as the worker does.
func (s signer) sign(t *testing.T, event *Object) *Object {
	t.Helper()
	event.Set("paystreamkid", s.keyID)
	msg, err := SignedBytes(event)
	if err != nil {
		t.Fatal(err)
	}
	event.Set("paystreamsig", base64.RawURLEncoding.EncodeToString(ed25519.Sign(s.priv, msg)))
	return event
}

// aesKey is an event-encryption key made for one test, with its kid.
type aesKey struct {
	key []byte
	kid string
}

func newAESKey(t *testing.T) aesKey {
	t.Helper()
	key := make([]byte, 32)
	if _, err := rand.Read(key); err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(key)
	return aesKey{key, hex.EncodeToString(sum[:])[:16]}
}

// encrypt makes an encrypted field as the worker's FieldCipher does: AES-256-GCM over the JSON
// text, 12-byte random IV, the path as AAD.
func (k aesKey) encrypt(t *testing.T, path, plaintextJSON string) *Object {
	t.Helper()
	block, _ := aes.NewCipher(k.key)
	gcm, _ := cipher.NewGCM(block)
	iv := make([]byte, 12)
	if _, err := rand.Read(iv); err != nil {
		t.Fatal(err)
	}
	sealed := gcm.Seal(nil, iv, []byte(plaintextJSON), []byte(path))
	ct, tag := sealed[:len(sealed)-16], sealed[len(sealed)-16:]
	b64 := base64.RawURLEncoding.EncodeToString
	f := NewObject()
	f.Set("alg", "A256GCM")
	f.Set("kid", k.kid)
	f.Set("iv", b64(iv))
	f.Set("ct", b64(ct))
	f.Set("tag", b64(tag))
	return f
}

// obj builds an object from alternating keys and values, in that order.
func obj(kv ...any) *Object {
	o := NewObject()
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

func mustParse(t *testing.T, raw string) any {
	t.Helper()
	v, err := ParseJSON([]byte(raw))
	if err != nil {
		t.Fatalf("ParseJSON(%q): %v", raw, err)
	}
	return v
}

func mustCanonical(t *testing.T, v any) []byte {
	t.Helper()
	out, err := CanonicalJSON(v)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
