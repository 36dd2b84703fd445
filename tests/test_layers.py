"""The import graph of ``vanthu``: layers only import downwards, no cycles, no private names.

Every import counts, also those inside functions: an import moved into a
function to dodge a cycle is still the cycle. The layers are the arrows of
docs/architecture.md.
"""
import ast
from pathlib import Path

PACKAGE = Path(__file__).parent.parent / "vanthu"

# Bottom to top. A module may import its own part and the parts of lower layers, nothing else.
LAYERS = [
    {"errors", "__init__"},
    {"files", "environment", "faults", "vndate", "docnumber", "yamlfile"},
    {"citations", "sheets"},
    {"templates"},
    {"generator", "search"},
    {"signing"},
    {"archive"},
    {"workflow"},
    {"web"},
    {"cli"},  # the entry point: its ``serve`` starts the web skin
]


def modules():
    """``{module name: path}`` for every module of the package."""
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def part_of(module):
    """``vanthu.archive.catalog`` -> ``archive``; ``vanthu.cli`` -> ``cli``; ``vanthu`` -> ``__init__``."""
    names = module.split(".")
    return names[1] if len(names) > 1 else "__init__"


def imports(module, path, known):
    """``(target module, name used from it)`` for every import of a vanthu module in ``module``.

    The name is the imported one (``from .x import name``), or an attribute
    read from an imported module (``x.name``); None for the module itself.
    """
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases = {}  # local name -> module, for attribute reads
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name in known:
                    aliases[alias.asname or alias.name] = alias.name
                    yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module
            for alias in node.names:
                inner = f"{base}.{alias.name}"
                if inner in known:
                    aliases[alias.asname or alias.name] = inner
                    yield inner, None
                elif base in known:
                    yield base, alias.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            yield aliases[node.value.id], node.attr


def graph():
    known = modules()
    return {m: [(t, name) for t, name in imports(m, p, known) if t != m] for m, p in known.items()}


def layer(part):
    return next(i for i, parts in enumerate(LAYERS) if part in parts)


def test_every_part_has_a_layer():
    assert sorted({part_of(m) for m in modules()} - set().union(*LAYERS)) == []


def test_no_import_goes_up_or_sideways():
    wrong = [f"{m} -> {t}" for m, targets in graph().items() for t, _ in targets
             if part_of(t) != part_of(m) and layer(part_of(t)) >= layer(part_of(m))]
    assert wrong == []


def test_no_module_imports_another_modules_private_names():
    wrong = [f"{m}: {name} from {t}" for m, targets in graph().items() for t, name in targets
             if name and name.startswith("_") and not name.startswith("__")]
    assert wrong == []


def test_the_module_graph_has_no_cycle():
    edges = {m: sorted({t for t, _ in targets}) for m, targets in graph().items()}
    assert find_cycle(edges) is None


def find_cycle(edges):
    """One cycle of the graph as a list of modules, or None."""
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in edges.get(node, ()):
            if state.get(nxt) == "open":
                return path[path.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt, path + [nxt])):
                return cycle
        state[node] = "done"
        return None

    return next((c for node in sorted(edges) if node not in state and (c := visit(node, [node]))), None)


def test_the_checks_see_a_private_name_read_through_a_module(tmp_path):
    source = tmp_path / "user.py"
    source.write_text("from . import helper\nfrom .other import _hidden\nhelper._secret()\n", encoding="utf-8")
    found = list(imports("vanthu.user", source, {"vanthu.helper", "vanthu.other"}))
    assert ("vanthu.helper", "_secret") in found and ("vanthu.other", "_hidden") in found


def test_the_checks_see_a_cycle_and_an_upward_import():
    assert find_cycle({"a": ["b"], "b": ["c"], "c": ["a"]}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": ["b"], "b": []}) is None
    assert layer("search") < layer("archive") and layer("templates") < layer("generator")
