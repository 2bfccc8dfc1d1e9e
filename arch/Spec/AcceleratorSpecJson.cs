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
        return spec;
    }

    public static AcceleratorSpec Load(string path) => Read(File.ReadAllText(path), Path.GetFileName(path));
}
