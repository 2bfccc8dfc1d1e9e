using HwSim.Arch.Fast;
using HwSim.Cli.Results;
using HwSim.CostModels.Models;
using HwSim.CostModels.Tables;

namespace HwSim.Cli.Sweep;

/// <summary>
/// Runs points in parallel in this process: each on the fast simulator with the area and energy models, checked
/// against the study's constraints (constraints on design-only metrics first, skipping the run of a design that
/// cannot meet them), and stored as soon as it is done.
/// </summary>
public sealed class SweepRunner(Study study, CostLookup costs, int jobs)
{
    private readonly WorkloadCache workloads = new();

    public void Run(IReadOnlyList<SweepPoint> points, SweepStore store, ProgressReporter progress, CancellationToken cancel = default)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = jobs, CancellationToken = cancel };
        Parallel.ForEach(points, options, point =>
        {
            store.Add(Evaluate(point));
            progress.Advance();
        });
    }

    public SweepRow Evaluate(SweepPoint point)
    {
        var area = AreaModel.Of(point.Spec, costs);
        var metrics = SweepMetrics.Static(area);
        var violated = study.Constraints.FirstOrDefault(c => c.Metric.Static && !c.Holds(metrics[c.Metric]));
        var notPriced = new SortedSet<string>(area.Missing, StringComparer.Ordinal);
        if (violated is null)
        {
            var run = FastSimulator.Run(point.Spec, workloads.Get(point.Request), point.Formats);
            var energy = EnergyModel.Of(run, costs);
            notPriced.UnionWith(energy.Missing);
            metrics = SweepMetrics.Of(run, energy, area);
            violated = study.Constraints.FirstOrDefault(c => !c.Holds(metrics[c.Metric]));
        }
        return new SweepRow(point.Hash, point.Index, point.Design, point.AxesJson(), violated is null, violated?.Text,
            notPriced.Count == 0 ? null : string.Join("; ", notPriced), metrics, point.Inputs, Provenance.ToolVersion, Provenance.ToolCommit);
    }
}
