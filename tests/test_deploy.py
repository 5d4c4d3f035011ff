"""Classroom deployment files and launch links."""

import re
import subprocess
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
import yaml

import mastolib as ml
from mastolib.course._links import REPOSITORY

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "jupyterhub"


def _bytes(size: str) -> int:
    number, unit = re.fullmatch(r"(\d+(?:\.\d+)?)([KMG])", size).groups()
    return int(float(number) * {"K": 2**10, "M": 2**20, "G": 2**30}[unit])


def _release_tag() -> str:
    import tomllib
    return "v" + tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]


# A server with one course notebook's kernel peaked at 275 MB in the simulated class
# (tests/browser/test_hub_class.py; docs/deploy.md, "Sizing").
MEASURED_PEAK_MB = 275
TEACHER_SCOPES_FORBIDDEN = {"access:servers", "admin:server_state", "tokens", "users:tokens"}


def test_z2jh_values_are_valid_and_sane():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    user = values["singleuser"]
    assert _bytes(user["memory"]["guarantee"]) <= _bytes(user["memory"]["limit"])
    assert _bytes(user["memory"]["guarantee"]) >= MEASURED_PEAK_MB * 2**20, "below one student"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    culling = user["extraFiles"]["culling"]["data"]["MappingKernelManager"]
    assert culling["cull_idle_timeout"] > 0 and culling["cull_interval"] > 0


def test_z2jh_image_and_course_come_from_one_release_tag():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    user = values["singleuser"]
    tag = _release_tag()
    assert user["image"]["tag"] == tag
    pull = urlparse(user["defaultUrl"])
    query = parse_qs(pull.query)
    assert pull.path == "/git-pull"
    assert query["branch"] == [tag], "the course pulled must be the image's release"
    assert query["repo"] == [f"https://github.com/{REPOSITORY}"]
    notebook = query["urlpath"][0].split(f"{query['targetpath'][0]}/", 1)[1]
    assert (ROOT / notebook).is_file(), f"defaultUrl opens a missing notebook: {notebook}"


def test_z2jh_has_a_real_authenticator_and_no_admin_access_to_students():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    config = values["hub"]["config"]
    assert config["JupyterHub"]["authenticator_class"] == "native"
    assert "admin_access" not in config["JupyterHub"]
    assert config["NativeAuthenticator"]["open_signup"] is False
    assert not config["Authenticator"].get("admin_users")
    teacher = values["hub"]["loadRoles"]["teacher"]
    assert "teacher" in teacher["users"] and "admin:users" in teacher["scopes"]
    assert not TEACHER_SCOPES_FORBIDDEN & set(teacher["scopes"])


def test_tljh_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(DEPLOY / "tljh-config.sh")], check=True)


def test_tljh_script_installs_no_test_stack_and_sets_a_login():
    script = (DEPLOY / "tljh-config.sh").read_text()
    assert "[dev]" not in script and "pytest" not in script and "playwright" not in script
    assert "auth.type nativeauthenticator.NativeAuthenticator" in script
    assert "open_signup false" in script
    assert '--branch "$COURSE_TAG"' in script and "branch=$COURSE_TAG" in script
    assert "cull_idle_timeout" in script
    assert "etc/jupyter/voila.json /opt/tljh/user/etc/jupyter/voila.json" in script
    assert "add-item users.admin" not in script


def _hub_config(tmp_path, monkeypatch, **env):
    from traitlets.config import Config

    monkeypatch.setenv("MASTOLIB_HUB_DIR", str(tmp_path / "state"))
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    config = Config()
    path = DEPLOY / "jupyterhub_config.py"
    exec(compile(path.read_text(), str(path), "exec"),
         {"get_config": lambda: config, "__file__": str(path)})
    return config


def test_local_hub_config_is_fit_for_a_class(tmp_path, monkeypatch):
    c = _hub_config(tmp_path, monkeypatch, MASTOLIB_HUB_PORT="18000",
                    MASTOLIB_COURSE_REPO="https://example.org/course.git",
                    MASTOLIB_COURSE_REF="v9.9.9", MASTOLIB_HUB_SPAWNER="simple")
    assert c.JupyterHub.authenticator_class == "native"
    assert c.NativeAuthenticator.open_signup is False
    assert not c.Authenticator.admin_users
    teacher = next(r for r in c.JupyterHub.load_roles if r["name"] == "teacher")
    assert not TEACHER_SCOPES_FORBIDDEN & set(teacher["scopes"])
    assert (c.JupyterHub.port, c.JupyterHub.hub_port) == (18000, 18001)
    assert c.ConfigurableHTTPProxy.api_url.endswith(":18002")
    assert [s["name"] for s in c.JupyterHub.services] == ["jupyterhub-idle-culler"]
    assert any(a.startswith("--MappingKernelManager.cull_idle_timeout=") for a in c.Spawner.args)
    query = parse_qs(urlparse(c.Spawner.default_url).query)
    assert query["repo"] == ["https://example.org/course.git"] and query["branch"] == ["v9.9.9"]
    assert (tmp_path / "state").stat().st_mode & 0o077 == 0, "the hub's db must be private"
    assert "GIT_CONFIG_GLOBAL" not in c.Spawner.environment


def test_local_hub_config_rejects_an_unknown_spawner(tmp_path, monkeypatch):
    with pytest.raises(ValueError, match="MASTOLIB_HUB_SPAWNER='docker'"):
        _hub_config(tmp_path, monkeypatch, MASTOLIB_HUB_SPAWNER="docker")


def test_nbgitpuller_link_round_trips():
    url = ml.nbgitpuller_url("https://hub.example.edu/")
    parsed = urlparse(url)
    assert parsed.netloc == "hub.example.edu"
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parsed.query)
    assert query["repo"] == [f"https://github.com/{REPOSITORY}"]
    assert query["branch"] == [f"v{ml.__version__}"], "launch links open the release tag"
    assert query["urlpath"] == ["lab/tree/mastocytosis-course/notebooks/00_start_here.ipynb"]
    voila = parse_qs(urlparse(ml.nbgitpuller_url("https://h.edu", interface="voila")).query)
    assert voila["urlpath"][0].startswith("voila/render/")


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: ml.nbgitpuller_url("hub.example.edu"), r"must start with https://"),
        (lambda: ml.nbgitpuller_url("https://h.edu", interface="classic"), r"'lab' or 'voila'"),
        (lambda: ml.binder_url(repository="no-slash"), r"must look like 'owner/name'"),
    ],
)
def test_link_helpers_reject_bad_input_with_a_message(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_readme_badges_are_the_generated_links():
    readme = (ROOT / "README.md").read_text()
    assert ml.binder_url() in readme
    assert ml.binder_url("voila/render/notebooks/00_start_here.ipynb") in readme


def test_voila_renders_progressively_in_make_app_and_in_the_hub():
    """Progressive rendering draws a widget output only once its model has reached the page.
    Without it Voila 0.5 + ipywidgets 8.1 showed "model not found" in ~4 of 10 loads of
    notebook 09 (tests/browser/repro_voila_race.py; docs/deploy.md). make app, the hub's
    servers, TLJH and Binder read etc/jupyter/voila.json. It may not switch on preheated
    kernels (Voila refuses the two together)."""
    import json

    path = ROOT / "etc/jupyter/voila.json"
    voila = json.loads(path.read_text(encoding="utf-8"))["VoilaConfiguration"]
    assert voila.get("progressive_rendering") is True, path
    assert not voila.get("preheat_kernel"), path


def test_server_settings_are_in_files_jupyter_server_reads_as_settings(tmp_path):
    """jupyter_server applies a jupyter_server_config.json on the config path, and takes only
    extension switches from jupyter_server_config.d/*.json: the deployments' kernel culling must
    be in the former. Checked on the real jupyter_server (its --show-config)."""
    import json
    import subprocess
    import sys

    tljh = (DEPLOY / "tljh-config.sh").read_text()
    assert "/opt/tljh/user/etc/jupyter/jupyter_server_config.json" in tljh
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    mount = values["singleuser"]["extraFiles"]["culling"]["mountPath"]
    assert mount == "/etc/jupyter/jupyter_server_config.json"
    for name in ("jupyter_server_config.json", "jupyter_server_config.d/x.json"):
        folder = tmp_path / name.replace("/", "_")
        (folder / name).parent.mkdir(parents=True)
        (folder / name).write_text(json.dumps(
            {"MappingKernelManager": {"cull_idle_timeout": 777}}))
        env = {"JUPYTER_CONFIG_PATH": str(folder), "JUPYTER_CONFIG_DIR": str(tmp_path / "none"),
               "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
        shown = subprocess.run([sys.executable, "-m", "jupyter_server", "--show-config"],
                               capture_output=True, text=True, env=env, timeout=120).stdout
        assert ("cull_idle_timeout = 777" in shown) is (name == "jupyter_server_config.json"), \
            (name, shown[-2000:])
