package main

import (
	"encoding/base64"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestHandlePrintsTheContractsLines(t *testing.T) {
	s, stranger := newSigner(t), newSigner(t)
	k := newAESKey(t)
	trust := trustOf(t, s)
	trust.EncryptionKeys[k.kid] = k.key
	event := sampleEvent(t, "4b0c5a0e-0000-5000-8000-000000000001")
	event.Values["data"].(*Object).Set("customer", obj("phone", k.encrypt(t, "customer.phone", `"+6281234567890"`)))
	raw := mustCanonical(t, s.sign(t, event))
	h := NewHandler(trust)

	valid := `{"partition":2,"offset":"41","key":"order-1","valid":true,"keyId":"` + s.keyID +
		`","id":"4b0c5a0e-0000-5000-8000-000000000001","type":"paystream.payment.succeeded","decrypted":{"customer.phone":"+6281234567890"}`
	if got := string(h.Handle(2, 41, []byte("order-1"), raw)); got != valid+"}" {
		t.Errorf("first copy:\n got %s\nwant %s}", got, valid)
	}
	if got := string(h.Handle(0, 7, []byte("order-1"), raw)); !strings.Contains(got, `"duplicate":true`) {
		t.Errorf("second copy not marked as a duplicate: %s", got)
	}

	unknown := mustCanonical(t, stranger.sign(t, sampleEvent(t, "id-3")))
	refusals := []struct {
		value  []byte
		reason string
	}{
		{unknown, "no published key has id " + stranger.keyID},
		{[]byte(strings.Replace(string(raw), "150000", "150001", 1)), "the signature does not match the event"},
		{[]byte("not json"), "the value is not a JSON object"},
		{[]byte(`[1,2]`), "the value is not a JSON object"},
		{nil, "the value is not a JSON object"},
	}
	for _, r := range refusals {
		want := `{"partition":0,"offset":"9","key":null,"valid":false,"reason":` + mustQuote(r.reason) + `}`
		if got := string(h.Handle(0, 9, nil, r.value)); got != want {
			t.Errorf("got  %s\nwant %s", got, want)
		}
	}
}

func TestAnEventRefusedIsNotRememberedAsSeen(t *testing.T) {
	s := newSigner(t)
	h := NewHandler(trustOf(t, s))
	event := s.sign(t, sampleEvent(t, "id-4"))
	genuine := mustCanonical(t, event)
	event.Set("paystreamsig", base64.RawURLEncoding.EncodeToString(make([]byte, 64)))
	h.Handle(0, 0, nil, mustCanonical(t, event))
	if got := string(h.Handle(0, 1, nil, genuine)); strings.Contains(got, "duplicate") || !strings.Contains(got, `"valid":true`) {
		t.Errorf("a forged copy made the real event a duplicate: %s", got)
	}
}

func mustQuote(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestArguments(t *testing.T) {
	base := []string{"--brokers", "127.0.0.1:19092, 127.0.0.1:19093", "--topic", "paystream.results", "--group", "g", "--trust", "t.json"}
	o, err := ParseArgs(append(base, "--max-events", "5"), io.Discard)
	if err != nil || len(o.Brokers) != 2 || o.Brokers[1] != "127.0.0.1:19093" || o.MaxEvents != 5 || o.Topic != "paystream.results" {
		t.Fatalf("%+v, %v", o, err)
	}
	for _, bad := range [][]string{
		{"--topic", "x", "--group", "g", "--trust", "t"},
		append(base[:len(base):len(base)], "--max-events", "-1"),
		append(base[:len(base):len(base)], "--max-events", "many"),
		append(base[:len(base):len(base)], "--unknown"),
		append(base[:len(base):len(base)], "stray"),
		append(base[:len(base):len(base)], "--sasl-username", "u"),
		append(base[:len(base):len(base)], "--sasl-username", "u", "--sasl-password-file", "p"),
	} {
		if _, err := ParseArgs(bad, io.Discard); err == nil {
			t.Errorf("ParseArgs(%q) accepted", bad)
		}
	}
	if code := run([]string{"--brokers", "x"}); code != 2 {
		t.Errorf("bad arguments exit %d, want 2", code)
	}
}
