using HwSim.Arch.Plans;
using HwSim.Numerics.Quantization;
using HwSim.Numerics.Registry;
using HwSim.Workloads.Checkpoints;
using HwSim.Workloads.Inference;
using HwSim.Workloads.Tracing;

namespace HwSim.Cli.Evaluation;

/// <summary>
/// Which quantizer each linear op of an evaluated checkpoint gets. One datatype (--dtype): every linear op inside the
/// decoder layers, embeddings and LM head kept as stored (the convention of GPTQ and AWQ); with --group the
/// datatype's study quantizer at that group size, otherwise its storage layout. A plan (--plan): each entry's
/// datatype in its storage layout, the LM head included when the plan names it; evaluation is the prefill pass, so an
/// op planned per phase runs its prefill datatype; ops the plan leaves out keep the checkpoint's weights.
/// </summary>
public sealed record WeightChoice(string Description, WeightQuantizerChoice? Quantizers)
{
    public static WeightChoice None { get; } = new("as stored", null);

    public static WeightChoice Uniform(string name, int? group)
    {
        if (!WeightDatatypes.TryGet(name, out var datatype, out string? problem)) throw new UserInputException($"option '--dtype': {problem}");
        if (group is { } g && datatype.StudyQuantizer is null)
            throw new UserInputException($"option '--group': datatype '{name}' has no group size to set");
        if (datatype.StorageQuantizer is null) return new($"{name} (stored unquantized)", null);
        var cache = new Dictionary<int, IWeightQuantizer>();
        IWeightQuantizer For(int inFeatures)
        {
            lock (cache)
            {
                if (!cache.TryGetValue(inFeatures, out var quantizer))
                    cache[inFeatures] = quantizer = group is { } size ? datatype.StudyQuantizer!(size, ClipMode.AbsMax) : datatype.StorageQuantizer(inFeatures);
                return quantizer;
            }
        }
        string description = group is { } gs ? $"{name} group {gs} on decoder-layer linear ops" : $"{name} ({datatype.Storage.Name}) on decoder-layer linear ops";
        return new(description, (layer, op, inFeatures) => layer < 0 ? null : For(inFeatures));
    }

    public static WeightChoice FromPlan(PrecisionPlan plan, string source, CheckpointModel model)
    {
        var chosen = new Dictionary<(int, string), WeightDatatype>();
        for (int i = 0; i < plan.Entries.Count; i++)
        {
            var entry = plan.Entries[i];
            if (!entry.Covers(Phase.Prefill)) continue;
            bool known = entry.Layer == PrecisionPlan.OutsideLayers ? entry.Op == CheckpointNameMap.LmHeadOp
                : entry.Layer < model.Shape.Layers && model.Names.Linears.ContainsKey(entry.Op);
            if (!known)
                throw new UserInputException($"{source}: entries[{i}]: the checkpoint has no linear op layer {entry.Layer} {entry.Op} "
                    + $"(layers 0..{model.Shape.Layers - 1} with {string.Join(", ", model.Names.Linears.Keys)}; layer -1 {CheckpointNameMap.LmHeadOp})");
            chosen[(entry.Layer, entry.Op)] = WeightDatatypes.Get(entry.Weights);
        }
        int quantized = chosen.Values.Count(d => d.StorageQuantizer is not null);
        return new($"plan {source}: {quantized} of {chosen.Count} planned ops quantized (prefill datatypes)",
            (layer, op, inFeatures) => chosen.TryGetValue((layer, op), out var datatype) ? datatype.StorageQuantizer?.Invoke(inFeatures) : null);
    }
}
