#!/usr/bin/env bash
# The whole test suite, as CI runs it: set up and build, the unit/property/corpus/kernel tests,
# the same unit tests under AddressSanitizer+UndefinedBehaviorSanitizer, and a bounded fuzzing
# run. Stops at the first failure; ctest's summary of the main build is the last line.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
jobs=$(nproc)
fuzz_seconds=${BPFCHECK_FUZZ_SECONDS:-60}

"$top/tools/setup.sh"

echo "== sanitizers: ASan+UBSan build and tests"
BPFCHECK_BUILD_DIR="$top/build-asan" "$top/tools/setup.sh" -DBPFCHECK_SANITIZE=ON \
  -DBPFCHECK_BENCH=OFF -DCMAKE_BUILD_TYPE=Debug
ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --test-dir "$top/build-asan" -j "$jobs" --output-on-failure | tail -n 3

echo "== fuzzing: ${fuzz_seconds}s of libFuzzer over ELF+BTF+decode+CFG"
"$top/tools/fuzz.sh" "$fuzz_seconds"

echo "== tests"
ctest --test-dir "$top/build" -j "$jobs" --output-on-failure
