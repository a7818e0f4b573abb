"""What the consumer prints for a record, its trust file and its arguments (no broker needed)."""

import base64
import contextlib
import io
import json
import os
import tempfile
import unittest
from typing import Optional

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from paystream_consumer import Trust, UsageError, handle, load_trust, parse_args
from paystream_events import aes_key_id
from test_paystream_events import encrypt, key_id, sample_event, sign


class FakeMessage:
    def __init__(self, value: Optional[bytes], key: Optional[bytes] = b"order-1", offset: int = 7) -> None:
        self._value, self._key, self._offset = value, key, offset

    def value(self) -> Optional[bytes]:
        return self._value

    def key(self) -> Optional[bytes]:
        return self._key

    def partition(self) -> int:
        return 1

    def offset(self) -> int:
        return self._offset


class HandleTest(unittest.TestCase):
    def setUp(self) -> None:
        self.private = Ed25519PrivateKey.generate()
        self.aes = os.urandom(32)
        self.trust = Trust({key_id(self.private): self.private.public_key()}, {aes_key_id(self.aes): self.aes})
        data = {"orderId": "order-1", "customer": {"phone": encrypt(self.aes, "customer.phone", "+6281234567890")}}
        self.event = sign(sample_event(data), self.private)
        self.value = json.dumps(self.event).encode("utf-8")

    def test_prints_a_valid_event_with_its_decrypted_fields(self) -> None:
        line = handle(FakeMessage(self.value), self.trust, set())
        self.assertEqual(
            line,
            {
                "partition": 1,
                "offset": "7",
                "key": "order-1",
                "valid": True,
                "keyId": key_id(self.private),
                "id": self.event["id"],
                "type": "paystream.payment.succeeded",
                "decrypted": {"customer.phone": "+6281234567890"},
            },
        )

    def test_marks_a_second_copy_of_an_event_as_a_duplicate(self) -> None:
        seen: "set[str]" = set()
        first = handle(FakeMessage(self.value, offset=1), self.trust, seen)
        second = handle(FakeMessage(self.value, offset=2), self.trust, seen)
        self.assertNotIn("duplicate", first)
        self.assertEqual(second, {**first, "offset": "2", "duplicate": True})

    def test_refuses_a_tampered_event_without_decrypting_it(self) -> None:
        tampered = self.value.replace(b"order-1", b"order-2")
        line = handle(FakeMessage(tampered, key=None), self.trust, set())
        self.assertEqual(line, {"partition": 1, "offset": "7", "key": None, "valid": False, "reason": "the signature does not match the event"})

    def test_refuses_a_value_that_is_not_an_object(self) -> None:
        line = handle(FakeMessage(None), self.trust, set())
        self.assertEqual((line["valid"], line["reason"]), (False, "the value is not a JSON object"))


class TrustAndArgumentsTest(unittest.TestCase):
    def write(self, doc: object) -> str:
        f = tempfile.NamedTemporaryFile("w", suffix=".json", delete=False)
        with f:
            json.dump(doc, f)
        self.addCleanup(os.unlink, f.name)
        return f.name

    def test_loads_signing_and_encryption_keys(self) -> None:
        private, aes = Ed25519PrivateKey.generate(), os.urandom(32)
        pem = private.public_key().public_bytes(Encoding.PEM, PublicFormat.SubjectPublicKeyInfo).decode("ascii")
        entry = {"kid": aes_key_id(aes), "key": base64.b64encode(aes).decode("ascii")}
        trust = load_trust(self.write({"signingKeys": [{"keyId": key_id(private), "publicKeyPem": pem}], "encryptionKeys": [entry]}))
        self.assertEqual(list(trust.signing_keys), [key_id(private)])
        self.assertEqual(trust.encryption_keys, {aes_key_id(aes): aes})

    def test_refuses_a_trust_file_without_signing_keys_or_with_a_short_key(self) -> None:
        for doc in ({"signingKeys": []}, [], {"signingKeys": [], "encryptionKeys": [{"kid": "0" * 16, "key": "c2hvcnQ="}]}):
            with self.subTest(doc=doc), self.assertRaises(UsageError):
                load_trust(self.write(doc))

    def test_bad_arguments_exit_with_code_2(self) -> None:
        common = ["--brokers", "b:9092", "--topic", "t", "--group", "g", "--trust", "f"]
        for argv in ([], [*common, "--max-events", "-1"], [*common, "--sasl-username", "u"], [*common, "--max-events", "x"]):
            with self.subTest(argv=argv), self.assertRaises(SystemExit) as exit, contextlib.redirect_stderr(io.StringIO()):
                parse_args(argv)
            self.assertEqual(exit.exception.code, 2)


if __name__ == "__main__":
    unittest.main()
