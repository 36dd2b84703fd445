"""Every built-in template and every rendered document passes ``openxml-audit -f office2016``
with no finding (a finding is a file Word may repair or refuse)."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import render_all, run_cli
from test_document_types import EXAMPLES, filled_skeleton
from vanthu.templates import TemplateLibrary

TEMPLATES = Path(__file__).parent.parent / "vanthu" / "templates"


def audit(folder):
    """openxml-audit's findings for every .docx under ``folder``: {file name: [messages]}."""
    command = [sys.executable, "-m", "openxml_audit", "-f", "office2016", "-o", "json", "-r", "-m", "0", str(folder)]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    reports = json.loads(done.stdout)
    assert reports, done.stderr
    return {Path(r["file"]).name: [e.get("description") or e for e in r["errors"]] + r.get("warnings", [])
            for r in reports if r["error_count"] or r["warning_count"] or not r["valid"]}, len(reports)


def test_every_built_in_template_opens_clean():
    findings, count = audit(TEMPLATES)
    assert count == len(list(TEMPLATES.rglob("*.docx")))  # blocks/ too (the copy block, model 3.1)
    assert findings == {}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every example, and a filled skeleton of every template type, rendered to DOCX."""
    out = tmp_path_factory.mktemp("audit")
    render_all(EXAMPLES, [p.stem for p in EXAMPLES.glob("*.yaml")], out)
    work = tmp_path_factory.mktemp("skeletons")
    for name in TemplateLibrary().names():
        record = filled_skeleton(run_cli, work, name)
        assert run_cli("render", record, "-o", out / f"skeleton-{name}.docx").code == 0
    return out


def test_every_rendered_document_opens_clean(rendered):
    findings, count = audit(rendered)
    assert count == len(list(rendered.glob("*.docx"))) > 40
    assert findings == {}
