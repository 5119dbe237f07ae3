"""environment.yml (conda, for analysts on Windows) must describe the same dependencies as pyproject.toml."""

import re
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _norm(req: str) -> tuple[str, str]:
    m = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", req)
    assert m, req
    return m.group(1).lower().replace("_", "-"), m.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    wanted = set(project["dependencies"])
    for extra in ("dev", "lab"):
        wanted |= set(project["optional-dependencies"][extra])
    wanted = {_norm(r) for r in wanted}

    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    have = set()
    for dep in env["dependencies"]:
        if isinstance(dep, dict):
            have |= {_norm(r) for r in dep["pip"] if not r.startswith("-e")}
        elif not dep.startswith(("python=", "pip")) or dep.startswith("pip "):
            have.add(_norm(dep))
    assert have == wanted
    assert "python=3.11" in env["dependencies"]
