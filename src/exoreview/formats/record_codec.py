"""A compact, fast wire form for batches of Records passed between processes.

Pickling a Record costs about as much as parsing it (every nested dataclass
goes through ``__setstate__``), and JSON more. Here each Record becomes nested
tuples of builtins, a batch is ``marshal``-ed, and decoding calls the
dataclass constructors positionally. The encoder and decoder are generated
from the dataclass fields at import, so a field added to ``records.py`` is
carried without touching this module.
"""

from __future__ import annotations

import dataclasses
import gc
import marshal
import typing
from collections.abc import Callable, Iterable
from typing import Any

from exoreview.records import Record

__all__ = ["decode_batch", "encode_batch"]


def _nested(hint: Any) -> tuple[str, type | None]:
    """('one', cls) for a dataclass field, ('list', cls) for a list of dataclasses, ('plain', None) otherwise."""
    if dataclasses.is_dataclass(hint):
        return "one", hint  # type: ignore[return-value]
    if typing.get_origin(hint) is list:
        (item,) = typing.get_args(hint)
        if dataclasses.is_dataclass(item):
            return "list", item  # type: ignore[return-value]
    return "plain", None


def _expressions(cls: type, value: str, depth: int = 0) -> tuple[str, str]:
    """Source of an expression encoding ``value`` (an instance of cls), and of one decoding it."""
    hints = typing.get_type_hints(cls)
    encoded: list[str] = []
    decoded: list[str] = []
    for index, field in enumerate(dataclasses.fields(cls)):
        kind, inner = _nested(hints[field.name])
        attribute, item = f"{value}.{field.name}", f"t{depth}[{index}]"
        if kind == "one" and inner is not None:
            enc, dec = _expressions(inner, attribute, depth + 1)
            encoded.append(enc)
            decoded.append(f"(lambda t{depth + 1}: {dec})({item})")
        elif kind == "list" and inner is not None:
            element = f"x{depth}"
            enc, dec = _expressions(inner, element, depth + 1)
            encoded.append(f"[{enc} for {element} in {attribute}]")
            decoded.append(f"[{dec} for t{depth + 1} in {item}]")
        else:
            encoded.append(attribute)
            decoded.append(item)
    _names[cls.__name__] = cls
    return f"({', '.join(encoded)},)", f"{cls.__name__}({', '.join(decoded)})"


_names: dict[str, type] = {}  # classes the decoder source refers to; code generated from our own fields only
_encode_source, _decode_source = _expressions(Record, "r")
_encode: Callable[[Record], tuple[Any, ...]] = eval(f"lambda r: {_encode_source}", {})
_decode: Callable[[tuple[Any, ...]], Record] = eval(f"lambda t0: {_decode_source}", dict(_names))


def encode_batch(records: Iterable[Record]) -> bytes:
    """Bytes holding ``records``; ``extra`` and other plain fields must hold builtins only."""
    # marshal format 2: no back-references, a third cheaper to write than the default.
    paused = gc.isenabled()
    gc.disable()  # see decode_batch
    try:
        return marshal.dumps([_encode(record) for record in records], 2)
    finally:
        if paused:
            gc.enable()


def decode_batch(data: bytes) -> list[Record]:
    # Decoding builds thousands of acyclic containers: without pausing the cyclic GC,
    # its collections (which walk every live object) would cost as much as the decoding.
    paused = gc.isenabled()
    gc.disable()
    try:
        return [_decode(item) for item in marshal.loads(data)]
    finally:
        if paused:
            gc.enable()
