using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using Microsoft.VisualBasic.FileIO;

namespace HwSim.Tests.Cli.Results;

/// <summary>
/// `--format json|csv` of every command: the JSON validates against its hand-written schema in docs/schemas, the
/// numbers equal the table's, and the CSV parses back (with an independent RFC 4180 parser) to the JSON's values.
/// </summary>
public class CommandResultsTests : HwSim.Tests.Cli.TemporaryDirectory
{
    private static readonly string[] SmallRun = ["--model", "opt-1.3b", "--prompt", "16", "--generate", "2"];

    private static string SchemaDirectory
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (Directory.Exists(Path.Combine(dir.FullName, "docs", "schemas"))) return Path.Combine(dir.FullName, "docs", "schemas");
            throw new DirectoryNotFoundException("docs/schemas not found above the test binaries");
        }
    }

    /// <summary>Validates <paramref name="json"/> against docs/schemas/NAME.schema.json and returns its result object.</summary>
    private static JsonNode Validate(string name, string json)
    {
        var schema = JsonSchema.FromText(File.ReadAllText(Path.Combine(SchemaDirectory, $"{name}.schema.json")),
            new BuildOptions { SchemaRegistry = new SchemaRegistry() });
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = Json.Schema.OutputFormat.List });
        Assert.True(results.IsValid, $"{name}: " + string.Join("; ", (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .Take(5).Select(d => $"{d.InstanceLocation}: {string.Join(", ", d.Errors!.Values)}")));
        var root = JsonNode.Parse(json)!;
        Assert.Equal($"hwsim.{name}", (string?)root["schema"]);
        Assert.Matches("^[0-9a-f]{64}$", (string?)root["inputsSha256"]);
        return root["result"]!;
    }

    private static string Ok(params string[] args)
    {
        var (exit, output, error) = CliRunner.Run(args);
        Assert.True(exit == 0, $"hwsim {string.Join(' ', args)}: {error}");
        return output;
    }

    private static List<string[]> ParseCsv(string text)
    {
        using var parser = new TextFieldParser(new StringReader(text)) { TextFieldType = FieldType.Delimited, HasFieldsEnclosedInQuotes = true };
        parser.SetDelimiters(",");
        var rows = new List<string[]>();
        while (!parser.EndOfData) rows.Add(parser.ReadFields()!);
        return rows;
    }

    [Fact]
    public void SimulateJsonValidatesAndItsTotalsEqualTheTable()
    {
        var result = Validate("simulate", Ok(["simulate", .. SmallRun, "--format", "json"]));
        string table = Ok(["simulate", .. SmallRun]);
        var totals = result["totals"]!;
        string N(string field) => ((long)totals[field]!).ToString("N0", CultureInfo.InvariantCulture);
        Assert.Contains($" {N("prefillCycles")} ({(double)result["phases"]![0]!["milliseconds"]!:F2})", table);
        Assert.Contains($"{N("decodeCycles")} (", table);
        Assert.Contains($"{N("cycles")} ({(double)totals["milliseconds"]!:F2})", table);
        Assert.Contains($"{N("computeCycles")} / {N("stallCycles")}", table);
        Assert.Contains($"{N("dramReadBytes")} / {N("dramWriteBytes")}", table);
        Assert.Contains($"{N("sramReadBytes")} / {N("sramWriteBytes")}", table);
        // Independent sums: the per-op rows add up to the totals, and the phases to the run.
        var ops = result["ops"]!.AsArray();
        Assert.Equal((long)totals["prefillCycles"]! + (long)totals["decodeCycles"]!, ops.Sum(o => (long)o!["cycles"]!));
        Assert.Equal((long)totals["dramReadBytes"]!, ops.Sum(o => (long)o!["dramReadBytes"]!));
        Assert.Equal((double)totals["energyPicoJoules"]!, ops.Sum(o => (double)o!["energyPicoJoules"]!), 1e-6 * (double)totals["energyPicoJoules"]!);
        Assert.True((double)totals["energyPicoJoules"]! > 0 && (double)totals["areaMm2"]! > 0);
        var decode = result["phases"]!.AsArray().Single(p => (string?)p!["phase"] == "decode")!;
        // 2 generated tokens at batch 1 over the decode time.
        Assert.Equal(2 / ((double)decode["milliseconds"]! / 1000), (double)decode["tokensPerSecond"]!, 9);
    }

    [Fact]
    public void SimulateCsvRoundTripsToTheJsonRowsAndOutWritesIt()
    {
        var json = Validate("simulate", Ok(["simulate", .. SmallRun, "--format", "json"]));
        string csvFile = Path.Combine(TempPath, "ops.csv");
        string shown = Ok(["simulate", .. SmallRun, "--out", csvFile]);
        Assert.Contains("slowest ops", shown); // the table still goes to standard output
        var rows = ParseCsv(File.ReadAllText(csvFile));
        var header = rows[0];
        int Column(string name) => Array.IndexOf(header, name);
        var ops = json["ops"]!.AsArray();
        Assert.Equal(ops.Count, rows.Count - 1);
        for (int i = 0; i < ops.Count; i++)
        {
            var row = rows[i + 1];
            Assert.Equal((string?)ops[i]!["name"], row[Column("name")]);
            Assert.Equal((long)ops[i]!["cycles"]!, long.Parse(row[Column("cycles")], CultureInfo.InvariantCulture));
            Assert.Equal((long)ops[i]!["sramWriteBytes"]!, long.Parse(row[Column("sram_write_bytes")], CultureInfo.InvariantCulture));
            Assert.Equal((double)ops[i]!["energyPicoJoules"]!, double.Parse(row[Column("energy_pj")], CultureInfo.InvariantCulture));
            Assert.Equal((double)ops[i]!["utilization"]!, double.Parse(row[Column("utilization")], CultureInfo.InvariantCulture));
            Assert.Equal(64, row[Column("inputs_sha256")].Length);
        }
    }

    [Fact]
    public void CompareJsonAndCsvCarryEnergyAreaAndThroughput()
    {
        string[] args = ["simulate", .. SmallRun, "--compare", "fp16-baseline,bitmod"];
        var result = Validate("compare", Ok([.. args, "--format", "json"]));
        var designs = result["designs"]!.AsArray();
        Assert.Equal(["fp16-baseline", "bitmod"], designs.Select(d => (string?)d!["label"]));
        foreach (var d in designs)
        {
            double joules = (double)d!["energyPicoJoules"]! / 1e12, seconds = (double)d["latencyMs"]! / 1000;
            Assert.Equal(joules * seconds, (double)d["edpJouleSeconds"]!, 1e-12);
            double tokensPerSecond = 2 / ((double)d["decodeCycles"]! / 1e9); // 1 GHz clock, 2 generated tokens
            Assert.Equal(tokensPerSecond, (double)d["decodeTokensPerSecond"]!, 6);
            Assert.Equal(tokensPerSecond / (double)d["areaMm2"]!, (double)d["tokensPerSecondPerMm2"]!, 6);
            Assert.Equal(2 / ((double)d["decodeEnergyPicoJoules"]! / 1e12), (double)d["tokensPerSecondPerWatt"]!, 6);
        }
        var rows = ParseCsv(Ok([.. args, "--format", "csv"]));
        Assert.Equal(3, rows.Count);
        int energy = Array.IndexOf(rows[0], "energy_pj");
        Assert.Equal((double)designs[1]!["energyPicoJoules"]!, double.Parse(rows[2][energy], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void EveryOtherCommandsJsonValidatesAgainstItsSchema()
    {
        var cost = Validate("cost", Ok(["cost", .. SmallRun, "--format", "json"]));
        Assert.Equal((double)cost["energy"]!["totalPicoJoules"]!, cost["ops"]!.AsArray().Sum(o => (double)o!["totalPicoJoules"]!), 1e-3);
        var trace = Validate("trace", Ok(["trace", .. SmallRun, "--format", "json"]));
        Assert.Equal("prefill", (string?)trace["roofline"]![0]!["phase"]);
        var quantize = Validate("quantize", Ok("quantize", "--synthetic", "--rows", "8", "--cols", "64", "--dtype", "int4,bitmod4", "--format", "json"));
        Assert.Equal(2, quantize["datatypes"]!.AsArray().Count);
        Validate("datatypes", Ok("datatypes", "--format", "json"));
        var demo = Validate("demo", Ok("demo", "--items", "10", "--format", "json"));
        Assert.Equal(10L, (long)demo["itemsConsumed"]!);
        Validate("version", Ok("version", "--format", "json"));
        Validate("arch", Ok("arch", "--format", "json"));
        var design = Validate("arch", Ok("arch", "ant", "--format", "json"));
        Assert.Equal("ant", (string?)design["design"]!["name"]);
        Validate("export", Ok("export", "--arch", "olive", "--out", Path.Combine(TempPath, "rtl"), "--format", "json"));
        var optimize = Validate("optimize", Ok(["optimize", .. SmallRun, "--candidates", "int4,int8", "--pareto", "2", "--out", Path.Combine(TempPath, "p.json"),
            "--format", "json"]));
        Assert.Equal(2, optimize["frontier"]!.AsArray().Count);
        string cfg = Path.Combine(TempPath, "s.cfg"), topology = Path.Combine(TempPath, "t.csv");
        File.WriteAllText(cfg, "[general]\nrun_name = test\n\n[architecture_presets]\nArrayHeight:    8\nArrayWidth:     8\n" +
            "IfmapSramSzkB:    64\nFilterSramSzkB:   64\nOfmapSramSzkB:    64\nIfmapOffset:    0\nFilterOffset:   10000000\n" +
            "OfmapOffset:    20000000\nBandwidth : 10\nDataflow : os\nMemoryBanks:   1\n\n[run_presets]\nInterfaceBandwidth: CALC\n");
        File.WriteAllText(topology, "Layer,M,N,K,\nfc1,16,16,16,\n");
        Validate("scalesim", Ok("simulate", "--scalesim-config", cfg, "--topology", topology, "--format", "json"));
    }

    [Fact]
    public void OptimizeRecordsProvenanceInThePlanAndSimulateStillReadsIt()
    {
        string plan = Path.Combine(TempPath, "p.json");
        Ok(["optimize", .. SmallRun, "--candidates", "int4,int8", "--pareto", "0", "--out", plan]);
        var provenance = JsonNode.Parse(File.ReadAllText(plan))!["provenance"]!;
        Assert.Matches("^[0-9a-f]{64}$", (string?)provenance["inputsSha256"]);
        Assert.False(string.IsNullOrEmpty((string?)provenance["hwsimVersion"]));
        Ok(["simulate", .. SmallRun, "--plan", plan]);
    }

    [Fact]
    public void InputsHashFollowsTheResolvedInputsNotTheirSpelling()
    {
        string Hash(params string[] args) => (string)JsonNode.Parse(Ok(args))!["inputsSha256"]!;
        string preset = Hash(["simulate", .. SmallRun, "--format", "json"]);
        string file = Path.Combine(TempPath, "bitmod.json");
        Ok("arch", "bitmod", "--out", file); // the description itself, loadable with --arch
        Assert.Equal(preset, Hash(["simulate", .. SmallRun, "--arch", file, "--format", "json"]));
        Assert.NotEqual(preset, Hash(["simulate", "--model", "opt-1.3b", "--prompt", "17", "--generate", "2", "--format", "json"]));
    }

    [Fact]
    public void TablesAreNeverCutWhenStandardOutputIsNotATerminal()
    {
        string table = Ok(["simulate", .. SmallRun, "--compare", "fp16-baseline,ant,olive,bitmod"]);
        var result = Validate("compare", Ok(["simulate", .. SmallRun, "--compare", "fp16-baseline,ant,olive,bitmod", "--format", "json"]));
        var lines = table.Split('\n');
        foreach (var design in result["designs"]!.AsArray())
        {
            // Each design is one line holding its full name and both cycle counts, wider than the old 120 columns.
            string prefill = ((long)design!["prefillCycles"]!).ToString("N0", CultureInfo.InvariantCulture);
            string decode = ((long)design["decodeCycles"]!).ToString("N0", CultureInfo.InvariantCulture);
            Assert.Single(lines, l => l.StartsWith($"│ {(string?)design["label"]} ", StringComparison.Ordinal) && l.Contains(prefill) && l.Contains(decode));
        }
        Assert.Contains(lines, l => l.Length > 120);
    }

    [Fact]
    public void ExportVerifyPassesOnFreshHeadersAndNamesAChangedParameter()
    {
        string rtl = Path.Combine(TempPath, "rtl");
        Ok("export", "--arch", "bitmod", "--out", rtl);
        string hash = HwSim.Arch.Plans.ConfigHash.Sha256(HwSim.Arch.Spec.Presets.Find("bitmod")!, null);
        // CONFIG_HASH in the Verilog header, read as one 256-bit number, is the digest.
        string vh = File.ReadAllText(Path.Combine(rtl, "hwsim_params.vh"));
        var words = System.Text.RegularExpressions.Regex.Match(vh, @"`define HWSIM_CONFIG_HASH \{([^}]*)\}").Groups[1].Value
            .Split(',').Select(w => w.Trim()["32'h".Length..]);
        Assert.Equal(hash, string.Concat(words).ToLowerInvariant());
        Assert.Contains("matches bitmod", Ok("export", "--verify", rtl, "--arch", "bitmod"));

        File.WriteAllText(Path.Combine(rtl, "hwsim_params.h"),
            File.ReadAllText(Path.Combine(rtl, "hwsim_params.h")).Replace("#define HWSIM_ARRAY_COLS INT32_C(32)", "#define HWSIM_ARRAY_COLS INT32_C(16)"));
        var (exit, output, error) = CliRunner.Run("export", "--verify", rtl, "--arch", "bitmod");
        Assert.Equal(1, exit);
        Assert.Contains("hwsim_params.h: ARRAY_COLS", output);
        Assert.Contains("1 difference(s)", error);

        // A different design: CONFIG_HASH (among others) no longer matches.
        (exit, output, _) = CliRunner.Run("export", "--verify", rtl, "--arch", "int8-systolic");
        Assert.Equal(1, exit);
        Assert.Contains("hwsim_params_pkg.sv: CONFIG_HASH", output);
    }

    [Theory]
    [InlineData("simulate --scalesim-config s.cfg --topology t.csv --model llama-2-7b", "option '--model' does not apply with --scalesim-config")]
    [InlineData("simulate --scalesim-config s.cfg --topology t.csv --node 7", "option '--node' does not apply with --scalesim-config")]
    [InlineData("simulate --format json --top 3", "option '--top' does not apply with --format json")]
    [InlineData("cost --format csv --top 3", "option '--top' does not apply with --format csv")]
    [InlineData("simulate --trace-in t.jsonl --prompt 5", "option '--prompt' does not apply with --trace-in")]
    [InlineData("simulate --config c.json --model llama-2-7b", "option '--model' does not apply with --config")]
    [InlineData("trace --topology t.csv --batch 2", "option '--batch' does not apply with --topology")]
    [InlineData("quantize --tensor w.npy --rows 4", "option '--rows' does not apply with --tensor")]
    [InlineData("export --verify . --check", "option '--check' does not apply with --verify")]
    [InlineData("optimize --model opt-1.3b --prompt 16 --generate 2 --latency-budget 0.8", "option '--latency-budget': '0.8' has no unit; did you mean 0.8x?")]
    [InlineData("optimize --model opt-1.3b --prompt 16 --generate 2 --energy-budget 0.9", "option '--energy-budget': '0.9' has no unit; did you mean 0.9x?")]
    [InlineData("simulate --node 7", "option '--node' does not apply with the table")]
    [InlineData("optimize --granularity Layer", "Layer")]
    [InlineData("simulate --format yaml", "option '--format' expects table, json or csv, got 'yaml'")]
    public void OptionsThatDoNotApplyAreErrorsNamingThem(string commandLine, string expected)
    {
        File.WriteAllText(Path.Combine(TempPath, "s.cfg"), "[architecture_presets]\nArrayHeight: 8\nArrayWidth: 8\n");
        File.WriteAllText(Path.Combine(TempPath, "t.csv"), "Layer,M,N,K,\nfc1,16,16,16,\n");
        File.WriteAllText(Path.Combine(TempPath, "t.jsonl"), "");
        File.WriteAllText(Path.Combine(TempPath, "c.json"), "{}");
        var args = commandLine.Split(' ').Select(a => a.Contains('.') && !a.StartsWith('0') && File.Exists(Path.Combine(TempPath, a)) ? Path.Combine(TempPath, a) : a).ToArray();
        var (exit, output, error) = CliRunner.Run(args);
        Assert.Equal(2, exit);
        Assert.Empty(output);
        Assert.Contains(expected, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void AnUnknownCostItemIsRejected()
    {
        string table = Path.Combine(TempPath, "costs.csv");
        File.WriteAllText(table, "item,quantity,bits,capacity_bytes,node_nm,value,unit,width_exponent,source\npe_bitmd,energy,,,28,1,pJ,0,synthesis report\n");
        var (exit, _, error) = CliRunner.Run(["cost", .. SmallRun, "--costs", table]);
        Assert.Equal(2, exit);
        Assert.Contains("costs.csv: item 'pe_bitmd' is not a cost item the models read", error);
    }

    [Fact]
    public void ConfigAndTraceInRunTheSameWorkloadAsTheModel()
    {
        // opt-1.3b's config.json (facebook/opt-1.3b on the Hugging Face hub).
        string config = Path.Combine(TempPath, "config.json"), trace = Path.Combine(TempPath, "t.jsonl");
        File.WriteAllText(config, """
            {"model_type":"opt","hidden_size":2048,"ffn_dim":8192,"num_attention_heads":32,"num_hidden_layers":24,"vocab_size":50272,
             "max_position_embeddings":2048,"word_embed_proj_dim":2048,"do_layer_norm_before":true,"tie_word_embeddings":true}
            """);
        Ok(["trace", .. SmallRun, "--out", trace]);
        long Cycles(params string[] args) => (long)JsonNode.Parse(Ok([.. args, "--format", "json"]))!["result"]!["totals"]!["cycles"]!;
        long fromModel = Cycles(["simulate", .. SmallRun]);
        Assert.Equal(fromModel, Cycles("simulate", "--trace-in", trace));
        Assert.Equal(fromModel, Cycles("simulate", "--config", config, "--prompt", "16", "--generate", "2"));
        var cost = JsonNode.Parse(Ok("cost", "--trace-in", trace, "--format", "json"))!["result"]!;
        Assert.Equal(fromModel, (long)cost["latency"]!["cycles"]!);
    }
}
