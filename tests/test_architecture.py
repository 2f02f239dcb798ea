"""The code shows its pipeline: stage packages, each documented, imports only down the pipeline."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "banmian"
# a stage may import from the stages before it (and itself), never from a later one
ORDER = ["core", "source", "compose", "graphics", "render", "export", "check", "pipeline", "live", "cli"]
BESIDE = {"ingest": {"core", "ingest"}}  # ingest stands beside the pipeline, on core alone
TOP_LEVEL_LIMIT = 8


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports(path: Path) -> list[tuple[int, str]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("banmian"):
            names = [node.module + "." + a.name for a in node.names] if node.module == "banmian" \
                else [node.module]
            found += [(node.lineno, n) for n in names]
        elif isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.startswith("banmian")]
    return found


def test_stage_packages_and_few_top_level_modules() -> None:
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert len(top) <= TOP_LEVEL_LIMIT, top
    packages = sorted(p.name for p in SRC.iterdir() if (p / "__init__.py").is_file())
    assert set(ORDER) - {"pipeline"} <= set(packages) | {"pipeline"}
    assert len(packages) >= 6, packages
    for name in packages:
        doc = ast.get_docstring(ast.parse((SRC / name / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Takes:" in doc and "Gives:" in doc, f"{name}/__init__.py: say what it takes and gives"


def test_every_module_opens_with_what_it_does() -> None:
    for path in SRC.rglob("*.py"):
        doc = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
        assert doc, f"{path.relative_to(SRC)} has no docstring"


def test_imports_go_down_the_pipeline_only() -> None:
    wrong = []
    for path in SRC.rglob("*.py"):
        rel = path.relative_to(SRC)
        here = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if here not in ORDER and here not in BESIDE:
            continue
        for line, module in _imports(path):
            there = _stage(module)
            if there in ("", "__main__") or there == here:
                continue
            allowed = BESIDE[here] if here in BESIDE else set(ORDER[: ORDER.index(here) + 1])
            if here not in BESIDE and there in BESIDE:
                allowed = allowed | ({there} if here in ("cli",) else set())
            if there not in allowed:
                wrong.append(f"{rel}:{line} imports {module} ({here} → {there})")
    assert not wrong, "\n".join(wrong)
