"""Matching notices to companies: hard rules (may it bid?) and a relevance score (does it want to?)."""
