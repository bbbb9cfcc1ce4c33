"""The sandbox's state: JSON objects by kind and uid in one SQLite file.

Every request that reads and writes runs inside `transaction()`, which holds one lock
for the whole read-modify-write, so concurrent requests neither corrupt the file nor
lose each other's writes.
"""

import json
import sqlite3
import threading
from contextlib import contextmanager
from pathlib import Path

SCHEMA = """
CREATE TABLE IF NOT EXISTS objects (
    kind TEXT NOT NULL,
    uid TEXT NOT NULL,
    data TEXT NOT NULL,
    PRIMARY KEY (kind, uid)
);
CREATE TABLE IF NOT EXISTS counters (kind TEXT PRIMARY KEY, last INTEGER NOT NULL);
"""


class Tx:
    """Operations inside one transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self._conn = conn

    def get(self, kind: str, uid) -> dict | None:
        row = self._conn.execute(
            "SELECT data FROM objects WHERE kind = ? AND uid = ?", (kind, str(uid))
        ).fetchone()
        return json.loads(row[0]) if row else None

    def list(self, kind: str) -> list[dict]:
        rows = self._conn.execute("SELECT uid, data FROM objects WHERE kind = ?", (kind,))
        items = [(uid, json.loads(data)) for uid, data in rows]
        items.sort(key=lambda item: (0, int(item[0]), "") if item[0].isdigit() else (1, 0, item[0]))
        return [data for _, data in items]

    def put(self, kind: str, uid, obj: dict) -> dict:
        self._conn.execute(
            "INSERT OR REPLACE INTO objects (kind, uid, data) VALUES (?, ?, ?)",
            (kind, str(uid), json.dumps(obj)),
        )
        return obj

    def delete(self, kind: str, uid) -> bool:
        cur = self._conn.execute("DELETE FROM objects WHERE kind = ? AND uid = ?", (kind, str(uid)))
        return cur.rowcount > 0

    def next_uid(self, kind: str) -> int:
        """The next integer uid for `kind`: never reused, and past any uid set by hand."""
        row = self._conn.execute("SELECT last FROM counters WHERE kind = ?", (kind,)).fetchone()
        last = row[0] if row else 0
        for obj_uid in self._conn.execute("SELECT uid FROM objects WHERE kind = ?", (kind,)):
            if obj_uid[0].isdigit():
                last = max(last, int(obj_uid[0]))
        self.note_uid(kind, last + 1)
        return last + 1

    def note_uid(self, kind: str, uid: int) -> None:
        self._conn.execute(
            "INSERT INTO counters (kind, last) VALUES (?, ?) "
            "ON CONFLICT(kind) DO UPDATE SET last = max(last, excluded.last)",
            (kind, uid),
        )


class Store:
    def __init__(self, path: Path):
        self.path = Path(path)
        self._lock = threading.RLock()
        self._conn = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.executescript(SCHEMA)

    @contextmanager
    def transaction(self):
        with self._lock:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield Tx(self._conn)
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")

    def close(self) -> None:
        with self._lock:
            self._conn.close()
