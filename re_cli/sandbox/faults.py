"""Faults on demand, for clients' reliability tests: added latency, a share of requests
failed with 503, dropped connections and truncated bodies. All are off by default;
`re sandbox start --fault-*` sets them, and `PUT /sandbox/faults` changes them while
the sandbox runs.
"""

import random
import threading
from dataclasses import asdict, dataclass

from re_cli.sandbox.routes import ApiError

RATES = ("error_rate", "drop_rate", "truncate_rate")


@dataclass
class FaultSettings:
    latency: float = 0.0  # seconds added before every answer
    error_rate: float = 0.0  # share of requests answered 503
    drop_rate: float = 0.0  # share of connections closed with no answer
    truncate_rate: float = 0.0  # share of answers cut short of their Content-Length


class Faults:
    """The current settings, safe to read and change from any request thread."""

    def __init__(self, settings: FaultSettings | None = None):
        self._lock = threading.Lock()
        self._settings = settings or FaultSettings()
        self._random = random.Random()

    def snapshot(self) -> FaultSettings:
        with self._lock:
            return FaultSettings(**asdict(self._settings))

    def as_dict(self) -> dict:
        return asdict(self.snapshot())

    def update(self, changes: dict) -> dict:
        """Apply a partial update; 400 for unknown names or values out of range."""
        clean = {}
        for name, value in changes.items():
            if name not in FaultSettings.__dataclass_fields__:
                raise ApiError(400, "invalid_param", f"unknown fault setting `{name}`")
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ApiError(400, "invalid_param", f"`{name}` must be a number")
            limit = 1.0 if name in RATES else 60.0
            if not 0 <= value <= limit:
                raise ApiError(400, "invalid_param", f"`{name}` must be between 0 and {limit:g}")
            clean[name] = float(value)
        with self._lock:
            for name, value in clean.items():
                setattr(self._settings, name, value)
        return self.as_dict()

    def roll(self, name: str) -> bool:
        """Whether this request meets fault `name` (a rate)."""
        with self._lock:
            rate = getattr(self._settings, name)
            return rate > 0 and self._random.random() < rate


def validate_start_settings(settings: FaultSettings) -> str | None:
    """An error message for start flags out of range, None when they are fine."""
    try:
        Faults().update(asdict(settings))
    except ApiError as exc:
        return exc.text
    return None
