"""Local blob store: opaque bytes in files under one root directory.

Keys are made by the server (`orders/<order id>/<attachment id>-<ulid>`), checked against a strict
pattern, and resolved inside the root: no client input ever becomes a path. Writes are atomic
(temporary file, fsync, rename). Contents arrive already encrypted by the caller.
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

_KEY = re.compile(r"^[a-z0-9][a-z0-9_-]{0,99}(/[a-z0-9][a-z0-9_-]{0,99}){0,4}$")


class BlobKeyError(ValueError):
    pass


class FileBlobStore:
    def __init__(self, root: Path) -> None:
        self._root = root.resolve()

    def _path(self, key: str) -> Path:
        if not _KEY.match(key):
            raise BlobKeyError("invalid blob key")
        path = (self._root / key).resolve()
        if not path.is_relative_to(self._root):
            raise BlobKeyError("blob key escapes the store")
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def get(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)
