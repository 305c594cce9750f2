#!/usr/bin/env bash
# Called by Maven (generate-resources): configures and builds native/ with CMake into
#   RESOURCE_DIR/kernels.fatbin             the CUDA kernels for the GPU engine (needs nvcc), and
#   BUILD_DIR/libnexttrack_kernels_host.so  the same kernels built by the host C++ compiler, for the tests;
#   EMU_DIR/...                             the CUDA emulation (native/emu/): stand-ins for the CUDA libraries that
#                                           the GPU tests load as class-path resources (x86-64 Linux; needs CUDA_JAR,
#                                           JavaCPP's CUDA preset jar for linux-x86_64, to read its JNI imports).
# Each missing tool (nvcc, a C++ compiler, cmake) is one line and the build goes on: the CPU engine needs
# none of it. The kernel tests skip without the host library, and fail under CI (CI=true); so do the GPU tests'
# emulated run without the emulation.
#   build-native.sh SOURCE_DIR BUILD_DIR RESOURCE_DIR [CUDA_JAR EMU_DIR]
set -euo pipefail
src=$1 build=$2 out=$3 jar=${4:-} emu_dir=${5:-}
if ! command -v cmake >/dev/null; then echo "[nexttrack] cmake not found: skipping the CUDA kernels and their host build"; exit 0; fi
NVCC=${NVCC:-$(command -v nvcc || true)}
[ -z "$NVCC" ] && [ -x "${CUDA_HOME:-/usr/local/cuda}/bin/nvcc" ] && NVCC="${CUDA_HOME:-/usr/local/cuda}/bin/nvcc"
fatbin=ON host=ON
if [ -z "$NVCC" ]; then echo "[nexttrack] nvcc not found: skipping the CUDA fatbin (CPU-only build)"; fatbin=OFF; fi
if ! command -v "${CXX:-c++}" >/dev/null; then echo "[nexttrack] no C++ compiler: skipping the host build of the kernels"; host=OFF; fi
[ $fatbin = OFF ] && [ $host = OFF ] && exit 0
emu=OFF
if [ $host = ON ] && [ -n "$emu_dir" ]; then
  if [ "$(uname -s)-$(uname -m)" != Linux-x86_64 ]; then echo "[nexttrack] not x86-64 Linux: skipping the CUDA emulation (the GPU tests' emulated run skips)"
  elif [ ! -f "$jar" ]; then echo "[nexttrack] no JavaCPP CUDA preset jar at $jar: skipping the CUDA emulation"
  elif ! command -v "${NM:-nm}" >/dev/null; then echo "[nexttrack] no nm (binutils): skipping the CUDA emulation"
  else emu=ON; fi
fi
args=(-DNEXTTRACK_FATBIN=$fatbin -DNEXTTRACK_HOST=$host -DNEXTTRACK_EMU=$emu)
[ $fatbin = ON ] && args+=(-DNVCC="$NVCC" -DFATBIN_OUTPUT_DIR="$out")
[ $emu = ON ] && args+=(-DNEXTTRACK_CUDA_JAR="$jar" -DEMU_OUTPUT_DIR="$emu_dir")
# The compilers' output (warnings included) goes to a log, shown only if the build fails: the build stays quiet.
mkdir -p "$build"
log="$build/native-build.log"
if ! { cmake -S "$src" -B "$build" "${args[@]}" && cmake --build "$build" --parallel "$(nproc 2>/dev/null || echo 2)"; } >"$log" 2>&1; then
  tail -n 40 "$log"
  echo "[nexttrack] the native build failed; its whole output: $log"
  exit 1
fi
[ $fatbin = ON ] && echo "[nexttrack] CUDA kernels: $out/kernels.fatbin"
[ $host = ON ] && echo "[nexttrack] host build of the kernels: $build/libnexttrack_kernels_host.so"
[ $emu = ON ] && echo "[nexttrack] CUDA emulation for the GPU tests: $emu_dir"
exit 0
