#!/usr/bin/env bash
# Configures and builds orderbridge into ./build (warnings are errors).
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DOB_WERROR=ON ${OB_CMAKE_ARGS:-} >/dev/null
cmake --build build -j"$(nproc)"
