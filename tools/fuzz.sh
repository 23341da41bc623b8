#!/usr/bin/env bash
# Bounded libFuzzer run over the input-parsing path (ELF, BTF, .BTF.ext, DWARF lines, decoder,
# CFG, WTO, disassembler), every library built by clang-16 with coverage and ASan+UBSan, seeded
# from the corpus objects and every kept crash input in tests/fuzz-regressions/.
# Usage: tools/fuzz.sh [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-60}
build=$top/build-fuzz

cmake -S "$top" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-16 -DCMAKE_CXX_COMPILER=clang++-16 -DBPFCHECK_FUZZ=ON \
  -DBPFCHECK_SANITIZE=ON -DCMAKE_CXX_FLAGS=-fsanitize=fuzzer-no-link -DBPFCHECK_WERROR=OFF \
  -DBPFCHECK_CORPUS=OFF -DBPFCHECK_BENCH=OFF >/dev/null
cmake --build "$build" --target bpfcheck-fuzz-object

# libFuzzer grows its corpus in place: work on a copy so the tree stays clean.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/artifacts"
find "$top/build/corpus" "$top/build/fixtures" "$top/tests/fuzz-regressions" -type f \
  \( -name '*.o' -o -path '*fuzz-regressions*' \) -exec cp -t "$work/corpus" {} + 2>/dev/null || true

"$build/bin/bpfcheck-fuzz-object" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
  -max_len=262144 -print_final_stats=1 -artifact_prefix="$work/artifacts/" "$work/corpus" \
  2>"$work/log" || {
  tail -n 60 "$work/log"
  mkdir -p "$top/build-fuzz/crashes"
  cp "$work/artifacts"/* "$top/build-fuzz/crashes/" 2>/dev/null || true
  echo "fuzz: crash found; inputs kept in build-fuzz/crashes/ (add them to tests/fuzz-regressions/)"
  exit 1
}
grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done)' "$work/log" || tail -n 3 "$work/log"
