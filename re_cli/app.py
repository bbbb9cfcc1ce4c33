"""The one object every command receives: global options, then lazily the
resolved settings, the HTTP client and the output helpers."""

from dataclasses import dataclass, field


@dataclass
class App:
    profile: str | None = None
    output: str | None = None  # auto | table | json
    include: bool = False
    verbose: int = 0
    insecure: bool | None = None
    ca_cert: str | None = None
    timeout: float | None = None
    no_color: bool = False
    curl: bool = False
    _cache: dict = field(default_factory=dict, repr=False)

    def settings(self):
        """Connection settings resolved from flags, environment, profile, defaults."""
        if "settings" not in self._cache:
            from re_cli.settings import resolve

            self._cache["settings"] = resolve(self)
        return self._cache["settings"]

    def client(self):
        if "client" not in self._cache:
            from re_cli.http import Client

            self._cache["client"] = Client(self.settings(), verbose=self.verbose, curl=self.curl)
        return self._cache["client"]

    def out(self):
        if "out" not in self._cache:
            from re_cli.output import Output

            self._cache["out"] = Output(self)
        return self._cache["out"]
