#!/usr/bin/env bash
# Configures and builds orderbridge (warnings are errors) into ./build, or into
# $OB_BUILD_DIR with extra CMake arguments from $OB_CMAKE_ARGS.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${OB_BUILD_DIR:-build}
# shellcheck disable=SC2086
cmake -S . -B "$dir" -DOB_WERROR=ON ${OB_CMAKE_ARGS:-} >/dev/null
cmake --build "$dir" -j"$(nproc)"
