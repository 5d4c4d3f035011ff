#!/bin/bash
# The Littlest JupyterHub (one VM, up to ~30 students on 2-4 cores / 8-16 GB) for the course.
# Run on the TLJH server as root after installing TLJH.
set -euo pipefail
REPO_URL="${REPO_URL:-https://github.com/mastolib/mastocytosis-course}"

# Course environment for every user (TLJH's shared conda environment at /opt/tljh/user).
git clone --depth 1 "$REPO_URL" /srv/course
/opt/tljh/user/bin/pip install "/srv/course[dev]" nbgitpuller
/opt/tljh/user/bin/pip install --no-deps -e /srv/course

# Per-user limits sized from the measured kernel memory (see README.md).
tljh-config set limits.memory 1G
tljh-config set limits.cpu 1
tljh-config set services.cull.timeout 3600
tljh-config set services.cull.every 300
tljh-config set user_environment.default_app jupyterlab
tljh-config reload
