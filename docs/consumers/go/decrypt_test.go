package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

func keysOf(ks ...aesKey) map[string][]byte {
	m := map[string][]byte{}
	for _, k := range ks {
		m[k.kid] = k.key
	}
	return m
}

func TestDecryptsEveryFieldByItsDottedPath(t *testing.T) {
	k, unknown := newAESKey(t), newAESKey(t)
	data := obj(
		"orderId", "order-1",
		"customer", obj(
			"phone", k.encrypt(t, "customer.phone", `"+6281234567890"`),
			"email", k.encrypt(t, "customer.email", `{"address":"a@example.com","verified":true,"n":1e-9}`),
			"other", unknown.encrypt(t, "customer.other", `"kept under a key this consumer lacks"`),
		),
		"deep", obj("a", obj("b", k.encrypt(t, "deep.a.b", `42`))),
		"list", []any{k.encrypt(t, "list.0", `"arrays are not searched"`)},
	)
	got, err := DecryptFields(data, keysOf(k))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"customer.email":{"address":"a@example.com","n":1e-9,"verified":true},"customer.phone":"+6281234567890","deep.a.b":42}`
	if s := string(mustCanonical(t, got.Values)); s != want {
		t.Errorf("decrypted %s\nwant      %s", s, want)
	}
	if !slices.Equal(got.Undecrypted, []string{"customer.other"}) {
		t.Errorf("undecrypted %v", got.Undecrypted)
	}
}

func TestAFieldMovedOrChangedDoesNotDecrypt(t *testing.T) {
	k := newAESKey(t)
	moved := obj("customer", obj("phone2", k.encrypt(t, "customer.phone", `"+62"`)))
	if _, err := DecryptFields(moved, keysOf(k)); err == nil || !strings.Contains(err.Error(), "customer.phone2 does not decrypt") {
		t.Errorf("moved field: %v", err)
	}
	field := k.encrypt(t, "customer.phone", `"+62"`)
	ct := []byte(field.Values["ct"].(string))
	if ct[0] == 'A' {
		ct[0] = 'B'
	} else {
		ct[0] = 'A'
	}
	field.Set("ct", string(ct))
	if _, err := DecryptFields(obj("customer", obj("phone", field)), keysOf(k)); err == nil {
		t.Error("a changed ciphertext decrypted")
	}
}

// Only objects of exactly EncryptedField's shape are encrypted fields, as in @paystream/contracts.
func TestOnlyTheEncryptedFieldShapeCounts(t *testing.T) {
	k := newAESKey(t)
	extra := k.encrypt(t, "x", `1`)
	extra.Set("note", "an extra key")
	wrongAlg := k.encrypt(t, "y", `1`)
	wrongAlg.Set("alg", "A128GCM")
	upperKid := k.encrypt(t, "z", `1`)
	upperKid.Set("kid", "ABCDEF0123456789")
	shortTag := k.encrypt(t, "w", `1`)
	shortTag.Set("tag", shortTag.Values["tag"].(string)[:21])
	data := obj("x", extra, "y", wrongAlg, "z", upperKid, "w", shortTag, "n", json.Number("1"))
	got, err := DecryptFields(data, keysOf(k))
	if err != nil || len(got.Values.Keys) != 0 || len(got.Undecrypted) != 0 {
		t.Errorf("got %+v, %v", got, err)
	}
}

func TestPlaintextMustBeJSON(t *testing.T) {
	k := newAESKey(t)
	for _, plain := range []string{`not json`, `1e999`, "\"\xff\""} {
		data := obj("f", k.encrypt(t, "f", plain))
		if _, err := DecryptFields(data, keysOf(k)); err == nil || !strings.Contains(err.Error(), "does not hold JSON") {
			t.Errorf("plaintext %q: %v", plain, err)
		}
	}
}

func TestJSKeyOrder(t *testing.T) {
	got := jsKeyOrder([]string{"b", "10", "a", "2", "01", "4294967295", "0"})
	want := []string{"0", "2", "10", "b", "a", "01", "4294967295"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
