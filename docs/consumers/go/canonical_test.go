package main

import (
	"errors"
	"testing"
)

func canonical(t *testing.T, raw string) string {
	t.Helper()
	v, err := ParseJSON([]byte(raw))
	if err != nil {
		t.Fatalf("ParseJSON(%q): %v", raw, err)
	}
	out, err := CanonicalJSON(v)
	if err != nil {
		t.Fatalf("CanonicalJSON(%q): %v", raw, err)
	}
	return string(out)
}

// The expected strings are what JavaScript's Number.prototype.toString writes for the same double.
func TestNumbersAsECMAScriptWritesThem(t *testing.T) {
	cases := map[string]string{
		"0": "0", "-0": "0", "-0.0": "0", "1": "1", "-1": "-1", "1E2": "100", "0.1e1": "1",
		"4.50": "4.5", "2e-3": "0.002", "0.1": "0.1", "0.30000000000000004": "0.30000000000000004",
		"1e20": "100000000000000000000", "1e21": "1e+21", "1E30": "1e+30",
		"0.000001": "0.000001", "1e-7": "1e-7", "1.5e-7": "1.5e-7", "123e-20": "1.23e-18",
		"0.000000000000000000000000001": "1e-27", "333333333.33333329": "333333333.3333333",
		"12345678901234567890": "12345678901234567000", "9007199254740993": "9007199254740992",
		"5e-324": "5e-324", "1.7976931348623157e308": "1.7976931348623157e+308",
		"-1.5e300": "-1.5e+300", "150000": "150000", "1e-400": "0", "4.35": "4.35",
		"295147905179352830000": "295147905179352830000",
	}
	for lit, want := range cases {
		got, err := NumberString(lit)
		if err != nil || got != want {
			t.Errorf("NumberString(%s) = %q, %v; want %q", lit, got, err, want)
		}
	}
	for _, lit := range []string{"1e400", "-1e400"} {
		if _, err := NumberString(lit); !errors.Is(err, ErrNumberRange) {
			t.Errorf("NumberString(%s): want ErrNumberRange, got %v", lit, err)
		}
	}
}

// JSON.stringify escapes only the quote, the backslash and control characters; encoding/json would
// also escape <, >, & and U+2028/U+2029.
func TestStringsAsJSONStringifyWritesThem(t *testing.T) {
	raw := `["<a href=\"x\">&amp;</a>", "\u2028\u2029", "\b\f\n\r\t\u0000\u001f\u007f", "\\/\/", "Grüße 中文 😀 \ud83d\ude00 \uE000\uFFFF"]`
	want := "[\"<a href=\\\"x\\\">&amp;</a>\",\"\u2028\u2029\",\"\\b\\f\\n\\r\\t\\u0000\\u001f\u007f\",\"\\\\//\"," +
		"\"Grüße 中文 😀 😀 \ue000\uffff\"]"
	if got := canonical(t, raw); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

// RFC 8785 §3.2.3: keys sort by UTF-16 code units, so U+1F600 (a surrogate pair, 0xD83D…) comes
// before U+FB33 and U+E000, where UTF-8 byte order would put it last.
func TestKeysSortByUTF16CodeUnits(t *testing.T) {
	raw := `{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One",` +
		`"\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}`
	want := "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"ö\":\"Latin Small Letter O With Diaeresis\"," +
		"\"€\":\"Euro Sign\",\"😀\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}"
	if got := canonical(t, raw); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
	raw = `{"\uffff":1,"😀":2,"\ue000":3,"a":{"z":[1,{"b":2,"a":1}],"é":null},"10":true,"2":false}`
	want = "{\"10\":true,\"2\":false,\"a\":{\"z\":[1,{\"a\":1,\"b\":2}],\"é\":null},\"😀\":2,\"\ue000\":3,\"\uffff\":1}"
	if got := canonical(t, raw); got != want {
		t.Errorf("got  %s\nwant %s", got, want)
	}
}

func TestWhitespaceAndRepeatedKeys(t *testing.T) {
	raw := " {\n \"b\" : [ 1 , 2.50 ] ,\t\"a\" : { } , \"b\" : \"last wins\" }\r\n"
	if got, want := canonical(t, raw), `{"a":{},"b":"last wins"}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
	v, _ := ParseJSON([]byte(raw))
	if keys := v.(*Object).Keys; len(keys) != 2 || keys[0] != "b" {
		t.Errorf("a repeated key keeps its first place, as JSON.parse does: %v", keys)
	}
}

func TestParseRefuses(t *testing.T) {
	for _, raw := range []string{
		"", "not json", "{", `{"a":1} {}`, `{"a":1,}`, "[1,]", `{'a':1}`, "NaN",
		"{\"a\":\"\xff\"}",           // invalid UTF-8
		`{"a":"\ud800"}`,             // lone high surrogate
		`{"a":"\udc00x"}`,            // lone low surrogate
		`{"a":"\ud83d\u0041"}`,       // high surrogate not followed by a low one
		`{"\ud83d":1}`,               // in a key too
		`{"a":"\ud83d\ude00\ude00"}`, // a pair, then a lone low one
	} {
		if _, err := ParseJSON([]byte(raw)); err == nil {
			t.Errorf("ParseJSON(%q) accepted", raw)
		}
	}
	for _, raw := range []string{`{"a":"\\ud800"}`, `"\ud83d\ude00"`, `null`, `[]`, `-0.5e-3`} {
		if _, err := ParseJSON([]byte(raw)); err != nil {
			t.Errorf("ParseJSON(%q): %v", raw, err)
		}
	}
}
