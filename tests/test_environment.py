"""Binder/hub image: requirements.lock pins pyproject.toml's stack, environment.yml repeats it."""

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import Version

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
import lock_environment  # noqa: E402  (tools/ is not a package: the generator of environment.yml)


def _pins() -> dict[str, Version]:
    pins = lock_environment.pins((ROOT / "requirements.lock").read_text(encoding="utf-8"))
    return {canonicalize_name(p.split("==")[0]): Version(p.split("==")[1]) for p in pins}


def _out_of_step(wanted: list[str], pins: dict[str, Version]) -> list[str]:
    problems = []
    for text in wanted:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        if name not in pins:
            problems.append(f"{name} is not in requirements.lock")
        elif not requirement.specifier.contains(pins[name], prereleases=True):
            problems.append(f"requirements.lock pins {name}=={pins[name]} outside "
                            f"{requirement.specifier}")
    return problems


def test_lock_pins_every_runtime_and_image_requirement_within_its_range():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    wanted = [*pyproject["project"]["dependencies"],
              *pyproject["project"]["optional-dependencies"]["image"]]
    pins = _pins()
    assert _out_of_step(wanted, pins) == [], "run `make lock`"
    assert {"nbgitpuller", "jupyterhub"} <= set(pins), "the hub image needs both"
    assert not {"pytest", "playwright", "nbval", "hypothesis"} & set(pins), "no test stack"


def test_the_step_check_catches_a_missing_or_stale_pin():
    pins = {canonicalize_name(p.split("==")[0]): Version(p.split("==")[1])
            for p in lock_environment.pins("pandas==1.5.3\n")}
    problems = _out_of_step(["pandas>=2.2,<4", "nbgitpuller>=1.2"], pins)
    assert len(problems) == 2 and "outside" in problems[0] and "nbgitpuller" in problems[1]
    with pytest.raises(ValueError, match="not an exact pin"):
        lock_environment.pins("pandas>=2.2\n")


def test_lock_is_for_the_image_python_and_generated_by_uv():
    header = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()[:3]
    command = " ".join(header)
    assert "uv pip compile pyproject.toml --extra image" in command
    assert f"--python-version {lock_environment.PYTHON}" in command
    makefile = (ROOT / "Makefile").read_text()
    assert "--extra image" in makefile and f"--python-version {lock_environment.PYTHON}" in makefile


def test_environment_yml_is_the_lock_with_an_exact_python():
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    lock = (ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert text == lock_environment.render(lock), "run `make lock` (tools/lock_environment.py)"
    env = yaml.safe_load(text)
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    # repo2docker reads only an exact `python=3.X` line (not `python>=3.11`).
    assert re.fullmatch(r"python=3\.\d+", conda[0]), conda[0]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    python = Version(conda[0].split("=")[1])
    assert SpecifierSet(pyproject["project"]["requires-python"]).contains(python)
    (pip,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    assert len(pip) == len(_pins()) and all("==" in line for line in pip)


def test_binder_installs_the_package_itself():
    post_build = (ROOT / "postBuild").read_text()
    assert "pip install --no-deps -e ." in post_build
    assert (ROOT / "postBuild").stat().st_mode & 0o111, "postBuild must be executable"
    # Binder's Voila: the class template and settings (progressive rendering) of make app
    assert 'cp etc/jupyter/voila.json "${config_dir}/voila.json"' in post_build
    assert "cp -r etc/jupyter/voila/templates/mastolib" in post_build


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


def _make_dry_run(target: str, venv: Path) -> str:
    out = subprocess.run(["make", "--no-print-directory", "-n", target, f"VENV={venv}"], cwd=ROOT, capture_output=True,
                         text=True, check=True)
    return out.stdout


def test_make_lab_installs_only_the_runtime_stack_and_runs_as_root(tmp_path):
    venv = tmp_path / "venv"
    lab = _make_dry_run("lab", venv)
    installs = [ln for ln in lab.splitlines() if " pip install " in ln and "--upgrade pip" not in ln]
    assert len(installs) == 1 and installs[0].rstrip().endswith("-e ."), installs
    assert "--quiet" not in installs[0], "learners see pip's progress"
    assert "--constraint requirements.lock" in installs[0]
    (start,) = [ln for ln in lab.splitlines() if "/jupyter lab " in ln]
    assert ("--allow-root" in start) == (os.geteuid() == 0)
    # Once installed (stamp present), make lab starts Lab without reinstalling.
    (stamp,) = re.findall(r"touch (\S+\.installed-runtime-\w+)", lab)
    venv.mkdir()
    Path(stamp).touch()
    again = _make_dry_run("lab", venv)
    assert "pip install" not in again and "jupyter lab" in again


def test_make_test_adds_the_test_stack_after_the_runtime_stack(tmp_path):
    venv = tmp_path / "venv"
    test = _make_dry_run("test", venv)
    # the class hub's own venv (.venv-hub, `make hub`) is installed apart from the course venv
    installs = [ln for ln in test.splitlines() if " pip install " in ln and "--upgrade pip" not in ln
                and ".venv-hub/" not in ln]
    assert [i.split()[-1] for i in installs] == [".", "'.[dev]'"], installs
    (stamp,) = re.findall(r"touch (\S+\.installed-runtime-\w+)", test)
    venv.mkdir()
    Path(stamp).touch()  # after `make lab`, `make test` adds only the test stack
    after_lab = _make_dry_run("test", venv)
    installs = [ln for ln in after_lab.splitlines() if " pip install " in ln
                and ".venv-hub/" not in ln]
    assert [i.split()[-1] for i in installs] == ["'.[dev]'"], installs
