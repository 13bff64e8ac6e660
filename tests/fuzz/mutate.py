"""A seeded mutator over content files: small, plausible edits and YAML's sharp corners.

`mutant(source, seed, index)` is deterministic: the same seed and index give the same bytes,
so a failure is reproduced from the two numbers the fuzz test prints.
"""

from __future__ import annotations

import random
import re

# Values a scalar may be swapped for: other types, YAML special forms, hostile sizes.
SCALARS = [
    "0", "-1", "1.5", "1e999999", "-.inf", ".nan", "0x1F", "0o17", "1_000", "1:30:00", "true", "no", "~", "null",
    "''", '""', "[]", "{}", "[a, b]", "{a: 1}", "- x", "2018-02-30", "2018-13-01", "0000-00-00", "2018-02-29 12:00:00",
    "2018-7-27", "9" * 5_000, "!!int abc", "!!float abc", "!!bool maybe", "!!int " + "1" * 400, "!!str 2018",
    "!!timestamp nope", "!!binary aGVsbG8=", "!!set {a}", "!!omap [a: 1]", "!!python/object:os.system x",
    "!!python/object/apply:os.system [echo]", "!custom x", "!<tag:example.com,2000:x> y", "*undefined", "&a x",
    "&a [*a]", "<<", "=", "? x", "'unterminated", '"unterminated', "|", ">-", "%", "@x", "`x`", "#comment",
    "a: b: c", "[", "{", "]", "}", ",", "!", "&", "*", "-", ":", "'\\u0000'", '"\\x00"', '"\\ud800"', '"\\uDFFF"',
    '"\\uFFFE"', '"\\u202e evil"', '"\\u2066x\\u2069"', '"\\x1b[31m"', '"\\e[2J"', '"a\\nb"', '"a\\tb"', '"\\x85"',
    '"\\u2028"', '"\\L\\P\\N\\_"', '"\\U0001F600"', '"\\U0010FFFF"', '"\\U00110000"',
    "x" * 30_000, "word " * 5_000, "[^nope]", "[^state-2018]" * 300, "[x](javascript:alert(1))", "[x](ftp://a)",
    "http://a.b/" * 150, "*" * 3_000, "[" * 3_000, "_a_ " * 2_000, "a.com " * 1_000, "mailto:x@y.z",
    "assets/../../../../etc/passwd", "/etc/passwd", "assets/data", "assets/", ".", "..", "assets/\\x00.json",
    '"assets/\\0x.jpg"', "assets/" + "n" * 300 + ".jpg", "C:\\Windows\\win.ini", "~/x.png", "assets/data/missing.json",
    "ع" * 600, "e\u0301" * 400, "👨‍👩‍👧" * 100, "\ufeffx", "\u200bx", "\ue000", "\U0001F600",
]

# Text (not necessarily YAML-valid) inserted as a new line or inside a line.
INJECTIONS = [
    "<<: {a: 1}", "<<: *a", "<<: [*a, *b]", "!!python/object:os.system x: 1", "? [a, b]\n: c", "? {a: 1}\n: c",
    "2018-02-30: x", "---", "...", "--- !!map", "%YAML 1.1", "%YAML 2.0", "%TAG ! tag:evil.com,2000:", "%FOO bar",
    "&a", "*a", "&a x: *a", "x: &b [&c 1, *c, *b]", "!", "!!", "!!str", "\t- tab", "\tkey: v", "- - - -",
    "{" * 50 + "}" * 50, "[" * 45 + "]" * 45, "a: " + "[" * 2_000, "a: '" + "y" * 250_000 + "'", "k" * 500 + ": 1",
    "a: |\n" + "  line\n" * 2_000, "lol: &l [x, x, x, x, x, x, x, x, x]\nl2: &m [*l, *l, *l, *l, *l, *l, *l, *l, *l]\n"
    "l3: &n [*m, *m, *m, *m, *m, *m, *m, *m, *m]\nl4: [*n, *n, *n, *n, *n, *n, *n, *n, *n]",
    "x: " + ",".join(["0"] * 3_000), "x: [" + ",".join(["0"] * 25_000) + "]", "# comment \u202e", "x: \u2028y",
    "x: \x85", "x: \x00", "x: \x1b", "x: \x7f", "x: \uffff", "x: \ufffe", "\ufeff", "\r", "\r\n", "x:\x0b", "é: è",
]

CONTROL = [chr(c) for c in range(0x20) if c not in (9, 10, 13)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufffe", "\uffff"]
UNICODE = ["\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2067", "\u2068", "\u2069", "\u200b",
           "\u200d", "\ufeff", "\u0301", "\U0001F600", "\u00a0", "\u3000", "\ue000", "\U0010fffd", "ﷺ", "ﷲ"]
MAX_GROWTH = 4 * 2**20  # bytes one duplication may add: mutants stay near the 10 MB cap, not far past it
MAX_MUTANT = 11 * 2**20  # a little over the cap, so that refusing oversized files is exercised too
KEY = re.compile(r"^(\s*(?:- )?)([A-Za-z_][\w-]*)(:)(\s|$)")
VALUE = re.compile(r"^(\s*(?:- )?[A-Za-z_][\w-]*: |\s*- )(.*)$")


def mutant(source: bytes, seed: int, index: int) -> tuple[bytes, list[str]]:
    """The `index`-th mutant of `source` for `seed`, and the names of the edits made."""
    rng = random.Random(f"{seed}:{index}")
    data = source
    done: list[str] = []
    for _ in range(rng.choice((1, 1, 1, 2, 2, 3, 5))):
        op = rng.choice(OPERATORS)
        data = op(data, rng)[:MAX_MUTANT]
        done.append(op.__name__)
    return data, done


def _lines(data: bytes) -> list[bytes]:
    return data.split(b"\n")


def _pick_line(lines: list[bytes], rng: random.Random) -> int:
    return rng.randrange(len(lines)) if lines else 0


def flip_byte(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    at = rng.randrange(len(data))
    return data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]


def flip_bit(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + bytes([data[at] ^ (1 << rng.randrange(8))]) + data[at + 1 :]


def delete_bytes(data: bytes, rng: random.Random) -> bytes:
    if not data:
        return data
    at = rng.randrange(len(data))
    return data[:at] + data[at + rng.randint(1, 40) :]


def delete_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if lines:
        del lines[_pick_line(lines, rng)]
    return b"\n".join(lines)


def delete_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = _pick_line(lines, rng)
    del lines[at : at + rng.randint(2, 30)]
    return b"\n".join(lines)


def duplicate_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = _pick_line(lines, rng)
    if lines:
        times = min(rng.choice((1, 1, 2, 50, 3_000)), MAX_GROWTH // (len(lines[at]) + 1) or 1)
        lines[at:at] = [lines[at]] * times
    return b"\n".join(lines)


def duplicate_block(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = _pick_line(lines, rng)
    block = lines[at : at + rng.randint(2, 40)]
    times = min(rng.choice((1, 2, 10)), MAX_GROWTH // (sum(map(len, block)) + 1) or 1)
    lines[at:at] = block * times
    return b"\n".join(lines)


def swap_lines(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    if len(lines) > 1:
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
    return b"\n".join(lines)


def reindent(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = _pick_line(lines, rng)
    for i in range(at, min(len(lines), at + rng.choice((1, 1, 3, 20)))):
        line = lines[i]
        how = rng.randrange(4)
        if how == 0:
            lines[i] = b" " * rng.randint(1, 4) + line
        elif how == 1:
            lines[i] = line[rng.randint(1, 4) :] if line.startswith(b" ") else line
        elif how == 2:
            lines[i] = b"\t" + line
        else:
            lines[i] = line.lstrip()
    return b"\n".join(lines)


def _edit_text(data: bytes, rng: random.Random, edit) -> bytes:
    text = data.decode("utf-8", "surrogateescape")
    lines = text.split("\n")
    if not lines:
        return data
    at = _pick_line(lines, rng)
    lines[at] = edit(lines[at], rng)
    return "\n".join(lines).encode("utf-8", "surrogateescape")


def swap_value(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        m = VALUE.match(line)
        return m.group(1) + rng.choice(SCALARS) if m else line + " " + rng.choice(SCALARS)

    return _edit_text(data, rng, edit)


def swap_values(data: bytes, rng: random.Random) -> bytes:
    for _ in range(rng.randint(2, 10)):
        data = swap_value(data, rng)
    return data


def rename_key(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        m = KEY.match(line)
        if not m:
            return line
        key = m.group(2)
        choice = rng.randrange(5)
        if choice == 0 and len(key) > 1:
            i = rng.randrange(len(key) - 1)
            key = key[:i] + key[i + 1] + key[i] + key[i + 2 :]  # a typo
        elif choice == 1:
            key = rng.choice(["<<", "?", "-", "!!python/object:os.system x", "2018-02-30", "true", "null", "1", "~", "&k k", "*k", '"\\x00"', "'a b'", "é"])
        elif choice == 2:
            key = key.upper()
        elif choice == 3:
            key = key + rng.choice(UNICODE)
        else:
            key = key * 40
        return m.group(1) + key + line[m.end(2) :]

    return _edit_text(data, rng, edit)


def inject_line(data: bytes, rng: random.Random) -> bytes:
    lines = _lines(data)
    at = _pick_line(lines, rng)
    indent = re.match(rb"\s*", lines[at] if lines else b"").group()
    lines.insert(at, indent + rng.choice(INJECTIONS).encode("utf-8", "surrogatepass"))
    return b"\n".join(lines)


def inject_in_line(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        at = rng.randint(0, len(line))
        piece = rng.choice([rng.choice(SCALARS), rng.choice(CONTROL), rng.choice(UNICODE), "&a ", "*a", "!!str ", ": ", " #", "'", '"', "\\", "\t", "{", "[", "]", "}", ",", "?", "|", ">"])
        return line[:at] + piece + line[at:]

    return _edit_text(data, rng, edit)


def control_character(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        at = rng.randint(0, len(line))
        return line[:at] + rng.choice(CONTROL + UNICODE) * rng.choice((1, 1, 2, 100)) + line[at:]

    return _edit_text(data, rng, edit)


def escaped_character(data: bytes, rng: random.Random) -> bytes:
    """Quote a value and put an escape in it: \\x01, \\u202e, \\ud800, \\0 ..."""

    def edit(line: str, rng: random.Random) -> str:
        m = VALUE.match(line)
        if not m:
            return line
        value = m.group(2).replace("\\", "\\\\").replace('"', '\\"')
        escape = rng.choice(["\\x01", "\\0", "\\a", "\\e", "\\x7f", "\\x85", "\\u202e", "\\u2066", "\\ud800", "\\udfff",
                             "\\ufffe", "\\uffff", "\\n", "\\t", "\\r", "\\u2028", "\\N", "\\_", "\\L", "\\P", "\\U0001F600"])
        at = rng.randint(0, len(value))
        return m.group(1) + '"' + value[:at] + escape + value[at:] + '"'

    return _edit_text(data, rng, edit)


def long_string(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        m = VALUE.match(line)
        size = rng.choice((501, 2_001, 20_001, 60_000, 210_000))
        unit = rng.choice(("x", "word ", "[^a] ", "é", "\U0001F600", "*a* ", "http://x.y/ "))
        text = (unit * (size // len(unit) + 1))[:size]
        quoted = rng.random() < 0.5
        value = "'" + text.replace("'", "''") + "'" if quoted else text
        return (m.group(1) if m else line + " ") + value

    return _edit_text(data, rng, edit)


def anchor_alias(data: bytes, rng: random.Random) -> bytes:
    """Anchor one value and alias it somewhere else (or nowhere)."""

    def edit(line: str, rng: random.Random) -> str:
        m = VALUE.match(line)
        return m.group(1) + rng.choice(("&a ", "&b ", "*a", "*b", "&a *a", "*a *b")) + m.group(2) if m else line

    for _ in range(rng.randint(1, 3)):
        data = _edit_text(data, rng, edit)
    return data


def truncate(data: bytes, rng: random.Random) -> bytes:
    return data[: rng.randrange(len(data) + 1)]


def markup(data: bytes, rng: random.Random) -> bytes:
    def edit(line: str, rng: random.Random) -> str:
        at = rng.randint(0, len(line))
        piece = rng.choice(["[^nope]", "[^state-2018]", "[^", "]", "*", "**", "_", "[x](javascript:alert(1))",
                            "[x](https://ok.example)", "<b>", "&amp;", "\\", "`", "https://a.b/c", "www.x.org",
                            "a@b.co", "[^" + "x" * 100 + "]", "[^a b]", "[]()", "![i](x.png)"])
        return line[:at] + piece + line[at:]

    return _edit_text(data, rng, edit)


def bom_and_line_ends(data: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(4)
    if choice == 0:
        return b"\xef\xbb\xbf" + data
    if choice == 1:
        return data.replace(b"\n", b"\r\n")
    if choice == 2:
        return data.replace(b"\n", b"\r")
    return b"\xff\xfe" + data  # a UTF-16 BOM on UTF-8 bytes


def near_limit(data: bytes, rng: random.Random) -> bytes:
    """A value just under or over a limit some writer has: the deck's 255-character properties,
    500-character lines, emphasis 20 deep, a caption a page long, a link with a space."""

    def edit(line: str, rng: random.Random) -> str:
        m = VALUE.match(line)
        if not m:
            return line
        size = rng.choice((254, 255, 256, 499, 500, 501, 1_790, 1_990))
        unit = rng.choice(("x", "W", "word ", "Lorem ipsum ", "ع"))
        depth = rng.choice((19, 20, 21))
        value = rng.choice((
            (unit * size)[:size],
            "*" * (2 * depth) + "deep" + "*" * (2 * depth),
            "https://example.org/a b",
            "https:///no-host",
            m.group(2) + " " + "W" * rng.choice((900, 1_800)),
        ))
        return m.group(1) + "'" + value.replace("'", "''") + "'"

    return _edit_text(data, rng, edit)


OPERATORS = [
    near_limit, near_limit, flip_byte, flip_bit, delete_bytes, delete_line, delete_lines, duplicate_line, duplicate_block, swap_lines,
    reindent, swap_value, swap_value, swap_values, rename_key, inject_line, inject_line, inject_in_line,
    control_character, escaped_character, long_string, anchor_alias, truncate, markup, bom_and_line_ends,
]
