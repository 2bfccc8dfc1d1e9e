using System.Globalization;
using System.Text;
using HwSim.Workloads.Tracing;

namespace HwSim.Workloads.Formats;

/// <summary>
/// SCALE-Sim v2 topology CSVs. Conv form: <c>Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width,
/// Channels, Num Filter, Strides,</c>; GEMM form: <c>Layer,M,N,K,</c> with C[M×N] = A[M×K]·B[K×N]. Both have a
/// header line and a trailing comma on every line. A conv layer becomes its im2col GEMM: M = output pixels
/// ((H − R)/S + 1)·((W − Q)/S + 1), N = filters, K = R·Q·C (no padding, as SCALE-Sim).
/// </summary>
public static class ScaleSimTopology
{
    /// <summary>
    /// The largest layer read: 2^50 (about 1.1e15) MACs, over 500 times a 2048-token GPT-3 FFN GEMM. Below it the
    /// operand sizes, and the fold and cycle counts of any array, fit 64-bit integers.
    /// </summary>
    public const long MaxLayerMacs = 1L << 50;

    public static Workload Read(TextReader reader, string source = "topology.csv")
    {
        var ops = new List<TraceOp>();
        string? header = reader.ReadLine() ?? throw new InvalidDataException($"{source}: empty file (no header line)");
        int columns = Cells(header).Count;
        if (columns is not (4 or 8))
            throw new InvalidDataException($"{source} line 1: expected the GEMM header (Layer,M,N,K,) or the 8-column conv header, got {columns} columns");
        int lineNumber = 1;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line)) continue;
            var cells = Cells(line);
            if (cells.Count != columns)
                throw new InvalidDataException($"{source} line {lineNumber}: expected {columns} columns, got {cells.Count}");
            string name = cells[0].Length > 0 ? cells[0] : throw new InvalidDataException($"{source} line {lineNumber}: layer name is empty");
            long Number(int column, string field)
            {
                if (!long.TryParse(cells[column], NumberStyles.Integer, CultureInfo.InvariantCulture, out long value))
                    throw new InvalidDataException($"{source} line {lineNumber}, column '{field}': '{cells[column]}' is not an integer");
                if (value < 1) throw new InvalidDataException($"{source} line {lineNumber}, column '{field}': must be positive (got {value})");
                return value;
            }
            GemmShape gemm;
            if (columns == 4)
            {
                gemm = new GemmShape(Number(1, "M"), Number(2, "N"), Number(3, "K"));
            }
            else
            {
                long height = Number(1, "IFMAP Height"), width = Number(2, "IFMAP Width");
                long filterHeight = Number(3, "Filter Height"), filterWidth = Number(4, "Filter Width");
                long channels = Number(5, "Channels"), filters = Number(6, "Num Filter"), stride = Number(7, "Strides");
                if (filterHeight > height || filterWidth > width)
                    throw new InvalidDataException($"{source} line {lineNumber}: filter {filterHeight}x{filterWidth} is larger than the {height}x{width} input");
                // 128-bit products: a conv's M and K are products of fields, which must not wrap before they are checked.
                Int128 outputPixels = ((Int128)(height - filterHeight) / stride + 1) * ((width - filterWidth) / stride + 1);
                Int128 depth = (Int128)filterHeight * filterWidth * channels;
                CheckMacs(outputPixels, filters, depth, source, lineNumber);
                gemm = new GemmShape((long)outputPixels, filters, (long)depth);
            }
            CheckMacs(gemm.M.Constant, gemm.N.Constant, gemm.K.Constant, source, lineNumber);
            long m = gemm.M.Constant, n = gemm.N.Constant, k = gemm.K.Constant;
            ops.Add(new TraceOp(ops.Count, name, OpKind.Gemm, -1, Phase.Standalone, gemm, default,
                [
                    new("A", OperandRole.Activation, false, m * k),
                    new("B", OperandRole.Weight, false, k * n),
                    new("C", OperandRole.Activation, true, m * n),
                ],
                ops.Count == 0 ? [] : [ops.Count - 1]));
        }
        if (ops.Count == 0) throw new InvalidDataException($"{source}: no layers after the header line");
        return new Workload(Path.GetFileNameWithoutExtension(source), null, 1, 1, 0, Precision.Fp16, ops, []);
    }

    private static void CheckMacs(Int128 m, Int128 n, Int128 k, string source, int lineNumber)
    {
        Int128 macs = m * n * k;
        if (m > MaxLayerMacs || n > MaxLayerMacs || k > MaxLayerMacs || macs > MaxLayerMacs)
            throw new InvalidDataException($"{source} line {lineNumber}: M x N x K = {m} x {n} x {k} is more than the limit of 2^50 ({MaxLayerMacs}) MACs per layer");
    }

    /// <summary>Writes every GEMM op (constant shapes; decode ops at the given KV length) in SCALE-Sim's GEMM form.</summary>
    public static string WriteGemm(IEnumerable<TraceOp> ops, long kv = 0)
    {
        var text = new StringBuilder("Layer,M,N,K,\n");
        foreach (var op in ops)
        {
            if (op.Gemm is not { } g) continue;
            for (long b = 0; b < g.Batch; b++)
            {
                string name = g.Batch == 1 ? op.Name : $"{op.Name}[{b}]";
                text.Append(CultureInfo.InvariantCulture, $"{name},{g.M.At(kv)},{g.N.At(kv)},{g.K.At(kv)},\n");
            }
        }
        return text.ToString();
    }

    /// <summary>Splits a CSV line, trimming cells and dropping the one empty cell SCALE-Sim's trailing comma makes.</summary>
    private static List<string> Cells(string line)
    {
        var cells = line.Split(',').Select(c => c.Trim()).ToList();
        if (cells.Count > 1 && cells[^1].Length == 0) cells.RemoveAt(cells.Count - 1);
        return cells;
    }
}
