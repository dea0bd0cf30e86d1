"""Build src/exoreview/classify/models/subjects.json: the subjects model trained on SYNERGY records' MeSH.

Usage: python scripts/build_subjects_model.py [--data DIR] [--out FILE]

Defaults read ../shared/data/synergy (or $EXOREVIEW_SHARED/data/synergy) and write the packaged
file. Deterministic: the same data gives the same bytes (liblinear with a fixed seed, weights
rounded, keys sorted); it prints the file's sha256 so two builds can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from exoreview.classify.subjects_train import fit, load_examples, model_bytes

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXOREVIEW_SHARED", REPO.parent / "shared"))
DEFAULT_DATA = SHARED / "data" / "synergy"
DEFAULT_OUT = REPO / "src" / "exoreview" / "classify" / "models" / "subjects.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help="folder of SYNERGY datasets")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    args = parser.parse_args(argv)
    if not args.data.is_dir():
        print(f"error: {args.data}: no such folder of SYNERGY datasets", file=sys.stderr)
        return 2
    examples = load_examples(args.data)
    print(f"{len(examples)} records with MeSH from {args.data}")
    data = model_bytes(fit(examples, say=print))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
