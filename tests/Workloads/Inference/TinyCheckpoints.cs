using System.Text;
using System.Text.Json;

namespace HwSim.Tests.Workloads.Inference;

/// <summary>
/// The tiny checkpoints of tests/fixtures/checkpoints (made by tests/fixtures/make_tiny_checkpoints.py from an
/// independent float64 PyTorch implementation of the published equations) and their reference outputs.
/// </summary>
internal static class TinyCheckpoints
{
    public const int SequenceLength = 16;

    public static readonly string Root = Find();

    public static string Path(string name) => System.IO.Path.Combine(Root, name);

    public static JsonElement Reference(string name) =>
        JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(Path(name), "reference.json"))).RootElement;

    public static int[] Tokens(string name) =>
        [.. File.ReadAllText(System.IO.Path.Combine(Path(name), "tokens.txt")).Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse)];

    /// <summary>Copies a fixture checkpoint into <paramref name="directory"/> so a test can damage it.</summary>
    public static string CopyTo(string name, string directory)
    {
        string target = System.IO.Path.Combine(directory, name);
        Directory.CreateDirectory(target);
        foreach (string file in Directory.GetFiles(Path(name))) File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        return target;
    }

    /// <summary>Writes F32 tensors as a safetensors file (format: 8-byte header length, JSON header, data).</summary>
    public static void WriteF32(string path, IReadOnlyDictionary<string, (long[] Shape, float[] Values)> tensors)
    {
        var header = new Dictionary<string, object>();
        using var data = new MemoryStream();
        foreach (var (name, (shape, values)) in tensors.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            long begin = data.Length;
            foreach (float v in values) data.Write(BitConverter.GetBytes(v));
            header[name] = new { dtype = "F32", shape, data_offsets = new[] { begin, data.Length } };
        }
        var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
        using var file = File.Create(path);
        file.Write(BitConverter.GetBytes((ulong)json.Length));
        file.Write(json);
        data.Position = 0;
        data.CopyTo(file);
    }

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            string candidate = System.IO.Path.Combine(directory.FullName, "tests", "fixtures", "checkpoints");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("tests/fixtures/checkpoints not found above " + AppContext.BaseDirectory);
    }
}
