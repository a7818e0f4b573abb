"""Canonical JSON, verification and decryption. Keys are generated here, at test time.

Run: python -B -m unittest discover -s docs/consumers/python   (or: python -m pytest docs/consumers/python)
"""

import base64
import hashlib
import json
import os
import unittest
import uuid

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from paystream_events import (
    BAD_SIGNATURE,
    UNSIGNED,
    UndecryptableField,
    aes_key_id,
    canonical_event_bytes,
    canonical_json,
    decrypt_fields,
    parse_event,
    parse_json,
    verify_event,
)

# Inputs and what canonicalJson in @paystream/contracts makes of them.
VECTORS = [
    (  # RFC 8785, section 3.2.2
        r"""{"numbers":[333333333.33333329,1E30,4.50,2e-3,0.000000000000000000000000001],"string":"\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/","literals":[null,true,false]}""",
        r"""{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\u000f\nA'B\"\\\\\"/"}""",
    ),
    (  # RFC 8785, section 3.2.3: keys by UTF-16 code units (the emoji's surrogates sort before U+FB33)
        r"""{"\u20ac":"Euro Sign","\r":"Carriage Return","\ufb33":"Hebrew Letter Dalet With Dagesh","1":"One","\ud83d\ude00":"Emoji: Grinning Face","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis"}""",
        '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis",'
        '"\u20ac":"Euro Sign","\U0001f600":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    ),
    (
        "[1e21,1e-7,1e20,0.000001,123e-20,-0,1.0,9007199254740993,123456789012345678901234567890,5e-324,"
        "1.7976931348623157e308,0.1,-12.5,100]",
        "[1e+21,1e-7,100000000000000000000,0.000001,1.23e-18,0,1,9007199254740992,1.2345678901234568e+29,5e-324,"
        "1.7976931348623157e+308,0.1,-12.5,100]",
    ),
    (
        r'"\u0000\b\f\n\r\t\u001f\u007f\u2028\ud800 \udfff\ud83d\ude00é"',
        '"\\u0000\\b\\f\\n\\r\\t\\u001f\x7f\u2028\\ud800 \\udfff\U0001f600\u00e9"',
    ),
]


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def key_id(private: Ed25519PrivateKey) -> str:
    der = private.public_key().public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo)
    return hashlib.sha256(der).hexdigest()[:16]


def sign(event: dict, private: Ed25519PrivateKey) -> dict:
    """As the worker does: paystreamkid first, then the signature over everything but paystreamsig."""
    signed = {**event, "paystreamkid": key_id(private)}
    return {**signed, "paystreamsig": b64url(private.sign(canonical_event_bytes(signed)))}


def encrypt(key: bytes, path: str, value: object) -> dict:
    iv = os.urandom(12)
    sealed = AESGCM(key).encrypt(iv, json.dumps(value).encode("utf-8"), path.encode("utf-8"))
    return {"alg": "A256GCM", "kid": aes_key_id(key), "iv": b64url(iv), "ct": b64url(sealed[:-16]), "tag": b64url(sealed[-16:])}


def sample_event(data: dict) -> dict:
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": "paystream-worker",
        "type": "paystream.payment.succeeded",
        "time": "2025-01-02T03:04:05.678Z",
        "datacontenttype": "application/json",
        "data": data,
    }


class CanonicalJsonTest(unittest.TestCase):
    def test_matches_the_typescript_canonical_form(self) -> None:
        for given, expected in VECTORS:
            with self.subTest(given=given):
                self.assertEqual(canonical_json(parse_json(given)), expected)

    def test_refuses_what_json_parse_refuses(self) -> None:
        for text in ("NaN", "[Infinity]", "-Infinity", "\ufeff{}", "{'a': 1}"):
            with self.subTest(text=text), self.assertRaises(ValueError):
                parse_json(text)

    def test_has_no_form_for_infinity(self) -> None:
        with self.assertRaises(ValueError):
            canonical_json(parse_json("1e400"))


class VerifyTest(unittest.TestCase):
    def setUp(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.keys = {key_id(self.private): self.private.public_key()}
        self.event = sign(sample_event({"orderId": "order-1", "amount": {"value": 150000, "currency": "IDR"}, "note": "Terima kasih ✓"}), self.private)

    def test_accepts_a_signed_event_as_read_from_its_json(self) -> None:
        parsed = parse_event(json.dumps(self.event, ensure_ascii=False).encode("utf-8"))
        self.assertEqual(verify_event(parsed, self.keys), (True, key_id(self.private), None))

    def test_refuses_a_changed_field(self) -> None:
        self.event["data"]["amount"]["value"] = 150001
        self.assertEqual(verify_event(self.event, self.keys).reason, BAD_SIGNATURE)

    def test_refuses_an_unknown_key(self) -> None:
        other = sign(self.event, Ed25519PrivateKey.generate())
        self.assertEqual(verify_event(other, self.keys).reason, f"no published key has id {other['paystreamkid']}")

    def test_refuses_an_unsigned_event(self) -> None:
        del self.event["paystreamsig"]
        self.assertEqual(verify_event(self.event, self.keys).reason, UNSIGNED)

    def test_refuses_a_signature_that_is_not_base64url(self) -> None:
        self.event["paystreamsig"] = "!"
        self.assertEqual(verify_event(self.event, self.keys).reason, BAD_SIGNATURE)

    def test_only_json_objects_are_events(self) -> None:
        for value in (None, b"not json", b"[1]", b'"text"', b"null", b"\xff\xfe"):
            with self.subTest(value=value):
                self.assertIsNone(parse_event(value))


class DecryptTest(unittest.TestCase):
    def setUp(self) -> None:
        self.key = os.urandom(32)
        self.keys = {aes_key_id(self.key): self.key}

    def test_decrypts_each_field_by_its_path(self) -> None:
        data = {
            "customer": {"phone": encrypt(self.key, "customer.phone", "+6281234567890"), "name": "Siti"},
            "deep": {"er": {"field": encrypt(self.key, "deep.er.field", {"n": 12345678901234567890})}},
        }
        values, undecrypted = decrypt_fields(data, self.keys)
        self.assertEqual(values, {"customer.phone": "+6281234567890", "deep.er.field": {"n": 12345678901234567890}})
        self.assertEqual(undecrypted, [])

    def test_lists_fields_under_keys_it_does_not_hold_in_object_order(self) -> None:
        other = os.urandom(32)
        data = {"b": encrypt(other, "b", 1), "10": encrypt(other, "10", 2), "2": encrypt(other, "2", 3)}
        self.assertEqual(decrypt_fields(data, self.keys), ({}, ["2", "10", "b"]))

    def test_a_field_moved_to_another_path_does_not_decrypt(self) -> None:
        with self.assertRaises(UndecryptableField):
            decrypt_fields({"customer": {"email": encrypt(self.key, "customer.phone", "+62")}}, self.keys)

    def test_only_the_contract_shape_is_an_encrypted_field(self) -> None:
        field = encrypt(self.key, "x", "secret")
        data = {"x": {**field, "extra": 1}, "list": [encrypt(self.key, "list.0", 1)]}
        self.assertEqual(decrypt_fields(data, self.keys), ({}, []))


if __name__ == "__main__":
    unittest.main()
