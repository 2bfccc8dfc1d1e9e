using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using HwSim.Cli.Results;
using HwSim.CostModels;

namespace HwSim.Cli.Sweep;

/// <summary>One varied quantity: a workload field (model, batch, prompt, generate, weights) or a design field by path.</summary>
public sealed record StudyAxis(string Name, IReadOnlyList<JsonNode?> Values)
{
    public bool IsWorkload => StudyFile.WorkloadKeys.Contains(Name);
}

/// <summary>
/// One dimension of the product: a single axis, or a zipped group of axes whose i-th values go together.
/// </summary>
public sealed record StudyDimension(IReadOnlyList<StudyAxis> Axes)
{
    public int Count => Axes[0].Values.Count;
}

/// <summary>
/// A parsed study: base designs, workload defaults, the dimensions whose cartesian product gives the points (designs
/// vary slowest, then the dimensions in file order), constraints on computed metrics, the metrics to keep, and the cost
/// model options.
/// </summary>
public sealed record Study(
    string Name,
    string Source,
    string Directory,
    IReadOnlyList<string> Designs,
    JsonObject Workload,
    IReadOnlyList<StudyDimension> Dimensions,
    IReadOnlyList<SweepConstraint> Constraints,
    IReadOnlyList<SweepMetric> Metrics,
    CostModelOptions Costs,
    string Sha256)
{
    /// <summary>The axes in column order (after "design").</summary>
    public IEnumerable<StudyAxis> Axes => Dimensions.SelectMany(d => d.Axes);

    public long PointCount => Dimensions.Aggregate((long)Designs.Count, (n, d) => checked(n * d.Count));
}

/// <summary>
/// Strict reading of a study file (YAML or JSON): every key is known, every value has its type, and the first problem
/// is one line naming the file and the key.
/// </summary>
public static partial class StudyFile
{
    public static readonly IReadOnlySet<string> WorkloadKeys = new HashSet<string>(StringComparer.Ordinal) { "model", "batch", "prompt", "generate", "weights" };

    private static readonly string[] TopKeys = ["name", "designs", "workload", "axes", "zip", "constraints", "metrics", "costs"];
    private static readonly string[] CostKeys = ["node", "vdd", "table"];

    /// <summary>The most points one study may have (a typo such as an extra zero should not start a day-long run).</summary>
    public const long MaxPoints = 1_000_000;

    public static Study Load(string path)
    {
        if (!File.Exists(path)) throw new UserInputException($"study file '{path}' does not exist");
        return Parse(StudyDocument.Load(path), path);
    }

    public static Study Parse(JsonNode document, string path)
    {
        string source = Path.GetFileName(path);
        string directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var root = Object(document, source, "the study");
        Known(root, TopKeys, source, "");

        string name = root["name"] is { } n ? Text(n, source, "name") : Path.GetFileNameWithoutExtension(path);
        var designs = List(root["designs"] ?? throw Problem(source, "designs", "missing (name one or more presets or accelerator JSON files)"), source, "designs")
            .Select((d, i) => Text(d, source, $"designs[{i}]")).ToList();
        if (designs.Count == 0) throw Problem(source, "designs", "empty");
        if (designs.Distinct().Count() != designs.Count) throw Problem(source, "designs", "names a design twice");

        var workload = root["workload"] is { } w ? Object(w, source, "workload") : new JsonObject();
        Known(workload, [.. WorkloadKeys], source, "workload.");

        // Dimensions in file order: axes and zip groups vary in the order the file gives them, the last fastest.
        var dimensions = new List<StudyDimension>();
        foreach (var (section, _) in root)
            if (section == "axes") Axes(root, source, dimensions);
            else if (section == "zip") Zip(root, source, dimensions);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var axis in dimensions.SelectMany(d => d.Axes))
            if (!seen.Add(axis.Name)) throw Problem(source, axis.Name, "varied twice (in axes and zip, or in two zip groups)");

        var constraints = root["constraints"] is { } c
            ? List(c, source, "constraints").Select((x, i) => SweepConstraint.Parse(Text(x, source, $"constraints[{i}]"), $"{source}: constraints[{i}]")).ToList()
            : [];
        var metrics = root["metrics"] is { } m
            ? List(m, source, "metrics").Select((x, i) => SweepMetrics.Find(Text(x, source, $"metrics[{i}]"), $"{source}: metrics[{i}]")).ToList()
            : [.. SweepMetrics.All];
        if (metrics.Count == 0) throw Problem(source, "metrics", "empty (omit it to keep every metric)");
        if (metrics.Distinct().Count() != metrics.Count) throw Problem(source, "metrics", "names a metric twice");

        var costs = new CostModelOptions();
        if (root["costs"] is { } costNode)
        {
            var o = Object(costNode, source, "costs");
            Known(o, CostKeys, source, "costs.");
            double node = o["node"] is { } nodeValue ? Number(nodeValue, source, "costs.node") : costs.NodeNm;
            double vdd = o["vdd"] is { } vddValue ? Number(vddValue, source, "costs.vdd") : costs.Vdd;
            if (node is < 7 or > 130) throw Problem(source, "costs.node", $"must be in 7 .. 130 nm (got {node})");
            if (vdd is <= 0.3 or > 2) throw Problem(source, "costs.vdd", $"must be in (0.3, 2] V (got {vdd})");
            string? table = o["table"] is { } t ? Path.GetFullPath(Text(t, source, "costs.table"), directory) : null;
            if (table is not null && !File.Exists(table)) throw Problem(source, "costs.table", $"file '{table}' does not exist");
            costs = new CostModelOptions(node, vdd, table);
        }

        var study = new Study(name, source, directory, designs, workload, dimensions, constraints, metrics, costs,
            new ProvenanceInputs().Add("study", document).Sha256());
        if (study.PointCount > MaxPoints) throw Problem(source, "axes", $"{study.PointCount:N0} points; at most {MaxPoints:N0}");
        return study;
    }

    private static void Axes(JsonObject root, string source, List<StudyDimension> dimensions)
    {
        if (root["axes"] is not { } axes) return;
        foreach (var (key, values) in Object(axes, source, "axes"))
            dimensions.Add(new StudyDimension([Axis(key, values, source, $"axes.{key}")]));
    }

    private static void Zip(JsonObject root, string source, List<StudyDimension> dimensions)
    {
        if (root["zip"] is not { } zip) return;
        var groups = List(zip, source, "zip");
        for (int g = 0; g < groups.Count; g++)
        {
            var group = Object(groups[g], source, $"zip[{g}]");
            if (group.Count == 0) throw Problem(source, $"zip[{g}]", "empty group");
            var members = group.Select(p => Axis(p.Key, p.Value, source, $"zip[{g}].{p.Key}")).ToList();
            if (members.Select(m => m.Values.Count).Distinct().Count() != 1)
                throw Problem(source, $"zip[{g}]", $"zipped lists differ in length ({string.Join(", ", members.Select(m => $"{m.Name}: {m.Values.Count}"))})");
            dimensions.Add(new StudyDimension(members));
        }
    }

    private static StudyAxis Axis(string name, JsonNode? values, string source, string where)
    {
        if (name == "design") throw Problem(source, where, "the designs are listed under 'designs'");
        if (!WorkloadKeys.Contains(name) && !SpecPath().IsMatch(name))
            throw Problem(source, where, $"'{name}' is neither a workload axis ({string.Join(", ", WorkloadKeys)}) nor a design field path such as array.rows or buffers[0].capacityBytes");
        var list = List(values ?? throw Problem(source, where, "missing values"), source, where);
        if (list.Count == 0) throw Problem(source, where, "no values");
        return new StudyAxis(name, list);
    }

    [GeneratedRegex(@"^[a-z][A-Za-z0-9]*(\[\d+\])?(\.[a-z][A-Za-z0-9]*(\[\d+\])?)*$")]
    private static partial Regex SpecPath();

    private static void Known(JsonObject o, IReadOnlyCollection<string> keys, string source, string prefix)
    {
        foreach (var (key, _) in o)
            if (!keys.Contains(key)) throw Problem(source, prefix + key, $"unknown key (expected one of {string.Join(", ", keys)})");
    }

    private static JsonObject Object(JsonNode? node, string source, string where) =>
        node as JsonObject ?? throw Problem(source, where, "expected a mapping of keys to values");

    private static IReadOnlyList<JsonNode?> List(JsonNode node, string source, string where) => node switch
    {
        JsonArray a => [.. a],
        _ => throw Problem(source, where, "expected a list"),
    };

    public static string Text(JsonNode? node, string source, string where) =>
        node is JsonValue v && v.TryGetValue(out string? s) ? s : throw Problem(source, where, "expected a string");

    private static double Number(JsonNode node, string source, string where) =>
        node is not JsonValue v ? throw Problem(source, where, "expected a number")
        : v.TryGetValue(out double d) ? d
        : v.TryGetValue(out long l) ? l
        : throw Problem(source, where, "expected a number");

    private static InvalidDataException Problem(string source, string where, string reason) => new($"{source}: {where}: {reason}");
}
