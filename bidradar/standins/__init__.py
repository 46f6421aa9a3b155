"""Local stand-ins of external services, for tests and offline runs."""
