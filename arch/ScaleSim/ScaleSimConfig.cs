using System.Globalization;
using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;

namespace HwSim.Arch.ScaleSim;

/// <summary>
/// A SCALE-Sim v2 <c>.cfg</c> (INI; keys separated by ':' or '='): [general] run_name; [architecture_presets]
/// ArrayHeight, ArrayWidth, IfmapSramSzkB, FilterSramSzkB, OfmapSramSzkB, Dataflow (ws|os|is), Bandwidth
/// (words per cycle); offsets and MemoryBanks are read and ignored. SCALE-Sim words are 1 byte and its PEs one
/// 8-bit MAC each, so the accelerator is an INT8 systolic array.
/// </summary>
public static class ScaleSimConfig
{
    /// <summary>SRAM sizes in KiB up to the validator's largest buffer (<see cref="AcceleratorSpecValidator.MaxBufferBytes"/>).</summary>
    private const long MaxSramKiB = AcceleratorSpecValidator.MaxBufferBytes / 1024;

    public static AcceleratorSpec Read(TextReader reader, string source = "scale.cfg")
    {
        var values = new Dictionary<string, (string Value, int Line)>(StringComparer.OrdinalIgnoreCase);
        string section = "";
        int lineNumber = 0;
        while (reader.ReadLine() is { } raw)
        {
            lineNumber++;
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';') continue;
            if (line[0] == '[')
            {
                if (line[^1] != ']') throw new InvalidDataException($"{source} line {lineNumber}: section header '{line}' lacks ']'");
                section = line[1..^1].Trim();
                continue;
            }
            int cut = line.IndexOfAny([':', '=']);
            if (cut <= 0) throw new InvalidDataException($"{source} line {lineNumber}: expected 'key : value', got '{line}'");
            values[$"{section}.{line[..cut].Trim()}"] = (line[(cut + 1)..].Trim(), lineNumber);
        }

        long Number(string key, long minimum, long maximum = long.MaxValue)
        {
            string full = $"architecture_presets.{key}";
            if (!values.TryGetValue(full, out var entry)) throw new InvalidDataException($"{source}: [architecture_presets] {key} is missing");
            if (!long.TryParse(entry.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out long value) || value < minimum)
                throw new InvalidDataException($"{source} line {entry.Line}: {key} must be an integer of at least {minimum} (got '{entry.Value}')");
            if (value > maximum) throw new InvalidDataException($"{source} line {entry.Line}: {key} must be at most {maximum} (got {value})");
            return value;
        }

        int rows = (int)Math.Min(Number("ArrayHeight", 1), int.MaxValue), cols = (int)Math.Min(Number("ArrayWidth", 1), int.MaxValue);
        string dataflowText = values.TryGetValue("architecture_presets.Dataflow", out var d) ? d.Value.ToLowerInvariant()
            : throw new InvalidDataException($"{source}: [architecture_presets] Dataflow is missing");
        var dataflow = dataflowText switch
        {
            "ws" => Dataflow.Ws,
            "os" => Dataflow.Os,
            "is" => Dataflow.Is,
            _ => throw new InvalidDataException($"{source} line {d.Line}: Dataflow must be ws, os or is (got '{d.Value}')"),
        };
        long bandwidth = values.ContainsKey("architecture_presets.Bandwidth") ? Number("Bandwidth", 1) : 10;
        string name = values.TryGetValue("general.run_name", out var runName) ? runName.Value.Trim('"') : "scale_sim";
        var spec = new AcceleratorSpec(
            name, $"SCALE-Sim {rows}x{cols} {dataflowText}", 1000,
            new ArraySpec(rows, cols, dataflow),
            new BitParallelPe(1, ["int8"], ActivationType: "int8"),
            [
                new BufferSpec("ifmap_sram", BufferRole.Activations, Number("IfmapSramSzkB", 0, MaxSramKiB) * 1024),
                new BufferSpec("filter_sram", BufferRole.Weights, Number("FilterSramSzkB", 0, MaxSramKiB) * 1024),
                new BufferSpec("ofmap_sram", BufferRole.Outputs, Number("OfmapSramSzkB", 0, MaxSramKiB) * 1024),
            ],
            new SimpleDramSpec((int)Math.Min(bandwidth, int.MaxValue)),
            new DmaSpec(), [], new VectorUnitSpec(cols), "int8", "int8", $"SCALE-Sim config {source}");
        if (AcceleratorSpecValidator.Validate(spec) is { } problem)
            throw new InvalidDataException($"{source}: {Translate(problem)}");
        return spec;
    }

    private static string Translate(string problem) => problem
        .Replace("array.rows", "ArrayHeight").Replace("array.cols", "ArrayWidth")
        .Replace("buffers[0].capacityBytes", "IfmapSramSzkB").Replace("buffers[1].capacityBytes", "FilterSramSzkB")
        .Replace("buffers[2].capacityBytes", "OfmapSramSzkB");
}
