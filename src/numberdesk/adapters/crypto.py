"""Secrets at rest: AES-256-GCM with key ids for rotation, and HKDF to derive purpose keys.

Ciphertext layout: b"nd1" | len(kid) (1 byte) | kid | 12-byte nonce | ciphertext+tag.
The first configured key encrypts; every configured key decrypts.
"""

from __future__ import annotations

import base64
import binascii
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_MAGIC = b"nd1"


class CryptoConfigError(ValueError):
    pass


class DecryptionError(ValueError):
    pass


def derive_key(master: str, purpose: str, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose.encode()).derive(
        master.encode()
    )


def parse_keyring(spec: str) -> list[tuple[str, bytes]]:
    """`kid:base64key,kid2:base64key2` → [(kid, key)]; keys must be 32 bytes (AES-256)."""
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in spec.split(","))):
        kid, sep, encoded = item.partition(":")
        if not sep or not kid or len(kid) > 32:
            raise CryptoConfigError("each encryption key is 'kid:base64key' with a short kid")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise CryptoConfigError(f"encryption key {kid!r} is not valid base64") from exc
        if len(key) != 32:
            raise CryptoConfigError(f"encryption key {kid!r} must be 32 bytes, got {len(key)}")
        keys.append((kid, key))
    if not keys:
        raise CryptoConfigError("no encryption key configured")
    return keys


def new_keyring_entry(kid: str) -> str:
    return f"{kid}:{base64.b64encode(os.urandom(32)).decode()}"


class AesGcmCipher:
    def __init__(self, keys: list[tuple[str, bytes]]) -> None:
        if not keys:
            raise CryptoConfigError("no encryption key configured")
        self._active_kid, active = keys[0]
        self._active = AESGCM(active)
        self._by_kid = {kid: AESGCM(key) for kid, key in keys}

    def encrypt(self, plaintext: bytes, associated_data: bytes) -> bytes:
        nonce = os.urandom(12)
        kid = self._active_kid.encode()
        body = self._active.encrypt(nonce, plaintext, associated_data)
        return _MAGIC + bytes([len(kid)]) + kid + nonce + body

    def decrypt(self, ciphertext: bytes, associated_data: bytes) -> bytes:
        if not ciphertext.startswith(_MAGIC) or len(ciphertext) < 4:
            raise DecryptionError("not a numberdesk ciphertext")
        kid_len = ciphertext[3]
        kid = ciphertext[4 : 4 + kid_len].decode()
        nonce = ciphertext[4 + kid_len : 16 + kid_len]
        aead = self._by_kid.get(kid)
        if aead is None:
            raise DecryptionError(f"unknown encryption key id {kid!r}")
        try:
            return aead.decrypt(nonce, ciphertext[16 + kid_len :], associated_data)
        except InvalidTag as exc:
            raise DecryptionError("ciphertext failed authentication") from exc

    def key_id_of(self, ciphertext: bytes) -> str:
        return ciphertext[4 : 4 + ciphertext[3]].decode()
