"""A PubMed mirror built from NLM's baseline and update files, on a Dask cluster (`exoreview mirror build`)."""

from exoreview.mirror.build import INDEX_NAME, MirrorBuild, build_mirror, dask_client, mirror_records, pubmed_files

__all__ = ["INDEX_NAME", "MirrorBuild", "build_mirror", "dask_client", "mirror_records", "pubmed_files"]
