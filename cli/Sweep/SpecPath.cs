using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace HwSim.Cli.Sweep;

/// <summary>
/// Sets a field of an accelerator description's JSON by path (<c>array.rows</c>, <c>buffers[0].capacityBytes</c>,
/// <c>pe</c>). The parent must exist; the field itself may be new (the strict reader then accepts or rejects it), and
/// an object value replaces the whole subtree (how a study switches <c>pe</c> to a kind with other fields).
/// </summary>
public static partial class SpecPath
{
    public static void Set(JsonObject root, string path, JsonNode? value, string where)
    {
        var segments = path.Split('.');
        JsonNode current = root;
        for (int i = 0; i < segments.Length; i++)
        {
            var match = Segment().Match(segments[i]);
            string name = match.Groups[1].Value;
            bool last = i == segments.Length - 1;
            if (current is not JsonObject o) throw new InvalidDataException($"{where}: {path}: '{string.Join('.', segments[..i])}' is not an object");
            if (!match.Groups[2].Success)
            {
                if (last)
                {
                    o[name] = value?.DeepClone();
                    return;
                }
                current = o[name] ?? throw new InvalidDataException($"{where}: {path}: the design has no '{string.Join('.', segments[..(i + 1)])}'");
                continue;
            }
            int element = int.Parse(match.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture);
            if (o[name] is not JsonArray array) throw new InvalidDataException($"{where}: {path}: the design has no list '{string.Join('.', segments[..i].Append(name))}'");
            if (element >= array.Count) throw new InvalidDataException($"{where}: {path}: '{name}' has {array.Count} entries");
            if (last)
            {
                array[element] = value?.DeepClone();
                return;
            }
            current = array[element] ?? throw new InvalidDataException($"{where}: {path}: '{name}[{element}]' is null");
        }
    }

    [GeneratedRegex(@"^([A-Za-z0-9]+)(?:\[(\d+)\])?$")]
    private static partial Regex Segment();
}
