using HwSim.Workloads.Models;

namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// One model family's checkpoint conventions: its tensor names and how its config.json describes the forward pass.
/// One implementation file per family, registered in <see cref="CheckpointFamilies"/>.
/// </summary>
public interface ICheckpointFamily
{
    ModelFamily Family { get; }

    CheckpointNameMap Names { get; }

    /// <summary>The forward pass of a model of this family; unsupported variants fail naming the config field.</summary>
    ForwardSpec Read(ModelConfig shape, ConfigFields config);
}
