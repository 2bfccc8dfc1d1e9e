using HwSim.Numerics.IO;
using HwSim.Workloads.Checkpoints;
using HwSim.Workloads.Models;

namespace HwSim.Workloads.Inference;

/// <summary>
/// A Hugging Face checkpoint directory opened for evaluation: config.json read by its family's conventions, the
/// safetensors weights (single file or sharded) checked up front — every tensor the forward pass will read must exist
/// with the shape the config implies — so a bad checkpoint fails before any compute, with one line naming the file
/// and the tensor.
/// </summary>
public sealed class CheckpointModel
{
    private CheckpointModel(string directory, ForwardSpec spec, SafetensorsCheckpoint weights)
    {
        Directory = directory;
        Spec = spec;
        Weights = weights;
    }

    public string Directory { get; }
    public ForwardSpec Spec { get; }
    public SafetensorsCheckpoint Weights { get; }
    public ModelConfig Shape => Spec.Shape;
    public CheckpointNameMap Names => Spec.Names;

    public static CheckpointModel Open(string directory)
    {
        string configPath = Path.Combine(directory, "config.json");
        if (!File.Exists(configPath)) throw new InvalidDataException($"{configPath}: missing (a Hugging Face checkpoint directory has config.json)");
        var shape = HuggingFaceConfigReader.ReadFile(configPath);
        var fields = ConfigFields.Parse(File.ReadAllText(configPath), "config.json");
        var spec = CheckpointFamilies.For(shape.Family).Read(shape, fields);
        ActivationFunctions.Get(spec.Activation, "config.json");
        var model = new CheckpointModel(directory, spec, SafetensorsCheckpoint.Open(directory));
        model.CheckTensors();
        return model;
    }

    /// <summary>Every tensor the forward pass reads, with its shape.</summary>
    public IEnumerable<(string Name, long[] Shape)> ExpectedTensors()
    {
        var s = Shape;
        long h = s.HiddenSize;
        yield return (Names.Embedding + ".weight", [s.VocabSize, h]);
        if (Names.Positions is { } positions) yield return (positions + ".weight", [s.LearnedPositions, h]);
        for (int layer = 0; layer < s.Layers; layer++)
        {
            foreach (var (op, outFeatures, inFeatures) in Spec.LayerLinears())
            {
                string prefix = Names.Linear(layer, op);
                yield return (prefix + ".weight", [outFeatures, inFeatures]);
                if (Spec.BiasedLinears.Contains(op)) yield return (prefix + ".bias", [outFeatures]);
            }
            foreach (string norm in Names.Norms.Keys)
                foreach (var tensor in NormTensors(Names.Norm(layer, norm))) yield return tensor;
        }
        foreach (var tensor in NormTensors(Names.FinalNorm)) yield return tensor;
        if (!Spec.TiedLmHead) yield return (Names.LmHead + ".weight", [s.VocabSize, h]);
        if (Spec.LmHeadBias) yield return (Names.LmHead + ".bias", [s.VocabSize]);
    }

    private IEnumerable<(string, long[])> NormTensors(string prefix)
    {
        yield return (prefix + ".weight", [Shape.HiddenSize]);
        if (Spec.Norm.Kind == NormKind.Layer) yield return (prefix + ".bias", [Shape.HiddenSize]);
    }

    private void CheckTensors()
    {
        foreach (var (name, shape) in ExpectedTensors()) Weights.Entry(name, shape);
    }

    /// <summary>The LM head's weight tensor (the token embedding when tied).</summary>
    public string LmHeadWeight => Spec.TiedLmHead ? Names.Embedding + ".weight" : Names.LmHead + ".weight";

    /// <summary>Parameters the forward pass reads (tied matrices once).</summary>
    public long ParameterCount => ExpectedTensors().Sum(t => t.Shape.Aggregate(1L, (a, b) => a * b));
}
