#!/bin/sh
# agreement-table.sh [BUILD_DIR]: measures bpfcheck against the running kernel on every corpus
# program (corpus_agreement_tests, as root) and prints the confusion matrix and the known false
# alarms as Markdown (BUILD_DIR/corpus/agreement.md), ready to paste into the README.
set -eu
build=${1:-build}
ninja -C "$build" corpus_agreement_tests >/dev/null
if ! "$build/bin/corpus_agreement_tests" >"$build/corpus/agreement.log" 2>&1; then
  echo "agreement-table.sh: corpus_agreement_tests failed (see $build/corpus/agreement.log);" \
       "the table below is what was measured" >&2
fi
if grep -q "skipped: " "$build/corpus/agreement.log"; then
  grep "skipped: " "$build/corpus/agreement.log" >&2
  exit 1
fi
cat "$build/corpus/agreement.md"
