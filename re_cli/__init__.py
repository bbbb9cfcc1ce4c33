"""re: a command-line client for the Redis Enterprise Software REST API."""

__version__ = "0.1.0"
