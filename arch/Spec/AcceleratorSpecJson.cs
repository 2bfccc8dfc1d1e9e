using System.Text.Json;
using HwSim.Numerics.IO;

namespace HwSim.Arch.Spec;

/// <summary>
/// Accelerator descriptions as JSON (<see cref="StrictJson"/> conventions). Loading rejects unknown fields, missing
/// required fields and invalid values with one message naming the field.
/// </summary>
public static class AcceleratorSpecJson
{
    public static string Write(AcceleratorSpec spec) => StrictJson.Write(spec);

    /// <summary>Parses and validates; throws <see cref="InvalidDataException"/> with "source: field: reason".</summary>
    public static AcceleratorSpec Read(string json, string source = "accelerator.json")
    {
        var spec = StrictJson.Read<AcceleratorSpec>(json, source, "an accelerator");
        if (AcceleratorSpecValidator.Validate(spec) is { } problem) throw new InvalidDataException($"{source}: {problem}");
        if (ClockHzMismatch(json, spec) is { } mismatch) throw new InvalidDataException($"{source}: {mismatch}");
        return spec;
    }

    /// <summary>
    /// <c>clockHz</c> is written for reference (it is <c>clockMhz</c> × 10^6) and read back only as a check: a file
    /// whose clockHz disagrees with its clockMhz was edited in one place and not the other, so it is rejected
    /// rather than one of the two silently winning.
    /// </summary>
    private static string? ClockHzMismatch(string json, AcceleratorSpec spec)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        if (!document.RootElement.TryGetProperty("clockHz", out var clockHz)) return null;
        return clockHz.ValueKind == JsonValueKind.Number && clockHz.TryGetInt64(out long hz) && hz == spec.ClockHz ? null
            : $"clockHz: {clockHz.GetRawText()} disagrees with clockMhz {spec.ClockMhz} ({spec.ClockHz} Hz); clockHz is derived from clockMhz: change clockMhz and drop clockHz";
    }

    public static AcceleratorSpec Load(string path) => Read(BoundedFile.ReadAllText(path), Path.GetFileName(path));
}
