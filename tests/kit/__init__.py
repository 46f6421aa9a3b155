"""Dev-only test tooling (stand-ins of external services, corpora). Not shipped in the wheel."""
