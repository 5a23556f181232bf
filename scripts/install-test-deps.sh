#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine; safe to run again (installs only what is missing).
#   - PostgreSQL server binaries (Debian package `postgresql`): the PostgreSQL journal specs and the cluster tests
#     start a throwaway server of their own (initdb + pg_ctl under /usr/lib/postgresql/*/bin) on a free
#     127.0.0.1 port in a temp directory, and remove it afterwards. No server is started by this script.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

updated=0
apt_update_once() {
  if [ "$updated" -eq 0 ]; then
    $SUDO apt-get update
    updated=1
  fi
}

have_postgres() {
  compgen -G "/usr/lib/postgresql/*/bin/initdb" > /dev/null
}

if ! have_postgres; then
  apt_update_once
  # Debian's postgresql package starts a cluster of its own on 5432; the tests don't use it, but leave it be.
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y postgresql
fi
have_postgres || { echo "PostgreSQL binaries not found under /usr/lib/postgresql/*/bin" >&2; exit 1; }
echo "PostgreSQL: $(ls -d /usr/lib/postgresql/*/bin | tail -n 1)"
