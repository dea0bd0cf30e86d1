"""Read protocol files and built-in protocols, with errors that name file, line and field."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from exoreview.plugins import RENDERERS, SOURCES
from exoreview.protocol.model import (
    DETAIL_FACETS,
    FacetScope,
    Protocol,
    ProtocolError,
    ReportLayout,
    Taxonomy,
    TaxonomyClass,
)

_BUILTIN_PACKAGE = "exoreview.protocol.builtin"


def builtin_names() -> list[str]:
    folder = resources.files(_BUILTIN_PACKAGE)
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_protocol(name_or_path: str | Path) -> Protocol:
    """A built-in protocol by name, or a protocol file by path."""
    text, label = _read(name_or_path)
    return parse_protocol(text, label)


def _read(name_or_path: str | Path) -> tuple[str, str]:
    path = Path(name_or_path)
    if path.suffix == ".toml" or path.exists():
        try:
            return path.read_text(encoding="utf-8"), str(path)
        except OSError as exc:
            raise ProtocolError(f"{path}: cannot read protocol file ({exc.strerror})") from exc
    name = str(name_or_path)
    if name in builtin_names():
        resource = resources.files(_BUILTIN_PACKAGE) / f"{name}.toml"
        return resource.read_text(encoding="utf-8"), f"<builtin {name}>"
    known = ", ".join(builtin_names())
    raise ProtocolError(f"{name}: no such protocol file, and not a built-in protocol (built-ins: {known})")


def parse_protocol(text: str, label: str = "<protocol>") -> Protocol:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ProtocolError(f"{label}: not valid TOML: {exc}") from exc
    try:
        protocol = Protocol.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = [str(p) for p in first["loc"]]
        line = _line_of(text, loc)
        where = f"{label}:{line}" if line else label
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise ProtocolError(f"{where}: field {'.'.join(loc)}: {first['msg']}{more}") from exc
    protocol.taxonomy = lend_facets(protocol.taxonomy, label)
    if protocol.taxonomy.extends:
        protocol.taxonomy = resolve_taxonomy(protocol.taxonomy, label)
    _check_label_references(protocol, text, label)
    _check_layout_facets(protocol, text, label)
    _check_plugin_names(protocol, text, label)
    return protocol


def _check_layout_facets(protocol: Protocol, text: str, label: str) -> None:
    """A declared report layout names facets the taxonomy has (or that the classifier always writes).

    The default layout is the exosome review's, and a taxonomy without its facets simply shows
    those parts empty, as before layouts could be declared.
    """
    taxonomy = protocol.taxonomy
    if taxonomy.report == ReportLayout():
        return
    known = set(taxonomy.facets) | set(DETAIL_FACETS)
    for field, facet in taxonomy.report.facets_named():
        if facet not in known:
            line = _line_of(text, ["taxonomy", "report", field])
            where = f"{label}:{line}" if line else label
            raise ProtocolError(f"{where}: field taxonomy.report.{field}: the taxonomy has no facet {facet!r} "
                                f"(it has: {', '.join(sorted(known))})")


def _check_plugin_names(protocol: Protocol, text: str, label: str) -> None:
    """Source names and report formats name a registered plug-in, built-in or installed."""
    named = [(["sources", str(i), "name"], spec.name, SOURCES) for i, spec in enumerate(protocol.sources)]
    named += [(["report", "formats"], fmt, RENDERERS) for fmt in protocol.report.formats]
    for loc, name, registry in named:
        if name not in registry:
            line = _line_of(text, loc)
            where = f"{label}:{line}" if line else label
            raise ProtocolError(f"{where}: field {'.'.join(loc)}: no {registry.kind} named {name!r} "
                                f"(known: {', '.join(registry.names())})")


def _check_label_references(protocol: Protocol, text: str, label: str) -> None:
    """Criteria that read labels name facets and classes the taxonomy has: a misspelt one would
    exclude every record (no record ever carries it) without a word."""
    facets = protocol.taxonomy.facets
    for group in ("include", "exclude"):
        for index, criterion in enumerate(getattr(protocol, group)):
            for field in ("requires_labels", "excludes_labels", "unless_labels"):
                for reference in getattr(criterion, field):
                    facet, _, value = reference.partition(".")
                    if facet in facets and (not value or value in facets[facet]):
                        continue
                    known = ", ".join(sorted(facets[facet])) if facet in facets else ", ".join(sorted(facets))
                    what = f"class {value!r} of facet {facet!r}" if facet in facets else f"facet {facet!r}"
                    line = _line_of(text, [group, str(index), field])
                    where = f"{label}:{line}" if line else label
                    raise ProtocolError(f"{where}: field {group}.{index}.{field}: the taxonomy has no {what} "
                                        f"(it has: {known or 'no facets'})")


def builtin_taxonomy(name: str) -> Taxonomy:
    resource = resources.files(_BUILTIN_PACKAGE) / "taxonomies" / f"{name}.toml"
    if not resource.is_file():
        folder = resources.files(_BUILTIN_PACKAGE) / "taxonomies"
        known = sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))
        raise ProtocolError(f"no built-in taxonomy named {name!r} (built-ins: {', '.join(known)}), "
                            "named by taxonomy.extends or taxonomy.facets_from")
    label = f"<builtin taxonomy {name}>"
    text = resource.read_text(encoding="utf-8")
    try:
        taxonomy = Taxonomy.model_validate(tomllib.loads(text))
    except (ValidationError, tomllib.TOMLDecodeError) as exc:
        raise ProtocolError(f"{label}: {exc}") from exc
    if name in taxonomy.facets_from:
        raise ProtocolError(f"{label}: field facets_from: a taxonomy cannot take facets from itself")
    return lend_facets(taxonomy, label)


def lend_facets(taxonomy: Taxonomy, label: str) -> Taxonomy:
    """The taxonomy with the facets it takes from built-in taxonomies (`facets_from`) under its own.

    A borrowed facet brings its scope, anchors and comparators, so it is read as in its own review.
    """
    facets: dict[str, dict[str, TaxonomyClass]] = {}
    scope: dict[str, FacetScope] = {}
    anchors: dict[str, list[str]] = {}
    comparators: dict[str, list[str]] = {}
    for name, wanted in taxonomy.facets_from.items():
        lender = builtin_taxonomy(name)
        for facet in wanted:
            if facet not in lender.facets:
                raise ProtocolError(f"{label}: field taxonomy.facets_from: the built-in taxonomy {name!r} has no "
                                    f"facet {facet!r} (it has: {', '.join(sorted(lender.facets))})")
            facets[facet] = lender.facets[facet]
            for mine, theirs in ((scope, lender.scope), (anchors, lender.anchors), (comparators, lender.comparators)):
                if facet in theirs:
                    mine[facet] = theirs[facet]
    if not facets:
        return taxonomy
    return taxonomy.model_copy(update={
        "facets": {**facets, **taxonomy.facets}, "scope": {**scope, **taxonomy.scope},
        "anchors": {**anchors, **taxonomy.anchors}, "comparators": {**comparators, **taxonomy.comparators}})


def resolve_taxonomy(taxonomy: Taxonomy, label: str) -> Taxonomy:
    """Lay the protocol's own classes over the built-in taxonomy they extend."""
    base = builtin_taxonomy(taxonomy.extends)
    facets = {facet: dict(classes) for facet, classes in base.facets.items()}
    for facet, classes in taxonomy.facets.items():
        facets.setdefault(facet, {}).update(classes)
    changed = bool(taxonomy.facets or taxonomy.classifiers or taxonomy.scope or taxonomy.anchors
                   or taxonomy.comparators)
    return Taxonomy(version=f"{base.version}+{label}" if changed else base.version, facets=facets,
                    classifiers={**base.classifiers, **taxonomy.classifiers},
                    default_classifier=(taxonomy.default_classifier if "default_classifier" in taxonomy.model_fields_set
                                        else base.default_classifier),
                    scope={**base.scope, **taxonomy.scope}, anchors={**base.anchors, **taxonomy.anchors},
                    comparators={**base.comparators, **taxonomy.comparators},
                    report=taxonomy.report if "report" in taxonomy.model_fields_set else base.report)


def _line_of(text: str, loc: list[str]) -> int | None:
    """Best-effort line of the field at `loc` (TOML parsers keep no positions).

    Each key is looked for after the line of the key before it, and an index picks the n-th
    `[[table]]` of an array, so `sources.1.name` points at the second source's `name`, not at the
    protocol's own `name` on an earlier line.
    """
    lines = text.splitlines()
    found: int | None = None
    start = 0
    for position, key in enumerate(loc):
        if key.isdigit():
            continue
        index = int(loc[position + 1]) if position + 1 < len(loc) and loc[position + 1].isdigit() else 0
        name = re.escape(key)
        pattern = re.compile(rf"^\s*(?:\[\[?\s*(?:[\w-]+\.)*{name}\s*\]\]?|{name}\s*=|(?:[\w-]+\.)+{name}\s*=)")
        hits = [n for n in range(start, len(lines)) if pattern.search(lines[n])]
        if not hits:
            break
        start = hits[min(index, len(hits) - 1)]
        found = start + 1
    return found
