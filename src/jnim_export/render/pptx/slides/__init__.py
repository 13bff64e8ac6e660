"""The kinds of slide, one module each; every module's `add(deck)` adds its slides (or none)."""
