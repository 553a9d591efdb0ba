#!/usr/bin/env bash
# One pass of the GPU checks on a machine with a CUDA PyTorch (pip wheel: LibTorch + CMake
# config), transformers and nvcc, but without tunebench's other dependencies:
#   1. transformers vs the committed encoder fixtures (CPU and GPU), and transformers-made
#      fixture folders (tests/reference/model/hf_transformers_reference.py);
#   2. CUDA build of tunebench-cli and bench_train_step (Debian .debs unpacked privately);
#   3. tunebench's encoders on the GPU vs transformers (tunebench-cli embed --device cuda);
#   4. fine-tuning on the GPU (bf16), resume, CPU evaluation of a GPU checkpoint, batch-size
#      finder, masked-LM pretraining on the GPU (in the background);
#   5. the BERT-base training-step benchmark (bench/run_train_step_gpu.sh).
# Every stage is bounded by the time left; results go to OUT_DIR. TB_GPU_STAGES picks stages
# 1, 3, 4 and 5 (default "parity,train,pretrain,bench"; the build always runs).
#   scripts/gpu/validate.sh DEB_DIR OUT_DIR [BUDGET_SECONDS=540] [CORPUS]
set -uo pipefail
cd "$(dirname "$0")/../.."
DEB=$(realpath "$1"); OUT=$(realpath -m "$2"); BUDGET=${3:-540}; CORPUS=${4:-}
T0=$(date +%s)
left() { echo $((BUDGET - ($(date +%s) - T0))); }
log() { echo "[$(($(date +%s) - T0))s] $*"; }
STAGES=,${TB_GPU_STAGES:-parity,train,pretrain,bench},
has() { [[ $STAGES == *,$1,* ]]; }
mkdir -p "$OUT"; W=/tmp/tbgpu; rm -rf "$W"; mkdir -p "$W"
export PYTHONUNBUFFERED=1
log "machine"
nvidia-smi -L; grep PRETTY /etc/os-release; c++ --version | head -1; cmake --version | head -1; nproc
python3 -c "import torch, transformers; print('torch', torch.__version__, 'cuda', torch.version.cuda, 'transformers', transformers.__version__, 'cxx11abi', torch._C._GLIBCXX_USE_CXX11_ABI)"

log "1. transformers vs committed fixtures (background)"
parity_pid=
if has parity; then
    python3 tests/reference/gpu/transformers_parity.py fixtures "$W/hf" >"$W/parity_fixtures.txt" 2>&1 &
    parity_pid=$!
fi

log "2. dependencies and CUDA build"
saved_ld=${LD_LIBRARY_PATH:-}
source scripts/gpu/deps_prefix.sh "$DEB" "$W/prefix"
TB_LD=$LD_LIBRARY_PATH
TORCH_PREFIX=$(python3 -c 'import torch; print(torch.utils.cmake_prefix_path)')
export TORCH_CUDA_ARCH_LIST=9.0
# -include cstdint: newer GCCs no longer pull <cstdint> in through other standard headers.
cmake -S . -B "$W/build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DTUNEBENCH_GUI=OFF \
    -DTUNEBENCH_TESTS=OFF -DTUNEBENCH_BENCH=ON "-DCMAKE_PREFIX_PATH=$TORCH_PREFIX;$TB_DEPS_PREFIX_PATH" \
    "${TB_DEPS_CMAKE_ARGS[@]}" "-DCMAKE_CXX_FLAGS=-include cstdint" >"$W/configure.log" 2>&1
log "configure rc=$? (tail below)"; tail -5 "$W/configure.log"
cmake --build "$W/build" -j"$(nproc)" --target tunebench-cli bench_train_step -- -k 0 >"$W/build.log" 2>&1
build_rc=$?
log "build rc=$build_rc"; grep -E "error|Error" "$W/build.log" | head -40
export LD_LIBRARY_PATH=$saved_ld
cp "$W/configure.log" "$W/build.log" "$OUT/" 2>/dev/null
CLI=$W/tbcli
printf '#!/bin/sh\nLD_LIBRARY_PATH=%s exec %s "$@"\n' "$TB_LD" "$W/build/app/tunebench-cli" >"$CLI"
chmod +x "$CLI"
if [[ -n $parity_pid ]]; then
    wait $parity_pid; cat "$W/parity_fixtures.txt"; cp "$W/hf/parity_fixtures.json" "$OUT/" 2>/dev/null
    tar czf "$OUT/hf_fixtures.tar.gz" -C "$W/hf" $(cd "$W/hf" && ls -d hf_tiny_* 2>/dev/null)
fi
if [[ $build_rc != 0 ]]; then log "build failed: stopping"; exit 1; fi

pretrain_pid=
if has pretrain && [[ -n $CORPUS && $(left) -gt 300 ]]; then
    log "4c. masked-LM pretraining on the GPU (background)"
    ARCH=(--vocab-size 8000 --hidden 128 --layers 2 --heads 4 --intermediate 512 --max-length 128)
    (timeout -s INT $(($(left) - 120)) "$CLI" pretrain "$CORPUS" --out "$W/pre/brown_gpu" "${ARCH[@]}" \
        --batch-size 128 --seed 1 --steps 12000 --lr 1e-3 --device cuda --log-every 500 \
        >"$W/pretrain_fresh.txt" 2>&1) &
    (timeout -s INT $(($(left) - 120)) "$CLI" pretrain "$CORPUS" --from resources/demo/pretrained_model \
        --out "$W/pre/brown_gpu_from_demo" --max-length 128 --batch-size 128 --seed 2 --steps 12000 \
        --lr 1e-3 --device cuda --log-every 500 >"$W/pretrain_from.txt" 2>&1) &
    pretrain_pid=$!
fi

if has parity; then
    log "3. tunebench encoders on the GPU vs transformers"
    timeout 120 python3 tests/reference/gpu/transformers_parity.py cli "$CLI" "$W/hf" 2>&1 | tail -40
    cp "$W/hf/parity_cli.json" "$OUT/" 2>/dev/null
fi

if has train; then
    log "4. fine-tuning on the GPU"
    RUNS=$W/runs
    T=(--set output.runs_dir=$RUNS --set training.device=cuda)
    timeout 150 "$CLI" train resources/demo/demo_experiment.yaml "${T[@]}" --set training.precision=bf16 \
        --set training.epochs=2 --set name=gpu-bf16 -q 2>&1 | tail -15
    run=$(ls -d "$RUNS"/gpu-bf16* 2>/dev/null | head -1)
    log "resume on the GPU (one more epoch) and evaluate the GPU checkpoint on the CPU: $run"
    [[ -n $run ]] && timeout 90 "$CLI" resume "$run" --set training.epochs=3 -q 2>&1 | tail -8
    [[ -n $run ]] && timeout 60 "$CLI" eval "$run" --data resources/demo/spam_assassin.csv --device cpu --text 2>&1 | tail -12
    timeout 60 "$CLI" train resources/demo/demo_experiment.yaml "${T[@]}" --set training.precision=bf16 \
        --find-batch-size --max-batch-size 4096 2>&1 | tail -8
fi

[[ -n $pretrain_pid ]] && { log "waiting for pretraining"; wait; }
tail -4 "$W/pretrain_fresh.txt" "$W/pretrain_from.txt" 2>/dev/null
[[ -d $W/pre ]] && tar czf "$OUT/pretrained_gpu.tar.gz" -C "$W/pre" .

log "5. training-step benchmark (time left $(left) s)"
if has bench && [[ $(left) -gt 60 ]]; then
    export TB_RUN="env LD_LIBRARY_PATH=$TB_LD"
    timeout $(($(left) - 10)) bench/run_train_step_gpu.sh "$W/build" 2>&1
    timeout $(($(left) - 5)) bench/run_train_step_gpu.sh "$W/build" 256 4 32 128 30 bf16 4 8000 2>&1
    if [[ $(left) -gt 100 ]]; then
        timeout $(($(left) - 5)) bench/run_train_step_gpu.sh "$W/build" 768 12 32 512 20 bf16 12 30522 2>&1
    fi
fi
log "done"
