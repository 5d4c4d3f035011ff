"""Launch links for classrooms: Binder (JupyterLab and Voilà entry points) and nbgitpuller.

The project's public repository is named once, in :data:`REPOSITORY`; the README's badges are
checked against these functions by the tests, so a fork changes one line.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

from ._version import __version__

REPOSITORY = "mastolib/mastocytosis-course"
# Launch links open the release tag of this version, so a rebuild gets the same course and
# locked image (docs/release.md); never the moving main branch.
BRANCH = f"v{__version__}"


def binder_url(urlpath: str = "lab/tree/notebooks/00_start_here.ipynb",
               repository: str = REPOSITORY, branch: str = BRANCH) -> str:
    """Return a mybinder.org launch URL opening ``urlpath`` (Lab or ``voila/render/...``).

    Examples
    --------
    >>> binder_url("voila/render/notebooks/00_start_here.ipynb", "me/course")
    'https://mybinder.org/v2/gh/me/course/main?urlpath=voila/render/notebooks/00_start_here.ipynb'
    """
    if repository.count("/") != 1 or not all(repository.split("/")):
        raise ValueError(f"repository {repository!r} must look like 'owner/name'")
    return f"https://mybinder.org/v2/gh/{repository}/{branch}?urlpath={quote(urlpath, safe='/')}"


def nbgitpuller_url(hub_url: str, repository: str = REPOSITORY, branch: str = BRANCH,
                    notebook: str = "notebooks/00_start_here.ipynb", interface: str = "lab") -> str:
    """Return an nbgitpuller link that copies the course into a student's home on ``hub_url``.

    Parameters
    ----------
    hub_url : str
        Base URL of the class JupyterHub, e.g. ``https://hub.example.edu``.
    interface : {"lab", "voila"}
        Open the notebook in JupyterLab or render it as an app with Voilà.
    """
    if not hub_url.startswith(("https://", "http://")):
        raise ValueError(f"hub_url {hub_url!r} must start with https:// (or http://)")
    if interface not in ("lab", "voila"):
        raise ValueError(f"interface {interface!r} must be 'lab' or 'voila'")
    folder = repository.split("/")[-1]
    target = (f"lab/tree/{folder}/{notebook}" if interface == "lab"
              else f"voila/render/{folder}/{notebook}")
    query = urlencode({"repo": f"https://github.com/{repository}", "branch": branch,
                       "urlpath": target})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"
