"""Sources: one module per bibliographic service, each turning a query into records."""

from exoreview.sources.errors import (
    SourceError,
    SourceMalformedResponse,
    SourceQueryError,
    SourceRateLimited,
    SourceUnavailable,
)

__all__ = ["SourceError", "SourceMalformedResponse", "SourceQueryError", "SourceRateLimited", "SourceUnavailable"]
