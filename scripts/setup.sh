#!/usr/bin/env bash
# Installs what hprof needs to build and test on Debian 12 (apt-get install is idempotent).
set -euo pipefail
packages=(
  build-essential cmake pkg-config zlib1g-dev
  libdw-dev libelf-dev libunwind-dev libgtest-dev qt6-base-dev
  python3 binutils
  # real programs the end-to-end tests profile (issue 8): shells, make, xz, sqlite3, bzip2
  make xz-utils sqlite3 bzip2 ccache
  # hprof check/diff (issue 11): the JUnit file and the JSON output (also the JSON reports)
  libpugixml-dev nlohmann-json3-dev
  # hprof check --budget FILE (issue 11): hprof-budget.toml
  libtomlplusplus-dev
  # the CI recipe test parses docs/ci/*.yml with python3's yaml module (issue 11)
  python3-yaml
  # hprof import (issue 12): gperftools CPU profiles and perf script output of the samples
  libgoogle-perftools-dev google-perftools linux-perf
)
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
  "${packages[@]}"
