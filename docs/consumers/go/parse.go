package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// Object is a JSON object that keeps its keys in the order JSON.parse gives them: first
// appearance, a repeated key overwriting the value in place.
type Object struct {
	Keys   []string
	Values map[string]any
}

// NewObject returns an empty object.
func NewObject() *Object { return &Object{Values: map[string]any{}} }

// Set adds a key at the end, or replaces the value of a key already present.
func (o *Object) Set(key string, value any) {
	if _, ok := o.Values[key]; !ok {
		o.Keys = append(o.Keys, key)
	}
	o.Values[key] = value
}

// Get returns a key's value and whether the object has it.
func (o *Object) Get(key string) (any, bool) {
	v, ok := o.Values[key]
	return v, ok
}

// ErrNotJSON is returned for input that is not one well-formed JSON value.
var ErrNotJSON = errors.New("not JSON")

// ParseJSON reads exactly one JSON value. Values are nil, bool, json.Number (the literal text,
// exact), string, []any and *Object. Input that is not valid UTF-8, or that holds a string escape of
// a lone UTF-16 surrogate, is refused: such a value has no exact counterpart in a Go string, so its
// canonical form, and with it a signature, could not be checked faithfully.
func ParseJSON(raw []byte) (any, error) {
	if !json.Valid(raw) {
		return nil, ErrNotJSON
	}
	if !utf8.Valid(raw) {
		return nil, errors.New("the value is not valid UTF-8")
	}
	if loneSurrogateEscape(raw) {
		return nil, errors.New("the value holds a lone UTF-16 surrogate escape")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	v, err := parseValue(dec)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, ErrNotJSON
	}
	return v, nil
}

func parseValue(dec *json.Decoder) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			obj := NewObject()
			for dec.More() {
				kt, err := dec.Token()
				if err != nil {
					return nil, fmt.Errorf("%w: %v", ErrNotJSON, err)
				}
				key, ok := kt.(string)
				if !ok {
					return nil, ErrNotJSON
				}
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				obj.Set(key, v)
			}
			_, err := dec.Token() // '}'
			return obj, err
		case '[':
			arr := []any{}
			for dec.More() {
				v, err := parseValue(dec)
				if err != nil {
					return nil, err
				}
				arr = append(arr, v)
			}
			_, err := dec.Token() // ']'
			return arr, err
		}
		return nil, ErrNotJSON
	default:
		return t, nil // nil, bool, json.Number, string
	}
}

// loneSurrogateEscape reports a \uD800–\uDFFF escape that is not a high surrogate followed by a
// low one. The input is known to be valid JSON, so every backslash starts an escape.
func loneSurrogateEscape(raw []byte) bool {
	for i := 0; i < len(raw); i++ {
		if raw[i] != '\\' {
			continue
		}
		i++
		if raw[i] != 'u' {
			continue
		}
		u := hex4(raw[i+1 : i+5])
		i += 4
		switch {
		case u >= 0xDC00 && u <= 0xDFFF:
			return true
		case u >= 0xD800 && u <= 0xDBFF:
			if i+6 >= len(raw) || raw[i+1] != '\\' || raw[i+2] != 'u' {
				return true
			}
			if lo := hex4(raw[i+3 : i+7]); lo < 0xDC00 || lo > 0xDFFF {
				return true
			}
			i += 6
		}
	}
	return false
}

func hex4(b []byte) rune {
	var r rune
	for _, c := range b {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		}
	}
	return r
}
