"""Appraise how well each EV study reports its methods, item by item, with the evidence.

The checklist (`misev.toml`, modeled on MISEV2018/2023 and the EV-METRIC) is versioned in
the package; `Appraiser` rates a record against it from its title and abstract and, when
given, the Methods section of its open-access full text.
"""

from exoreview.appraise.instrument import Instrument, InstrumentError, Item, load_instrument
from exoreview.appraise.score import METHODS_FIELD, Appraiser, score_of

__all__ = ["METHODS_FIELD", "Appraiser", "Instrument", "InstrumentError", "Item", "load_instrument", "score_of"]
