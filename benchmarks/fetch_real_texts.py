"""Gather the texts of the real-paper set from PubMed, for `real_labels.py --texts DIR` (needs the network).

Usage: python benchmarks/fetch_real_texts.py DIR [--email you@example.org] [--api-key KEY] [--base-url URL]

Writes DIR/<key>.txt for every paper of benchmarks/data/real_papers.toml that PubMed has: the
title, a blank line, the abstract (section labels kept inline, "BACKGROUND: ..."), and a last line
"Keywords: ..." when the record has keywords. A paper with a PMID is fetched by it; one with only a
DOI is looked up first (`DOI[aid]`). Texts already in DIR are kept. The texts are their authors'
writing: keep them out of the repository. Papers PubMed does not hold (preprints, some journals)
are listed at the end; their abstracts must be copied from the publisher by hand.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from exoreview.records import Record
from exoreview.sources.pubmed import NCBI_EUTILS, PubMedClient
from real_set import PAPERS, Paper, load_papers


def text_of(record: Record) -> str:
    lines = [record.title.strip(), "", record.abstract_text.replace("\n", " ").strip()]
    if record.keywords:
        lines.append("Keywords: " + "; ".join(record.keywords))
    return "\n".join(lines) + "\n"


def pmid_of(client: PubMedClient, paper: Paper) -> str:
    if paper.pmid:
        return paper.pmid
    if not paper.doi:
        return ""
    found = client.esearch(f'"{paper.doi}"[aid]', retmax=2)
    return found.ids[0] if len(found.ids) == 1 else ""


def gather(folder: Path, papers: list[Paper], client: PubMedClient) -> list[str]:
    """Write the missing texts; returns the keys PubMed could not give."""
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {}
    missing = []
    for paper in papers:
        if (folder / f"{paper.key}.txt").exists():
            continue
        pmid = pmid_of(client, paper)
        if pmid:
            wanted[pmid] = paper
        else:
            missing.append(paper.key)
    ids = sorted(wanted)
    for start in range(0, len(ids), 200):
        records, _ = client.fetch_batch(ids[start:start + 200])
        for record in records:
            paper = wanted.pop(record.pmid, None)
            if paper is not None and record.abstract_text.strip():
                (folder / f"{paper.key}.txt").write_text(text_of(record), encoding="utf-8")
            elif paper is not None:
                missing.append(paper.key)
    return sorted(missing + [p.key for p in wanted.values()])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--papers", type=Path, default=PAPERS)
    parser.add_argument("--email", default="")
    parser.add_argument("--api-key", default="")
    parser.add_argument("--base-url", default=NCBI_EUTILS)
    args = parser.parse_args(argv)
    client = PubMedClient(base_url=args.base_url, email=args.email, api_key=args.api_key)
    try:
        missing = gather(args.folder, load_papers(args.papers), client)
    finally:
        client.close()
    for key in missing:
        print(f"not in PubMed (copy its abstract by hand): {key}", file=sys.stderr)
    print(f"{len(list(args.folder.glob('*.txt')))} texts in {args.folder}; {len(missing)} to add by hand")
    return 0


if __name__ == "__main__":
    sys.exit(main())
