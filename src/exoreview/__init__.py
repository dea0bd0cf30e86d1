"""exoreview: a literature review as a reproducible, living pipeline."""

__version__ = "0.1.0"
