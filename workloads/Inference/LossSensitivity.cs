using HwSim.Numerics.Quantization;
using HwSim.Workloads.Checkpoints;

namespace HwSim.Workloads.Inference;

/// <summary>
/// Direct sensitivity of a checkpoint's linear ops: the increase of the mean calibration NLL (nats per predicted
/// token) when that op alone is quantized and everything else stays as stored — exact for one op at a time,
/// interactions ignored (the "direct" measure of the mixed-precision literature; HAWQ-V3 estimates the same quantity
/// from Hessian traces). The stream entering every layer is kept from one unquantized pass, so quantizing an op of
/// layer l re-runs layers l.. only: ops × datatypes × (L − l) layer passes in all.
/// </summary>
public static class LossSensitivity
{
    public sealed record Result(double BaselineNll, IReadOnlyDictionary<(int Layer, string Op, string Datatype), double> Increase);

    /// <param name="quantizers">Per datatype name, its quantizer for a given input width (null: stored unquantized, increase 0).</param>
    public static Result Measure(CheckpointModel model, int[] tokens, int sequence, IReadOnlyList<(int Layer, string Op)> ops,
        IReadOnlyDictionary<string, Func<int, IWeightQuantizer>?> quantizers, ActivationFormat format = ActivationFormat.Fp32)
    {
        int windows = tokens.Length / sequence;
        if (windows < 1) throw new InvalidDataException($"calibration: {tokens.Length} tokens do not fill one window of {sequence}");
        var stream = tokens.AsSpan(0, windows * sequence).ToArray();
        foreach (int id in stream)
            if ((uint)id >= (uint)model.Shape.VocabSize) throw new InvalidDataException($"calibration: token {id} is outside the vocabulary 0..{model.Shape.VocabSize - 1}");
        var baseline = new ForwardPass(model, new ForwardOptions(format));
        var inputs = new float[model.Shape.Layers][];
        var final = baseline.RunLayers(baseline.Embed(stream, sequence), 0, windows, sequence, (layer, hidden) => inputs[layer] = (float[])hidden.Clone());
        var normed = baseline.FinalNorm(final);
        double baseNll = Nll(baseline, normed, stream, windows, sequence);
        var increase = new Dictionary<(int, string, string), double>();
        foreach (var (layer, op) in ops)
        {
            if (layer < -1 || layer >= model.Shape.Layers) throw new InvalidDataException($"{model.Directory}: the checkpoint has no layer {layer} (op {op})");
            foreach (var (datatype, factory) in quantizers)
            {
                if (factory is null)
                {
                    increase[(layer, op, datatype)] = 0;
                    continue;
                }
                var pass = new ForwardPass(model, new ForwardOptions(format, (l, o, inFeatures) => l == layer && o == op ? factory(inFeatures) : null));
                var hidden = layer < 0 ? normed : pass.FinalNorm(pass.RunLayers((float[])inputs[layer].Clone(), layer, windows, sequence));
                increase[(layer, op, datatype)] = Nll(pass, hidden, stream, windows, sequence) - baseNll;
            }
        }
        return new Result(baseNll, increase);
    }

    private static double Nll(ForwardPass pass, float[] hidden, int[] tokens, int windows, int sequence)
    {
        var nll = new double[windows];
        Perplexity.WindowNll(pass, hidden, tokens, windows, sequence, nll);
        return nll.Average();
    }
}
