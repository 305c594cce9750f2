#!/usr/bin/env bash
# Runs the kernel tests (the host build through JUnit) on the ThreadSanitizer build of the kernels:
# libnexttrack_kernels_host_tsan.so, loaded into a test JVM that has libtsan preloaded. Reports only races in
# our (instrumented) code, not the JVM's. Prints the reports and exits 1 if there are any. Slow: minutes.
#   native/host/tsan-check.sh [comma-separated test classes]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
tests=${1:-FillKernelsTest,EmbeddingKernelsTest,SoftmaxXentKernelsTest,OptimKernelsTest,LstmKernelsTest,ScoringKernelsTest,SampledKernelsTest}
build=$root/java/target/native
out=$root/java/target/tsan
libtsan=$(${CXX:-g++} -print-file-name=libtsan.so)
[ -f "$libtsan" ] || { echo "libtsan.so not found (${CXX:-g++} -print-file-name=libtsan.so)"; exit 2; }

cd "$root"
mvn -B -q -pl java test-compile                     # the host library, the fatbin where nvcc is, the test classes
cmake --build "$build" --target nexttrack_kernels_host_tsan >/dev/null
rm -rf "$out" && mkdir -p "$out/bin"
# Surefire runs this "java": the real one, with ThreadSanitizer's runtime preloaded.
cat > "$out/bin/java" <<JAVA
#!/bin/sh
export LD_PRELOAD="$libtsan"
export TSAN_OPTIONS="ignore_noninstrumented_modules=1 log_path=$out/report \${TSAN_OPTIONS:-}"
exec "$JAVA_HOME/bin/java" "\$@"
JAVA
chmod +x "$out/bin/java"
status=0
mvn -B -q -pl java surefire:test -Dtest="$tests" -Djvm="$out/bin/java" \
  -Dnexttrack.kernels.host="$build/libnexttrack_kernels_host_tsan.so" || status=$?
if ls "$out"/report.* >/dev/null 2>&1; then
  cat "$out"/report.*
  echo "ThreadSanitizer: $(cat "$out"/report.* | grep -c '^WARNING: ThreadSanitizer') report(s), in $out"
  exit 1
fi
[ $status -eq 0 ] || { echo "the tests failed under ThreadSanitizer (status $status)"; exit $status; }
echo "ThreadSanitizer: no reports ($tests)"
