package main

import (
	"crypto/ed25519"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
)

// Trust holds the keys a consumer trusts: Paystream's published Ed25519 signing keys by key id,
// and the AES-256 event-encryption keys it may use, by kid.
type Trust struct {
	SigningKeys    map[string]ed25519.PublicKey
	EncryptionKeys map[string][]byte
}

type trustFile struct {
	SigningKeys []struct {
		KeyID        string `json:"keyId"`
		PublicKeyPem string `json:"publicKeyPem"`
	} `json:"signingKeys"`
	EncryptionKeys []struct {
		Kid string `json:"kid"`
		Key string `json:"key"`
	} `json:"encryptionKeys"`
}

// LoadTrust reads a trust file (docs/consumers/README.md). Errors name the entry at fault, never
// its key material.
func LoadTrust(path string) (*Trust, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the trust file: %w", err)
	}
	return ParseTrust(raw)
}

// ParseTrust reads the trust file's JSON.
func ParseTrust(raw []byte) (*Trust, error) {
	var f trustFile
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("the trust file is not the expected JSON: %w", err)
	}
	t := &Trust{SigningKeys: map[string]ed25519.PublicKey{}, EncryptionKeys: map[string][]byte{}}
	for i, k := range f.SigningKeys {
		if k.KeyID == "" {
			return nil, fmt.Errorf("signingKeys[%d] has no keyId", i)
		}
		pub, err := parseSPKI(k.PublicKeyPem)
		if err != nil {
			return nil, fmt.Errorf("signingKeys[%d] (keyId %s): %w", i, k.KeyID, err)
		}
		t.SigningKeys[k.KeyID] = pub
	}
	for i, k := range f.EncryptionKeys {
		if k.Kid == "" {
			return nil, fmt.Errorf("encryptionKeys[%d] has no kid", i)
		}
		key, err := base64.StdEncoding.DecodeString(k.Key)
		if err != nil || len(key) != 32 {
			return nil, fmt.Errorf("encryptionKeys[%d] (kid %s): the key is not the standard base64 of 32 bytes", i, k.Kid)
		}
		t.EncryptionKeys[k.Kid] = key
	}
	return t, nil
}

func parseSPKI(text string) (ed25519.PublicKey, error) {
	block, _ := pem.Decode([]byte(text))
	if block == nil || block.Type != "PUBLIC KEY" {
		return nil, errors.New("publicKeyPem is not a PEM \"PUBLIC KEY\" (SPKI)")
	}
	key, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("publicKeyPem does not hold a public key: %w", err)
	}
	pub, ok := key.(ed25519.PublicKey)
	if !ok {
		return nil, errors.New("publicKeyPem holds a key of another kind: Paystream event keys are Ed25519")
	}
	return pub, nil
}
