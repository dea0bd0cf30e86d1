"""Build src/exoreview/mesh/data/demo_tree.tsv from NLM's 2017 MeSH tree file.

Usage: python scripts/build_demo_mesh.py [TREE_TSV] [OUT_TSV]

Defaults read ../shared/data/mesh/2017MeshTree.tsv (or $EXOREVIEW_SHARED/...)
and write the packaged demo file. Which descriptors go in is defined in
exoreview.demo.mesh so the tests can check the shipped file against it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from exoreview.demo.mesh import demo_rows
from exoreview.mesh.tree import MeshTree

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("EXOREVIEW_SHARED", REPO.parent / "shared"))
DEFAULT_SOURCE = SHARED / "data" / "mesh" / "2017MeshTree.tsv"
DEFAULT_OUT = REPO / "src" / "exoreview" / "mesh" / "data" / "demo_tree.tsv"


def main(argv: list[str]) -> int:
    source = Path(argv[0]) if argv else DEFAULT_SOURCE
    out = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUT
    full = MeshTree.from_tsv(source)
    demo = MeshTree.from_rows(demo_rows(full))
    out.parent.mkdir(parents=True, exist_ok=True)
    demo.write_tsv(out)
    print(f"wrote {out}: {len(demo.rows())} rows, {len(demo)} descriptors (from {len(full)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
