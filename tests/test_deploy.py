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


def test_z2jh_values_are_valid_and_sane():
    values = yaml.safe_load((DEPLOY / "values.yaml").read_text())
    user = values["singleuser"]
    assert _bytes(user["memory"]["guarantee"]) <= _bytes(user["memory"]["limit"])
    assert _bytes(user["memory"]["guarantee"]) >= 250 * 2**20, "below one kernel's target"
    assert values["cull"]["enabled"] is True and values["cull"]["timeout"] > 0
    notebook = user["defaultUrl"].split("/mastocytosis-course/", 1)[1]
    assert (ROOT / notebook).is_file(), f"defaultUrl points at a missing notebook: {notebook}"


def test_tljh_script_is_valid_bash():
    subprocess.run(["bash", "-n", str(DEPLOY / "tljh-config.sh")], check=True)


def test_nbgitpuller_link_round_trips():
    url = ml.nbgitpuller_url("https://hub.example.edu/")
    parsed = urlparse(url)
    assert parsed.netloc == "hub.example.edu"
    assert parsed.path == "/hub/user-redirect/git-pull"
    query = parse_qs(parsed.query)
    assert query["repo"] == [f"https://github.com/{REPOSITORY}"]
    assert query["branch"] == ["main"]
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
