"""The decree's document-type table (scripts/document_types.py) is the one source of the type schemas."""
import importlib.util
from pathlib import Path

import pytest

ROOT = Path(__file__).parent.parent
TEMPLATES = ROOT / "vanthu" / "templates"


def _table():
    spec = importlib.util.spec_from_file_location("document_types", ROOT / "scripts" / "document_types.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


TABLE = _table()


@pytest.mark.parametrize("row", TABLE.TYPES, ids=[row[0] for row in TABLE.TYPES])
def test_the_committed_schema_is_the_one_the_table_generates(row):
    committed = (TEMPLATES / f"{row[0]}.yaml").read_text(encoding="utf-8")
    assert committed == TABLE.schema_text(*row), (
        f"vanthu/templates/{row[0]}.yaml differs from its row in scripts/document_types.py; "
        "edit the table and run scripts/build_templates.py")


def test_every_typed_schema_has_a_row():
    generated = {row[0] for row in TABLE.TYPES}
    typed = {p.stem for p in TEMPLATES.glob("*.yaml") if "Sinh bởi scripts/build_templates.py" in p.read_text("utf-8")}
    assert typed == generated
