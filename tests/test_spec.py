"""The reader's fast path (content/spec.py) against the schema (content/schema.py): the same
fields, defaults and keys, and on content it vouches for, exactly the values the schema makes;
whatever the schema would refuse, it doubts (leaving the messages to the schema)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from jnim_export.content import schema, spec
from jnim_export.content.validate import _validate_by_schema
from jnim_export.content import ContentError
from jnim_export.content.yamlsource import read_yaml

HERE = Path(__file__).parent
SOURCES = [HERE.parent / "content.yaml", HERE / "data" / "second" / "content.yaml"]

sys.path.insert(0, str(HERE / "fuzz"))
from mutate import mutant  # noqa: E402


@pytest.mark.parametrize("name", sorted(spec.PARTS))
def test_each_part_has_the_schemas_fields_keys_and_defaults(name):
    model = getattr(schema, name)
    part = spec.PARTS[name]
    assert list(part.FIELDS) == list(model.model_fields)
    for field, info in model.model_fields.items():
        mine = part.FIELDS[field]
        assert (mine.alias or field) == (info.alias or field), field
        if info.is_required():
            assert mine.default is spec._REQUIRED, field
        else:
            default = mine.default() if callable(mine.default) else mine.default
            assert default == spec.from_model(info.get_default(call_default_factory=True)), field


def _document(text: bytes, tmp_path: Path):
    file = tmp_path / "content.yaml"
    file.write_bytes(text)
    try:
        data, positions = read_yaml(file)
    except ContentError:
        return None
    if not isinstance(data, dict):
        return None
    for key in [k for k in data if k not in spec.ContentSpec.FIELDS and isinstance(data[k], (dict, type(None)))]:
        data.pop(key)  # a writer's section
    return file, positions, data


def _agrees(found, tmp_path: Path) -> str:
    """'' where the fast path doubts, or vouches for exactly what the schema makes; else what differs."""
    file, positions, data = found
    fast = spec.accept(data)
    if fast is None:
        return ""
    model, problems, _, _ = _validate_by_schema(file, positions, data, ())
    if problems:
        return f"the fast path took content the schema refuses: {[str(p) for p in problems]}"
    slow = spec.from_model(model)
    return "" if slow == fast else f"the values differ:\n{fast!r}\n{slow!r}"


def test_the_real_content_takes_the_fast_path_to_the_schemas_values(tmp_path):
    for source in SOURCES:
        found = _document(source.read_bytes(), tmp_path)
        assert spec.accept(found[2]) is not None, source
        assert _agrees(found, tmp_path) == ""


@pytest.mark.slow
@pytest.mark.parametrize("source", SOURCES, ids=["content", "second"])
def test_mutants_the_fast_path_takes_are_those_the_schema_takes_alike(source, tmp_path):
    """Mutants of the real content (wrong types, hostile values, edits of every kind): each one
    the fast path takes, the schema takes too, with the same values."""
    text = source.read_bytes()
    taken = 0
    for index in range(200):
        found = _document(mutant(text, 20_261_206, index)[0], tmp_path)
        if found is not None:
            assert _agrees(found, tmp_path) == "", index
            taken += spec.accept(found[2]) is not None
    assert taken > 15  # most mutants break something; enough are still good content


@pytest.mark.parametrize("key, value", [
    ("latitude", "12.5"), ("latitude", True), ("latitude", float("nan")), ("date", 2018), ("place", 7),
    ("place", "x\ty"), ("cite", "a"), ("summary", ""), ("id", "a b"), ("id", "a\n"),
])
def test_a_value_the_schema_may_see_otherwise_is_left_to_it(key, value, tmp_path):
    found = _document(SOURCES[0].read_bytes(), tmp_path)
    found[2]["attacks"][0][key] = value
    assert spec.accept(found[2]) is None
