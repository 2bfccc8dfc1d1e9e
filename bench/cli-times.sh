#!/usr/bin/env bash
# Whole-process wall times of the README's main commands: what a user waits for, start-up, JIT and output
# included (the BenchmarkDotNet figures in RESULTS.md time the work in a warm process). Each command runs RUNS
# times (default 5) after one warm-up run; the table gives the median and the range of wall seconds and the peak
# resident memory. Uses hyperfine when installed (apt-get install hyperfine), else /usr/bin/time.
#
# Usage: bench/cli-times.sh [RUNS]   (after `dotnet build HwSim.sln -c Release`)
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
hwsim=(dotnet cli/bin/Release/net10.0/hwsim.dll)
[ -f cli/bin/Release/net10.0/hwsim.dll ] || { echo "bench/cli-times.sh: build first: dotnet build HwSim.sln -c Release" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench/cli-times.sh: needs /usr/bin/time (apt-get install time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

commands=(
  "--help"
  "simulate"
  "simulate --model llama-2-7b --arch bitmod --prompt 2048 --generate 128"
  "simulate --model llama-2-7b --prompt 256 --generate 20 --compare fp16-baseline,ant,olive,bitmod"
  "trace --model llama-2-7b --batch 1 --prompt 2048 --generate 128"
  "quantize --synthetic"
  "cost --arch bitmod"
  "export --arch bitmod --out $work/rtl"
  "optimize --model llama-2-7b --arch bitmod --latency-budget 0.8x --candidates int4,int8,bitmod3,bitmod4,ovp4"
)

echo "Whole-process wall time, $runs runs after one warm-up, $(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| command | median s | min–max s | peak RSS MB |"
echo "|---|---:|---:|---:|"
for args in "${commands[@]}"; do
  read -r -a argv <<<"$args"
  "${hwsim[@]}" "${argv[@]}" >/dev/null 2>&1 || { echo "| hwsim $args | failed (exit $?) | | |"; continue; }
  times=() rss=0
  for ((i = 0; i < runs; i++)); do
    /usr/bin/time -f "%e %M" -o "$work/time" "${hwsim[@]}" "${argv[@]}" >/dev/null 2>&1
    read -r seconds kb <"$work/time"
    times+=("$seconds")
    ((kb > rss)) && rss=$kb
  done
  sorted=$(printf '%s\n' "${times[@]}" | sort -g)
  median=$(sed -n "$(( (runs + 1) / 2 ))p" <<<"$sorted")
  echo "| \`hwsim ${args//$work\//}\` | $median | $(head -1 <<<"$sorted")–$(tail -1 <<<"$sorted") | $((rss / 1024)) |"
done
