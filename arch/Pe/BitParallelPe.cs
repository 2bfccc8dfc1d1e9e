using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Pe;

/// <summary>
/// A PE that multiplies each weight whole in one cycle: integer multipliers, or a floating-point MAC for FP16
/// weights (the BitMoD paper's FP16 baseline, ANT's and OliVe's decoded-integer PEs, a TPU MAC).
/// </summary>
[ModelName("bitParallel", 0, "whole weight multiplied in one cycle")]
public sealed record BitParallelPe(
    int DotProductWidth,
    IReadOnlyList<string> WeightTypes,
    string ActivationType = "fp16",
    int AccumulatorBits = 32) : PeSpec(DotProductWidth, WeightTypes, ActivationType, AccumulatorBits)
{
    /// <summary>The kind at its narrowest (one multiplier), for listings of what each kind runs.</summary>
    public static PeSpec Reference { get; } = new BitParallelPe(1, []);

    public override int CyclesPerStep(WeightDatatype weights) => 1;

    public override string? CannotExecute(WeightDatatype weights) => null;

    public override IPeArithmetic Arithmetic() => Multiplier.Instance;

    protected override string? ValidateKind() => null;

    private sealed class Multiplier : IPeArithmetic
    {
        public static readonly Multiplier Instance = new();

        public int CyclesFor(long weight) => 1;

        public long Dot(ReadOnlySpan<long> a, ReadOnlySpan<long> w, int cycles)
        {
            long acc = 0;
            for (int d = 0; d < a.Length; d++) acc += a[d] * w[d];
            return acc;
        }
    }
}
