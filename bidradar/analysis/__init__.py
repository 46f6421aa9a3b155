"""Match analyses: Gemini (through the masking gateway) or local, for the best matches of Pro companies."""
