using HwSim.Workloads.Tracing;

namespace HwSim.Arch.Spec;

/// <summary>
/// Prefill and decode as they choose weights: a description, a plan entry or a paper reference row may give one of
/// them its own datatype or bits (absent: both), and ops outside the two LLM phases (a SCALE-Sim layer) run the
/// prefill weights.
/// </summary>
public static class WeightPhases
{
    private static readonly Phase[] Both = [Phase.Prefill, Phase.Decode];

    /// <summary>The phase whose weights ops of <paramref name="phase"/> run.</summary>
    public static Phase Of(Phase phase) => phase == Phase.Decode ? Phase.Decode : Phase.Prefill;

    /// <summary>The phases a choice limited to <paramref name="only"/> (null: both) applies to.</summary>
    public static IReadOnlyList<Phase> Covered(Phase? only) => only is { } phase ? [phase] : Both;

    /// <summary>"<paramref name="field"/>: reason" when <paramref name="only"/> names neither prefill nor decode, else null.</summary>
    public static string? Invalid(Phase? only, string field) =>
        only is { } phase && !Both.Contains(phase)
            ? $"{field}: must be prefill or decode, or absent for both (got {phase.ToString().ToLowerInvariant()})"
            : null;
}
