namespace HwSim.Workloads.Checkpoints;

/// <summary>
/// RoPE frequencies from config.json (Su et al., RoFormer, 2021): θ_i = rope_theta^(−2i/d) for the d rotated dims,
/// optionally rescaled by rope_scaling: "linear" (positions divided by factor, Chen et al. 2023) or "llama3"
/// (Meta's wavelength-dependent blend, as in transformers' modeling_rope_utils._compute_llama3_parameters).
/// </summary>
public static class RotaryEmbedding
{
    public static IReadOnlyList<double> InverseFrequencies(int rotaryDim, ConfigFields config)
    {
        if (rotaryDim % 2 != 0) throw config.Fail("partial_rotary_factor", $"gives an odd rotary dimension {rotaryDim}");
        double theta = config.Double("rope_theta", 10000);
        if (!(theta > 1)) throw config.Fail("rope_theta", $"must be above 1 (got {theta})");
        var frequencies = Enumerable.Range(0, rotaryDim / 2).Select(i => 1 / Math.Pow(theta, 2.0 * i / rotaryDim)).ToArray();
        if (config.Object("rope_scaling") is not { } scaling) return frequencies;
        string type = scaling.OptionalString("rope_type") ?? scaling.OptionalString("type") ?? throw scaling.Fail("rope_type", "missing");
        double factor = scaling.Double("factor", 1);
        if (!(factor >= 1)) throw scaling.Fail("factor", $"must be at least 1 (got {factor})");
        return type switch
        {
            "default" => frequencies,
            "linear" => [.. frequencies.Select(f => f / factor)],
            "llama3" => Llama3(frequencies, factor, scaling),
            _ => throw scaling.Fail("rope_type", $"'{type}' is not supported (default, linear, llama3)"),
        };
    }

    private static double[] Llama3(double[] frequencies, double factor, ConfigFields scaling)
    {
        double low = scaling.Double("low_freq_factor", 1), high = scaling.Double("high_freq_factor", 4);
        double original = scaling.OptionalInt("original_max_position_embeddings") ?? throw scaling.Fail("original_max_position_embeddings", "missing");
        if (!(high > low)) throw scaling.Fail("high_freq_factor", "must exceed low_freq_factor");
        double lowWavelength = original / low, highWavelength = original / high;
        return [.. frequencies.Select(f =>
        {
            double wavelength = 2 * Math.PI / f;
            if (wavelength < highWavelength) return f;
            if (wavelength > lowWavelength) return f / factor;
            double smooth = (original / wavelength - low) / (high - low);
            return (1 - smooth) * f / factor + smooth * f;
        })];
    }
}
