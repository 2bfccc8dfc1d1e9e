using System.IO.MemoryMappedFiles;
using System.Text;
using System.Text.Json;

namespace HwSim.Numerics.IO;

/// <summary>One tensor's entry in a safetensors header; offsets are relative to the data section.</summary>
public sealed record SafetensorsEntry(string Name, string DType, IReadOnlyList<long> Shape, long Begin, long End)
{
    /// <summary>The product of the shape; a shape whose product does not fit 64 bits is rejected when the header is read.</summary>
    public long ElementCount => Shape.Aggregate(1L, (a, b) => checked(a * b));
}

/// <summary>
/// Reader of the safetensors format (huggingface/safetensors): an 8-byte little-endian header length N, N bytes of
/// UTF-8 JSON mapping tensor names to {dtype, shape, data_offsets: [begin, end]} (plus optional "__metadata__"),
/// then the data section. The whole header is validated on open: JSON shape, known fields, offsets inside the
/// file, byte counts equal to shape × element size, no overlaps. Every problem is an <see cref="InvalidDataException"/>
/// naming the file and the tensor. Tensors are read on demand through a memory map, so large checkpoints are never loaded whole.
/// </summary>
public sealed class SafetensorsFile
{
    /// <summary>Header size limit of the reference implementation (100 MB).</summary>
    public const long MaxHeaderBytes = 100_000_000;

    private readonly string _path;
    private readonly long _dataStart;
    private readonly Dictionary<string, SafetensorsEntry> _byName;

    private SafetensorsFile(string path, long dataStart, IReadOnlyList<SafetensorsEntry> entries)
    {
        _path = path;
        _dataStart = dataStart;
        Entries = entries;
        _byName = entries.ToDictionary(e => e.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<SafetensorsEntry> Entries { get; }

    public static SafetensorsFile Open(string path)
    {
        using var stream = File.OpenRead(path);
        string where = Path.GetFileName(path);
        // Tensors are read by offset (memory-mapped): a pipe cannot be.
        if (!stream.CanSeek) throw new InvalidDataException($"{where}: not a regular file (safetensors are read by offset; a pipe cannot be)");
        if (stream.Length < 8) throw new InvalidDataException($"{where}: too short for a safetensors header ({stream.Length} bytes)");
        var lengthBytes = new byte[8];
        stream.ReadExactly(lengthBytes);
        ulong headerLength = BitConverter.ToUInt64(lengthBytes);
        if (headerLength > MaxHeaderBytes) throw new InvalidDataException($"{where}: header length {headerLength} exceeds {MaxHeaderBytes} bytes");
        if ((long)headerLength > stream.Length - 8)
            throw new InvalidDataException($"{where}: truncated: header needs {headerLength} bytes, file has {stream.Length - 8} after the length");
        var header = new byte[headerLength];
        stream.ReadExactly(header);
        long dataLength = stream.Length - 8 - (long)headerLength;
        var entries = ParseHeader(where, header, dataLength);
        return new SafetensorsFile(path, 8 + (long)headerLength, entries);
    }

    public bool Contains(string name) => _byName.ContainsKey(name);

    public SafetensorsEntry Entry(string name) =>
        _byName.GetValueOrDefault(name)
        ?? throw new InvalidDataException($"{Path.GetFileName(_path)}: no tensor named '{name}' (has {string.Join(", ", Entries.Take(5).Select(e => e.Name))}{(Entries.Count > 5 ? ", …" : "")})");

    /// <summary>
    /// Reads one tensor as float through a read-only memory map of its byte range, so only the pages of that tensor
    /// are touched and nothing else of the file is loaded; <paramref name="progress"/> receives the fraction converted.
    /// </summary>
    public TensorData Read(string name, IProgress<double>? progress = null)
    {
        var entry = Entry(name);
        var values = new float[CheckedCount(entry)];
        ReadInto(entry, values, progress);
        return new TensorData(name, entry.Shape, values);
    }

    /// <summary>Converts tensor <paramref name="entry"/> into <paramref name="values"/> (exactly its element count).</summary>
    public void ReadInto(SafetensorsEntry entry, Span<float> values, IProgress<double>? progress = null)
    {
        if (values.Length != entry.ElementCount)
            throw new ArgumentException($"tensor '{entry.Name}' has {entry.ElementCount} elements, the buffer {values.Length}", nameof(values));
        ReadRange(entry, 0, values, progress);
    }

    /// <summary>Converts elements [<paramref name="first"/>, first + values.Length) of the tensor (row-major) into <paramref name="values"/>.</summary>
    public unsafe void ReadRange(SafetensorsEntry entry, long first, Span<float> values, IProgress<double>? progress = null)
    {
        int size = CheckedSize(entry);
        if (first < 0 || first + values.Length > entry.ElementCount)
            throw new ArgumentOutOfRangeException(nameof(first), $"elements {first}..{first + values.Length} are outside tensor '{entry.Name}' ({entry.ElementCount} elements)");
        if (values.Length == 0) return;
        using var map = MemoryMappedFile.CreateFromFile(_path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = map.CreateViewAccessor(_dataStart + entry.Begin + first * size, (long)values.Length * size, MemoryMappedFileAccess.Read);
        byte* pointer = null;
        view.SafeMemoryMappedViewHandle.AcquirePointer(ref pointer);
        try
        {
            byte* start = pointer + view.PointerOffset;
            const int chunkElements = 1 << 22;
            for (int done = 0; done < values.Length; done += chunkElements)
            {
                int count = Math.Min(chunkElements, values.Length - done);
                ElementDecoding.Convert(entry.DType, new ReadOnlySpan<byte>(start + (long)done * size, count * size), values.Slice(done, count));
                ElementDecoding.CheckFinite(FileName, entry.Name, values.Slice(done, count), first + done);
                progress?.Report((double)(done + count) / values.Length);
            }
        }
        finally
        {
            view.SafeMemoryMappedViewHandle.ReleasePointer();
        }
    }

    private int CheckedSize(SafetensorsEntry entry)
    {
        int size = ElementDecoding.Size(entry.DType);
        if (size == 0) throw new InvalidDataException($"{Path.GetFileName(_path)}: tensor '{entry.Name}' has dtype {entry.DType}; supported: F32, F16, BF16, F64");
        return size;
    }

    private int CheckedCount(SafetensorsEntry entry)
    {
        CheckedSize(entry);
        return entry.ElementCount <= Array.MaxLength ? (int)entry.ElementCount
            : throw new InvalidDataException($"{Path.GetFileName(_path)}: tensor '{entry.Name}' has too many elements ({entry.ElementCount})");
    }

    /// <summary>The file's name, for messages.</summary>
    public string FileName => Path.GetFileName(_path);

    private static List<SafetensorsEntry> ParseHeader(string where, byte[] header, long dataLength)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(Encoding.UTF8.GetString(header).TrimEnd(' '), new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{where}: header is not valid JSON ({e.Message.Split('.')[0]})");
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"{where}: header must be a JSON object");
            var entries = new List<SafetensorsEntry>();
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__") continue;
                if (entries.Any(e => e.Name == property.Name)) throw new InvalidDataException($"{where}: tensor '{property.Name}' appears twice in the header");
                entries.Add(ParseEntry(where, property, dataLength));
            }
            var ordered = entries.OrderBy(e => e.Begin).ThenBy(e => e.End).ToList();
            for (int i = 1; i < ordered.Count; i++)
            {
                if (ordered[i].Begin < ordered[i - 1].End)
                    throw new InvalidDataException($"{where}: tensors '{ordered[i - 1].Name}' and '{ordered[i].Name}' overlap");
            }
            return entries;
        }
    }

    private static SafetensorsEntry ParseEntry(string where, JsonProperty property, long dataLength)
    {
        string name = property.Name;
        var value = property.Value;
        string Fail(string message) => throw new InvalidDataException($"{where}: tensor '{name}': {message}");
        if (value.ValueKind != JsonValueKind.Object) Fail("entry must be an object");
        if (!value.TryGetProperty("dtype", out var dtype) || dtype.ValueKind != JsonValueKind.String) Fail("missing string field 'dtype'");
        if (!value.TryGetProperty("shape", out var shape) || shape.ValueKind != JsonValueKind.Array) Fail("missing array field 'shape'");
        if (!value.TryGetProperty("data_offsets", out var offsets) || offsets.ValueKind != JsonValueKind.Array || offsets.GetArrayLength() != 2)
            Fail("missing field 'data_offsets' = [begin, end]");
        var dims = new List<long>();
        foreach (var d in shape.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0) Fail("shape entries must be non-negative integers");
            else dims.Add(dim);
        }
        long[] range = [.. offsets.EnumerateArray().Select(o => o.ValueKind == JsonValueKind.Number && o.TryGetInt64(out long v) && v >= 0 ? v : -1)];
        if (range[0] < 0 || range[1] < 0) Fail("data_offsets must be non-negative integers");
        if (range[1] < range[0]) Fail($"data_offsets end {range[1]} is before begin {range[0]}");
        if (range[1] > dataLength) Fail($"data_offsets end {range[1]} is past the data section ({dataLength} bytes): file truncated or offsets wrong");
        // The product of the shape in 128 bits: a wrapped product could match the byte count by accident.
        Int128 elements = 1;
        foreach (long dim in dims)
        {
            elements *= dim;
            if (elements > long.MaxValue) Fail($"shape [{string.Join(", ", dims)}] has more than 2^63 elements");
        }
        var entry = new SafetensorsEntry(name, dtype.GetString()!, dims, range[0], range[1]);
        int size = ElementDecoding.Size(entry.DType);
        if (size > 0 && elements * size != entry.End - entry.Begin)
            Fail($"shape [{string.Join(", ", dims)}] of {entry.DType} needs {elements * size} bytes, data_offsets give {entry.End - entry.Begin}");
        return entry;
    }
}
