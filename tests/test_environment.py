"""Packaging: environment.yml and pyproject.toml name the same dependencies; data files ship."""

from __future__ import annotations

import re
import tomllib

from analysis import config

NAME_RE = re.compile(r"^\s*-\s*([A-Za-z0-9_.\-]+)")


def _name(spec: str) -> str:
    return re.split(r"[<>=!~ \[]", spec.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _pyproject_names() -> set[str]:
    data = tomllib.loads((config.ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    specs = project["dependencies"] + [s for group in project.get("optional-dependencies", {}).values() for s in group]
    return {_name(s) for s in specs}


def _environment_names() -> set[str]:
    names = set()
    text = (config.ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = NAME_RE.match(line)
        if m and not line.strip().startswith("- -e") and m.group(1) not in ("pip",):
            names.add(_name(m.group(1)))
    return names - {"python"}


def test_environment_yml_and_pyproject_name_the_same_packages():
    assert _environment_names() == _pyproject_names()


def test_environment_installs_the_package_itself():
    assert "- -e ." in (config.ROOT / "environment.yml").read_text(encoding="utf-8")


def test_parameter_files_exist():
    for name in ("userdict.txt", "stopwords_general.txt", "stopwords_bureaucratic.txt", "boilerplate.csv"):
        assert config.resource(name).is_file()
