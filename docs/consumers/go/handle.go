package main

import (
	"strconv"
	"unicode/utf8"
)

// Handler turns each record into the JSON line the consumer prints: it parses, verifies, decrypts
// and deduplicates by event id within the run.
type Handler struct {
	trust *Trust
	seen  map[string]bool
}

// NewHandler returns a handler that trusts the given keys.
func NewHandler(trust *Trust) *Handler {
	return &Handler{trust: trust, seen: map[string]bool{}}
}

// Handle returns the line for one record (docs/consumers/README.md). A valid event whose id was
// already handed on in this run is marked "duplicate": true.
func (h *Handler) Handle(partition int32, offset int64, key, value []byte) []byte {
	line := NewObject()
	line.Set("partition", int(partition))
	line.Set("offset", strconv.FormatInt(offset, 10))
	if key == nil {
		line.Set("key", nil)
	} else {
		line.Set("key", toValidUTF8(key))
	}
	refuse := func(reason string) []byte {
		line.Set("valid", false)
		line.Set("reason", reason)
		return mustJSON(line)
	}

	parsed, err := ParseJSON(value)
	if err == ErrNotJSON {
		return refuse("the value is not a JSON object")
	} else if err != nil {
		return refuse(err.Error())
	}
	event, ok := parsed.(*Object)
	if !ok {
		return refuse("the value is not a JSON object")
	}
	verdict := VerifyEvent(event, h.trust.SigningKeys)
	if !verdict.Valid {
		return refuse(verdict.Reason)
	}
	// Everything below is covered by the signature.
	id, idOK := stringField(event, "id")
	typ, typeOK := stringField(event, "type")
	if !idOK || !typeOK {
		return refuse("the event has no id or type")
	}
	data, _ := event.Get("data")
	decrypted, err := DecryptFields(data, h.trust.EncryptionKeys)
	if err != nil {
		return refuse(err.Error())
	}
	line.Set("valid", true)
	line.Set("keyId", verdict.KeyID)
	line.Set("id", id)
	line.Set("type", typ)
	line.Set("decrypted", decrypted.Values)
	if len(decrypted.Undecrypted) > 0 {
		line.Set("undecrypted", decrypted.Undecrypted)
	}
	if h.seen[id] {
		line.Set("duplicate", true)
	}
	h.seen[id] = true
	return mustJSON(line)
}

// mustJSON writes a line built from parsed values, which always have a JSON form.
func mustJSON(line *Object) []byte {
	out, err := OrderedJSON(line)
	if err != nil {
		panic(err)
	}
	return out
}

// toValidUTF8 decodes a record key as UTF-8, each invalid byte becoming U+FFFD.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	out := make([]rune, 0, len(b))
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		out = append(out, r)
		b = b[size:]
	}
	return string(out)
}
