#!/usr/bin/env bash
# The one command that checks the GPU engine on a GPU machine, and prints a summary to paste.
#
#   here (with Java and Maven):  bash native/gpu-check.sh --pack
#       builds everything into .device/ with ../shared/device/pack.sh and adds a copy of yes_small
#       (research-only data: .device/ is never committed)
#   on the GPU machine (CUDA, cuDNN and PyTorch, no Java): bash native/gpu-check.sh
#       1. the GPU tests (JUnit tag gpu) with -Dnexttrack.gpu.required=true, so none can skip;
#       2. nexttrack bench --device gpu for --lstm fused and --lstm cudnn at V = 3,168 and 75,262 (full softmax),
#          and with the sampled loss at V = 2,262,292;
#       3. the PyTorch anchor (.device/anchors/torch_seed_model.py --device cuda) at the same shapes, eager,
#          in FP32 (like ours) and in its default TF32;
#       each under `timeout` (140 + 2 x 55 + 30 + 2 x 40 s: at most 6 minutes in all). Exit code 0 only when every step passed.
# GPU_CHECK_DRY_RUN=1 prints the commands instead of running them (after the same checks); GPU_CHECK_DEVICE_DIR
# and GPU_CHECK_NVIDIA_SMI replace .device/ and nvidia-smi (the CI test of this script uses them).
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2
DEVICE=${GPU_CHECK_DEVICE_DIR:-.device}
SMI=${GPU_CHECK_NVIDIA_SMI:-nvidia-smi}

if [ "${1:-}" = "--pack" ]; then
  [ -f ../shared/device/pack.sh ] || { echo "gpu-check: ../shared/device/pack.sh not found (run from the project root with shared/ beside it)" >&2; exit 2; }
  # pack.sh runs a quiet mvn: with the machine's default Java (17) the build stops and nothing says why.
  export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
  bash ../shared/device/pack.sh || {
    echo "gpu-check: ../shared/device/pack.sh failed; its build is quiet: JAVA_HOME=$JAVA_HOME mvn -B -DskipTests package shows why" >&2
    exit 1
  }
  YES=${NEXTTRACK_YES_DATA:-../shared/data/yes/yes_small}
  if [ -f "$YES/train.txt" ]; then rm -rf "$DEVICE/yes_small" && cp -r "$YES" "$DEVICE/yes_small"; else echo "gpu-check: no yes_small at $YES: the loss-curve tests will fail" >&2; fi
  echo 'gpu-check: packed; on the GPU machine run: bash native/gpu-check.sh   (device tool: carry [".device"])'
  exit 0
fi

for f in java junit classpath; do
  [ -e "$DEVICE/$f" ] || { echo "gpu-check: no $DEVICE/$f here: prepare it with 'bash native/gpu-check.sh --pack' on a machine with Java and Maven" >&2; exit 2; }
done
if ! command -v "$SMI" >/dev/null 2>&1; then echo "gpu-check: no GPU here (nvidia-smi not found)" >&2; exit 2; fi
GPU=$("$SMI" --query-gpu=name,driver_version,memory.total --format=csv,noheader 2>/dev/null | head -1)
[ -n "$GPU" ] || { echo "gpu-check: no GPU here (nvidia-smi lists none)" >&2; exit 2; }

CP=$(cat "$DEVICE/classpath")
YES=${NEXTTRACK_YES_DATA:-$(cd "$DEVICE" && pwd)/yes_small}
LOG=$(mktemp -d)
STATUS=0
run() { # name seconds command...: runs it under timeout, keeps its output, notes a failure
  local name=$1 secs=$2; shift 2
  if [ "${GPU_CHECK_DRY_RUN:-}" = 1 ]; then echo "would run ($name, ${secs}s): $*"; return; fi
  local start=$SECONDS
  timeout "$secs" "$@" >"$LOG/$name" 2>&1
  local rc=$?
  echo "[$name: exit $rc, $((SECONDS - start)) s]" >>"$LOG/$name"
  [ $rc -eq 0 ] || { STATUS=1; echo "gpu-check: $name failed (exit $rc$([ $rc -eq 124 ] && echo ', timed out after '"$secs"' s')); its last lines:" >&2; tail -15 "$LOG/$name" >&2; }
}

# The GPU tests are JUnit Jupiter tests. jqwik's engine is left out: it finds none of them, and it fails the whole
# run when it cannot write its database under target/, which the GPU machine's copy of the tree does not have.
run tests 140 env JAVA_OPTS="-Dnexttrack.gpu.required=true -Xmx8g" NEXTTRACK_YES_DATA="$YES" \
  bash "$DEVICE/junit" --select-package io.nexttrack.engine.gpu --include-tag gpu --exclude-engine jqwik --fail-if-no-tests
for lstm in fused cudnn; do
  run "bench-$lstm" 55 bash "$DEVICE/java" -Xmn64m -cp "$CP" io.nexttrack.cli.Main bench --device gpu --lstm "$lstm" \
    --songs 3168,75262 --steps 100 --warmup 20 --loss full
done
# The sampled loss at the Million Playlist Dataset's catalogue (lazy Adam, our kernels).
run bench-sampled 30 bash "$DEVICE/java" -Xmn64m -Xmx24g -cp "$CP" io.nexttrack.cli.Main bench --device gpu --lstm fused \
  --songs 2262292 --steps 50 --warmup 10 --loss sampled
for precision in fp32 tf32; do
  run "torch-$precision" 40 python3 "$DEVICE/anchors/torch_seed_model.py" --device cuda --songs 3168 75262 --precision "$precision"
done
[ "${GPU_CHECK_DRY_RUN:-}" = 1 ] && exit 0

echo
echo "== nexttrack GPU check, $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), GPU: $GPU"
echo "gpu tests: $(grep -Eo '[0-9]+ (tests (successful|failed|skipped|aborted)|containers failed)' "$LOG/tests" | tr '\n' ',' | sed 's/,$//; s/,/, /g')"
grep -E 'curve|mean \|diff\|' "$LOG/tests" | sed 's/^/  /'
grep -hE '^gpu-(fused|cudnn) ' "$LOG"/bench-* 2>/dev/null
grep -hE '^torch cuda ' "$LOG"/torch-* 2>/dev/null
# ms/step of ours against PyTorch eager at the same V (same card, same call): below 1 is faster than PyTorch.
awk '/^gpu-/ && / loss=full/ { split($3, v, "="); split($4, m, "="); ours[$1 " " v[2]] = m[2] }
     /^torch cuda/ { split($5, v, "="); split($6, m, "="); torch[$4 " " v[2]] = m[2] }
     END { for (k in ours) { split(k, p, " "); for (t in torch) { split(t, q, " ");
             if (q[2] == p[2]) printf "ratio %s / torch-eager-%s at V=%s: %.2f\n", p[1], q[1], p[2], ours[k] / torch[t] } } }' \
  "$LOG"/bench-* "$LOG"/torch-* 2>/dev/null | sort
echo "== $([ $STATUS -eq 0 ] && echo 'all steps passed' || echo 'SOME STEPS FAILED (see above)'); full logs in $LOG"
exit $STATUS
