#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite: once as built
# for use, once more built with AddressSanitizer and UndefinedBehaviorSanitizer
# (memory errors, leaks and undefined behaviour fail the run). --quick skips the
# sanitizer pass; extra arguments go to ctest (e.g. -R coupang).
set -euo pipefail
cd "$(dirname "$0")/.."
quick=
if [ "${1:-}" = "--quick" ]; then
	quick=1
	shift
fi
scripts/bootstrap.sh
scripts/build.sh
ctest --test-dir build --output-on-failure -j"$(nproc)" "$@"
if [ -z "$quick" ]; then
	echo "== again with AddressSanitizer + UndefinedBehaviorSanitizer"
	OB_BUILD_DIR=build-asan OB_CMAKE_ARGS="-DOB_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug" scripts/build.sh
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
		ctest --test-dir build-asan --output-on-failure -j"$(nproc)" "$@"
fi
