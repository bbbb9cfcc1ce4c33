"""A local emulation of a Redis Enterprise cluster's REST API, served over HTTPS."""
