"""BibTeX field text as it prints: the LaTeX a reference manager writes (Better BibTeX's BibTeX
export turns every non-ASCII character into it) decoded to Unicode.

Only text markup is known: accents and special letters, escaped characters, dashes and quotes,
font commands (their text kept, the style dropped), `\\url`, protective braces. Any other
command is refused with its name, never printed as typed or silently dropped. Linear in the
length of the text (a general LaTeX parser costs some 50 µs a character).
"""

from __future__ import annotations

import re
import unicodedata

# \'e, \"{o}, \c c, \v{s}, {\'\i}: the accent's combining mark.
_ACCENTS = {"`": "\u0300", "'": "\u0301", "^": "\u0302", "~": "\u0303", "=": "\u0304", "u": "\u0306", ".": "\u0307",
            '"': "\u0308", "r": "\u030a", "H": "\u030b", "v": "\u030c", "d": "\u0323", "c": "\u0327", "k": "\u0328",
            "b": "\u0331"}
_LETTERS = {"ss": "ß", "o": "ø", "O": "Ø", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "aa": "å", "AA": "Å", "l": "ł",
            "L": "Ł", "i": "ı", "j": "ȷ", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ"}
_SYMBOLS = {"textendash": "\u2013", "textemdash": "\u2014", "textquoteleft": "\u2018", "textquoteright": "\u2019",
            "textquotedblleft": "\u201c", "textquotedblright": "\u201d", "textquotesingle": "'", "dots": "\u2026",
            "ldots": "\u2026", "textellipsis": "\u2026", "textdegree": "\u00b0", "textregistered": "\u00ae",
            "texttrademark": "\u2122", "textcopyright": "\u00a9", "S": "\u00a7", "P": "\u00b6", "textsection": "\u00a7",
            "textbackslash": "\\", "textasciitilde": "~", "textasciicircum": "^", "textunderscore": "_", "textbar": "|",
            "textless": "<", "textgreater": ">", "textbullet": "\u2022", "guillemotleft": "\u00ab",
            "guillemotright": "\u00bb", "guilsinglleft": "\u2039", "guilsinglright": "\u203a", "euro": "\u20ac",
            "texteuro": "\u20ac", "pounds": "\u00a3", "textsterling": "\u00a3", "textdollar": "$", "relax": "",
            "textperiodcentered": "\u00b7", "textexclamdown": "\u00a1", "textquestiondown": "\u00bf"}
# Commands whose argument is text to keep: the style (italics, small capitals...) or link is dropped.
_KEEP = frozenset("emph textit textbf textsc textsl texttt textup textrm textsf textmd textnormal mkbibemph "
                  "mkbibitalic mkbibbold url nolinkurl NoCaseChange MakeUppercase MakeLowercase".split())

_TOKEN = re.compile(
    r"\\([`'^~=.\"])\s*(\{\\?[A-Za-z]\}|\\?[A-Za-z])"  # a symbol accent: \'e, \'{e}, \'\i
    r"|\\([uvHcdkrb])(?:\s*\{\s*(\\?[A-Za-z])\s*\}|\s+(\\?[A-Za-z]))"  # a letter accent: \v{s}, \c c
    r"|\\([A-Za-z]+)\s*(?:\{\})?"  # a command: \ss, \emph, \textendash{}
    r"|\\([&%$#_{}\\ ,;!])"  # an escaped character, or a space command
    r"|---|--|``|''|~"
)
_DASHES = {"---": "\u2014", "--": "\u2013", "``": "\u201c", "''": "\u201d", "~": "\u00a0"}
_ESCAPED = {"&": "&", "%": "%", "$": "$", "#": "#", "_": "_", "{": "\ue000", "}": "\ue001", "\\": "\n", " ": " ",
            ",": "\u2009", ";": " ", "!": ""}


class LatexError(ValueError):
    """A command this decoder does not know."""


def decode(value: str) -> str:
    """`value` as it prints; a LatexError names a command it cannot decode."""
    unknown: list[str] = []

    def one(m: re.Match) -> str:
        accent, base = (m[1], m[2]) if m[1] else (m[3], m[4] or m[5]) if m[3] else (None, None)
        if accent is not None and base is not None:
            letter = base.strip("{}")
            letter = letter.lstrip("\\")  # \'\i: the accent takes the place of the dot
            return unicodedata.normalize("NFC", letter + _ACCENTS[accent])
        if m[6]:
            name = m[6]
            if name in _LETTERS:
                return _LETTERS[name]
            if name in _SYMBOLS:
                return _SYMBOLS[name]
            if name in _KEEP:
                return ""
            unknown.append(name)
            return m[0]
        if m[7]:
            return _ESCAPED[m[7]]
        return _DASHES[m[0]]

    text = _TOKEN.sub(one, value)
    if unknown:
        raise LatexError(f"the LaTeX command \\{unknown[0]} is not known here: write the character itself")
    text = text.replace("{", "").replace("}", "").replace("\ue000", "{").replace("\ue001", "}")
    return " ".join(text.replace("\u00a0", " ").split())
