using HwSim.Numerics.Formats;

namespace HwSim.Workloads.Tracing;

public enum OpKind
{
    Embedding,
    Norm,
    Linear,
    Rope,
    KvCacheWrite,
    AttentionScores,
    Softmax,
    AttentionContext,
    Activation,
    ResidualAdd,
    Gemm,
}

public enum Phase
{
    Prefill,
    Decode,

    /// <summary>An op imported on its own (e.g. a SCALE-Sim topology layer), outside any LLM phase.</summary>
    Standalone,
}

public enum OperandRole
{
    Weight,
    Activation,
    KvCache,
}

/// <summary>A tensor an op reads (or, with <see cref="IsOutput"/>, writes), with its element count.</summary>
public sealed record Operand(string Tensor, OperandRole Role, bool IsOutput, Affine Elements);

/// <summary>
/// <see cref="Batch"/> independent GEMMs C[M×N] = A[M×K] · B[K×N] (SCALE-Sim convention); Batch is B·heads for
/// attention, 1 otherwise.
/// </summary>
public sealed record GemmShape(Affine M, Affine N, Affine K, long Batch = 1)
{
    public Affine Macs => Batch * M * N * K;
}

/// <summary>Element formats of the three operand roles; bytes moved are a function of these.</summary>
public sealed record Precision(StorageFormat Weights, StorageFormat Activations, StorageFormat KvCache)
{
    public static Precision Fp16 { get; } = new(StorageFormat.Fp16, StorageFormat.Fp16, StorageFormat.Fp16);

    public StorageFormat For(OperandRole role) => role switch
    {
        OperandRole.Weight => Weights,
        OperandRole.Activation => Activations,
        _ => KvCache,
    };
}

/// <summary>
/// One operation of a traced workload. Counts are <see cref="Affine"/> in the decode step's KV-cache length, so a
/// decode op is a template for every step. <see cref="Elements"/> is the element count of a non-GEMM op (one
/// element operation each); GEMM ops have <see cref="Gemm"/>.
/// </summary>
public sealed record TraceOp(
    int Id,
    string Name,
    OpKind Kind,
    int Layer,
    Phase Phase,
    GemmShape? Gemm,
    Affine Elements,
    IReadOnlyList<Operand> Operands,
    IReadOnlyList<int> DependsOn)
{
    public Affine Macs => Gemm?.Macs ?? default;

    /// <summary>The name within its layer ("q_proj" for "layers.3.q_proj"); ops outside the layers keep their name.</summary>
    public string LocalName
    {
        get
        {
            if (Layer < 0) return Name;
            string prefix = $"layers.{Layer}.";
            return Name.StartsWith(prefix, StringComparison.Ordinal) ? Name[prefix.Length..] : Name;
        }
    }

    /// <summary>2 per MAC for GEMMs; one per element for the rest.</summary>
    public Affine Flops => Gemm is null ? Elements : 2 * Macs;

    public long BytesAt(long kv, Precision precision)
    {
        long bytes = 0;
        foreach (var operand in Operands) bytes += precision.For(operand.Role).Bytes(operand.Elements.At(kv));
        return bytes;
    }

    /// <summary>
    /// Σ <see cref="BytesAt"/> over kv = <paramref name="first"/> .. first + count − 1, in closed form: an operand of
    /// c + p·kv elements in a format of b bits with o overhead bits per group of G (G = 1, o = 0 without groups)
    /// takes ceil((e·b + ceil(e/G)·o) / 8) bytes, which grows by exactly (8G·b + 8o)/8 whenever e grows by 8G, so its
    /// bytes repeat with a period of 8G / gcd(p, 8G) steps (<see cref="PeriodicSum"/>).
    /// </summary>
    public Int128 BytesOver(long first, long count, Precision precision)
    {
        Int128 bytes = 0;
        foreach (var operand in Operands)
        {
            var format = precision.For(operand.Role);
            var elements = operand.Elements;
            if (elements.IsConstant)
            {
                bytes += (Int128)format.Bytes(elements.Constant) * count;
                continue;
            }
            long groupElements = 8L * Math.Max(1, format.GroupSize);
            long period = groupElements / (long)System.Numerics.BigInteger.GreatestCommonDivisor(Math.Abs(elements.PerKv), groupElements);
            bytes += PeriodicSum.Of(kv => format.Bytes(elements.At(kv)), first, count, period);
        }
        return bytes;
    }

    public long WeightElements => Operands.Where(o => o.Role == OperandRole.Weight).Sum(o => o.Elements.Constant);
}
