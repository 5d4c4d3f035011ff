"""JupyterHub for one class, on one machine: `make hub` runs it; tests/hub/ simulates a class on it.

Every setting a teacher may change is an environment variable (defaults in brackets):

MASTOLIB_HUB_DIR       state: sqlite db, cookie secret, logs            [<repo>/.hub]
MASTOLIB_HUB_IP/PORT   where the hub listens (and PORT+1, PORT+2 locally)  [127.0.0.1 / 8000]
MASTOLIB_HUB_TEACHER   the teacher's account: approves sign-ups, starts and stops servers,
                       but has NO access to students' servers or files     [teacher]
MASTOLIB_HUB_ROSTER    file with one student name per line: these sign up without waiting
                       for approval; anyone else waits for the teacher     [none]
MASTOLIB_HUB_SPAWNER   "system": one Unix account and home per student (needs root; the only
                       mode that keeps students out of each other's files), "simple": every
                       student runs as the hub's own user, homes under MASTOLIB_HUB_DIR/homes
                       (a teacher's laptop)                                [system if root]
MASTOLIB_COURSE_REPO   git URL the course is pulled from by nbgitpuller    [this repository]
MASTOLIB_COURSE_REF    branch or tag pulled (use the release tag)          [current branch]
MASTOLIB_HUB_ADMINS    comma-separated full hub administrators (IT staff)  [none]

Authentication: NativeAuthenticator (accounts kept in the hub's db, passwords hashed with
bcrypt). Students sign up at /hub/signup; the teacher approves them at /hub/authorize. For an
institution use its single sign-on instead (docs/deploy.md: OAuthenticator, LTI).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlencode

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

REPO = Path(__file__).resolve().parents[2]
HUB_DIR = Path(os.environ.get("MASTOLIB_HUB_DIR", REPO / ".hub")).resolve()
HUB_DIR.mkdir(parents=True, exist_ok=True)
# The db holds password hashes and the cookie secret: students' kernels run on this machine.
HUB_DIR.chmod(0o700)
BIN = Path(sys.executable).parent
IS_ROOT = os.geteuid() == 0
SPAWNER = os.environ.get("MASTOLIB_HUB_SPAWNER", "system" if IS_ROOT else "simple")
TEACHER = os.environ.get("MASTOLIB_HUB_TEACHER", "teacher")
ADMINS = {n for n in os.environ.get("MASTOLIB_HUB_ADMINS", "").split(",") if n}


def _git(*args: str) -> str:
    return subprocess.run(["git", "-C", str(REPO), *args], capture_output=True, text=True,
                          check=False).stdout.strip()


COURSE_REPO = os.environ.get("MASTOLIB_COURSE_REPO", str(REPO))
COURSE_REF = os.environ.get("MASTOLIB_COURSE_REF") or _git("rev-parse", "--abbrev-ref", "HEAD")
COURSE_DIR = "mastocytosis-course"

# ---------------------------------------------------------------- network, state, proxy
c.JupyterHub.ip = os.environ.get("MASTOLIB_HUB_IP", "127.0.0.1")
c.JupyterHub.port = PORT = int(os.environ.get("MASTOLIB_HUB_PORT", "8000"))
# The hub's own API and the proxy's API on the next two ports (loopback only), so that two
# hubs on one machine (a test next to a teacher's hub) do not collide on 8081/8001.
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = PORT + 1
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PORT + 2}"
c.JupyterHub.db_url = f"sqlite:///{HUB_DIR / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(HUB_DIR / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(HUB_DIR / "jupyterhub.pid")
c.ConfigurableHTTPProxy.pid_file = str(HUB_DIR / "proxy.pid")
# configurable-http-proxy from npm, installed by `make hub-deps` next to this file.
_chp = Path(__file__).parent / "node_modules" / ".bin" / "configurable-http-proxy"
c.ConfigurableHTTPProxy.command = [str(_chp) if _chp.exists()
                                   else shutil.which("configurable-http-proxy")
                                   or "configurable-http-proxy"]

# ---------------------------------------------------------------- who may log in
c.JupyterHub.authenticator_class = "native"
c.NativeAuthenticator.open_signup = False          # every sign-up waits for the teacher ...
c.NativeAuthenticator.minimum_password_length = 8
c.NativeAuthenticator.check_common_password = True
c.NativeAuthenticator.allowed_failed_logins = 5
c.NativeAuthenticator.seconds_before_next_try = 120
# ... so whoever the teacher has approved may use the hub; the approval is the gate.
c.Authenticator.allow_all = True
# Names are Unix account names in "system" mode.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{1,30}$"
_roster = os.environ.get("MASTOLIB_HUB_ROSTER")
_students = ({n.strip().lower() for n in Path(_roster).read_text().split() if n.strip()}
             if _roster else set())
# NativeAuthenticator pre-approves names in allowed_users (the roster and the teacher).
c.Authenticator.allowed_users = _students | {TEACHER}
c.Authenticator.admin_users = ADMINS

# The hub's built-in admin role may open every user's server (there is no admin_access switch
# since JupyterHub 2). The teacher gets a narrower role: approve accounts, see the admin page,
# start and stop servers - no access:servers, so no way into a student's notebooks or files.
c.JupyterHub.load_roles = [
    {"name": "teacher", "users": [TEACHER],
     "scopes": ["admin-ui", "admin:users", "admin:servers", "list:users", "read:users"]},
    {"name": "jupyterhub-idle-culler",
     "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["jupyterhub-idle-culler"]},
]

# ---------------------------------------------------------------- one server and home per student
if SPAWNER == "system":
    # One Unix account per student, created on first spawn with a private home (mode 0700).
    HOMES = Path(os.environ.get("MASTOLIB_HUB_HOMES", "/home"))

    def _create_system_user(spawner):
        import pwd
        name = spawner.user.name
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--home-dir", str(HOMES / name),
                            "--shell", "/usr/sbin/nologin", name], check=True)
        os.chmod(pwd.getpwnam(name).pw_dir, 0o700)

    c.JupyterHub.spawner_class = "jupyterhub.spawner.LocalProcessSpawner"
    c.Spawner.pre_spawn_hook = _create_system_user
elif SPAWNER == "simple":
    c.JupyterHub.spawner_class = "jupyterhub.spawner.SimpleLocalProcessSpawner"
    c.SimpleLocalProcessSpawner.home_dir_template = str(HUB_DIR / "homes" / "{username}")
else:
    raise ValueError(f"MASTOLIB_HUB_SPAWNER={SPAWNER!r}; allowed: 'system', 'simple'")

c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
# Learners' progress stays in their own home (~/.mastolib/progress.json, the default).
# etc/jupyter: Voila's class template (no CDN) and settings (no tracebacks).
c.Spawner.environment = {"PATH": f"{BIN}:/usr/local/bin:/usr/bin:/bin",
                         "JUPYTER_PATH": str(REPO / "etc" / "jupyter"),
                         "JUPYTER_CONFIG_PATH": str(REPO / "etc" / "jupyter")}
if Path(COURSE_REPO).is_dir():
    # A course repository on this machine belongs to another account than the students', and
    # git refuses it ("dubious ownership") unless a protected config lists it: git drops
    # GIT_CONFIG_COUNT for local clones, so a global config file that also includes the
    # student's own ~/.gitconfig.
    import hashlib
    import tempfile
    _git_dir = Path(tempfile.gettempdir()) / (
        "mastolib-hub-git-" + hashlib.sha256(COURSE_REPO.encode()).hexdigest()[:12])
    _git_dir.mkdir(mode=0o755, exist_ok=True)
    _gitconfig = _git_dir / "gitconfig"
    _gitconfig.write_text(f"[safe]\n\tdirectory = {COURSE_REPO}\n"
                          "[include]\n\tpath = ~/.gitconfig\n")
    _gitconfig.chmod(0o644)
    c.Spawner.environment["GIT_CONFIG_GLOBAL"] = str(_gitconfig)
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 90
c.Spawner.args = [
    # Kernels left behind (a closed tab, a Voila page that never connected) are shut down after
    # 20 min idle; an open, idle notebook keeps its kernel (cull_connected False).
    "--MappingKernelManager.cull_idle_timeout=1200",
    "--MappingKernelManager.cull_interval=120",
    "--MappingKernelManager.cull_connected=False",
    "--MappingKernelManager.cull_busy=False",
]
# Advertised to the server (MEM_LIMIT); enforced only by container spawners (z2jh). Sized from
# the memory measured per student in the simulated class (docs/deploy.md, "Sizing").
c.Spawner.mem_limit = os.environ.get("MASTOLIB_HUB_MEM_LIMIT", "1G")

# First login pulls the course (nbgitpuller) and opens the first notebook as an app; later
# logins merge the teacher's updates without overwriting the student's own changes.
_pull = urlencode({"repo": COURSE_REPO, "branch": COURSE_REF, "targetpath": COURSE_DIR,
                   "urlpath": f"lab/tree/{COURSE_DIR}/notebooks/00_start_here.ipynb"})
c.Spawner.default_url = f"/git-pull?{_pull}"

# ---------------------------------------------------------------- stop idle servers
c.JupyterHub.services = [{
    "name": "jupyterhub-idle-culler",
    "command": [str(BIN / "python"), "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('MASTOLIB_HUB_CULL_TIMEOUT', '3600')}",
                "--cull-every=300", "--concurrency=5"],
}]
# Limit simultaneous starts: a class logging in at 9:00 on a small machine.
c.JupyterHub.concurrent_spawn_limit = int(os.environ.get("MASTOLIB_HUB_SPAWN_LIMIT", "10"))
c.JupyterHub.active_server_limit = int(os.environ.get("MASTOLIB_HUB_SERVER_LIMIT", "0"))
