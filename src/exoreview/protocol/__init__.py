"""Review protocols: a TOML file, validated and hashed."""

from exoreview.protocol.loader import builtin_names, load_protocol
from exoreview.protocol.model import (
    Criterion,
    Protocol,
    ProtocolError,
    QueryBlock,
    SourceSpec,
    Taxonomy,
    TaxonomyClass,
)

__all__ = [
    "Criterion",
    "Protocol",
    "ProtocolError",
    "QueryBlock",
    "SourceSpec",
    "Taxonomy",
    "TaxonomyClass",
    "builtin_names",
    "load_protocol",
]
