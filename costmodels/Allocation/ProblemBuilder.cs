using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.CostModels.Models;
using HwSim.CostModels.Sensitivity;
using HwSim.CostModels.Tables;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Formats;
using HwSim.Workloads.Tracing;

namespace HwSim.CostModels.Allocation;

/// <summary>One decision per linear op, or one per layer (all its linear ops share a datatype).</summary>
public enum Granularity { Op, Layer }

/// <summary>
/// What to optimize: a workload on a design, the candidate weight datatypes, and how to cost them. <see cref="Ties"/>
/// lists groups of op names that share one datatype within each layer (e.g. q_proj, k_proj, v_proj read the same
/// input; HAWQ-V3 ties layers joined by a residual the same way).
/// </summary>
public sealed record OptimizeRequest(
    AcceleratorSpec Spec,
    Workload Workload,
    IReadOnlyList<string> Candidates,
    Granularity Granularity,
    CostLookup Costs,
    SensitivityOptions Sensitivity,
    bool AreaBudgeted)
{
    public IReadOnlyList<IReadOnlyList<string>> Ties { get; init; } = [];
}

/// <summary>The simulation of the workload with every linear op at one candidate datatype.</summary>
public sealed record CandidateRun(string Datatype, RunResult Run, EnergyReport Energy);

/// <summary>
/// The program (without budgets) and what it was built from: the design extended to run every candidate, the uniform
/// runs per candidate, the widest candidate (most bits per weight) and the design's area as described.
/// </summary>
public sealed record AllocationSetup(AcceleratorSpec Spec, AllocationProblem Problem, IReadOnlyList<CandidateRun> Runs, string Widest, double DesignAreaUm2)
{
    public CandidateRun WidestRun => Runs.First(r => r.Datatype == Widest);
}

/// <summary>
/// Builds the bit-allocation program from our own models: for each candidate the fast simulator runs the workload
/// with every linear op at that datatype (other ops at the design's defaults), and each op's latency, energy
/// (<see cref="EnergyModel"/>) and weight bits under that candidate become the costs of choosing it. The latency of
/// a mixed plan is the sum of its ops' latencies (HAWQ-V3's lookup-table model); ops that are not decided contribute
/// their latency and energy from the widest candidate's run, so the all-widest plan's predicted latency is that
/// run's simulated total exactly.
/// </summary>
public static class ProblemBuilder
{
    public static AllocationSetup Build(OptimizeRequest request)
    {
        var spec = Extend(request.Spec, request.Candidates);
        request = request with { Spec = spec };
        var linear = request.Workload.Prefill.Where(PlanWorkloadValidator.IsPlannable).ToList();
        if (linear.Count == 0) throw new InvalidDataException($"{request.Workload.Name}: no linear ops to allocate");
        var keys = linear.Select(Key).Distinct().ToList();

        var runs = request.Candidates.Select(c => Run(request, keys, c)).ToList();
        string widest = request.Candidates.MaxBy(c => WeightDatatypes.Get(c).Storage.EffectiveBits)!;
        var widestRun = runs.First(r => r.Datatype == widest);

        // Per key and candidate: cycles and energy summed over prefill and every decode step; weight bits once.
        var costs = runs.ToDictionary(r => r.Datatype, r => PerKey(r));
        var shapes = linear.GroupBy(Key).ToDictionary(g => g.Key, g => g.First());
        var sensitivity = SensitivityTable.Measure(
            [.. keys.Select(k => new LinearOpShape(k.Layer, k.Op, (int)shapes[k].Gemm!.N.Constant, (int)shapes[k].Gemm!.K.Constant))],
            request.Candidates, request.Sensitivity with { Family = request.Workload.Model?.Family ?? request.Sensitivity.Family });

        var (features, baseArea, designArea) = Areas(request);
        var decisions = new List<Decision>();
        foreach (var group in Group(keys, request.Granularity, request.Ties))
        {
            var choices = request.Candidates.Select(c => new Choice(c,
                group.Members.Sum(k => sensitivity.Of(k.Layer, k.Op, c)),
                group.Members.Sum(k => costs[c][k].Cycles),
                (long)Math.Round(group.Members.Sum(k => costs[c][k].PicoJoules)),
                group.Members.Sum(k => WeightBits(WeightDatatypes.Get(c).Storage, shapes[k].WeightElements)),
                request.AreaBudgeted ? AreaModel.DecoderFor(c) : null)).ToList();
            decisions.Add(new Decision(group.Name, group.Members, choices));
        }

        var widestCosts = costs[widest];
        long fixedLatency = widestRun.Run.TotalCycles - widestCosts.Values.Sum(v => v.Cycles);
        long fixedEnergy = (long)Math.Round(widestRun.Energy.TotalPicoJoules - widestCosts.Values.Sum(v => v.PicoJoules));
        var defaultStorage = WeightDatatypes.Get(spec.DefaultWeights).Storage;
        long fixedWeights = request.Workload.Prefill.Where(op => !PlanWorkloadValidator.IsPlannable(op)).Sum(op => WeightBits(defaultStorage, op.WeightElements));
        var problem = new AllocationProblem(decisions, fixedLatency, fixedEnergy, fixedWeights, baseArea, features, new Budgets());
        return new AllocationSetup(spec, problem, runs, widest, designArea);
    }

    /// <summary>
    /// The design with its PE extended to every candidate: a datatype the PE does not list yet is one the hardware
    /// would have to support (its decoder enters the area model as a "supports" feature). A candidate the PE kind
    /// cannot execute (floating point on a serial PE) is rejected.
    /// </summary>
    public static AcceleratorSpec Extend(AcceleratorSpec spec, IReadOnlyList<string> candidates)
    {
        if (candidates.Count == 0) throw new InvalidDataException("candidates: name at least one weight datatype");
        foreach (string candidate in candidates)
            if (!WeightDatatypes.TryGet(candidate, out _, out string? unknown))
                throw new InvalidDataException($"candidates: {unknown}");
        var extended = spec with { Pe = spec.Pe with { WeightTypes = [.. spec.Pe.WeightTypes.Union(candidates)] } };
        if (AcceleratorSpecValidator.Validate(extended) is { } problem)
            throw new InvalidDataException($"candidates: {spec.Name} cannot run them: {problem}");
        return extended;
    }

    /// <summary>The plan that gives each decision's members the chosen datatype.</summary>
    public static PrecisionPlan Plan(AllocationSetup setup, IReadOnlyList<int> picks, string model, string arch) =>
        new(model, arch, [.. setup.Problem.Decisions.SelectMany((d, i) => d.Members.Select(m => new PlanEntry(m.Layer, m.Op, d.Choices[picks[i]].Datatype)))]);

    private static (int Layer, string Op) Key(TraceOp op) => (op.Layer, op.LocalName);

    private static CandidateRun Run(OptimizeRequest request, List<(int Layer, string Op)> keys, string candidate)
    {
        var plan = new PrecisionPlan(request.Workload.Name, request.Spec.Name, [.. keys.Select(k => new PlanEntry(k.Layer, k.Op, candidate))]);
        var run = FastSimulator.Run(request.Spec, request.Workload, RunFormats.FromPlan(request.Spec, plan));
        return new CandidateRun(candidate, run, EnergyModel.Of(run, request.Costs));
    }

    private static Dictionary<(int Layer, string Op), (long Cycles, double PicoJoules)> PerKey(CandidateRun run)
    {
        var result = new Dictionary<(int, string), (long, double)>();
        foreach (var (op, energy) in run.Run.Ops.Zip(run.Energy.Ops))
        {
            if (!PlanWorkloadValidator.IsPlannable(op.Op)) continue;
            var key = Key(op.Op);
            var (cycles, picoJoules) = result.GetValueOrDefault(key);
            result[key] = (cycles + op.Cycles, picoJoules + energy.TotalPicoJoules);
        }
        return result;
    }

    /// <summary>Exact storage bits: codes plus per-group data for every started group.</summary>
    public static long WeightBits(StorageFormat storage, long elements) =>
        checked(elements * storage.ElementBits + (storage.GroupSize == 0 ? 0 : (elements + storage.GroupSize - 1) / storage.GroupSize * storage.GroupOverheadBits));

    private sealed record DecisionGroup(string Name, IReadOnlyList<(int Layer, string Op)> Members);

    private static IEnumerable<DecisionGroup> Group(List<(int Layer, string Op)> keys, Granularity granularity, IReadOnlyList<IReadOnlyList<string>> ties)
    {
        if (granularity == Granularity.Layer)
            return keys.GroupBy(k => k.Layer).Select(g => new DecisionGroup(g.Key < 0 ? string.Join("+", g.Select(k => k.Op)) : $"layers.{g.Key}", [.. g]));
        var known = keys.Select(k => k.Op).ToHashSet();
        foreach (string op in ties.SelectMany(t => t))
            if (!known.Contains(op)) throw new InvalidDataException($"tie: '{op}' is not a linear op of this model ({string.Join(", ", known)})");
        if (ties.SelectMany(t => t).GroupBy(op => op).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new InvalidDataException($"tie: '{twice.Key}' is in more than one group");
        string Tie(string op) => ties.FirstOrDefault(t => t.Contains(op)) is { } group ? string.Join("+", group) : op;
        return keys.GroupBy(k => (k.Layer, Tie(k.Op)))
            .Select(g => new DecisionGroup(g.Key.Layer < 0 ? g.Key.Item2 : $"layers.{g.Key.Layer}.{g.Key.Item2}", [.. g]));
    }

    private static (Dictionary<string, long> Features, long BaseArea, double DesignArea) Areas(OptimizeRequest request)
    {
        var spec = request.Spec;
        var costs = request.Costs;
        double designArea = AreaModel.Of(spec, costs).TotalUm2;
        var features = new Dictionary<string, long>();
        if (!request.AreaBudgeted) return (features, (long)Math.Round(designArea), designArea);
        // The datatype-dependent decoders become "supports" variables; everything else is the base.
        var kinds = request.Candidates.Select(AreaModel.DecoderFor).OfType<string>().ToHashSet();
        double baseArea = AreaModel.Of(spec with { Decoders = [.. spec.Decoders.Where(d => !kinds.Contains(d.Kind))] }, costs).TotalUm2;
        foreach (string candidate in request.Candidates)
        {
            if (AreaModel.DecoderFor(candidate) is not { } kind || features.ContainsKey(kind)) continue;
            features[kind] = AreaModel.SupportAreaUm2(spec, candidate, costs) is { } area ? (long)Math.Round(area)
                : throw new InvalidDataException($"area budget: no area data for the {kind} decoder that {candidate} needs; add a row with --costs");
        }
        return (features, (long)Math.Round(baseArea), designArea);
    }
}
