"""Build src/exoreview/classify/models/subjects.json: the subjects model trained on real records' MeSH.

Usage: python scripts/build_subjects_model.py [--shared DIR] [--out FILE]

Defaults read ../shared (or $EXOREVIEW_SHARED): the SYNERGY datasets under data/synergy and
the MEDLINE citations among its fixtures; they write the packaged file. Deterministic: the
same data gives the same bytes (liblinear with a fixed seed, weights rounded, keys sorted); it
prints the file's sha256 so two builds can be compared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

from exoreview.bench.subjects_train import fit, load_examples, load_medline_samples, model_bytes

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXOREVIEW_SHARED", REPO.parent / "shared"))
DEFAULT_OUT = REPO / "src" / "exoreview" / "classify" / "models" / "subjects.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared folder (data/synergy, fixtures)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="model file to write")
    args = parser.parse_args(argv)
    data_dir = args.shared / "data" / "synergy"
    if not data_dir.is_dir():
        print(f"error: {data_dir}: no such folder of SYNERGY datasets", file=sys.stderr)
        return 2
    examples = load_examples(data_dir)
    samples = load_medline_samples(args.shared, exclude=examples)
    print(f"{len(examples)} records with MeSH from {data_dir}, {len(samples)} from the MEDLINE fixtures")
    data = model_bytes(fit(examples + samples, say=print))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
