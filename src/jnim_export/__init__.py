"""jnim-export: one YAML backgrounder, rendered as a footnoted PDF and a slide deck."""

__version__ = "0.1.0"
