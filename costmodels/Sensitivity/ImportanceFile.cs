using System.Globalization;
using HwSim.CostModels.Tables;

namespace HwSim.CostModels.Sensitivity;

/// <summary>
/// Per-layer importance weights (e.g. Hessian traces per parameter, HAWQ-V3's Tr(H)/n) from a CSV with columns
/// layer,op,importance; op "*" applies to every op of the layer. Ops the file does not name weigh 1.
/// </summary>
public sealed class ImportanceFile
{
    private readonly Dictionary<(int, string), double> weights;

    private ImportanceFile(Dictionary<(int, string), double> weights) => this.weights = weights;

    public static ImportanceFile Uniform { get; } = new([]);

    public double Of(int layer, string op) =>
        weights.TryGetValue((layer, op), out double w) ? w : weights.TryGetValue((layer, "*"), out w) ? w : 1;

    public static ImportanceFile Load(string path) => Parse(File.ReadAllText(path), Path.GetFileName(path));

    public static ImportanceFile Parse(string text, string source)
    {
        var records = CsvRecords.Read(text).ToList();
        if (records.Count == 0 || !records[0].Fields.SequenceEqual(["layer", "op", "importance"]))
            throw new InvalidDataException($"{source} line 1: expected the header layer,op,importance");
        var weights = new Dictionary<(int, string), double>();
        foreach (var (line, fields) in records.Skip(1))
        {
            string where = $"{source} line {line}";
            if (fields.Length != 3) throw new InvalidDataException($"{where}: expected 3 fields (layer,op,importance), got {fields.Length}");
            if (!int.TryParse(fields[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int layer) || layer < -1)
                throw new InvalidDataException($"{where}: layer '{fields[0]}' is not a layer number (or -1 for lm_head)");
            if (fields[1].Length == 0) throw new InvalidDataException($"{where}: op is empty (use * for every op of the layer)");
            if (!double.TryParse(fields[2], NumberStyles.Float, CultureInfo.InvariantCulture, out double importance) || !(importance >= 0) || !double.IsFinite(importance))
                throw new InvalidDataException($"{where}: importance '{fields[2]}' must be a non-negative number");
            if (!weights.TryAdd((layer, fields[1]), importance)) throw new InvalidDataException($"{where}: layer {layer} op {fields[1]} appears twice");
        }
        return new ImportanceFile(weights);
    }
}
