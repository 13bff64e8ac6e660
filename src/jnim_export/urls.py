"""URLs as every output treats them: which may be a link, and where one may break across lines.

The Chicago Manual's rule (6.17): after a colon or a double slash; before a single slash, a
tilde, a period, a comma, a hyphen, an underline, a question mark, a number sign or a percent
sign; before or after an equals sign or an ampersand. Anywhere else only as a last resort.
"""

from __future__ import annotations

from urllib.parse import urlsplit

LINK_SCHEMES = frozenset({"http", "https", "mailto"})

BREAK_BEFORE = frozenset("/~.,-_?#%=&")
BREAK_AFTER = frozenset("=&")


def break_points(url: str) -> list[int]:
    """The indices `i` at which `url` may break (between `url[:i]` and `url[i:]`), in order."""
    out = []
    for i in range(1, len(url)):
        before, here = url[i - 1], url[i]
        double_slash = here == "/" and (before == "/" or url[i + 1:i + 2] == "/")
        if ((before == ":" and here != "/")
                or url[max(0, i - 2):i] == "//" and here != "/"
                or (here in BREAK_BEFORE and not double_slash)
                or before in BREAK_AFTER):
            out.append(i)
    return out


def split_pairs(url: str) -> list[tuple[str, str]]:
    """Every way to break `url` in two, as (head, tail) pairs in the order to try them: at
    `break_points`, then (the last resort, for a URL with none that fits) between any two
    characters; each the longest head first."""
    good = set(break_points(url))
    preferred = [(url[:i], url[i:]) for i in range(len(url) - 1, 0, -1) if i in good]
    others = [(url[:i], url[i:]) for i in range(len(url) - 1, 0, -1) if i not in good]
    return preferred + others


def link_allowed(href: str) -> bool:
    """http, https and mailto only, with a host unless mailto (the model promises it; a writer checks anyway)."""
    if not href or any(ord(c) < 0x21 or c in "\\\x7f" for c in href):
        return False
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    return scheme in LINK_SCHEMES and (scheme == "mailto" or bool(parts.netloc))
