#!/usr/bin/env bash
# Mutation testing with Stryker.NET (dotnet-stryker) over one HwSim library at a time, against the xunit tests of
# that library. Not part of CI: a run builds and tests every mutant, which takes from tens of minutes (sim) to
# hours (arch) on two cores; tests/MUTATION.md records measured scores, run times and the triage of survivors.
#
# Usage: tests/mutation.sh TARGET [extra dotnet-stryker options]
#   TARGET: sim | numerics | arch | allocation
# Reports go to tests/StrykerOutput/<target>/ (HTML and JSON; git-ignored).
set -euo pipefail
cd "$(dirname "$0")/.."

# Served versions of the tool: /work/.library/env/packages/nuget.tsv (dotnet-stryker 5.1.0).
STRYKER_VERSION=5.1.0
if ! command -v dotnet-stryker >/dev/null 2>&1 && [ ! -x "$HOME/.dotnet/tools/dotnet-stryker" ]; then
  dotnet tool install -g dotnet-stryker --version "$STRYKER_VERSION"
fi
export PATH="$PATH:$HOME/.dotnet/tools"

target="${1:?usage: tests/mutation.sh sim|numerics|arch|allocation [dotnet-stryker options]}"
shift
# Per target: the project to mutate, the files to mutate, and the tests that exercise it (a dotnet test filter).
case "$target" in
  sim)        project=HwSim.Sim.csproj;         mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Sim' ;;
  numerics)   project=HwSim.Numerics.csproj;    mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Numerics' ;;
  arch)       project=HwSim.Arch.csproj;        mutate='**/*.cs';            filter='FullyQualifiedName~HwSim.Tests.Arch' ;;
  allocation) project=HwSim.CostModels.csproj;  mutate='**/Allocation/*.cs'; filter='FullyQualifiedName~HwSim.Tests.CostModels.Allocation|FullyQualifiedName~HwSim.Tests.CostModels.OptimizationTests' ;;
  *) echo "tests/mutation.sh: unknown target '$target' (sim, numerics, arch, allocation)" >&2; exit 2 ;;
esac

# Run from the test project's folder: at the root Stryker would take the solution and ignore the test filter's project.
cd tests
out="StrykerOutput/$target"
start=$(date +%s)
# Concurrency 1: the machine is shared; raise it with -c N on a quiet machine.
dotnet-stryker \
  --project "$project" \
  --mutate "$mutate" \
  --test-case-filter "$filter" \
  --configuration Release \
  --concurrency 1 \
  --reporter Progress --reporter Html --reporter Json --reporter ClearText \
  --output "$out" \
  --skip-version-check \
  "$@"
echo "tests/mutation.sh: $target took $(( $(date +%s) - start )) s"
