namespace HwSim.CostModels.Allocation;

/// <summary>
/// One candidate for a decision: a weight datatype with the decision's sensitivity (accuracy cost, lower is better),
/// latency in cycles, energy in whole pJ and weight memory in bits when it runs that datatype, and the hardware
/// feature (decoder kind) the datatype needs, if any.
/// </summary>
public sealed record Choice(string Datatype, double Sensitivity, long LatencyCycles, long EnergyPicoJoules, long WeightBits, string? Feature);

/// <summary>
/// One decision of the program: a linear op, or a group of ops tied to one datatype (a whole layer, say). Members
/// are the (layer, op name within the layer) pairs the decision covers.
/// </summary>
public sealed record Decision(string Name, IReadOnlyList<(int Layer, string Op)> Members, IReadOnlyList<Choice> Choices);

/// <summary>
/// Budgets; null leaves that resource unconstrained. Latency, energy and memory budgets cover the whole run
/// including the fixed part (ops that are not decided); the area budget covers the whole design including the area
/// that does not depend on which datatypes it supports.
/// </summary>
public sealed record Budgets(long? LatencyCycles = null, long? EnergyPicoJoules = null, long? WeightBits = null, long? AreaUm2 = null)
{
    public bool Any => LatencyCycles is not null || EnergyPicoJoules is not null || WeightBits is not null || AreaUm2 is not null;
}

/// <summary>
/// The bit-allocation program (HAWQ-V3 style multiple-choice knapsack): pick one choice per decision to minimize
/// total sensitivity subject to the budgets, where area is <see cref="BaseAreaUm2"/> plus the area of every feature
/// some chosen datatype needs (binary "supports" variables). Costs are integers so that both backends and a brute
/// force see exactly the same numbers.
/// </summary>
public sealed record AllocationProblem(
    IReadOnlyList<Decision> Decisions,
    long FixedLatencyCycles,
    long FixedEnergyPicoJoules,
    long FixedWeightBits,
    long BaseAreaUm2,
    IReadOnlyDictionary<string, long> FeatureAreaUm2,
    Budgets Budgets)
{
    public IEnumerable<string> Features => Decisions.SelectMany(d => d.Choices).Select(c => c.Feature).OfType<string>().Distinct().Order(StringComparer.Ordinal);

    /// <summary>The picks that give every decision <paramref name="datatype"/>.</summary>
    public int[] Uniform(string datatype) =>
        [.. Decisions.Select(d => d.Choices.Select(c => c.Datatype).ToList().IndexOf(datatype) is var i and >= 0 ? i
            : throw new ArgumentException($"{d.Name} has no choice {datatype}", nameof(datatype)))];

    /// <summary>Totals of a plan given as one choice index per decision.</summary>
    public PlanTotals Totals(IReadOnlyList<int> picks)
    {
        var chosen = Decisions.Select((d, i) => d.Choices[picks[i]]).ToList();
        var features = chosen.Select(c => c.Feature).OfType<string>().Distinct();
        return new PlanTotals(
            chosen.Sum(c => c.Sensitivity),
            FixedLatencyCycles + chosen.Sum(c => c.LatencyCycles),
            FixedEnergyPicoJoules + chosen.Sum(c => c.EnergyPicoJoules),
            FixedWeightBits + chosen.Sum(c => c.WeightBits),
            BaseAreaUm2 + features.Sum(f => FeatureAreaUm2[f]));
    }

    public bool Fits(PlanTotals totals) =>
        (Budgets.LatencyCycles is not { } l || totals.LatencyCycles <= l)
        && (Budgets.EnergyPicoJoules is not { } e || totals.EnergyPicoJoules <= e)
        && (Budgets.WeightBits is not { } m || totals.WeightBits <= m)
        && (Budgets.AreaUm2 is not { } a || totals.AreaUm2 <= a);

    /// <summary>
    /// Decisions with identical choice lists, as classes of decision indices in order. Identical decisions are
    /// interchangeable, so the solvers give each class integer counts per choice instead of one binary per member:
    /// an exact reformulation that removes the symmetry which otherwise makes branch-and-bound enumerate
    /// equivalent plans (every layer of a model with synthetic weights looks the same).
    /// </summary>
    public IReadOnlyList<IReadOnlyList<int>> Classes()
    {
        var classes = new Dictionary<string, List<int>>();
        var order = new List<List<int>>();
        for (int i = 0; i < Decisions.Count; i++)
        {
            string signature = string.Join(";", Decisions[i].Choices.Select(c =>
                $"{c.Datatype}|{c.Sensitivity:R}|{c.LatencyCycles}|{c.EnergyPicoJoules}|{c.WeightBits}|{c.Feature}"));
            if (!classes.TryGetValue(signature, out var members)) order.Add(classes[signature] = members = []);
            members.Add(i);
        }
        return order;
    }

    /// <summary>Per-decision picks from per-class counts: a class's members take its choices in order, count by count.</summary>
    public int[] Picks(IReadOnlyList<IReadOnlyList<int>> classes, IReadOnlyList<long[]> counts)
    {
        var picks = new int[Decisions.Count];
        for (int k = 0; k < classes.Count; k++)
        {
            int member = 0;
            for (int c = 0; c < counts[k].Length; c++)
                for (long n = 0; n < counts[k][c]; n++) picks[classes[k][member++]] = c;
        }
        return picks;
    }

    /// <summary>The first structural problem, or null: every decision needs a choice and every feature an area.</summary>
    public string? Validate()
    {
        if (Decisions.Count == 0) return "the program has no decisions";
        foreach (var decision in Decisions)
            if (decision.Choices.Count == 0) return $"{decision.Name}: no candidate datatype";
        foreach (string feature in Features)
            if (!FeatureAreaUm2.ContainsKey(feature)) return $"no area for feature '{feature}'";
        return null;
    }
}

/// <summary>What a plan costs: total sensitivity and the four budgeted resources.</summary>
public sealed record PlanTotals(double Sensitivity, long LatencyCycles, long EnergyPicoJoules, long WeightBits, long AreaUm2);
