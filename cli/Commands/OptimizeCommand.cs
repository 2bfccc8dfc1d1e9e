using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using System.Text;
using HwSim.Arch.Fast;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Cli.Plots;
using HwSim.Cli.Evaluation;
using HwSim.CostModels.Allocation;
using HwSim.CostModels.Sensitivity;
using Spectre.Console;
using static HwSim.Cli.Text;

namespace HwSim.Cli.Commands;

/// <summary>
/// `hwsim optimize`: per-layer weight datatypes by integer programming (HAWQ-V3 style) under latency, energy, memory
/// and area budgets, with costs from our simulator and cost models and sensitivities from numerics/. Prints the plan,
/// the totals against each budget, solve time and gap, the simulated latency of the plan, and the Pareto frontier
/// over the latency budget; writes the plan as JSON (with its provenance); `--format json|csv` gives the totals and
/// frontier as data (docs/schemas/optimize.schema.json). An infeasible request exits 3 with the smallest achievable value.
/// </summary>
public static class OptimizeCommand
{
    public const int ExitInfeasible = 3;

    public static Command Create(CliConsole console)
    {
        var workloadOptions = new WorkloadOptions();
        var costOptions = new CostOptions();
        var design = new DesignOptions(weights: false, plan: false);
        var candidates = new Option<string?>("--candidates") { Description = "Comma-separated weight datatypes to choose from (default: the PE's)." };
        var granularity = Options.Choice("--granularity", Granularity.Op, "One choice per linear op, or per layer.");
        var tie = new Option<string?>("--tie") { Description = "Op groups sharing a datatype in each layer, e.g. q_proj+k_proj+v_proj,gate_proj+up_proj." };
        var latency = new Option<string?>("--latency-budget") { Description = "e.g. 0.8x (of the all-widest latency), 12ms, 5000000 (cycles)." };
        var energy = new Option<string?>("--energy-budget") { Description = "e.g. 0.9x (of the all-widest energy), 2J, 500mJ." };
        var memory = new Option<string?>("--memory-budget") { Description = "Weight memory, e.g. 0.6x, 3.5GB, 3GiB." };
        var area = new Option<string?>("--area-budget") { Description = "e.g. 1.02x (of the design as described), 5.5mm2." };
        var backend = new Option<string>("--solver") { Description = "scip or cp-sat.", DefaultValueFactory = _ => "scip" };
        var timeLimit = Options.AtLeast("--time-limit", 1, 60, "Solver time limit in seconds per solve.");
        var pareto = Options.AtLeast("--pareto", 0, 8, "Latency budgets in the Pareto sweep (0: none).");
        var metric = Options.Choice("--metric", SensitivityMetric.Weight, "Sensitivity: weight or output squared error, or loss (calibration NLL increase; needs --weights-file DIR and --calibration).");
        var calibration = new Option<string?>("--calibration") { Description = "Token ids (whitespace-separated or .npy) for --metric loss; the plan's calibration perplexity is printed too." };
        var calibrationSeqLen = Options.AtLeast("--calibration-seq-len", 2, 512, "Window length of the --calibration tokens.");
        var weightsFile = new Option<string?>("--weights-file") { Description = "A .safetensors checkpoint for real-weight sensitivities (default: synthetic weights)." };
        var importance = new Option<string?>("--importance") { Description = "CSV layer,op,importance (e.g. Hessian traces) weighting each sensitivity." };
        var sampleRows = Options.AtLeast("--sample-rows", 1, 128, "Output channels per layer quantized to measure sensitivity.");
        var output = new Option<string>("--out") { Description = "Where to write the plan JSON.", DefaultValueFactory = _ => "plan.json" };
        var outputOptions = new OutputOptions(resultFile: false);
        var plot = PlotOption.Create("the Pareto frontier of --pareto");
        var command = new Command("optimize", "Choose per-layer weight datatypes by integer programming under latency/energy/memory/area budgets.")
        {
            candidates, granularity, tie, latency, energy, memory, area, backend, timeLimit, pareto, metric, weightsFile, importance, sampleRows, output, plot,
            calibration, calibrationSeqLen,
        };
        design.AddTo(command);
        workloadOptions.AddTo(command);
        costOptions.AddTo(command);
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            var format = outputOptions.FormatOf(parse);
            string? plotPath = PlotOption.PathOf(parse, plot);
            if (plotPath is not null && parse.GetValue(pareto) == 0) throw new UserInputException("option '--plot' needs the frontier of '--pareto' (at least 1)");
            AtomicFile.Validate(parse.GetValue(output)!, "--out");
            var spec = design.Spec(parse);
            var workload = workloadOptions.Trace(parse);
            var names = parse.GetValue(candidates) is { } list
                ? list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Distinct().ToArray()
                : [.. spec.Pe.WeightTypes];
            IAllocationSolver solver = parse.GetValue(backend)!.ToLowerInvariant() switch
            {
                "scip" => new ScipAllocationSolver(),
                "cp-sat" or "cpsat" => new CpSatAllocationSolver(),
                var other => throw new UserInputException($"option '--solver': '{other}' is not scip or cp-sat"),
            };
            var costModel = costOptions.Read(parse);
            var metricValue = Options.ChoiceOf<SensitivityMetric>(parse, metric);
            var loss = LossMetric.Read(metricValue, parse.GetValue(weightsFile), parse.GetValue(calibration), Options.ToInt(parse.GetValue(calibrationSeqLen), "--calibration-seq-len"));
            string? weightsPath = parse.GetValue(weightsFile) is { } given && Directory.Exists(given) ? given : Options.ExistingFile(parse.GetValue(weightsFile), "--weights-file");
            var sensitivity = new SensitivityOptions(metricValue, (int)Math.Min(parse.GetValue(sampleRows), int.MaxValue),
                SafetensorsPath: loss?.Checkpoint ?? weightsPath, ImportancePath: Options.ExistingFile(parse.GetValue(importance), "--importance"))
            {
                Calibration = loss?.Tokens,
                CalibrationSeqLen = loss?.SequenceLength ?? 512,
            };
            var request = new OptimizeRequest(spec, workload, names, Options.ChoiceOf<Granularity>(parse, granularity), costModel.Lookup(), sensitivity,
                AreaBudgeted: parse.GetValue(area) is not null)
            {
                Ties = parse.GetValue(tie) is { } ties
                    ? [.. ties.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                        .Select(group => (IReadOnlyList<string>)group.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))]
                    : [],
            };
            var setup = ProblemBuilder.Build(request);
            var widest = setup.Problem.Totals(setup.Problem.Uniform(setup.Widest));
            var budgets = new Budgets(
                parse.GetValue(latency) is { } l ? BudgetText.Latency(l, widest.LatencyCycles, spec.ClockHz) : null,
                parse.GetValue(energy) is { } e ? BudgetText.Energy(e, widest.EnergyPicoJoules) : null,
                parse.GetValue(memory) is { } m ? BudgetText.Memory(m, widest.WeightBits) : null,
                parse.GetValue(area) is { } a ? BudgetText.Area(a, setup.DesignAreaUm2) : null);
            var problem = setup.Problem with { Budgets = budgets };
            var limit = TimeSpan.FromSeconds(parse.GetValue(timeLimit));
            var result = solver.Solve(problem, limit);
            var writer = format == OutputFormat.Table ? console.Out : Silent();
            writer.MarkupLine(Markup.Escape($"{workload.Name} on {spec.Name}: {problem.Decisions.Count} decisions ({request.Granularity.ToString().ToLowerInvariant()}) x {names.Length} candidates ({string.Join(", ", names)}); widest: {setup.Widest}"));
            if (!result.HasPlan) return Infeasible(problem, result, spec);

            var inputs = new ProvenanceInputs().Add("workload", WorkloadOptions.ProvenanceOf(workload));
            design.AddProvenance(parse, inputs, spec);
            CostOptions.AddProvenance(inputs, costModel);
            inputs.Add("optimize", new JsonObject
            {
                ["candidates"] = new JsonArray([.. names.Select(n => (JsonNode?)n)]),
                ["granularity"] = request.Granularity.ToString().ToLowerInvariant(),
                ["ties"] = parse.GetValue(tie),
                ["budgets"] = JsonSerializer.SerializeToNode(budgets, ResultFile.JsonOptions),
                ["metric"] = parse.GetValue(metric),
                ["sampleRows"] = parse.GetValue(sampleRows),
                ["pareto"] = parse.GetValue(pareto),
            });
            if (sensitivity.SafetensorsPath is { } checkpoint) inputs.AddFile("weightsFile", checkpoint);
            if (sensitivity.ImportancePath is { } importanceFile) inputs.AddFile("importance", importanceFile);
            var provenance = Provenance.Of(inputs);

            var plan = ProblemBuilder.Plan(setup, result.Picks, workload.Model?.Name ?? workload.Name, spec.Name)
                with { Provenance = new PlanProvenance(provenance.Version, provenance.Commit, provenance.InputsSha256) };
            PrintPlan(writer, problem, result);
            var simulated = FastSimulator.Run(setup.Spec, workload, RunFormats.FromPlan(setup.Spec, plan));
            PrintTotals(writer, problem, result, widest, simulated, spec);
            loss?.PrintPlanPerplexity(writer, plan);
            PrintSolve(writer, problem, result, solver);
            IReadOnlyList<ParetoPoint> frontier = parse.GetValue(pareto) is var points and > 0
                ? ParetoSweep.Run(problem, solver, (int)Math.Min(points, 100), limit, widest.LatencyCycles)
                : [];
            if (frontier.Count > 0) PrintFrontier(writer, frontier, problem, spec);
            if (plotPath is not null) FrontierPlot.Write(frontier, spec, workload.Model?.Name ?? workload.Name, plotPath);
            string planPath = parse.GetValue(output)!;
            Write(planPath, plan, setup, spec, writer);
            if (format == OutputFormat.Table) return HwSimCli.ExitOk;
            var document = OptimizeResult.Of(setup, problem, result, widest, plan, planPath, simulated, frontier, names,
                request.Granularity.ToString().ToLowerInvariant());
            console.Writer.Write(ResultFile.Document(format, provenance, document));
            return HwSimCli.ExitOk;
        });
        return command;
    }

    /// <summary>A console that discards what it is given: the tables when the result goes out as JSON or CSV.</summary>
    private static IAnsiConsole Silent() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(TextWriter.Null),
        Ansi = AnsiSupport.No,
        ColorSystem = ColorSystemSupport.NoColors,
        Interactive = InteractionSupport.No,
    });

    private static int Infeasible(AllocationProblem problem, AllocationResult result, AcceleratorSpec spec)
    {
        if (result.Status == AllocationStatus.NoSolution)
            throw new UserInputException($"no plan found within the time limit ({result.Backend}); raise --time-limit", HwSimCli.ExitFailure);
        var reasons = Infeasibility.Diagnose(problem);
        string message = reasons.Count > 0
            ? "infeasible: " + string.Join("; ", reasons.Select(r =>
                $"the smallest achievable {Describe(r.Resource)} is {Exact(r.Resource, r.Smallest, spec)}, above the budget of {Exact(r.Resource, r.Budget, spec)}"))
            : "infeasible: each budget can be met alone but not all together (smallest achievable: " + string.Join(", ",
                Enum.GetValues<Resource>().Select(r => $"{Describe(r)} {Exact(r, Infeasibility.Smallest(problem, r), spec)}")) + ")";
        throw new UserInputException(message, ExitInfeasible);
    }

    private static string Describe(Resource resource) => resource switch
    {
        Resource.Latency => "latency",
        Resource.Energy => "energy",
        Resource.Memory => "weight memory",
        _ => "area",
    };

    /// <summary>A value with its exact integer count, for messages.</summary>
    private static string Exact(Resource resource, long value, AcceleratorSpec spec) => resource switch
    {
        Resource.Latency => $"{Count(value)} cycles = {Fixed(value * 1000.0 / spec.ClockHz, 3)} ms",
        Resource.Energy => $"{Count(value)} pJ = {Fixed(value / 1e9, 3)} mJ",
        Resource.Memory => $"{Count(value)} bits = {Fixed(value / 8e6, 2)} MB",
        _ => $"{Count(value)} um2 = {Fixed(value / 1e6, 4)} mm2",
    };

    private static string Amount(Resource resource, long value, AcceleratorSpec spec) => resource switch
    {
        Resource.Latency => $"{Fixed(value * 1000.0 / spec.ClockHz, 2)} ms",
        Resource.Energy => $"{Fixed(value / 1e9, 3)} mJ",
        Resource.Memory => $"{Fixed(value / 8e6, 2)} MB",
        _ => $"{Fixed(value / 1e6, 4)} mm2",
    };

    private static void PrintPlan(IAnsiConsole console, AllocationProblem problem, AllocationResult result)
    {
        var cells = new SortedDictionary<int, Dictionary<string, string>>();
        var ops = new List<string>();
        for (int i = 0; i < problem.Decisions.Count; i++)
        {
            string datatype = problem.Decisions[i].Choices[result.Picks[i]].Datatype;
            foreach (var (layer, op) in problem.Decisions[i].Members)
            {
                if (!ops.Contains(op)) ops.Add(op);
                (cells.TryGetValue(layer, out var row) ? row : cells[layer] = [])[op] = datatype;
            }
        }
        var table = new Table().Title("chosen weight datatype per layer and op").AddColumn("layer");
        foreach (string op in ops) table.AddColumn(op);
        foreach (var (layer, row) in cells)
            table.AddRow([layer < 0 ? "-" : layer.ToString(System.Globalization.CultureInfo.InvariantCulture), .. ops.Select(op => row.GetValueOrDefault(op, ""))]);
        console.Write(table);
        var mix = problem.Decisions.Select((d, i) => d.Choices[result.Picks[i]].Datatype).GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal);
        console.MarkupLine(Markup.Escape("mix: " + string.Join(", ", mix.Select(g => $"{g.Key} x{g.Count()}"))));
    }

    private static void PrintTotals(IAnsiConsole console, AllocationProblem problem, AllocationResult result, PlanTotals widest, RunResult simulated, AcceleratorSpec spec)
    {
        var plan = result.Totals!;
        var b = problem.Budgets;
        var table = new Table().Title("totals").AddColumn("resource").AddColumn(new TableColumn("plan").RightAligned())
            .AddColumn(new TableColumn("budget").RightAligned()).AddColumn(new TableColumn("all widest").RightAligned())
            .AddColumn(new TableColumn("smallest achievable").RightAligned());
        void Row(Resource r, long value, long? budget, long all) =>
            table.AddRow(Describe(r), Amount(r, value, spec), budget is { } x ? Amount(r, x, spec) : "-", Amount(r, all, spec), Amount(r, Infeasibility.Smallest(problem, r), spec));
        Row(Resource.Latency, plan.LatencyCycles, b.LatencyCycles, widest.LatencyCycles);
        Row(Resource.Energy, plan.EnergyPicoJoules, b.EnergyPicoJoules, widest.EnergyPicoJoules);
        Row(Resource.Memory, plan.WeightBits, b.WeightBits, widest.WeightBits);
        Row(Resource.Area, plan.AreaUm2, b.AreaUm2, widest.AreaUm2);
        table.AddRow("sensitivity", General(plan.Sensitivity), "-", General(widest.Sensitivity), "-");
        console.Write(table);
        double error = (simulated.TotalCycles - plan.LatencyCycles) / (double)plan.LatencyCycles;
        console.MarkupLine(Markup.Escape($"simulated latency of the plan: {Count(simulated.TotalCycles)} cycles ({Fixed(simulated.Milliseconds(simulated.TotalCycles), 3)} ms), {Fixed(error * 100, 3)}% from the program's additive estimate"));
    }

    private static void PrintSolve(IAnsiConsole console, AllocationProblem problem, AllocationResult result, IAllocationSolver solver)
    {
        string scaling = solver is CpSatAllocationSolver
            ? $"; objective scaled to {Count(CpSatAllocationSolver.ObjectiveUnits)} units, so within {General(CpSatAllocationSolver.ScalingError(problem))} of the true optimum"
            : "";
        console.MarkupLine(Markup.Escape($"solver: {result.Backend}, {result.Status.ToString().ToLowerInvariant()}, {Fixed(result.SolveTime.TotalMilliseconds, 1)} ms, gap {Percent(result.Gap)}{scaling}"));
    }

    private static void PrintFrontier(IAnsiConsole console, IReadOnlyList<ParetoPoint> frontier, AllocationProblem problem, AcceleratorSpec spec)
    {
        var table = new Table().Title("Pareto frontier over the latency budget").AddColumn(new TableColumn("latency budget").RightAligned())
            .AddColumn(new TableColumn("plan latency").RightAligned()).AddColumn(new TableColumn("sensitivity").RightAligned()).AddColumn("mix");
        foreach (var point in frontier.OrderBy(p => p.Result.Totals!.LatencyCycles))
        {
            var mix = problem.Decisions.Select((d, i) => d.Choices[point.Result.Picks[i]].Datatype).GroupBy(t => t).OrderBy(g => g.Key, StringComparer.Ordinal);
            table.AddRow(Amount(Resource.Latency, point.LatencyBudgetCycles, spec), Amount(Resource.Latency, point.Result.Totals!.LatencyCycles, spec),
                General(point.Result.Totals.Sensitivity), Markup.Escape(string.Join(", ", mix.Select(g => $"{g.Key} x{g.Count()}"))));
        }
        console.Write(table);
    }

    private static void Write(string path, PrecisionPlan plan, AllocationSetup setup, AcceleratorSpec spec, IAnsiConsole console)
    {
        AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(PrecisionPlanJson.Write(plan))));
        console.MarkupLine(Markup.Escape($"wrote {path} ({plan.Entries.Count} entries); simulate it with: hwsim simulate --arch {spec.Name} --plan {path}"));
        var used = plan.Entries.Select(e => e.Weights).Distinct().Where(t => !spec.Pe.WeightTypes.Contains(t)).ToList();
        if (used.Count == 0) return;
        // The plan needs datatypes the described PE does not list: write the extended design beside it.
        string archPath = Path.ChangeExtension(path, ".arch.json");
        var extended = spec with { Name = spec.Name + "+" + string.Join("+", used), Pe = spec.Pe with { WeightTypes = [.. spec.Pe.WeightTypes.Concat(used)] } };
        AtomicFile.Write(archPath, stream => stream.Write(Encoding.UTF8.GetBytes(AcceleratorSpecJson.Write(extended))));
        console.MarkupLine(Markup.Escape($"the plan uses {string.Join(", ", used)}, which {spec.Name} does not list: wrote the extended design to {archPath} (pass it as --arch)"));
    }
}
