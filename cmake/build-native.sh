#!/usr/bin/env bash
# Called by Maven (generate-resources): configures and builds native/ with CMake into
#   RESOURCE_DIR/kernels.fatbin             the CUDA kernels for the GPU engine (needs nvcc), and
#   BUILD_DIR/libnexttrack_kernels_host.so  the same kernels built by the host C++ compiler, for the tests.
# Each missing tool (nvcc, a C++ compiler, cmake) is one line and the build goes on: the CPU engine needs
# none of it. The kernel tests skip without the host library, and fail under CI (CI=true).
#   build-native.sh SOURCE_DIR BUILD_DIR RESOURCE_DIR
set -euo pipefail
src=$1 build=$2 out=$3
if ! command -v cmake >/dev/null; then echo "[nexttrack] cmake not found: skipping the CUDA kernels and their host build"; exit 0; fi
NVCC=${NVCC:-$(command -v nvcc || true)}
[ -z "$NVCC" ] && [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && NVCC="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
fatbin=ON host=ON
if [ -z "$NVCC" ]; then echo "[nexttrack] nvcc not found: skipping the CUDA fatbin (CPU-only build)"; fatbin=OFF; fi
if ! command -v "${CXX:-c++}" >/dev/null; then echo "[nexttrack] no C++ compiler: skipping the host build of the kernels"; host=OFF; fi
[ $fatbin = OFF ] && [ $host = OFF ] && exit 0
args=(-DNEXTTRACK_FATBIN=$fatbin -DNEXTTRACK_HOST=$host)
[ $fatbin = ON ] && args+=(-DNVCC="$NVCC" -DFATBIN_OUTPUT_DIR="$out")
# The compilers' output (warnings included) goes to a log, shown only if the build fails: the build stays quiet.
mkdir -p "$build"
log="$build/native-build.log"
if ! { cmake -S "$src" -B "$build" "${args[@]}" && cmake --build "$build"; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "[nexttrack] the native build failed; its whole output: $log"
  exit 1
fi
[ $fatbin = ON ] && echo "[nexttrack] CUDA kernels: $out/kernels.fatbin"
[ $host = ON ] && echo "[nexttrack] host build of the kernels: $build/libnexttrack_kernels_host.so"
exit 0
