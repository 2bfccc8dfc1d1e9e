using System.Globalization;
using System.Text.Json.Nodes;
using HwSim.Arch.Fast;
using HwSim.Arch.Spec;
using HwSim.Cli.Sweep;
using HwSim.CostModels;
using HwSim.CostModels.Models;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;
using Microsoft.Data.Sqlite;
using Parquet;

namespace HwSim.Tests.Cli.Sweep;

public class SweepCommandTests : TemporaryDirectory
{
    private string StudyFile(string text)
    {
        string path = Path.Combine(TempPath, "study.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    private static List<string[]> Csv(string path) => [.. File.ReadAllLines(path).Select(l => l.Split(','))];

    [Fact]
    public void MetricsMatchADirectRunOfTheEditedDesign()
    {
        string study = StudyFile(SweepFixtures.SmallStudy);
        string results = Path.Combine(TempPath, "out");
        var (exit, output, error) = CliRunner.Run("sweep", study, "--results", results, "--quiet", "--jobs", "2");
        Assert.True(exit == 0, error);
        Assert.Contains("small: 8 points, 8 run now, 0 already stored", output);
        var rows = Csv(Path.Combine(results, "results.csv"));
        var header = rows[0].ToList();
        // Point 5: bitmod (second design), array.rows = 16 (first value), weights = int8 (second value).
        var row = rows[1 + 5];
        Assert.Equal(["bitmod", "16", "int8"], [row[header.IndexOf("design")], row[header.IndexOf("array.rows")], row[header.IndexOf("weights")]]);

        var preset = Presets.Find("bitmod")!;
        var spec = preset with { Array = preset.Array with { Rows = 16 } };
        var run = FastSimulator.Run(spec, LlmTracer.Trace(new TraceRequest(ModelZoo.Get("opt-1.3b"), 1, 8, 2)), RunFormats.Default(spec, "int8", "int8"));
        var costs = new CostModelOptions().Lookup();
        double area = AreaModel.Of(spec, costs).TotalMm2, joules = EnergyModel.Of(run, costs).TotalPicoJoules * 1e-12;
        double seconds = run.TotalCycles / (double)spec.ClockHz, decodeSeconds = run.DecodeCycles / (double)spec.ClockHz;
        double Cell(string column) => double.Parse(row[header.IndexOf(column)], CultureInfo.InvariantCulture);
        Assert.Equal(seconds * 1e3, Cell("latency_ms"), 1e-9);
        Assert.Equal(run.TotalCycles, (long)Cell("total_cycles"));
        Assert.Equal(joules * 1e3, Cell("energy_mj"), 1e-9);
        Assert.Equal(area, Cell("area_mm2"), 1e-12);
        Assert.Equal(joules * seconds, Cell("edp_js"), 1e-12);
        Assert.Equal(2 / decodeSeconds, Cell("tokens_per_s"), 1e-9);
        Assert.Equal(2 / decodeSeconds / area, Cell("tokens_per_s_per_mm2"), 1e-9);
    }

    [Fact]
    public void ConstraintsOnAreaSkipTheRunAndMarkThePoint()
    {
        string study = StudyFile(SweepFixtures.SmallStudy + "\nconstraints: ['area_mm2 <= 4']\nmetrics: [latency_ms, area_mm2]\n");
        string results = Path.Combine(TempPath, "out");
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", results, "--quiet").ExitCode);
        var rows = Csv(Path.Combine(results, "results.csv"));
        var header = rows[0].ToList();
        var costs = new CostModelOptions().Lookup();
        int feasible = 0;
        foreach (var row in rows.Skip(1))
        {
            var preset = Presets.Find(row[header.IndexOf("design")])!;
            var spec = preset with { Array = preset.Array with { Rows = int.Parse(row[header.IndexOf("array.rows")], CultureInfo.InvariantCulture) } };
            bool fits = AreaModel.Of(spec, costs).TotalMm2 <= 4;
            feasible += fits ? 1 : 0;
            Assert.Equal(fits ? "true" : "false", row[header.IndexOf("feasible")]);
            Assert.Equal(fits ? "" : "area_mm2 <= 4", row[header.IndexOf("violated")]);
            Assert.Equal(fits, row[header.IndexOf("latency_ms")].Length > 0);
        }
        Assert.InRange(feasible, 1, 7);
    }

    [Fact]
    public async Task ShardsMergeToTheLocalResultsAndExportsAgree()
    {
        string study = StudyFile(SweepFixtures.SmallStudy);
        string local = Path.Combine(TempPath, "local"), sharded = Path.Combine(TempPath, "sharded");
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", local, "--quiet", "--export", "json", "--export", "parquet").ExitCode);
        for (int i = 0; i < 3; i++)
        {
            var (exit, output, error) = CliRunner.Run("sweep", study, "--results", sharded, "--shard", $"{i}/3", "--quiet");
            Assert.True(exit == 0, error);
            Assert.Contains($"shard {i}/3: {(i < 2 ? 3 : 2)} points", output);
        }
        Assert.False(File.Exists(Path.Combine(sharded, "results.csv")), "a shard does not export");
        Assert.Equal(2, CliRunner.Run("sweep", study, "--results", sharded, "--shard", "0/3", "--export", "json").ExitCode);
        var (mergeExit, mergeOutput, mergeError) = CliRunner.Run("sweep", study, "--results", sharded, "--merge");
        Assert.True(mergeExit == 0, mergeError);
        Assert.Contains("merged 3 shard stores: 8 new points", mergeOutput);
        Assert.Equal(File.ReadAllText(Path.Combine(local, "results.csv")), File.ReadAllText(Path.Combine(sharded, "results.csv")));

        // JSON and Parquet hold the CSV's points and values.
        var csv = Csv(Path.Combine(local, "results.csv"));
        int latency = Array.IndexOf(csv[0], "latency_ms");
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(local, "results.json")))!;
        Assert.Equal("hwsim.sweep", (string?)json["schema"]);
        var points = json["result"]!["points"]!.AsArray();
        Assert.Equal(8, points.Count);
        // Every point has exactly the fields the documented schema requires.
        var schema = JsonNode.Parse(File.ReadAllText(Path.Combine(SweepFixtures.RepositoryRoot, "docs", "schemas", "sweep.schema.json")))!;
        var required = schema["properties"]!["result"]!["properties"]!["points"]!["items"]!["required"]!.AsArray().Select(n => (string)n!).Order().ToList();
        Assert.All(points, p => Assert.Equal(required, p!.AsObject().Select(f => f.Key).Order().ToList()));
        Assert.Equal(schema["properties"]!["result"]!["required"]!.AsArray().Select(n => (string)n!).Order(), json["result"]!.AsObject().Select(f => f.Key).Order());
        Assert.Equal(csv.Skip(1).Select(r => double.Parse(r[latency], CultureInfo.InvariantCulture)), points.Select(p => (double)p!["metrics"]!["latency_ms"]!));
        await using (var stream = File.OpenRead(Path.Combine(local, "results.parquet")))
        await using (var reader = await ParquetReader.CreateAsync(stream))
        {
            Assert.Equal(1, reader.RowGroupCount);
            var field = reader.Schema.DataFields.Single(f => f.Name == "latency_ms");
            using var group = reader.OpenRowGroupReader(0);
            var column = new double?[8];
            await group.ReadAsync<double>(field, column);
            Assert.Equal(csv.Skip(1).Select(r => (double?)double.Parse(r[latency], CultureInfo.InvariantCulture)), column);
        }

        // An incomplete store is reported, not exported.
        File.Delete(Path.Combine(sharded, "shards", "shard-1-of-3.db"));
        string partial = Path.Combine(TempPath, "partial");
        Directory.CreateDirectory(Path.Combine(partial, "shards"));
        File.Copy(Path.Combine(sharded, "shards", "shard-0-of-3.db"), Path.Combine(partial, "shards", "shard-0-of-3.db"));
        var (exit2, _, error2) = CliRunner.Run("sweep", study, "--results", partial, "--merge");
        Assert.Equal(1, exit2);
        Assert.Contains("5 of 8 points are not stored yet (first: point 1,", error2);
    }

    [Fact]
    public void KilledMidRunAndRerunStoresEveryPointOnce()
    {
        string study = SweepFixtures.Study("array-sizes.yaml");
        string clean = Path.Combine(TempPath, "clean"), killed = Path.Combine(TempPath, "killed");
        Assert.Equal(0, CliRunner.Run("sweep", study, "--results", clean, "--quiet").ExitCode);

        long stored = 0;
        using (var process = SweepFixtures.Start(["sweep", study, "--results", killed, "--jobs", "1", "--quiet"]))
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(120);
            while (stored < 3 && !process.HasExited && DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
                stored = Count(Path.Combine(killed, "sweep.db"));
            }
            Assert.False(process.HasExited, "the sweep finished before it could be killed");
            process.Kill(entireProcessTree: true); // SIGKILL
            process.WaitForExit();
        }
        stored = Count(Path.Combine(killed, "sweep.db"));
        Assert.InRange(stored, 3, 47);
        var (exit, output, error) = CliRunner.Run("sweep", study, "--results", killed, "--quiet");
        Assert.True(exit == 0, error);
        Assert.Contains($"48 points, {48 - stored} run now, {stored} already stored", output);
        Assert.Equal(48, Count(Path.Combine(killed, "sweep.db")));
        Assert.Equal(Hashes(Path.Combine(clean, "sweep.db")), Hashes(Path.Combine(killed, "sweep.db")));
        Assert.Equal(File.ReadAllText(Path.Combine(clean, "results.csv")), File.ReadAllText(Path.Combine(killed, "results.csv")));
    }

    private static long Count(string store)
    {
        if (!File.Exists(store)) return 0;
        try
        {
            using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM points";
            return (long)command.ExecuteScalar()!;
        }
        catch (SqliteException)
        {
            return 0; // the table is being created
        }
    }

    private static List<string> Hashes(string store)
    {
        using var connection = new SqliteConnection($"Data Source={store};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT point_hash FROM points ORDER BY point_hash";
        using var reader = command.ExecuteReader();
        var hashes = new List<string>();
        while (reader.Read()) hashes.Add(reader.GetString(0));
        return hashes;
    }

    [Theory]
    [InlineData("2/4", null, null, null, 2, 4)]
    [InlineData("auto", "3", "8", null, 3, 8)]
    [InlineData("auto/5", null, null, "4", 4, 5)]
    public void ShardsComeFromTheOptionOrTheEnvironment(string text, string? task, string? count, string? completion, int index, int total)
    {
        var environment = new Dictionary<string, string?> { ["SLURM_ARRAY_TASK_ID"] = task, ["SLURM_ARRAY_TASK_COUNT"] = count, ["JOB_COMPLETION_INDEX"] = completion };
        Assert.Equal(new Shard(index, total), Shard.Parse(text, k => environment.GetValueOrDefault(k)));
    }

    [Theory]
    [InlineData("4/4", "task index 4 is not in 0 .. 3")]
    [InlineData("1/0", "has a count below 1")]
    [InlineData("auto", "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set")]
    [InlineData("x", "expects i/N or auto")]
    public void BadShardsAreRejected(string text, string message) =>
        Assert.Contains(message, Assert.Throws<HwSim.Cli.UserInputException>(() => Shard.Parse(text, _ => null)).Message);

    [Fact]
    public void ShardsPartitionThePoints()
    {
        var shards = Enumerable.Range(0, 3).Select(i => new Shard(i, 3)).ToList();
        for (long point = 0; point < 100; point++) Assert.Single(shards, s => s.Contains(point));
    }

    [Fact]
    public void SbatchArgumentsSplitLikeAShell()
    {
        Assert.Equal(["--partition=cpu", "--time=01:00:00", "--comment=a b", "it's"], SlurmJob.SplitArguments("--partition=cpu  --time=01:00:00 --comment='a b' \"it's\""));
        Assert.Equal("'/tmp/a b'", SlurmJob.Quote("/tmp/a b"));
        Assert.Equal("/tmp/ab", SlurmJob.Quote("/tmp/ab"));
    }
}
