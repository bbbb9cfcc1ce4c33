"""HTTPS sessions against a test sandbox, verified with its own CA."""

import requests


def session(box, role: str | None = "admin") -> requests.Session:
    """A keep-alive session that verifies the sandbox's certificate; `role` None sends
    no credentials."""
    s = requests.Session()
    s.trust_env = False  # REQUESTS_CA_BUNDLE would otherwise replace `verify`
    s.verify = str(box.ca_cert)
    if role is not None:
        s.auth = (box.user(role), box.password(role))
    return s


def fill_path(template: str, value: str = "1") -> str:
    """A catalog path with every {placeholder} replaced by `value`."""
    import re

    return re.sub(r"\{\w+\}", value, template)
