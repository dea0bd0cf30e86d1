"""An on-disk archive of raw source answers, keyed by the request that produced them.

Every successful answer is kept as it came (bytes) beside a small JSON file
saying what was asked and when: method, URL, parameters, HTTP status,
content type, the date of the answer. A re-run asks the archive first, so it
costs no network, and the raw XML behind any stored record can be shown for
audit. Generic: any source module can use it.

Layout: ``ROOT/ab/abcdef....body`` and ``ROOT/ab/abcdef....json``, where the
name is the SHA-256 of the request key. The key is the method, the URL and
the parameters sorted by name, minus the caller's identity (``api_key``,
``email``, ``tool``): the same question asked by another person, or with a new
API key, finds the same answer.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

# Parameters that say who asks, not what is asked; never part of a key, never written to disk.
IDENTITY_PARAMS = frozenset({"api_key", "email", "tool", "mailto"})
ARCHIVE_DIR = "raw"  # the archive's folder inside a review folder


def request_key(method: str, url: str, params: Mapping[str, str]) -> str:
    """The archive key of a request: SHA-256 over method, URL and identity-free sorted parameters."""
    canonical = json.dumps([method.upper(), url, sorted(public_params(params).items())], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def public_params(params: Mapping[str, str]) -> dict[str, str]:
    return {k: str(v) for k, v in params.items() if k not in IDENTITY_PARAMS}


@dataclass(frozen=True, slots=True)
class ArchivedAnswer:
    key: str
    method: str
    url: str
    params: dict[str, str]
    status: int
    content_type: str
    answered_at: str  # ISO 8601 UTC, when the source answered
    body: bytes
    note: str = ""  # how the answer was obtained when that differs from the request (e.g. via EPost)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


class ResponseArchive:
    """Raw answers on disk under one folder; safe to share between runs, one writer at a time."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _paths(self, key: str) -> tuple[Path, Path]:
        folder = self.root / key[:2]
        return folder / f"{key}.body", folder / f"{key}.json"

    def get(self, key: str) -> ArchivedAnswer | None:
        body_path, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            body = body_path.read_bytes()
        except (FileNotFoundError, json.JSONDecodeError):
            return None  # a half-written entry (crash between the two files) counts as missing
        if len(body) != meta.get("size", -1):
            return None
        return _answer(key, meta, body)

    def put(self, key: str, *, method: str, url: str, params: Mapping[str, str], status: int,
            content_type: str, body: bytes, note: str = "", answered_at: str = "") -> ArchivedAnswer:
        """Write the body, then its metadata; each by rename, so a crash never leaves a torn file."""
        body_path, meta_path = self._paths(key)
        body_path.parent.mkdir(parents=True, exist_ok=True)
        meta = {
            "method": method.upper(),
            "url": url,
            "params": public_params(params),
            "status": status,
            "content_type": content_type,
            "answered_at": answered_at or _utc_now(),
            "size": len(body),
            "sha256": hashlib.sha256(body).hexdigest(),
            "note": note,
        }
        _write_atomically(body_path, body)
        _write_atomically(meta_path, json.dumps(meta, indent=1, ensure_ascii=False).encode("utf-8"))
        return _answer(key, meta, body)

    def save(self, source: str, url: str, params: Mapping[str, str], status: int, body: bytes, *,
             method: str = "GET", content_type: str = "") -> ArchivedAnswer:
        """Keep one answer of `source` to a request (the short form JSON source clients call)."""
        return self.put(request_key(method, url, params), method=method, url=url, params=params, status=status,
                        content_type=content_type, body=body, note=f"source: {source}")

    def load(self, url: str, params: Mapping[str, str], *, method: str = "GET") -> ArchivedAnswer | None:
        """The archived answer to a request, if any."""
        return self.get(request_key(method, url, params))

    def discard(self, key: str) -> None:
        """Forget an answer found to be bad (a cut XML document), so the next ask goes to the source."""
        for path in self._paths(key):
            path.unlink(missing_ok=True)

    def __iter__(self) -> Iterator[ArchivedAnswer]:
        """Every archived answer, oldest first."""
        entries = []
        for meta_path in self.root.glob("??/*.json"):
            answer = self.get(meta_path.stem)
            if answer is not None:
                entries.append(answer)
        return iter(sorted(entries, key=lambda a: (a.answered_at, a.key)))

    def __len__(self) -> int:
        return sum(1 for _ in self.root.glob("??/*.json"))


def _answer(key: str, meta: dict, body: bytes) -> ArchivedAnswer:
    return ArchivedAnswer(key, meta["method"], meta["url"], dict(meta["params"]), int(meta["status"]),
                          meta.get("content_type", ""), meta["answered_at"], body, meta.get("note", ""))


def _utc_now() -> str:
    """ISO 8601 in UTC with a Z, as the store writes dates."""
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _write_atomically(path: Path, data: bytes) -> None:
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_bytes(data)
    os.replace(temporary, path)
