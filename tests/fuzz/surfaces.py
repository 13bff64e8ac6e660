"""Seeded hostile inputs beyond the content file: templates, images, aggregates, special files and
environment variables, each with the check its run must pass.

Every case is `(name, ops)` made from `(seed, index)` alone, so a failure is reproduced from two
numbers. The checks run the command line in-process and return a list of problems (empty: fine):
an exit code other than the expected ones, a traceback, the last-resort "unexpected error", a
run over its time, or content that `validate` passes and `build` refuses.
"""

from __future__ import annotations

import io
import json
import os
import random
import shutil
import threading
import time
import zipfile
from pathlib import Path

from click.testing import CliRunner

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
BASE = (HERE.parent / "data" / "broken" / "_base.yaml").read_text(encoding="utf-8")
AGGREGATE = ROOT / "assets" / "data" / "jnim-mali-2017-2019-initiated.json"
SECONDS = 60.0  # a build of a small content file, with its figures drawn, on a busy machine


def run(args: list[str], env: dict[str, str] | None = None, deadline: float = SECONDS):
    """(result, seconds) of the command line run in-process; result None if it did not return in time."""
    from jnim_export.cli import main

    box: list = []
    started = time.perf_counter()
    thread = threading.Thread(target=lambda: box.append(CliRunner().invoke(main, args, env=env)), daemon=True)
    thread.start()
    thread.join(deadline)
    return (box[0] if box else None), time.perf_counter() - started


def problems_of(result, seconds: float, codes: tuple[int, ...], deadline: float = SECONDS) -> list[str]:
    if result is None:
        return [f"did not return within {deadline:.0f} s"]
    out = []
    if result.exit_code not in codes:
        out.append(f"exit code {result.exit_code}, expected {codes}: {result.output[-600:]}")
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        out.append(f"raised {type(result.exception).__name__}: {result.exception}")
    if "Traceback" in result.output or "unexpected error" in result.output:
        out.append(f"traceback or unexpected error: {result.output[-600:]}")
    return out


def validate_then_build(file: Path, out: Path, *extra: str) -> tuple[list[str], str]:
    """Problems of validating `file` and, if it validates, building it: what validates must build."""
    result, took = run(["validate", str(file)])
    problems = problems_of(result, took, (0, 1))
    if problems or result.exit_code != 0:
        return problems, "refused"
    result, took = run(["build", str(file), "--out", str(out), "--quiet", *extra])
    problems = problems_of(result, took, (0,))
    return [f"validates but does not build: {p}" for p in problems], "not built" if problems else "built"


# --------------------------------------------------------------------------- templates

def _default_parts() -> dict[str, bytes]:
    from pptx import Presentation

    buf = io.BytesIO()
    prs = Presentation()
    prs.slide_width, prs.slide_height = 12_192_000, 6_858_000
    prs.save(buf)
    with zipfile.ZipFile(buf) as z:
        return {n: z.read(n) for n in z.namelist()}


def _xml_part(parts: dict, rng: random.Random) -> str:
    return rng.choice(sorted(n for n in parts if n.endswith((".xml", ".rels"))))


def _t_flip(parts, rng):
    name = _xml_part(parts, rng)
    blob = bytearray(parts[name])
    for _ in range(rng.choice((1, 3, 20))):
        blob[rng.randrange(len(blob))] = rng.randrange(256)
    parts[name] = bytes(blob)


def _t_drop(parts, rng):
    del parts[rng.choice(sorted(parts))]


def _t_external(parts, rng):
    name = rng.choice(sorted(n for n in parts if n.endswith(".rels")))
    kind = rng.choice(("image", "hyperlink", "oleObject", "video", "theme"))
    target = rng.choice(("file:///etc/passwd", "http://beacon.example/x.png", "\\\\host\\share\\x", "https://x.y/" + "a" * 3000))
    rel = (f'<Relationship Id="rIdX{rng.randrange(99)}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
           f'relationships/{kind}" Target="{target}" TargetMode="External"/></Relationships>')
    parts[name] = parts[name].replace(b"</Relationships>", rel.encode())


def _t_size(parts, rng):
    value = rng.choice(("0", "-9144000", "1", "914400", "3657599", "3657600", "51206400", "51206401", "1e9", "wide",
                        "99999999999999999999", ""))
    attr = rng.choice((b"cx", b"cy"))
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        attr + b'="' + (b"12192000" if attr == b"cx" else b"6858000") + b'"', attr + b'="' + value.encode() + b'"', 1)


def _t_doctype(parts, rng):
    name = _xml_part(parts, rng)
    dtd = rng.choice((b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
                      b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>',
                      b"<!DOCTYPE html>"))
    parts[name] = parts[name].replace(b"?>", b"?>" + dtd, 1)


def _t_garbage(parts, rng):
    parts[rng.choice(sorted(parts))] = rng.choice((b"", b"\x00" * 100, b"<a>", "é".encode("latin-1"), b"<" * 5000))


def _t_no_theme(parts, rng):
    name = "ppt/slideMasters/_rels/slideMaster1.xml.rels"
    parts[name] = parts[name].replace(b"relationships/theme", b"relationships/other")


def _t_bomb(parts, rng):
    parts[rng.choice(("ppt/media/zeros.bin", "ppt/theme/theme1.xml"))] = b"\x00" * rng.choice((2_000_000, 300_000_000 // 100))


def _t_size_ok(parts, rng):
    cx, cy = rng.choice(((9_144_000, 6_858_000), (7_560_000, 10_692_000), (3_657_600, 3_657_600),
                         (51_206_400, 3_657_600), (12_192_000, 12_192_000), (24_384_000, 13_716_000)))
    parts["ppt/presentation.xml"] = parts["ppt/presentation.xml"].replace(
        b'cx="12192000" cy="6858000"', f'cx="{cx}" cy="{cy}"'.encode(), 1)


def _t_rename_layouts(parts, rng):
    for name in [n for n in parts if n.startswith("ppt/slideLayouts/slideLayout") and n.endswith(".xml")]:
        parts[name] = parts[name].replace(b'<p:cSld name="', b'<p:cSld name="' + rng.choice((b"x", "ü".encode(), b"")), 1)


BENIGN_OPS = [_t_external, _t_size_ok, _t_rename_layouts]
TEMPLATE_OPS = [_t_flip, _t_drop, _t_external, _t_external, _t_size, _t_size, _t_doctype, _t_garbage, _t_no_theme, _t_bomb]


def _member(name: str) -> zipfile.ZipInfo:
    """An archive member with a fixed time: a name alone takes the clock's, so that two cases made
    across a second's turn differed."""
    info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    return info


def template_case(seed: int, index: int) -> tuple[bytes, list[str]]:
    """A template: python-pptx's default, edited part by part, sometimes the archive cut or duplicated."""
    rng = random.Random(f"template:{seed}:{index}")
    parts = _default_parts()
    ops = []
    benign = rng.random() < 0.5  # half the templates should load, so that decks are built on them
    for _ in range(rng.choice((1, 1, 2, 3))):
        op = rng.choice(BENIGN_OPS if benign else TEMPLATE_OPS)
        try:
            op(parts, rng)
        except (KeyError, IndexError, ValueError):  # the part it edits is gone: an earlier edit dropped it
            continue
        ops.append(op.__name__)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, blob in parts.items():
            z.writestr(_member(name), blob)
        if not benign and rng.random() < 0.1 and parts:
            name = rng.choice(sorted(parts))
            import warnings

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                z.writestr(_member(name), parts[name])
            ops.append("duplicate_member")
    data = buf.getvalue()
    if not benign and rng.random() < 0.1:
        data = data[: rng.randrange(len(data))]
        ops.append("truncate")
    return data, ops


def check_template(data: bytes, folder: Path, *, build: bool) -> tuple[list[str], str]:
    """Loading the template gives a presentation or a RenderError; with `build`, `slides` exits 0 or 1."""
    from jnim_export.render import RenderError
    from jnim_export.render.pptx import templatefile

    path = folder / "template.pptx"
    path.write_bytes(data)
    outcome = "loaded"
    try:
        templatefile.load(path, [])
    except RenderError:
        outcome = "refused"
    except Exception as exc:  # noqa: BLE001 - anything else is the finding
        return [f"templatefile.load raised {type(exc).__name__}: {exc}"], "raised"
    if not build:
        return [], outcome
    content = folder / "content.yaml"
    content.write_text(BASE, encoding="utf-8")
    result, took = run(["slides", str(content), "--template", str(path), "--out", str(folder / "out"), "--quiet"])
    problems = problems_of(result, took, (0, 1) if outcome == "refused" else (0,))
    return problems, "built" if result is not None and result.exit_code == 0 else "refused"


# --------------------------------------------------------------------------- images

def image_case(seed: int, index: int) -> tuple[bytes, str, list[str]]:
    """A photo near a limit, turned by EXIF, in an odd mode, or damaged: (bytes, suffix, what)."""
    from PIL import Image

    rng = random.Random(f"image:{seed}:{index}")
    kind = rng.choice(("JPEG", "PNG"))
    size = rng.choice(((40, 50), (1, 1), (1, 20), (1, 21), (3000, 150), (3001, 150), (4000, 4000), (4001, 4000),
                       (7000, 5700), (200, 4000), (10_000, 30)))
    mode = rng.choice(("RGB", "L", "CMYK") if kind == "JPEG" else ("RGB", "L", "RGBA", "P", "I;16", "1", "LA"))
    img = Image.new(mode, size)
    ops = [f"{kind} {mode} {size[0]}x{size[1]}"]
    exif = Image.Exif()
    if rng.random() < 0.5:
        exif[0x0112] = rng.choice((1, 2, 3, 4, 5, 6, 7, 8, 0, 9, 65535))
        ops.append(f"orientation {exif[0x0112]}")
    buf = io.BytesIO()
    save = {"exif": exif.tobytes()} if kind == "JPEG" or mode in ("RGB", "RGBA", "L") else {}
    if kind == "JPEG" and rng.random() < 0.3:
        save["progressive"] = True
    img.save(buf, kind, **save)
    data = buf.getvalue()
    damage = rng.random()
    if damage < 0.15:
        data = data[: rng.randrange(len(data))]
        ops.append("truncated")
    elif damage < 0.3:
        blob = bytearray(data)
        for _ in range(rng.choice((1, 5))):
            blob[rng.randrange(len(blob))] = rng.randrange(256)
        data = bytes(blob)
        ops.append("flipped")
    return data, ".jpg" if kind == "JPEG" else ".png", ops


def check_image(data: bytes, suffix: str, folder: Path, *, build: bool) -> tuple[list[str], str]:
    """As a figure photo, a leader photo and the logo: validate, and what validates builds."""
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    name = f"assets/photo{suffix}"
    (folder / name).write_bytes(data)
    text = BASE.replace("    alt: A portrait.\n", f"    alt: A portrait.\n    image: {name}\n")
    text = text.replace("sections:", f"style:\n  logo: {name}\nsections:")
    text += f"leaders:\n  - {{id: l, name: N, role: R, photo: {name}}}\n"
    file = folder / "content.yaml"
    file.write_text(text, encoding="utf-8")
    if not build:
        result, took = run(["validate", str(file)])
        return problems_of(result, took, (0, 1)), "validated"
    return validate_then_build(file, folder / "out")


# --------------------------------------------------------------------------- aggregates

def aggregate_case(seed: int, index: int) -> tuple[bytes, list[str]]:
    """The real aggregate with its numbers, lists and keys tampered with."""
    rng = random.Random(f"aggregate:{seed}:{index}")
    doc = json.loads(AGGREGATE.read_text(encoding="utf-8"))
    ops = []
    for _ in range(rng.choice((1, 1, 2, 3))):
        choice = rng.randrange(9)
        months = doc.get("monthly") if isinstance(doc.get("monthly"), list) else []
        places = doc.get("locations") if isinstance(doc.get("locations"), list) else []
        months = [m for m in months if isinstance(m, dict)]
        places = [p for p in places if isinstance(p, dict)]
        if choice == 0 and months:
            m = rng.choice(months)
            m["fatalities"] = rng.choice((-1, 10**9, 10**9 - 1, 1.5, "3", None, True, 10**40))
            ops.append(f"fatalities={m['fatalities']!r}"[:40])
        elif choice == 1:
            key = rng.choice(("monthly", "locations", "categories"))
            old = doc.get(key) if isinstance(doc.get(key), list) else []
            doc[key] = rng.choice(([], old[:1], old * 2, {}, None))
            ops.append(f"{key} replaced")
        elif choice == 2 and places:
            loc = rng.choice(places)
            loc[rng.choice(("latitude", "longitude"))] = rng.choice((90, 90.0001, -180, 181, 1e308, "0", None))
            ops.append("coordinate")
        elif choice == 3 and months:
            rng.choice(months)["month"] = rng.choice(("0001-01", "9999-12", "2018-13", "2018-1", "2019-02"))
            ops.append("month")
        elif choice == 4:
            doc.pop(rng.choice(("format", "attribution", "monthly", "locations", "categories", "provenance")), None)
            ops.append("key dropped")
        elif choice == 5 and places:
            rng.choice(places)["name"] = rng.choice(("", "x" * 501, "\u202eevil", "ع" * 50, "\x00", "﷽"))
            ops.append("place name")
        elif choice == 6:
            doc["monthly"] = [{"month": f"{1900 + i // 12}-{i % 12 + 1:02d}", "counts": {}, "fatalities": 0}
                              for i in range(rng.choice((1, 1199, 1200, 1201)))]
            ops.append(f"{len(doc['monthly'])} months")
        elif choice == 7:
            doc["categories"] = rng.choice(([""], ["a"] * 2, ["x" * 600], [str(i) for i in range(51)]))
            ops.append("categories")
        else:
            ops.append("as is")
    text = json.dumps(doc, ensure_ascii=False)
    if rng.random() < 0.2:
        text = text.replace('"fatalities": 0', '"fatalities": ' + rng.choice(("9" * 5000, "1e999", "NaN", "-0")), 1)
        ops.append("raw number")
    return text.encode("utf-8"), ops


def check_aggregate(data: bytes, folder: Path, *, build: bool) -> tuple[list[str], str]:
    """The aggregate behind a chart, a fatalities chart, a regions chart and a map."""
    (folder / "assets").mkdir(parents=True, exist_ok=True)
    (folder / "assets" / "agg.json").write_bytes(data)
    blocks = "".join(f"      - figure: {k}\n" for k in ("chart", "fatalities", "regions", "map"))
    text = BASE.replace("      - figure: photo\n", "      - figure: photo\n" + blocks)
    figures = "".join(f"  - {{id: {k}, kind: {k}, caption: c, alt: a, data: assets/agg.json}}\n"
                      for k in ("chart", "fatalities", "regions", "map"))
    text = text.replace("sources:", figures + "sources:")
    file = folder / "content.yaml"
    file.write_text(text, encoding="utf-8")
    if not build:
        result, took = run(["validate", str(file)])
        return problems_of(result, took, (0, 1)), "validated"
    return validate_then_build(file, folder / "out")


# --------------------------------------------------------------------------- special files and the environment

def special_cases(folder: Path) -> list[tuple[str, list[str]]]:
    """(name, arguments) of every command given a pipe, a device, a folder or a symlink to a device
    where it reads a file; each must exit 1 (2 for a usage error) at once."""
    pipe = folder / "pipe"
    if not pipe.exists():
        os.mkfifo(pipe)
    (folder / "zero-link").unlink(missing_ok=True)
    (folder / "zero-link").symlink_to("/dev/zero")
    (folder / "dir").mkdir(exist_ok=True)
    content = folder / "content.yaml"
    content.write_text(BASE, encoding="utf-8")
    specials = {"pipe": str(pipe), "zero": "/dev/zero", "zero-link": str(folder / "zero-link"), "dir": str(folder / "dir")}
    cases = []
    for kind, target in specials.items():
        cases += [
            (f"validate {kind}", ["validate", target]),
            (f"build {kind}", ["build", target, "--out", str(folder / "out")]),
            (f"slides --template {kind}", ["slides", str(content), "--template", target, "--out", str(folder / "out")]),
            (f"events actors {kind}", ["events", "actors", target]),
            (f"events import {kind}", ["events", "import", target, "--actor", "JNIM"]),
        ]
    for role, edit in (("photo", lambda t, n: t.replace("    alt: A portrait.\n", f"    alt: A portrait.\n    image: {n}\n")),
                       ("logo", lambda t, n: t.replace("sections:", f"style:\n  logo: {n}\nsections:")),
                       ("leader photo", lambda t, n: t + f"leaders:\n  - {{id: l, name: N, role: R, photo: {n}}}\n")):
        sub = folder / role.replace(" ", "-")
        (sub / "assets").mkdir(parents=True, exist_ok=True)
        if not (sub / "assets" / "pipe.jpg").exists():
            os.mkfifo(sub / "assets" / "pipe.jpg")
        (sub / "content.yaml").write_text(edit(BASE, "assets/pipe.jpg"), encoding="utf-8")
        cases.append((f"{role} pipe", ["build", str(sub / "content.yaml"), "--out", str(sub / "out")]))
    return cases


def check_special(args: list[str]) -> list[str]:
    result, took = run(args, deadline=20)
    problems = problems_of(result, took, (1, 2), deadline=20)
    if result is not None and result.exit_code in (1, 2) and not result.output.strip():
        problems.append("no message")
    return problems


def env_case(seed: int, index: int) -> str:
    rng = random.Random(f"env:{seed}:{index}")
    return rng.choice((
        str(rng.randrange(0, 4_354_819_199)), str(rng.randrange(-10**12, 10**25)), f"{rng.random() * 1e9:g}",
        hex(rng.randrange(10**9)), "1_000", " ", "\t1\t", "１２３", "٣", "1" * rng.randrange(1, 40), "garbage", "0", "-0",
        "+5", "4354819198", "4354819199", "1e9", "nan", "inf", "\u202e1",
    ))


def check_env(value: str, content: Path) -> list[str]:
    """SOURCE_DATE_EPOCH set to `value`: validate exits 0 or 2, and a 2 is one sentence."""
    result, took = run(["validate", str(content)], env={"SOURCE_DATE_EPOCH": value}, deadline=20)
    problems = problems_of(result, took, (0, 2), deadline=20)
    if result is not None and result.exit_code == 2 and len(result.output.strip().splitlines()) != 1:
        problems.append(f"not one line: {result.output!r}")
    return problems


def fresh_folder(base: Path, name: str) -> Path:
    folder = base / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


# --------------------------------------------------------------------------- valid content at the limits

def _text(rng: random.Random, size: int, *, latin: bool = False) -> str:
    """Text of `size` characters: prose, one unbroken word, wide letters or Arabic."""
    units = ("Lorem ipsum dolor sit amet. ", "W", "WWWWWWWW ", "x", "—") + (() if latin else ("جماعة نصرة الإسلام ", "ﷺ "))
    unit = rng.choice(units)
    return (unit * (size // len(unit) + 1))[:size].strip() or "x"


def _q(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def extreme_case(seed: int, index: int) -> tuple[str, list[str]]:
    """Content `validate` should pass, with a few parts at their limits: long lines and texts, many
    facts, leaders, links, groups, quotes, notes, places and attacks. What it passes must build."""
    rng = random.Random(f"extreme:{seed}:{index}")
    text, ops, extra = BASE, [], []

    def line(limit: int = 500) -> str:
        return _q(_text(rng, rng.choice((limit, limit - 1, 80))))

    for _ in range(rng.choice((1, 2, 3))):
        pick = rng.randrange(12)
        if pick == 0:
            text = text.replace("    title: Introduction\n", f"    title: {line()}\n    bullets: ["
                                + ", ".join(_q(_text(rng, rng.choice((2000, 300)))) for _ in range(rng.choice((1, 12)))) + "]\n")
            ops.append("section title and bullets")
        elif pick == 1:
            extra.append("facts:\n" + "".join(f"  - {{label: {line()}, text: {_q(_text(rng, rng.choice((2000, 120))))}}}\n"
                                              for _ in range(rng.choice((1, 8, 40)))))
            ops.append("facts")
        elif pick == 2:
            extra.append("leaders:\n" + "".join(
                f"  - {{id: l{i}, name: {line()}, role: {line()}, aliases: [{line()}], former: ["
                + ", ".join(line() for _ in range(rng.choice((1, 12)))) + "]}\n" for i in range(rng.choice((1, 3, 9)))))
            ops.append("leaders")
        elif pick == 3:
            text = text.replace("      - figure: photo\n", "      - figure: photo\n      - quote: "
                                + _q(_text(rng, rng.choice((20_000, 3_000, 600)))) + "\n")
            ops.append("quote")
        elif pick == 4:
            extra.append("notes:\n" + "".join(f"  - {{id: n{i}, text: {_q(_text(rng, rng.choice((20_000, 900))))}}}\n"
                                              for i in range(rng.choice((1, 5)))))
            refs = "".join(f"[^n{i}]" for i in range(5 if "n4" in extra[-1] else 1))
            text = text.replace("    bullets:", "    bullets:") .replace(
                "      - The group was designated in 2019.[^unsc-2018]", f"      - The group was designated.{refs}[^unsc-2018]")
            ops.append("free-text notes")
        elif pick == 5:
            extra.append("origins:\n  kind: merger\n  date: 2017-03\n  groups: ["
                         + ", ".join(f"{{name: {line()}}}" for _ in range(rng.choice((2, 12, 30)))) + "]\n"
                         "allegiance:\n" + "".join(f"  - {{group: {line()}, leader: {line()}, title: {line()}}}\n"
                                                   for _ in range(rng.choice((1, 6, 20)))))
            ops.append("origins and allegiance")
        elif pick == 6:
            n = rng.choice((1, 20, 100))
            extra.append("attacks:\n" + "".join(
                f"  - {{id: a{i}, date: 2018-0{1 + i % 9}, place: {_q(_text(rng, rng.choice((500, 30)), latin=True))}, "
                f"country: Mali, latitude: {11 + i % 9}, longitude: {-5 + i % 9}, "
                f"summary: {_q(_text(rng, rng.choice((2000, 100))))}}}\n" for i in range(n)))
            kinds = ("chart", "fatalities", "map")
            text = text.replace("      - figure: photo\n", "      - figure: photo\n"
                                + "".join(f"      - figure: {k}\n" for k in kinds))
            text = text.replace("sources:", "".join(
                f"  - {{id: {k}, kind: {k}, caption: c, alt: a, data: assets/data/agg.json}}\n" for k in kinds)
                + "sources:")
            ops.append(f"{n} attacks, charted and mapped")
        elif pick == 7:
            n = rng.choice((1, 250, 999))
            text = text.replace("      - The group was designated in 2019.[^unsc-2018]",
                                "      - " + _q("x[^unsc-2018] " * n) + "\n      - The group.[^unsc-2018]")
            ops.append(f"{n} citations")
        elif pick == 8:
            text = text.replace("    caption: A portrait.\n", f"    caption: {_q(_text(rng, rng.choice((1750, 900))))}\n"
                                f"    credit: {_q(_text(rng, 60))}\n    slide_title: {line()}\n")
            ops.append("long caption")
        elif pick == 9:
            text = text.replace("    title: Twenty-second report\n", f"    title: {line()}\n    short_title: {line()}\n")
            text = text.replace("    author: United Nations Security Council\n", f"    author: {line()}\n")
            ops.append("long source")
        elif pick == 10:
            text = text.replace("  title: Test Backgrounder\n", f"  title: {_q(_text(rng, 255))}\n")
            text = text.replace("  copyright: ©2020 Test Institute", f"  copyright: {_q(_text(rng, 255))}\n"
                                f"  subject: {_q(_text(rng, 255))}\n  keywords: [{_q(_text(rng, 250))}]")
            ops.append("deck properties at 255")
        else:
            deep = "*" * 40 + "deep" + "*" * 40
            text = text.replace("      - The group was designated in 2019.[^unsc-2018]",
                                f"      - {_q(deep)}\n      - The group.[^unsc-2018]")
            ops.append("emphasis 20 deep")
    return text + "".join(extra), ops


EXTREME_OPTIONS = ((), ("--notes", "footnotes", "--paper", "a4"), ("--citations", "footer"),
                   ("--notes", "footnotes", "--citations", "footer"))


def check_extreme(text: str, folder: Path, *, options: tuple[str, ...] = ()) -> tuple[list[str], str]:
    """Validate `text` and build it with the writer `options` (one of EXTREME_OPTIONS)."""
    (folder / "assets" / "data").mkdir(parents=True, exist_ok=True)
    shutil.copy(AGGREGATE, folder / "assets" / "data" / "agg.json")
    file = folder / "content.yaml"
    file.write_text(text, encoding="utf-8")
    return validate_then_build(file, folder / "out", *options)
