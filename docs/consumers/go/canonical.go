package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf16"
)

// CanonicalJSON writes a value in the RFC 8785 form that Paystream signs: object keys sorted by
// UTF-16 code units, no whitespace, strings and numbers as ECMAScript's JSON.stringify writes them.
func CanonicalJSON(v any) ([]byte, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, true); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

// OrderedJSON writes a value the same way but keeps each object's keys in their own order.
func OrderedJSON(v any) ([]byte, error) {
	var b strings.Builder
	if err := writeJSON(&b, v, false); err != nil {
		return nil, err
	}
	return []byte(b.String()), nil
}

func writeJSON(b *strings.Builder, v any, sorted bool) error {
	switch t := v.(type) {
	case nil:
		b.WriteString("null")
	case bool:
		b.WriteString(strconv.FormatBool(t))
	case json.Number:
		s, err := NumberString(string(t))
		if err != nil {
			return err
		}
		b.WriteString(s)
	case int:
		b.WriteString(strconv.Itoa(t))
	case string:
		writeString(b, t)
	case []any:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			if err := writeJSON(b, e, sorted); err != nil {
				return err
			}
		}
		b.WriteByte(']')
	case []string:
		b.WriteByte('[')
		for i, e := range t {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, e)
		}
		b.WriteByte(']')
	case *Object:
		keys := t.Keys
		if sorted {
			keys = sortUTF16(keys)
		}
		b.WriteByte('{')
		for i, k := range keys {
			if i > 0 {
				b.WriteByte(',')
			}
			writeString(b, k)
			b.WriteByte(':')
			if err := writeJSON(b, t.Values[k], sorted); err != nil {
				return err
			}
		}
		b.WriteByte('}')
	default:
		return fmt.Errorf("canonical JSON cannot represent a %T", v)
	}
	return nil
}

// sortUTF16 returns the keys ordered by their UTF-16 code units, as JavaScript's default sort
// does. Go's string order compares UTF-8 bytes, which differs for characters above U+FFFF
// against those in U+E000–U+FFFF.
func sortUTF16(keys []string) []string {
	type unit struct {
		key   string
		units []uint16
	}
	us := make([]unit, len(keys))
	for i, k := range keys {
		us[i] = unit{k, utf16.Encode([]rune(k))}
	}
	slices.SortFunc(us, func(a, b unit) int { return slices.Compare(a.units, b.units) })
	out := make([]string, len(us))
	for i, u := range us {
		out[i] = u.key
	}
	return out
}

const hexDigits = "0123456789abcdef"

// writeString escapes as JSON.stringify does: the quote, the backslash and control characters
// only; every other character is written as itself. (encoding/json also escapes <, >, & and
// U+2028/U+2029, which would change the signed bytes.)
func writeString(b *strings.Builder, s string) {
	b.WriteByte('"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"':
			b.WriteString(`\"`)
		case c == '\\':
			b.WriteString(`\\`)
		case c == '\b':
			b.WriteString(`\b`)
		case c == '\f':
			b.WriteString(`\f`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\r':
			b.WriteString(`\r`)
		case c == '\t':
			b.WriteString(`\t`)
		case c < 0x20:
			b.WriteString(`\u00`)
			b.WriteByte(hexDigits[c>>4])
			b.WriteByte(hexDigits[c&0xF])
		default:
			b.WriteByte(c)
		}
	}
	b.WriteByte('"')
}

// ErrNumberRange is returned for a number JavaScript would read as ±Infinity.
var ErrNumberRange = errors.New("canonical JSON has no representation for NaN or Infinity")

// NumberString reads a JSON number literal as an IEEE 754 double, as JSON.parse does, and writes it
// as ECMAScript's Number.prototype.toString does.
func NumberString(literal string) (string, error) {
	f, err := strconv.ParseFloat(literal, 64)
	if err != nil && !errors.Is(err, strconv.ErrRange) {
		return "", err
	}
	if math.IsInf(f, 0) || math.IsNaN(f) {
		return "", ErrNumberRange
	}
	return FormatNumber(f), nil
}

// FormatNumber writes a finite double as ECMAScript's Number::toString(10): the shortest digits
// that read back as the same double, in positional notation when the decimal exponent n (value =
// 0.digits × 10^n) is in -6 < n ≤ 21, else as d.ddde±x.
func FormatNumber(f float64) string {
	if f == 0 {
		return "0" // -0 too
	}
	sign := ""
	if f < 0 {
		sign, f = "-", -f
	}
	e := strconv.FormatFloat(f, 'e', -1, 64) // "d.ddde±xx"
	mant, exp, _ := strings.Cut(e, "e")
	digits := strings.Replace(mant, ".", "", 1)
	x, _ := strconv.Atoi(exp)
	k, n := len(digits), x+1
	switch {
	case k <= n && n <= 21:
		return sign + digits + strings.Repeat("0", n-k)
	case 0 < n && n <= 21:
		return sign + digits[:n] + "." + digits[n:]
	case -6 < n && n <= 0:
		return sign + "0." + strings.Repeat("0", -n) + digits
	}
	es := "+"
	if n-1 < 0 {
		es = "-"
	}
	m := digits[:1]
	if k > 1 {
		m += "." + digits[1:]
	}
	return sign + m + "e" + es + strconv.Itoa(abs(n-1))
}

func abs(i int) int {
	if i < 0 {
		return -i
	}
	return i
}
