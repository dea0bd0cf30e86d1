"""The review's single source of truth: one SQLite file per review."""

from exoreview.store.database import SCHEMA_VERSION, Store, StoreError, utc_now
from exoreview.store.lock import ReviewLocked, open_for_writing, writer_lock

__all__ = ["SCHEMA_VERSION", "ReviewLocked", "Store", "StoreError", "open_for_writing", "utc_now", "writer_lock"]
