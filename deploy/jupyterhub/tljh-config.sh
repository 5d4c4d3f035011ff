#!/bin/bash
# The Littlest JupyterHub (one VM; sizing in docs/deploy.md) for the course.
# Run on the TLJH server as root after installing TLJH:
#   COURSE_TAG=v0.2.0 TEACHER=teacher bash tljh-config.sh
# COURSE_TAG is the release the students pull: the same tag as the course's image on z2jh.
set -euo pipefail
REPO_URL="${REPO_URL:-https://github.com/mastolib/mastocytosis-course}"
COURSE_TAG="${COURSE_TAG:?set COURSE_TAG to a release tag, e.g. v0.2.0}"
TEACHER="${TEACHER:-teacher}"

# The course package at the release tag, in TLJH's shared user environment: runtime only
# (no test stack), plus nbgitpuller for the links.
rm -rf /srv/course
git clone --depth 1 --branch "$COURSE_TAG" "$REPO_URL" /srv/course
/opt/tljh/user/bin/pip install -e /srv/course "nbgitpuller>=1.2"
/opt/tljh/user/bin/pip uninstall --yes rfc3987-syntax || true   # slow imports; see Makefile

# Voila's class template (no CDN) and settings, kernel culling in every student's server.
# Settings go in files jupyter_server and Voila read as settings: voila.json and
# jupyter_server_config.json on the config path (a jupyter_server_config.d/*.json file only
# enables extensions; its other settings are ignored - checked with jupyter_server 2.17).
mkdir -p /opt/tljh/user/etc/jupyter /opt/tljh/user/share/jupyter/voila/templates
cp -r /srv/course/etc/jupyter/voila/templates/mastolib /opt/tljh/user/share/jupyter/voila/templates/
cp /srv/course/etc/jupyter/voila.json /opt/tljh/user/etc/jupyter/voila.json
cat > /opt/tljh/user/etc/jupyter/jupyter_server_config.json <<'JSON'
{"MappingKernelManager": {"cull_idle_timeout": 1200, "cull_interval": 120,
                          "cull_connected": false, "cull_busy": false}}
JSON

# Log-in: students sign up, the teacher approves them at /hub/authorize.
tljh-config set auth.type nativeauthenticator.NativeAuthenticator
tljh-config set auth.NativeAuthenticator.open_signup false
tljh-config set auth.NativeAuthenticator.minimum_password_length 8
tljh-config set auth.NativeAuthenticator.check_common_password true
tljh-config set auth.NativeAuthenticator.allowed_failed_logins 5
# The teacher approves sign-ups and starts/stops servers without access to students' servers
# (not a TLJH admin: the admin role may open every student's notebooks).
cat > /opt/tljh/config/jupyterhub_config.d/mastolib-teacher.py <<PY
c.Authenticator.allow_all = True
c.Authenticator.allowed_users = {"$TEACHER"}
c.JupyterHub.load_roles = [{"name": "teacher", "users": ["$TEACHER"],
    "scopes": ["admin-ui", "admin:users", "admin:servers", "list:users", "read:users"]}]
PY

# First login pulls the course at the tag and opens the first notebook.
PULL="/git-pull?repo=$(python3 -c 'import sys, urllib.parse as u; print(u.quote(sys.argv[1], safe=""))' "$REPO_URL")"
PULL="$PULL&branch=$COURSE_TAG&targetpath=mastocytosis-course"
PULL="$PULL&urlpath=lab%2Ftree%2Fmastocytosis-course%2Fnotebooks%2F00_start_here.ipynb"
tljh-config set user_environment.default_app jupyterlab
tljh-config set limits.memory 1G      # measured: a server + 5 notebooks; docs/deploy.md
tljh-config set limits.cpu 1
tljh-config set services.cull.timeout 3600
tljh-config set services.cull.every 300
tljh-config set services.cull.max_age 28800
cat > /opt/tljh/config/jupyterhub_config.d/mastolib-default-url.py <<PY
c.Spawner.default_url = "$PULL"
c.JupyterHub.concurrent_spawn_limit = 30
PY
tljh-config reload
