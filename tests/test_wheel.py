"""The package works as a wheel: built from this tree, installed into a fresh virtual
environment, it loads the course tables shipped inside it and runs notebook 03's helpers.

The fresh environment installs only the wheel (``--no-deps --no-index``); the third-party
stack (pandas, plotly, ipywidgets) is reused from the environment running the tests through a
path file, and ``pip check`` there proves the wheel's declared requirements are met. The source
tree is never on its path and ``MASTOLIB_DATA`` is unset, so the tables must come from the wheel.
"""

import json
import os
import subprocess
import sys
import sysconfig
import textwrap
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# One notebook's helpers (03_classification), as the notebook calls them.
SCRIPT = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    import mastolib as ml
    from mastolib.tables._data import data_dir, load_json
    here = Path(ml.__file__).resolve().parent
    assert "site-packages" in str(here), here
    assert data_dir() == here / "data", data_dir()
    tree = ml.entity_table("icc2022")
    c18 = ml.compare_schemes(ml.case_findings("c18"))
    dx = ml.diagnose(ml.case_findings("c13"), "who2022")
    fig = ml.bc_findings_figure(["c13", "c14", "c24"], "who2022")
    comparison = ml.scheme_comparison()
    quiz = load_json("quiz/03_classification.json")
    print(json.dumps({
        "version": ml.__version__, "entities": len(tree), "c18_rows": len(c18.to_frame()),
        "c13": str(dx.category), "traces": len(fig.data), "differs": int(comparison["differs"].sum()),
        "quiz": quiz["quiz_id"], "sources": len(ml.load_records("sources")),
    }))
""")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out),
                    str(ROOT)], check=True, cwd=out)
    (path,) = out.glob("mastolib-*.whl")
    return path


def test_the_wheel_ships_the_tables_and_both_licences(wheel):
    names = zipfile.ZipFile(wheel).namelist()
    shipped = {n.removeprefix("mastolib/data/") for n in names if n.startswith("mastolib/data/")}
    in_repo = {p.relative_to(ROOT / "data").as_posix() for p in (ROOT / "data").rglob("*")
               if p.is_file()}
    assert shipped == in_repo
    licences = {Path(n).name for n in names if ".dist-info/licenses/" in n}
    assert licences == {"LICENSE", "CC-BY-4.0.txt"}
    assert not any(n.startswith(("tools/", "tests/", "data/")) for n in names)


def test_the_wheel_runs_a_notebooks_helpers_in_a_fresh_environment(wheel, tmp_path):
    env_dir = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    site = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                          capture_output=True, text=True, check=True).stdout.strip()
    # Third-party packages from the running environment, after the fresh site-packages (a .pth
    # line only appends a folder: the editable mastolib of the running environment stays out).
    Path(site, "zz_shared_stack.pth").write_text(sysconfig.get_path("purelib") + "\n")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "MASTOLIB_DATA")}
    check = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "check"],
                           capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    run = subprocess.run([python, "-I", "-c", SCRIPT], capture_output=True, text=True,
                         cwd=tmp_path, env=env)
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout.strip().splitlines()[-1])
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert result["version"] == pyproject["project"]["version"]
    assert result["entities"] > 5 and result["traces"] >= 1 and result["sources"] > 10
    assert result["quiz"] == "03_classification"
