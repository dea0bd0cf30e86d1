"""PubMed XML parsing speed: exoreview against pubmed_parser, Biopython and a bare lxml floor.

Usage: python benchmarks/parse_pubmed_xml.py [--json] [--records N] [--repeats R] [--peer-repeats P]

Builds a gzipped file of N (default 30,000, a baseline file's size) PubmedArticles
tiled from the 604 real citations of shared/fixtures/pubmed_xml/medline16n0902.xml.gz
with fresh PMIDs, in a temp dir, then times on that one file, in one run:

- exoreview: ``iter_pubmed_xml`` with full extraction into Records;
- pubmed_parser: ``parse_medline_xml`` with its defaults;
- biopython: ``Entrez.read(handle, validate=False)`` (the DTD is the one Biopython
  ships; any attempt to download a DTD is turned into an error, so nothing is fetched);
- lxml_floor: ``lxml.etree.iterparse`` on ``gzip.open`` that clears each PubmedArticle and
  extracts nothing;
- lxml_floor_isal (for reference): the same floor decompressing with ISA-L, as exoreview does.

exoreview parses current-DTD files in ~128 KB slices with ``etree.fromstring``
(no SAX event bookkeeping, whitespace-only text dropped) and inflates with ISA-L;
both are part of what is measured, so ratio_vs_floor_isal is printed too.

Each figure is the best (fastest) of R repeats (P for the slow peers); runs are
interleaved so a burst of load from other processes hits every parser alike.
Prints one JSON line: records/s for each and the ratios. Needs the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_common import shared_file


def parse_exoreview(path: Path) -> int:
    from exoreview.formats.errors import MalformedRecord
    from exoreview.formats.pubmed import iter_pubmed_xml

    errors: list[MalformedRecord] = []
    count = 0
    for _record in iter_pubmed_xml(path, errors=errors):
        count += 1
    if errors:
        raise RuntimeError(f"exoreview reported {len(errors)} errors, first: {errors[0]}")
    return count


def parse_pubmed_parser(path: Path) -> int:
    import pubmed_parser

    return sum(1 for _article in pubmed_parser.parse_medline_xml(str(path)))


def parse_biopython(path: Path) -> int:
    from Bio import Entrez
    from Bio.Entrez import Parser

    def refuse(url: object, *args: object, **kwargs: object) -> None:
        raise RuntimeError(f"Biopython tried to download {url}; the benchmark must stay offline")

    Parser.urlopen = refuse  # the DTD must come from Biopython's own folder
    with gzip.open(path, "rb") as handle:
        document = Entrez.read(handle, validate=False)
    return len(document["PubmedArticle"]) + len(document["PubmedBookArticle"])


def parse_lxml_floor(path: Path, opener: Callable[..., Any] = gzip.open) -> int:
    """Every PubmedArticle parsed and cleared, nothing extracted: the fastest any lxml parser can go."""
    from lxml import etree

    count = 0
    with opener(path, "rb") as handle:
        for _event, elem in etree.iterparse(handle, events=("end",), tag="PubmedArticle"):
            count += 1
            elem.clear()
            while elem.getprevious() is not None:
                del elem.getparent()[0]
    return count


def parse_lxml_floor_isal(path: Path) -> int:
    """The floor again, but decompressing with ISA-L as exoreview does: shows what the faster gzip is worth."""
    from isal import igzip

    return parse_lxml_floor(path, igzip.open)


def best_rate(parse: Callable[[Path], int], path: Path, expected: int, timings: list[float]) -> None:
    gc.collect()
    start = time.perf_counter()
    count = parse(path)
    elapsed = time.perf_counter() - start
    if count != expected:
        raise RuntimeError(f"{parse.__name__} read {count} records, expected {expected}")
    timings.append(elapsed)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--records", type=int, default=30_000)
    parser.add_argument("--repeats", type=int, default=5, help="repeats for exoreview and the floor")
    parser.add_argument("--peer-repeats", type=int, default=2, help="repeats for pubmed_parser and Biopython")
    args = parser.parse_args()

    parsers: dict[str, Callable[[Path], int]] = {
        "exoreview": parse_exoreview,
        "lxml_floor": parse_lxml_floor,
        "lxml_floor_isal": parse_lxml_floor_isal,
        "pubmed_parser": parse_pubmed_parser,
        "biopython": parse_biopython,
    }
    timings: dict[str, list[float]] = {name: [] for name in parsers}
    with tempfile.TemporaryDirectory(prefix="exoreview-bench-") as folder:
        from exoreview.bench.pubmed_tiling import tile_pubmed_xml

        path = Path(folder) / "tiled.xml.gz"
        xml_bytes = tile_pubmed_xml(shared_file(), path, args.records)
        if not args.json:
            print(f"built {path.name}: {args.records} records, {xml_bytes / 1e6:.0f} MB XML", file=sys.stderr)
        for round_ in range(max(args.repeats, args.peer_repeats)):
            for name, parse in parsers.items():
                limit = args.peer_repeats if name in ("pubmed_parser", "biopython") else args.repeats
                if round_ < limit:
                    best_rate(parse, path, args.records, timings[name])
                    if not args.json:
                        print(f"  {name}: {timings[name][-1]:.2f} s", file=sys.stderr)

    rate = {name: round(args.records / min(seconds)) for name, seconds in timings.items()}
    figure = {
        "benchmark": "parse_pubmed_xml",
        **rate,
        "ratio_vs_pubmed_parser": round(rate["exoreview"] / rate["pubmed_parser"], 2),
        "ratio_vs_biopython": round(rate["exoreview"] / rate["biopython"], 2),
        "ratio_vs_floor": round(rate["exoreview"] / rate["lxml_floor"], 3),
        "ratio_vs_floor_isal": round(rate["exoreview"] / rate["lxml_floor_isal"], 3),
        "records": args.records,
        "xml_mb": round(xml_bytes / 1e6, 1),
        "input": "gzip",
        "repeats": args.repeats,
        "peer_repeats": args.peer_repeats,
        "cpu_count": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2),
        "python": platform.python_version(),
    }
    print(json.dumps(figure))


if __name__ == "__main__":
    main()
