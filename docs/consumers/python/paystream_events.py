"""Verifies and decrypts Paystream result events exactly as @paystream/contracts does.

No Kafka here: parse a record's value, verify its signature, decrypt its encrypted fields.
"""

import base64
import hashlib
import json
import math
import re
from typing import Any, NamedTuple, Optional

from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

NOT_AN_OBJECT = "the value is not a JSON object"
UNSIGNED = "the event carries no paystreamsig / paystreamkid"
BAD_SIGNATURE = "the signature does not match the event"

# Parsing: what JSON.parse accepts, with integers kept exact


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _int(text: str) -> Any:
    # Python refuses to parse integers of more than 4300 digits; such a number is a double in JS.
    return int(text) if len(text) <= 4000 else float(text)


def parse_json(text: str) -> Any:
    """JSON.parse: raises ValueError for anything it would refuse (NaN, Infinity, a BOM, …)."""
    return json.loads(text, parse_int=_int, parse_constant=_no_constant)


def parse_event(value: Optional[bytes]) -> Optional[dict]:
    """The record's value as a JSON object, or None when it is not one."""
    if value is None:
        return None
    try:
        event = parse_json(value.decode("utf-8", errors="replace"))
    except (ValueError, RecursionError):
        return None
    return event if isinstance(event, dict) else None


# RFC 8785 canonical JSON, byte for byte what canonicalJson in TypeScript produces

_SHORT_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
# What JSON.stringify escapes: the quote, the backslash, control characters and lone surrogates
# (a Python string holds a surrogate only when it was lone in the JSON: pairs are joined).
_TO_ESCAPE = re.compile('["\\\\\x00-\x1f\ud800-\udfff]')


def _escape(match: "re.Match[str]") -> str:
    char = match.group(0)
    return _SHORT_ESCAPES.get(char) or f"\\u{ord(char):04x}"


def _string(text: str) -> str:
    return '"' + _TO_ESCAPE.sub(_escape, text) + '"'


def _utf16(key: str) -> bytes:
    """Big-endian UTF-16 compares byte by byte as the UTF-16 code units do."""
    return key.encode("utf-16-be", errors="surrogatepass")


def _shortest_digits(x: float) -> "tuple[str, int]":
    """The shortest digits that round-trip to the positive x, and n such that x = 0.digits × 10^n."""
    mantissa, _, exponent = repr(x).partition("e")
    whole, _, fraction = mantissa.partition(".")
    all_digits = whole + fraction
    leading_zeros = len(all_digits) - len(all_digits.lstrip("0"))
    digits = all_digits.strip("0")
    return digits, len(whole) + int(exponent or 0) - leading_zeros


def _number(value: "int | float") -> str:
    """ECMAScript's Number::toString (what JSON.stringify writes) for the double nearest the value."""
    if isinstance(value, int) and abs(value) <= 2**53:
        return str(value)
    try:
        x = float(value)
    except OverflowError:
        x = math.inf
    if not math.isfinite(x):
        raise ValueError("canonical JSON has no representation for NaN or Infinity")
    if x == 0:
        return "0"  # -0 as well
    sign = "-" if x < 0 else ""
    digits, n = _shortest_digits(abs(x))
    k = len(digits)
    if k <= n <= 21:
        return sign + digits + "0" * (n - k)
    if 0 < n <= 21:
        return sign + digits[:n] + "." + digits[n:]
    if -6 < n <= 0:
        return sign + "0." + "0" * -n + digits
    e = n - 1
    mantissa = digits if k == 1 else digits[0] + "." + digits[1:]
    return f"{sign}{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"


def canonical_json(value: Any) -> str:
    """RFC 8785: keys sorted by UTF-16 code units, no whitespace, ECMAScript numbers and strings."""
    if value is None:
        return "null"
    if value is True or value is False:
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list):
        return "[" + ",".join(canonical_json(v) for v in value) + "]"
    if isinstance(value, dict):
        members = (f"{_string(k)}:{canonical_json(value[k])}" for k in sorted(value, key=_utf16))
        return "{" + ",".join(members) + "}"
    raise TypeError(f"canonical JSON cannot represent a {type(value).__name__}")


def canonical_event_bytes(event: dict) -> bytes:
    """What the worker signs: the whole event without paystreamsig (its key id included)."""
    return canonical_json({k: v for k, v in event.items() if k != "paystreamsig"}).encode("utf-8")


# Verification


class Verdict(NamedTuple):
    valid: bool
    key_id: Optional[str] = None
    reason: Optional[str] = None


def b64url_decode(text: str) -> bytes:
    """Unpadded base64url (the standard alphabet is accepted too, as Node's decoder does)."""
    return base64.b64decode(text.replace("-", "+").replace("_", "/") + "=" * (-len(text) % 4))


def verify_event(event: dict, signing_keys: "dict[str, Ed25519PublicKey]") -> Verdict:
    """Checks paystreamsig over the canonical event with the key named by paystreamkid."""
    kid, sig = event.get("paystreamkid"), event.get("paystreamsig")
    if not isinstance(kid, str) or not isinstance(sig, str):
        return Verdict(False, reason=UNSIGNED)
    key = signing_keys.get(kid)
    if key is None:
        return Verdict(False, reason=f"no published key has id {kid}")
    try:
        key.verify(b64url_decode(sig), canonical_event_bytes(event))
    except (InvalidSignature, ValueError, TypeError):
        return Verdict(False, reason=BAD_SIGNATURE)
    return Verdict(True, key_id=kid)


# Decryption

_FIELD_KEYS = {"alg", "kid", "iv", "ct", "tag"}
_KID = re.compile("[0-9a-f]{16}")


class UndecryptableField(Exception):
    """A field under a key this consumer holds that does not decrypt: tampered, or at another path."""


def aes_key_id(key: bytes) -> str:
    return hashlib.sha256(key).hexdigest()[:16]


def is_encrypted_field(v: Any) -> bool:
    """The contract's EncryptedField: exactly alg, kid, iv, ct, tag, with their formats (the minimum
    lengths of iv and tag, 16 and 22, counted in UTF-16 code units of 2 bytes as JavaScript does)."""
    return (
        isinstance(v, dict)
        and set(v) == _FIELD_KEYS
        and v["alg"] == "A256GCM"
        and all(isinstance(v[k], str) for k in ("kid", "iv", "ct", "tag"))
        and _KID.fullmatch(v["kid"]) is not None
        and len(_utf16(v["iv"])) >= 2 * 16
        and len(_utf16(v["tag"])) >= 2 * 22
    )


def decrypt_field(field: dict, path: str, key: bytes) -> Any:
    """AES-256-GCM with the field's path inside data as AAD; the plaintext is JSON."""
    try:
        iv, ct, tag = (b64url_decode(field[k]) for k in ("iv", "ct", "tag"))
        plaintext = AESGCM(key).decrypt(iv, ct + tag, path.encode("utf-8"))
        return parse_json(plaintext.decode("utf-8"))
    except (InvalidTag, ValueError) as err:
        raise UndecryptableField(f"the field {path} does not decrypt under key {field['kid']}") from err


def _own_key_order(obj: dict) -> "list[str]":
    """Object.entries' order: array-index keys ascending first, then the rest as inserted."""
    index = [k for k in obj if k.isascii() and k.isdigit() and str(int(k)) == k and int(k) < 2**32 - 1]
    taken = set(index)
    return sorted(index, key=int) + [k for k in obj if k not in taken]


def decrypt_fields(data: Any, keys: "dict[str, bytes]") -> "tuple[dict[str, Any], list[str]]":
    """Every encrypted field inside data by its dotted path, and the paths of those with no key."""
    values: "dict[str, Any]" = {}
    undecrypted: "list[str]" = []

    def walk(v: Any, path: str) -> None:
        if not isinstance(v, dict):
            return  # scalars, and arrays: fields are never encrypted inside arrays
        if path and is_encrypted_field(v):
            key = keys.get(v["kid"])
            if key is None:
                undecrypted.append(path)
            else:
                values[path] = decrypt_field(v, path, key)
            return
        for k in _own_key_order(v):
            walk(v[k], f"{path}.{k}" if path else k)

    walk(data, "")
    return values, undecrypted
