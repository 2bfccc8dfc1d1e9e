using System.Text.Json;

namespace HwSim.Numerics.IO;

/// <summary>
/// The weights of a Hugging Face checkpoint directory: one <c>model.safetensors</c>, or shards listed by
/// <c>model.safetensors.index.json</c> (<c>{"weight_map": {tensor: shard file}}</c>, as transformers'
/// <c>save_pretrained</c> writes it), or, with neither, every <c>*.safetensors</c> file of the directory. Each shard's
/// header is validated when the checkpoint opens; tensors are read on demand through memory maps. Every error names
/// the file and the tensor.
/// </summary>
public sealed class SafetensorsCheckpoint
{
    public const string SingleFile = "model.safetensors";
    public const string IndexFile = "model.safetensors.index.json";

    private readonly Dictionary<string, SafetensorsFile> owner;

    private SafetensorsCheckpoint(string directory, Dictionary<string, SafetensorsFile> owner, string description)
    {
        Directory = directory;
        this.owner = owner;
        Description = description;
    }

    public string Directory { get; }

    /// <summary>Where the weights come from, for messages ("model.safetensors", "3 shards of model.safetensors.index.json").</summary>
    public string Description { get; }

    public IEnumerable<string> TensorNames => owner.Keys;

    /// <summary>The weight files (shards), by name within the directory, sorted.</summary>
    public IReadOnlyList<string> Files => [.. owner.Values.Select(f => f.FileName).Distinct().Order(StringComparer.Ordinal)];

    public static SafetensorsCheckpoint Open(string directory)
    {
        if (!System.IO.Directory.Exists(directory)) throw new InvalidDataException($"{directory}: checkpoint directory does not exist");
        string index = Path.Combine(directory, IndexFile);
        if (File.Exists(index)) return OpenSharded(directory, index);
        string single = Path.Combine(directory, SingleFile);
        string[] files = File.Exists(single) ? [single]
            : [.. System.IO.Directory.GetFiles(directory, "*.safetensors").Order(StringComparer.Ordinal)];
        if (files.Length == 0) throw new InvalidDataException($"{directory}: no {SingleFile}, {IndexFile} or other .safetensors file");
        var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (string path in files)
        {
            var file = SafetensorsFile.Open(path);
            foreach (var entry in file.Entries)
            {
                if (!owner.TryAdd(entry.Name, file))
                    throw new InvalidDataException($"{file.FileName}: tensor '{entry.Name}' is also in {owner[entry.Name].FileName}");
            }
        }
        return new SafetensorsCheckpoint(directory, owner, files.Length == 1 ? Path.GetFileName(files[0]) : $"{files.Length} .safetensors files");
    }

    /// <summary>One .safetensors file on its own.</summary>
    public static SafetensorsCheckpoint OpenFile(string path)
    {
        var file = SafetensorsFile.Open(path);
        return new SafetensorsCheckpoint(Path.GetDirectoryName(Path.GetFullPath(path))!, file.Entries.ToDictionary(e => e.Name, _ => file, StringComparer.Ordinal), file.FileName);
    }

    private static SafetensorsCheckpoint OpenSharded(string directory, string index)
    {
        Dictionary<string, string> map;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(index));
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("weight_map", out var weights)
                || weights.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"{IndexFile}: weight_map: missing or not an object");
            map = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var property in weights.EnumerateObject())
            {
                if (property.Value.ValueKind != JsonValueKind.String || property.Value.GetString() is not { Length: > 0 } shard)
                    throw new InvalidDataException($"{IndexFile}: weight_map.{property.Name}: must be a shard file name");
                if (shard.Contains('/') || shard.Contains('\\'))
                    throw new InvalidDataException($"{IndexFile}: weight_map.{property.Name}: shard '{shard}' must be a file of the checkpoint directory");
                if (!map.TryAdd(property.Name, shard))
                    throw new InvalidDataException($"{IndexFile}: weight_map.{property.Name}: appears twice");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{IndexFile}: not valid JSON (line {e.LineNumber + 1})");
        }
        var shards = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (string shard in map.Values.Distinct().Order(StringComparer.Ordinal))
        {
            string path = Path.Combine(directory, shard);
            if (!File.Exists(path)) throw new InvalidDataException($"{IndexFile}: shard '{shard}' does not exist");
            shards[shard] = SafetensorsFile.Open(path);
        }
        var owner = new Dictionary<string, SafetensorsFile>(StringComparer.Ordinal);
        foreach (var (tensor, shard) in map)
        {
            var file = shards[shard];
            if (!file.Contains(tensor)) throw new InvalidDataException($"{shard}: no tensor '{tensor}', which {IndexFile} places there");
            owner[tensor] = file;
        }
        return new SafetensorsCheckpoint(directory, owner, $"{shards.Count} shard(s) of {IndexFile}");
    }

    public bool Contains(string name) => owner.ContainsKey(name);

    /// <summary>The file holding <paramref name="name"/>, for messages.</summary>
    public string FileOf(string name) => owner.TryGetValue(name, out var file) ? file.FileName : Description;

    public SafetensorsEntry Entry(string name) =>
        owner.TryGetValue(name, out var file) ? file.Entry(name)
            : throw new InvalidDataException($"{Description}: no tensor '{name}'");

    /// <summary>The tensor's entry after checking its shape is exactly <paramref name="shape"/>.</summary>
    public SafetensorsEntry Entry(string name, params long[] shape)
    {
        var entry = Entry(name);
        if (!entry.Shape.SequenceEqual(shape))
            throw new InvalidDataException($"{FileOf(name)}: tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], the config needs [{string.Join(", ", shape)}]");
        return entry;
    }

    public TensorData Read(string name) =>
        owner.TryGetValue(name, out var file) ? file.Read(name) : throw new InvalidDataException($"{Description}: no tensor '{name}'");

    /// <summary>Reads <paramref name="name"/> (shape checked) into a new float array.</summary>
    public float[] Read(string name, params long[] shape)
    {
        var entry = Entry(name, shape);
        var values = new float[entry.ElementCount];
        owner[name].ReadInto(entry, values);
        return values;
    }

    /// <summary>Reads <paramref name="name"/> (shape checked) into <paramref name="values"/>, which must hold exactly its elements.</summary>
    public void ReadInto(string name, float[] values, params long[] shape) => owner[name].ReadInto(Entry(name, shape), values);

    /// <summary>Reads rows from <paramref name="firstRow"/> of the 2-D tensor <paramref name="name"/> until <paramref name="values"/> is full.</summary>
    public void ReadRows(string name, long firstRow, Span<float> values)
    {
        var entry = Entry(name);
        owner[name].ReadRange(entry, firstRow * entry.Shape[^1], values);
    }

    /// <summary>Reads row <paramref name="row"/> of the 2-D tensor <paramref name="name"/> (e.g. one token's embedding).</summary>
    public void ReadRow(string name, long row, Span<float> values)
    {
        var entry = Entry(name);
        owner[name].ReadRange(entry, row * values.Length, values);
    }
}
