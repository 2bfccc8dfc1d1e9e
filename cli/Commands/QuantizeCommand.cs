using System.CommandLine;
using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using System.Globalization;
using HwSim.Cli.Plots;
using HwSim.Numerics.IO;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Registry;
using Spectre.Console;

namespace HwSim.Cli.Commands;

/// <summary>`hwsim quantize`: quantizes one weight tensor with several datatypes and ranks them by error.</summary>
public static class QuantizeCommand
{
    /// <summary>The activations of the output error are one array of FP16 values: 2^28 of them are 512 MiB.</summary>
    private const long MaxActivationValues = 1L << 28;

    /// <summary>The synthetic matrix is one array of floats, copied by each quantizer: 2^28 of them are 1 GiB.</summary>
    private const long MaxSyntheticWeights = 1L << 28;

    public static Command Create(CliConsole console)
    {
        var tensor = new Option<string?>("--tensor") { Description = "A .safetensors file (FILE:name picks the tensor) or a .npy file." };
        var synthetic = new Option<bool>("--synthetic") { Description = "Use a seeded LLM-like synthetic matrix instead of --tensor." };
        var rows = Options.AtLeast("--rows", 1, 4096, "Synthetic: output channels.");
        var cols = Options.AtLeast("--cols", 2, 4096, "Synthetic: input channels.");
        var seed = Options.AtLeast("--seed", 0, 1, "Seed of the synthetic weights and of the activations.");
        var outlierChannels = Options.AtLeast("--outlier-channels", 0, 8, "Synthetic: input channels scaled into outliers.");
        var outlierMagnitude = new Option<double>("--outlier-magnitude") { Description = "Synthetic: outlier channel multiplier.", DefaultValueFactory = _ => 10 };
        var dtypes = new Option<string?>("--dtype") { Description = $"Comma-separated datatypes (default: {string.Join(",", QuantizerCatalog.DefaultNames)}). Known: {QuantizerCatalog.Help}." };
        var group = Options.AtLeast("--group", 1, 128, "Group size along the input channel for group-scaled datatypes.");
        var clip = new Option<string>("--clip") { Description = "Scale choice where the datatype leaves it open: absmax or mse.", DefaultValueFactory = _ => "absmax" };
        var activationRows = Options.AtLeast("--activation-rows", 1, 16, "Rows of random FP16 activations for the output error.");
        var outputOptions = new OutputOptions();

        var plot = PlotOption.Create("SQNR against bits per weight");
        var command = new Command("quantize", "Quantize a weight tensor with several datatypes and rank them by SQNR.")
        {
            tensor, synthetic, rows, cols, seed, outlierChannels, outlierMagnitude, dtypes, group, clip, activationRows, plot,
        };
        outputOptions.AddTo(command);
        command.SetAction(parse =>
        {
            if (outputOptions.OutOf(parse) is { } outPath) AtomicFile.Validate(outPath.FullName, "--out");
            var clipMode = parse.GetValue(clip) switch
            {
                "absmax" => ClipMode.AbsMax,
                "mse" => ClipMode.Mse,
                var other => throw new UserInputException($"option '--clip' must be absmax or mse (got '{other}')"),
            };
            int groupSize = Options.ToInt(parse.GetValue(group), "--group");
            var names = parse.GetValue(dtypes) is { } list
                ? list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [.. QuantizerCatalog.DefaultNames];
            if (names.Length == 0) throw new UserInputException("option '--dtype' names no datatype");
            if (parse.GetResult(group) is { Implicit: false })
                foreach (string name in names)
                    if (WeightDatatypes.TryGet(name.ToLowerInvariant(), out var datatype, out _) && datatype.FixedGroupSize is { } fixedGroup && fixedGroup != groupSize)
                        throw new UserInputException($"option '--group': {name} has a fixed group of {fixedGroup} elements by its definition; drop --group {groupSize} or {name}");
            var schemes = names.Select(n => QuantizerCatalog.Create(n, groupSize, clipMode)).ToList();

            bool useSynthetic = parse.GetValue(synthetic);
            string? tensorArgument = parse.GetValue(tensor);
            if (useSynthetic == (tensorArgument is not null)) throw new UserInputException("give exactly one of --tensor and --synthetic");
            if (!useSynthetic) OptionRules.Reject(parse, "with --tensor (it describes the synthetic matrix)", rows, cols, outlierChannels, outlierMagnitude);
            int seedValue = Options.ToInt(parse.GetValue(seed), "--seed");
            if (useSynthetic && (Int128)parse.GetValue(rows) * parse.GetValue(cols) > MaxSyntheticWeights)
                throw new UserInputException($"options '--rows' x '--cols': {parse.GetValue(rows)} x {parse.GetValue(cols)} is more than the limit of {MaxSyntheticWeights} synthetic weights");
            var (weights, source) = useSynthetic
                ? Synthetic(new SyntheticSpec(Options.ToInt(parse.GetValue(rows), "--rows"), Options.ToInt(parse.GetValue(cols), "--cols"), seedValue,
                    OutlierChannels: Options.ToInt(parse.GetValue(outlierChannels), "--outlier-channels"),
                    OutlierMagnitude: Options.InRange(parse.GetValue(outlierMagnitude), "--outlier-magnitude", double.Epsilon, 1e6)))
                : Load(console, tensorArgument!, outputOptions.QuietOf(parse));
            int m = Options.ToInt(parse.GetValue(activationRows), "--activation-rows");
            if ((long)m * weights.Cols > MaxActivationValues)
                throw new UserInputException($"option '--activation-rows': {m} rows x {weights.Cols} input channels is more than the limit of {MaxActivationValues} activation values");
            var activations = SyntheticWeights.Activations(m, weights.Cols, seedValue);

            string? plotPath = PlotOption.PathOf(parse, plot);
            var results = RunWithProgress(console, weights, schemes, activations, m, outputOptions.QuietOf(parse));
            outputOptions.Write(parse, console, table => Print(table, source, weights, groupSize, results), format =>
            {
                var inputs = new ProvenanceInputs().Add("datatypes", new JsonArray([.. names.Select(n => (JsonNode?)n)]))
                    .Add("group", groupSize).Add("clip", parse.GetValue(clip)).Add("activationRows", m).Add("seed", seedValue);
                if (useSynthetic)
                    inputs.Add("synthetic", new JsonObject
                    {
                        ["rows"] = parse.GetValue(rows), ["cols"] = parse.GetValue(cols),
                        ["outlierChannels"] = parse.GetValue(outlierChannels), ["outlierMagnitude"] = parse.GetValue(outlierMagnitude),
                    });
                else inputs.Add("tensor", source).AddFile("tensorFile", TensorPath(tensorArgument!));
                var provenance = Provenance.Of(inputs);
                var result = QuantizeResult.Of(source, weights.Rows, weights.Cols, groupSize, results);
                return ResultFile.Document(format, provenance, result);
            });
            if (plotPath is not null) QuantizePlot.Write(results, source, plotPath);
            return HwSimCli.ExitOk;
        });
        return command;
    }

    private static (WeightMatrix, string) Synthetic(SyntheticSpec spec) =>
        (SyntheticWeights.Generate(spec), $"synthetic {spec.Rows}x{spec.Cols}, seed {spec.Seed}, {spec.OutlierChannels} outlier channels x{spec.OutlierMagnitude}");

    /// <summary>The file part of --tensor FILE[:name].</summary>
    private static string TensorPath(string argument)
    {
        int colon = argument.LastIndexOf(':');
        return colon > 1 ? argument[..colon] : argument;
    }

    private static (WeightMatrix, string) Load(CliConsole console, string argument, bool quiet)
    {
        int colon = argument.LastIndexOf(':');
        bool hasName = colon > 1; // keep drive letters and plain paths intact
        string path = hasName ? argument[..colon] : argument;
        string? name = hasName ? argument[(colon + 1)..] : null;
        Options.ExistingFile(path, "--tensor");
        TensorData data;
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) data = NpyFile.Read(path);
        else
        {
            var file = SafetensorsFile.Open(path);
            if (name is null)
            {
                var matrices = file.Entries.Where(e => e.Shape.Count == 2).ToList();
                if (matrices.Count != 1)
                    throw new UserInputException($"'{path}' holds {matrices.Count} matrices; pick one with --tensor FILE:name");
                name = matrices[0].Name;
            }
            data = quiet ? file.Read(name) : ReadWithProgress(console, file, name);
        }
        var matrix = data.ToMatrix();
        if (matrix.Cols < 2) throw new UserInputException($"tensor '{data.Name}' has {matrix.Cols} input channel(s); need at least 2");
        return (matrix, $"{Path.GetFileName(path)}:{data.Name} [{string.Join(", ", data.Shape)}]");
    }

    private static TensorData ReadWithProgress(CliConsole console, SafetensorsFile file, string name)
    {
        if (!console.Out.Profile.Capabilities.Interactive) return file.Read(name);
        TensorData? data = null;
        console.Out.Progress().Start(context =>
        {
            var task = context.AddTask($"reading {name}", maxValue: 1);
            data = file.Read(name, new Progress<double>(fraction => task.Value = fraction));
            task.Value = 1;
        });
        return data!;
    }

    private static IReadOnlyList<StudyRow> RunWithProgress(CliConsole console, WeightMatrix weights, List<IWeightQuantizer> schemes,
        Half[] activations, int m, bool quiet)
    {
        using var progress = new ProgressReporter("quantizing", schemes.Count, quiet, console.ErrorWriter);
        return QuantizationStudy.Run(weights, schemes, activations, m, _ => progress.Advance());
    }

    private static void Print(IAnsiConsole console, string source, WeightMatrix weights, int groupSize, IReadOnlyList<StudyRow> rows)
    {
        console.WriteLine($"weights: {source}: {weights.Rows} x {weights.Cols}, group {groupSize}");
        var table = new Table().AddColumns("rank", "datatype", "bits/weight", "weight MSE", "SQNR dB", "max |err|", "output SQNR dB");
        foreach (var column in table.Columns.Skip(2)) column.RightAligned();
        int rank = 1;
        foreach (var row in rows)
        {
            table.AddRow((rank++).ToString(CultureInfo.InvariantCulture), Markup.Escape(row.Name), F(row.EffectiveBits, "F4"),
                F(row.Weights.Mse, "E3"), F(row.Weights.SqnrDb, "F2"), F(row.Weights.MaxAbsError, "E3"), F(row.Outputs.SqnrDb, "F2"));
        }
        console.Write(table);
    }

    private static string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
