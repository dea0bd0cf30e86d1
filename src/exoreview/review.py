"""A review folder: its protocol file, its store, its logs and its outputs."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from exoreview.protocol import Protocol, ProtocolError, load_protocol
from exoreview.protocol.loader import builtin_names


@dataclass(frozen=True, slots=True)
class ReviewFolder:
    root: Path

    @property
    def protocol_file(self) -> Path:
        return self.root / "protocol.toml"

    @property
    def store_file(self) -> Path:
        return self.root / "review.sqlite"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    def protocol(self) -> Protocol:
        if not self.protocol_file.exists():
            raise ProtocolError(f"{self.root}: not a review folder (no protocol.toml); create one with "
                                f"`exoreview init {self.root}`")
        return load_protocol(self.protocol_file)


def init_folder(root: Path, protocol_ref: str = "exosome-aesthetics") -> ReviewFolder:
    """Create a review folder holding an editable copy of the protocol."""
    folder = ReviewFolder(root)
    if folder.protocol_file.exists():
        raise ProtocolError(f"{folder.protocol_file}: already exists; edit it, or choose another folder")
    if protocol_ref in builtin_names():
        text = (resources.files("exoreview.protocol.builtin") / f"{protocol_ref}.toml").read_text(encoding="utf-8")
    else:
        path = Path(protocol_ref)
        load_protocol(path)  # validate before copying
        text = path.read_text(encoding="utf-8")
    root.mkdir(parents=True, exist_ok=True)
    folder.protocol_file.write_text(text, encoding="utf-8")
    return folder
