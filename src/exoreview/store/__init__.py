"""The review's single source of truth: one SQLite file per review."""

from exoreview.store.database import SCHEMA_VERSION, Store, StoreError, utc_now

__all__ = ["SCHEMA_VERSION", "Store", "StoreError", "utc_now"]
