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
  # hprof export (issue 12): pprof's profile.proto (protobuf), checked by `go tool pprof`; the
  # speedscope export checked against speedscope's JSON schema
  libprotobuf-dev protobuf-compiler golang-go python3-jsonschema
  # hprof import (issue 12): gperftools CPU profiles and perf script output of the samples
  libgoogle-perftools-dev google-perftools linux-perf
  # MPI jobs (issue 14): Open MPI's mpirun and MPI for C, for samples/mpi and the MPI tests
  openmpi-bin libopenmpi-dev
  # MPICH next to it (issue 14, tests/integration/mpich_test.cpp): mpicc.mpich and Hydra's
  # mpiexec.hydra; Open MPI stays the default mpirun/mpicc
  mpich
  # Slurm task farms (issue 14): the Slurm tests start slurmctld + slurmd on localhost
  slurm-wlm
  # GNU parallel as a real task farmer (tests/integration/gnu_parallel_test.cpp)
  parallel
)
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
"${as_root[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends \
  "${packages[@]}"

# The speedscope export's test (issue 12) validates against the JSON schema that the speedscope npm
# package ships (dist/release/file-format-schema.json): fetched once from the npm registry into the
# build tree's cache, and only if the package is the one whose checksum is known.
fetch_speedscope_schema() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/${BUILD_DIR:-build}/cache/speedscope"
  [ -f "$dir/file-format-schema.json" ] && return
  mkdir -p "$dir"
  python3 - "$dir" <<'EOF'
import hashlib, io, pathlib, sys, tarfile, urllib.request
URL = "https://registry.npmjs.org/speedscope/-/speedscope-1.25.0.tgz"
SHA256 = "2831f1e0d26df914b477e522d78b8485511495a6af81a0b88158f8b48f9e0d03"
package = urllib.request.urlopen(URL, timeout=120).read()
if hashlib.sha256(package).hexdigest() != SHA256:
    sys.exit(f"setup: {URL} does not have the expected sha256")
with tarfile.open(fileobj=io.BytesIO(package)) as archive:
    schema = archive.extractfile("package/dist/release/file-format-schema.json").read()
pathlib.Path(sys.argv[1], "file-format-schema.json").write_bytes(schema)
EOF
}
fetch_speedscope_schema
