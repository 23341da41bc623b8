#!/usr/bin/env bash
# One-step setup on Debian 12: install the Debian packages bpfcheck needs (only those missing,
# quietly), then configure and build into build/. Idempotent: a second run only rebuilds.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BPFCHECK_BUILD_DIR:-$top/build}

packages=(
  cmake ninja-build g++ pkg-config    # the build
  llvm-16-dev clang-16 libclang-rt-16-dev # LLVM Object/DebugInfo/BPF backend; BPF corpus; libFuzzer
  libboost-graph-dev                  # CFG and weak topological order
  nlohmann-json3-dev                  # JSON and SARIF output
  doctest-dev                         # unit and property tests
  libbpf-dev libelf-dev zlib1g-dev    # BTF parsing, BPF headers, kernel loading
  libcli11-dev libfmt-dev             # command line, formatting
  libbenchmark-dev                    # bench/
  gcc-bpf                             # the gcc-built corpus
  bpftool                             # tests compare our BTF reading with bpftool's
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" ||
    missing+=("$package")
done
if ((${#missing[@]})); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
    "${missing[@]}" >/dev/null
fi

# The offline SARIF 2.1.0 validator for tests/sarif (from the npm registry, into the build tree;
# the test skips, saying so, where npm is absent).
validator="$build/npm/node_modules/.bin/sarif-multitool"
if [ ! -x "$validator" ]; then
  if command -v npm >/dev/null; then
    npm install --prefix "$build/npm" --no-audit --no-fund --loglevel=error \
      @microsoft/sarif-multitool@5.7.0 >/dev/null ||
      echo "setup: SARIF validator not installed; the sarif validator test will skip"
  else
    echo "setup: npm not found; the sarif validator test will skip"
  fi
fi

cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "$build"
