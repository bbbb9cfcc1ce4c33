"""Command groups of `re`, one module each, loaded on first use."""
