#!/usr/bin/env bash
# Mutation testing with Stryker.NET (dotnet-stryker) over one HwSim library at a time, against the xunit tests of
# that library. Not part of CI: a run builds and tests every mutant, which takes from tens of minutes (sim) to
# hours (arch) on two cores; tests/MUTATION.md records measured scores, run times and the triage of survivors.
#
# Usage: tests/mutation.sh TARGET [FOLDER...] [extra dotnet-stryker options]
#   TARGET: sim | numerics | arch | allocation
#   FOLDER: mutate only these top-level folders of the library (e.g. `tests/mutation.sh arch Memory Mapping`); the
#           tests used stay the library's. Without folders the whole library is mutated (the per-library default).
#   A --test-case-filter among the options replaces the library's test filter (e.g. to leave out tests that cannot
#   reach the folders mutated); tests/MUTATION.md records the filter of every measured run.
# Reports go to tests/StrykerOutput/<target>[-<folder>...]/ (HTML and JSON; git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

# Served versions of the tool: /work/.library/env/packages/nuget.tsv (dotnet-stryker 5.1.0).
STRYKER_VERSION=5.1.0
if ! command -v dotnet-stryker >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/dotnet-stryker" ]; then
  dotnet tool install -g dotnet-stryker --version "$STRYKER_VERSION"
fi
export PATH="$PATH:$HOME/.dotnet/tools"

target="${1:?usage: tests/mutation.sh sim|numerics|arch|allocation [FOLDER...] [dotnet-stryker options]}"
shift
folders=()
while [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; do folders+=("$1"); shift; done
# Per target: the project to mutate, the files to mutate, and the tests that exercise it (a dotnet test filter).
case "$target" in
  sim)        project=HwSim.Sim.csproj;         mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Sim' ;;
  numerics)   project=HwSim.Numerics.csproj;    mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Numerics' ;;
  arch)       project=HwSim.Arch.csproj;        mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Arch' ;;
  allocation) project=HwSim.CostModels.csproj;  mutate='**/Allocation/*.cs'; filter='FullyQualifiedName~HwSim.Tests.CostModels.Allocation|FullyQualifiedName~HwSim.Tests.CostModels.OptimizationTests' ;;
  *) echo "tests/mutation.sh: unknown target '$target' (sim, numerics, arch, allocation)" >&2; exit 2 ;;
esac

mutate_args=()
out_name="$target"
if [ ${#folders[@]} -eq 0 ]; then
  mutate_args=(--mutate "$mutate")
else
  if [ "$mutate" != '**/*.cs' ]; then
    echo "tests/mutation.sh: target '$target' has a fixed file set; it takes no folders" >&2; exit 2
  fi
  for f in "${folders[@]}"; do
    if [ ! -d "$target/$f" ]; then echo "tests/mutation.sh: no folder '$target/$f'" >&2; exit 2; fi
    mutate_args+=(--mutate "**/$f/**/*.cs")
    out_name="$out_name-$f"
  done
fi

filter_args=(--test-case-filter "$filter")
for arg in "$@"; do
  if [ "$arg" = --test-case-filter ]; then filter_args=(); fi
done

# Run from the test project's folder: at the root Stryker would take the solution and ignore the test filter's project.
cd tests
out="StrykerOutput/$out_name"
start=$(date +%s)
# Concurrency 1: the machine is shared; raise it with -c N on a quiet machine.
dotnet-stryker \
  --project "$project" \
  "${mutate_args[@]}" \
  "${filter_args[@]}" \
  --configuration Release \
  --concurrency 1 \
  --reporter Progress --reporter Html --reporter Json --reporter ClearText \
  --output "$out" \
  --skip-version-check \
  "$@"
echo "tests/mutation.sh: $out_name took $(( $(date +%s) - start )) s"
