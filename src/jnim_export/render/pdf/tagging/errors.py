"""The error raised when content is drawn in a way the structure tree cannot account for."""


class TaggingError(RuntimeError):
    """Content was drawn in a way the structure tree cannot account for."""
