"""A downstream consumer of Paystream result events: reads the results topic, verifies each event
with Paystream's published keys, decrypts the fields it holds keys for, hands the event on (here:
prints one JSON line) and only then commits its offset. See README.md for the arguments."""

import argparse
import base64
import binascii
import json
import signal
import sys
from typing import Any, NamedTuple, Optional

from confluent_kafka import Consumer, KafkaError, KafkaException, Message
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_pem_public_key

from paystream_events import NOT_AN_OBJECT, UndecryptableField, aes_key_id, decrypt_fields, parse_event, verify_event


class Trust(NamedTuple):
    signing_keys: "dict[str, Ed25519PublicKey]"
    encryption_keys: "dict[str, bytes]"


class UsageError(Exception):
    """Bad arguments or configuration: the consumer exits with code 2."""


def load_trust(path: str) -> Trust:
    """The trust file: Paystream's published signing keys and the encryption keys this consumer holds."""
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        if not isinstance(doc, dict):
            raise ValueError("it is not a JSON object")
        signing = {k["keyId"]: _ed25519(k["publicKeyPem"], k["keyId"]) for k in doc.get("signingKeys", [])}
        encryption = dict(_aes_key(k) for k in doc.get("encryptionKeys", []))
    except OSError as err:
        raise UsageError(f"cannot read the trust file {path}: {err.strerror}") from err
    except (ValueError, KeyError, TypeError, AttributeError) as err:
        raise UsageError(f"the trust file {path} is not valid: {err}") from err
    if not signing:
        raise UsageError(f"the trust file {path} lists no signingKeys")
    return Trust(signing, encryption)


def _ed25519(pem: str, key_id: str) -> Ed25519PublicKey:
    key = load_pem_public_key(pem.encode("ascii"))
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError(f"the signing key {key_id} is not an Ed25519 public key")
    return key


def _aes_key(entry: dict) -> "tuple[str, bytes]":
    try:
        key = base64.b64decode(entry["key"], validate=True)
    except binascii.Error:
        key = b""
    if len(key) != 32:
        raise ValueError("an encryption key is not the standard base64 of 32 bytes (AES-256)")
    kid = aes_key_id(key)
    if entry.get("kid", kid) != kid:
        raise ValueError(f"the encryption key listed as {entry['kid']} has the id {kid}")
    return kid, key


def parse_args(argv: "list[str]") -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="paystream_consumer.py", description=__doc__.split("\n")[0])
    p.add_argument("--brokers", required=True, help="Kafka bootstrap servers, host:port[,host:port]")
    p.add_argument("--topic", required=True, help="the results topic (paystream.results)")
    p.add_argument("--group", required=True, help="the consumer group")
    p.add_argument("--trust", required=True, metavar="FILE", help="the keys to trust (JSON, see README.md)")
    p.add_argument("--max-events", type=int, default=0, metavar="N", help="stop after N records (0: run until stopped)")
    p.add_argument("--tls-ca", metavar="FILE", help="TLS, the brokers verified against this CA (PEM)")
    p.add_argument("--sasl-username", metavar="NAME", help="SASL/SCRAM-SHA-512 user (over TLS)")
    p.add_argument("--sasl-password-file", metavar="FILE", help="the file holding that user's password")
    args = p.parse_args(argv)
    if args.max_events < 0:
        p.error("--max-events must be 0 or more")
    if (args.sasl_username is None) != (args.sasl_password_file is None):
        p.error("--sasl-username and --sasl-password-file go together")
    return args


def kafka_config(args: argparse.Namespace) -> "dict[str, Any]":
    config: "dict[str, Any]" = {
        "bootstrap.servers": args.brokers,
        "group.id": args.group,
        "client.id": "paystream-python-consumer",
        "auto.offset.reset": "earliest",  # a group with no committed offset starts at the beginning
        "enable.auto.commit": False,  # committed by hand, after each record was handled
        "error_cb": _on_error,
    }
    if args.tls_ca:
        _read_text(args.tls_ca, "the CA file")
    if args.tls_ca or args.sasl_username:
        config["security.protocol"] = "SASL_SSL" if args.sasl_username else "SSL"
        config["ssl.ca.location"] = args.tls_ca or "probe"  # without --tls-ca: the system's CAs
    if args.sasl_username:
        config["sasl.mechanism"] = "SCRAM-SHA-512"
        config["sasl.username"] = args.sasl_username
        config["sasl.password"] = _read_text(args.sasl_password_file, "the password file")
    return config


def _read_text(path: str, what: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().rstrip("\r\n")
    except (OSError, UnicodeDecodeError) as err:
        raise UsageError(f"cannot read {what} {path}: {getattr(err, 'strerror', None) or err}") from err


def _on_error(err: KafkaError) -> None:
    if err.fatal() or err.code() == KafkaError._AUTHENTICATION:
        raise KafkaException(err)
    print(f"paystream consumer: {err.str()}", file=sys.stderr)


def handle(msg: Message, trust: Trust, seen: "set[str]") -> "dict[str, Any]":
    """The line printed for one record; a valid event not seen before is handed on by printing it."""
    key = msg.key()
    line: "dict[str, Any]" = {
        "partition": msg.partition(),
        "offset": str(msg.offset()),
        "key": None if key is None else key.decode("utf-8", errors="replace"),
    }
    event = parse_event(msg.value())
    if event is None:
        return {**line, "valid": False, "reason": NOT_AN_OBJECT}
    verdict = verify_event(event, trust.signing_keys)
    if not verdict.valid:
        return {**line, "valid": False, "reason": verdict.reason}
    try:
        decrypted, undecrypted = decrypt_fields(event.get("data"), trust.encryption_keys)
    except UndecryptableField as err:
        return {**line, "valid": False, "reason": str(err)}
    line.update(valid=True, keyId=verdict.key_id, id=event.get("id"), type=event.get("type"), decrypted=decrypted)
    if undecrypted:
        line["undecrypted"] = undecrypted
    event_id = event.get("id")
    if isinstance(event_id, str) and event_id in seen:
        line["duplicate"] = True  # reported, not handed on again
    elif isinstance(event_id, str):
        seen.add(event_id)
    return line


def emit(line: "dict[str, Any]") -> None:
    try:
        text = json.dumps(line, ensure_ascii=False, separators=(",", ":"))
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: written escaped instead
        text = json.dumps(line, separators=(",", ":"))
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def consume(consumer: Consumer, trust: Trust, max_events: int, stopping: "list[bool]") -> None:
    seen: "set[str]" = set()
    handled = 0
    while not stopping and (max_events == 0 or handled < max_events):
        msg: Optional[Message] = consumer.poll(0.5)
        if msg is None:
            continue
        if msg.error():
            _on_error(msg.error())
            continue
        emit(handle(msg, trust, seen))
        try:
            consumer.commit(message=msg, asynchronous=False)
        except KafkaException as err:  # a rebalance took the partition: its next owner reads it again
            print(f"paystream consumer: offset {msg.offset()} not committed: {err}", file=sys.stderr)
        handled += 1


def main(argv: "list[str]") -> int:
    args = parse_args(argv)
    try:
        trust = load_trust(args.trust)
        consumer = Consumer(kafka_config(args))
    except (UsageError, KafkaException) as err:
        print(f"paystream consumer: {err}", file=sys.stderr)
        return 2
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    stopping: "list[bool]" = []
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopping.append(True))
    try:
        consumer.subscribe([args.topic])
        consume(consumer, trust, args.max_events, stopping)
    except KafkaException as err:
        print(f"paystream consumer: {err.args[0].str() if err.args else err}", file=sys.stderr)
        return 1
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
