using System.Globalization;
using HwSim.Numerics.IO;
using HwSim.CostModels.Tables;

namespace HwSim.CostModels.Sensitivity;

/// <summary>
/// Per-layer importance weights (e.g. Hessian traces per parameter, HAWQ-V3's Tr(H)/n) from a CSV with columns
/// layer,op,importance; op "*" applies to every op of the layer. Ops the file does not name weigh 1; a row naming a
/// layer or op the workload does not have is an error (<see cref="CheckAgainst"/>).
/// </summary>
public sealed class ImportanceFile
{
    /// <summary>
    /// The largest importance: 10^12. Importances weigh squared errors in the objective; above this the weighted
    /// sums lose all precision (and overflow to infinity), so the solver's result would mean nothing.
    /// </summary>
    public const double MaxImportance = 1e12;

    private readonly Dictionary<(int, string), double> weights;
    private readonly Dictionary<(int, string), long> lines;
    private readonly string source;

    private ImportanceFile(Dictionary<(int, string), double> weights, Dictionary<(int, string), long> lines, string source)
    {
        this.weights = weights;
        this.lines = lines;
        this.source = source;
    }

    public static ImportanceFile Uniform { get; } = new([], [], "");

    public double Of(int layer, string op) =>
        weights.TryGetValue((layer, op), out double w) ? w : weights.TryGetValue((layer, "*"), out w) ? w : 1;

    public static ImportanceFile Load(string path) => Parse(BoundedFile.ReadAllText(path), Path.GetFileName(path));

    public static ImportanceFile Parse(string text, string source)
    {
        var records = CsvRecords.Read(text, source).ToList();
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(["layer", "op", "importance"]))
            throw new InvalidDataException($"{source} line 1: expected the header layer,op,importance");
        var weights = new Dictionary<(int, string), double>();
        var lines = new Dictionary<(int, string), long>();
        foreach (var (line, fields) in records.Skip(1))
        {
            string where = $"{source} line {line}";
            if (fields.Length != 3) throw new InvalidDataException($"{where}: expected 3 fields (layer,op,importance), got {fields.Length}");
            if (!int.TryParse(fields[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int layer) || layer < -1)
                throw new InvalidDataException($"{where}: layer '{fields[0]}' is not a layer number (or -1 for lm_head)");
            if (fields[1].Length == 0) throw new InvalidDataException($"{where}: op is empty (use * for every op of the layer)");
            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double importance) || !(importance >= 0) || !double.IsFinite(importance))
                throw new InvalidDataException($"{where}: importance '{fields[2]}' must be a non-negative number");
            if (importance > MaxImportance) throw new InvalidDataException($"{where}: importance must be at most {MaxImportance:0e0} (got {fields[2]})");
            if (!weights.TryAdd((layer, fields[1]), importance)) throw new InvalidDataException($"{where}: layer {layer} op {fields[1]} appears twice");
            lines[(layer, fields[1])] = line;
        }
        return new ImportanceFile(weights, lines, source);
    }

    /// <summary>
    /// Rejects a row naming a layer or op the workload does not have (<paramref name="ops"/>: its linear ops): such a
    /// row weighs nothing, so it is a mistake in the file (a misspelt op, another model's layer count).
    /// </summary>
    public void CheckAgainst(IReadOnlyList<LinearOpShape> ops)
    {
        var layers = ops.Select(o => o.Layer).ToHashSet();
        var known = ops.Select(o => (o.Layer, o.Op)).ToHashSet();
        foreach (var ((layer, op), line) in lines.OrderBy(l => l.Value))
        {
            if (!layers.Contains(layer))
                throw new InvalidDataException($"{source} line {line}: layer {layer} is not a layer of the workload (it has {layers.Where(l => l >= 0).DefaultIfEmpty(-1).Min()} .. {layers.Max()}{(layers.Contains(-1) ? ", and -1 for ops outside the layers" : "")})");
            if (op != "*" && !known.Contains((layer, op)))
                throw new InvalidDataException($"{source} line {line}: layer {layer} has no linear op '{op}' ({string.Join(", ", ops.Where(o => o.Layer == layer).Select(o => o.Op))})");
        }
    }
}
