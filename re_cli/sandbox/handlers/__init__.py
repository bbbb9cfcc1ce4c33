"""Request handlers, one module per object group. Importing this package imports
every module in it, and each registers its routes with `routes.route`."""

import importlib
import pkgutil


def load_all() -> None:
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
