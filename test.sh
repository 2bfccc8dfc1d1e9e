#!/usr/bin/env bash
# Runs every HwSim test. Installs what the tests need when it is missing (Verilog tools for the RTL checks, Slurm and
# munge for the sweep job-array test), then builds the solution in Release and runs the xunit suite.
set -euo pipefail
cd "$(dirname "$0")"

missing=()
command -v verilator >/dev/null 2>&1 || missing+=(verilator)
command -v iverilog >/dev/null 2>&1 || missing+=(iverilog)
# The Slurm integration test of `hwsim sweep --slurm` starts its own munged, slurmctld and slurmd.
[ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && command -v sbatch >/dev/null 2>&1 || missing+=(slurm-wlm)
[ -x /usr/sbin/munged ] || missing+=(munge)
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "test.sh: installing ${missing[*]}"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null; } \
      || echo "test.sh: could not install ${missing[*]}; RTL and Slurm tests will fail" >&2
  else
    echo "test.sh: ${missing[*]} not installed and cannot install (need root and apt-get); RTL and Slurm tests will fail" >&2
  fi
fi

dotnet test HwSim.sln -c Release --nologo "$@"
