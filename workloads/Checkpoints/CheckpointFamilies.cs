using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>The registered checkpoint families, one per <see cref="ModelFamily"/>.</summary>
public static class CheckpointFamilies
{
    public static readonly IReadOnlyList<ICheckpointFamily> All = [new LlamaCheckpoint(), new OptCheckpoint(), new PhiCheckpoint(), new Gemma2Checkpoint()];

    public static ICheckpointFamily For(ModelFamily family) =>
        All.FirstOrDefault(f => f.Family == family) ?? throw new KeyNotFoundException($"no checkpoint conventions for the {family} family");

    public static CheckpointNameMap Names(ModelFamily family) => For(family).Names;
}
