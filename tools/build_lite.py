"""Build the serverless edition (JupyterLite + Pyodide kernel) into build/lite/_output.

Run by `make lite`; the design and its limits are in docs/serverless.md. Everything here builds
offline from this machine's packages: the mastolib wheel (course tables inside), the pure-Python
wheels the notebooks need beyond Pyodide's own distribution (versions from requirements.lock),
and the JupyterLite app shipped in the jupyterlite-core wheel. Pyodide itself and its compiled
packages (numpy, pandas) are NOT bundled: the kernel loads them from the Pyodide CDN at run time.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / "build" / "lite"
# Pure-Python wheels installed into the Pyodide kernel with piplite (numpy and pandas come from
# the Pyodide distribution; ipykernel and widgetsnbextension are shims in pyodide-kernel).
PIPLITE = ["plotly", "narwhals", "ipywidgets", "comm", "jupyterlab-widgets", "traitlets"]
# Prepended to every notebook copy: install the course package and its widgets/figures stack
# from the site's own wheel index (mastolib's server-side dependencies - JupyterLab, Voila -
# are not needed, hence --no-deps).
# Progress goes to /drive, the kernel's view of the browser-stored files (kept across reloads;
# the kernel's home folder is in memory and lost on reload).
INSTALL_CELL = ("# Serverless edition: install the course helpers into this browser kernel.\n"
                "%pip install -q --no-deps mastolib\n"
                "%pip install -q " + " ".join(PIPLITE) + "\n"
                "import os\n"
                'os.environ.setdefault("MASTOLIB_PROGRESS", "/drive/mastolib-progress.json")')


def _locked(names: list[str]) -> list[str]:
    pins = {}
    for line in (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^([A-Za-z0-9._-]+)==(\S+)", line)
        if match:
            pins[match.group(1).lower().replace("_", "-")] = line.strip()
    return [pins[name] for name in names]


def _run(*args: str, cwd: Path = ROOT) -> None:
    print("+", " ".join(args), flush=True)
    subprocess.run(args, check=True, cwd=cwd)


def _notebook_copy(source: Path, target: Path) -> None:
    nb = json.loads(source.read_text(encoding="utf-8"))
    cell = {"cell_type": "code", "execution_count": None, "id": "lite-install",
            "metadata": {"tags": ["lite-install"]}, "outputs": [],
            "source": INSTALL_CELL.splitlines(keepends=True)}
    nb["cells"].insert(0, cell)
    target.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def main() -> int:
    shutil.rmtree(BUILD, ignore_errors=True)
    wheels, contents = BUILD / "wheels", BUILD / "contents"
    (contents / "notebooks").mkdir(parents=True)
    wheels.mkdir(parents=True)
    _run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), ".")
    _run(sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "--quiet",
         "-d", str(wheels), *_locked(PIPLITE))
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        _notebook_copy(path, contents / "notebooks" / path.name)
    _run(sys.executable, "-m", "jupyter", "lite", "build", "--lite-dir", str(BUILD),
         "--contents", str(contents), "--output-dir", str(BUILD / "_output"),
         *(arg for w in sorted(wheels.glob("*.whl")) for arg in ("--piplite-wheels", str(w))),
         cwd=BUILD)  # its task database (.jupyterlite.doit.db) stays in build/
    print(f"serverless edition: {BUILD / '_output'} "
          f"(serve it: python -m http.server -d {BUILD / '_output'}; see docs/serverless.md)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
