#!/usr/bin/env bash
# Called by Maven (generate-resources): configures and builds native/ with CMake, so that the CUDA
# kernels land as one fatbin resource. Without nvcc (or cmake) it says so in one line and succeeds:
# the CPU engine needs none of it.
#   build-native.sh SOURCE_DIR BUILD_DIR RESOURCE_DIR
set -euo pipefail
src=$1 build=$2 out=$3
NVCC=${NVCC:-$(command -v nvcc || true)}
[ -z "$NVCC" ] && [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && NVCC="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
if [ -z "$NVCC" ]; then echo "[nexttrack] nvcc not found: skipping CUDA kernels (CPU-only build)"; exit 0; fi
if ! command -v cmake >/dev/null; then echo "[nexttrack] cmake not found: skipping CUDA kernels (CPU-only build)"; exit 0; fi
cmake -S "$src" -B "$build" -DNVCC="$NVCC" -DFATBIN_OUTPUT_DIR="$out" >/dev/null
cmake --build "$build" >/dev/null
echo "[nexttrack] CUDA kernels: $out/kernels.fatbin"
