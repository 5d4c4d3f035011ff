"""environment.yml (Binder/conda) and pyproject.toml (pip) list the same runtime stack."""

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    return match.group(1).lower().replace("_", "-"), match.group(2).replace(" ", "")


def test_environment_yml_matches_pyproject_runtime_dependencies():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = dict(_split(r) for r in pyproject["project"]["dependencies"])
    env = yaml.safe_load((ROOT / "environment.yml").read_text())
    conda = dict(_split(d) for d in env["dependencies"] if isinstance(d, str))
    conda.pop("pip", None)
    python_range = conda.pop("python")
    assert python_range == pyproject["project"]["requires-python"]
    assert conda == wanted


def test_binder_installs_the_package_itself():
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"


def test_readme_shows_the_two_commands_and_binder_links():
    readme = (ROOT / "README.md").read_text()
    first_screen = "\n".join(readme.splitlines()[:40])
    assert "make lab" in first_screen and "make test" in first_screen
    assert "mybinder.org/v2/gh/" in readme
    assert "urlpath=lab/tree/notebooks/00_start_here.ipynb" in readme
    assert "urlpath=voila/render/notebooks/" in readme


def test_ci_runs_make_test_and_requires_the_browser():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in ci
    assert "MASTOLIB_REQUIRE_BROWSER=1" in ci
    assert "apt-get install -y" in ci and "chromium" in ci


def test_import_mastolib_stays_light():
    code = ("import sys, mastolib; heavy = [m for m in ('plotly', 'ipywidgets', 'pandas', 'numpy') "
            "if m in sys.modules]; print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "", f"import mastolib pulled in: {out.stdout.strip()}"
