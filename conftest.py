"""Test-wide isolation: nothing a test (or a notebook run by nbval) does touches $HOME."""

import os
import tempfile

_ROOT = tempfile.mkdtemp(prefix="mastolib-tests-")
os.environ["MASTOLIB_PROGRESS"] = os.path.join(_ROOT, "progress.json")
for _var in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "IPYTHONDIR", "XDG_CONFIG_HOME",
             "XDG_CACHE_HOME"):
    os.environ[_var] = os.path.join(_ROOT, _var.lower())
    os.makedirs(os.environ[_var], exist_ok=True)
