package main

import (
	"cmp"
	"crypto/aes"
	"crypto/cipher"
	"encoding/base64"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// Decrypted is what DecryptFields found in an event's data: each encrypted field by its dotted path,
// decrypted, and the paths of those under a key id this consumer holds no key for.
type Decrypted struct {
	Values      *Object
	Undecrypted []string
}

var kidPattern = regexp.MustCompile(`^[0-9a-f]{16}$`)

// encryptedField matches @paystream/contracts' EncryptedField: exactly alg, kid, iv, ct and tag.
func encryptedField(v any) (kid, iv, ct, tag string, ok bool) {
	o, isObj := v.(*Object)
	if !isObj || len(o.Keys) != 5 {
		return "", "", "", "", false
	}
	alg, _ := stringField(o, "alg")
	kid, kidOK := stringField(o, "kid")
	iv, ivOK := stringField(o, "iv")
	ct, ctOK := stringField(o, "ct")
	tag, tagOK := stringField(o, "tag")
	ok = alg == "A256GCM" && kidOK && ivOK && ctOK && tagOK && kidPattern.MatchString(kid) &&
		utf16Len(iv) >= 16 && utf16Len(tag) >= 22
	return kid, iv, ct, tag, ok
}

func utf16Len(s string) int { return len(utf16.Encode([]rune(s))) }

// DecryptFields decrypts every encrypted field inside data, wherever it is in nested objects, by
// its dotted path (`customer.phone`). A field under an unknown kid is listed, not an error; a field
// that does not decrypt under its key (tampered, or moved to another path) is an error.
func DecryptFields(data any, keys map[string][]byte) (*Decrypted, error) {
	out := &Decrypted{Values: NewObject(), Undecrypted: []string{}}
	var walk func(v any, path string) error
	walk = func(v any, path string) error {
		o, isObj := v.(*Object)
		if !isObj {
			return nil // arrays and scalars hold no encrypted fields
		}
		if kid, iv, ct, tag, ok := encryptedField(v); ok && path != "" {
			key, have := keys[kid]
			if !have {
				out.Undecrypted = append(out.Undecrypted, path)
				return nil
			}
			value, err := DecryptField(key, path, iv, ct, tag)
			if err != nil {
				return fmt.Errorf("the encrypted field %s %w", path, err)
			}
			out.Values.Set(path, value)
			return nil
		}
		for _, k := range jsKeyOrder(o.Keys) {
			child := k
			if path != "" {
				child = path + "." + k
			}
			if err := walk(o.Values[k], child); err != nil {
				return err
			}
		}
		return nil
	}
	if err := walk(data, ""); err != nil {
		return nil, err
	}
	return out, nil
}

// DecryptField opens one AES-256-GCM field (base64url iv, ct and tag; the path as additional
// authenticated data) and reads its plaintext as JSON.
func DecryptField(key []byte, path, iv, ct, tag string) (any, error) {
	b64 := func(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "=")) }
	nonce, err1 := b64(iv)
	sealed, err2 := b64(ct)
	mac, err3 := b64(tag)
	if err1 != nil || err2 != nil || err3 != nil || len(nonce) == 0 || len(mac) != 16 {
		return nil, errors.New("is not well-formed base64url iv, ct and tag")
	}
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("has an unusable key: %w", err)
	}
	var gcm cipher.AEAD
	if len(nonce) == 12 {
		gcm, err = cipher.NewGCM(block)
	} else {
		gcm, err = cipher.NewGCMWithNonceSize(block, len(nonce))
	}
	if err != nil {
		return nil, fmt.Errorf("has an unusable iv: %w", err)
	}
	plain, err := gcm.Open(nil, nonce, append(sealed, mac...), []byte(path))
	if err != nil {
		return nil, errors.New("does not decrypt (tampered, or not encrypted for this path)")
	}
	value, err := ParseJSON(plain)
	if err == nil {
		_, err = CanonicalJSON(value) // a number beyond a double's range has no JSON form to hand on
	}
	if err != nil {
		return nil, errors.New("does not hold JSON")
	}
	return value, nil
}

// jsKeyOrder orders keys as Object.entries does: array-index keys ascending first, then the others
// in insertion order.
func jsKeyOrder(keys []string) []string {
	var idx, rest []string
	for _, k := range keys {
		if isArrayIndex(k) {
			idx = append(idx, k)
		} else {
			rest = append(rest, k)
		}
	}
	if len(idx) == 0 {
		return keys
	}
	slices.SortFunc(idx, func(a, b string) int {
		x, _ := strconv.ParseUint(a, 10, 64)
		y, _ := strconv.ParseUint(b, 10, 64)
		return cmp.Compare(x, y)
	})
	return append(idx, rest...)
}

func isArrayIndex(k string) bool {
	n, err := strconv.ParseUint(k, 10, 32)
	return err == nil && n < 1<<32-1 && strconv.FormatUint(n, 10) == k
}
