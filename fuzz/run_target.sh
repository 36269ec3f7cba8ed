#!/usr/bin/env bash
# One bounded libFuzzer run: run_target.sh <binary> <fuzz dir> <target> <seconds> <work dir>
# New inputs go to <work dir>/<target>/corpus (the committed seeds in
# fuzz/corpus/<target> and fuzz/regressions/<target> are read only); a crash
# leaves its input in <work dir>/<target>/ and fails the test -- copy it to
# fuzz/regressions/<target>/ once fixed (the replay unit test keeps it fixed).
set -euo pipefail
bin=$1 dir=$2 target=$3 seconds=$4 work=$5/$3
mkdir -p "$work/corpus"
seeds=("$dir/corpus/$target")
[[ -d $dir/regressions/$target ]] && seeds+=("$dir/regressions/$target")
exec "$bin" -max_total_time="$seconds" -timeout=25 -rss_limit_mb=2560 -max_len=65536 \
  -print_final_stats=1 -artifact_prefix="$work/" "$work/corpus" "${seeds[@]}"
