namespace HwSim.Numerics.Quantization;

/// <summary>A weight quantization scheme: datatype(s), granularity, scale rule and storage.</summary>
public interface IWeightQuantizer
{
    /// <summary>Short name, e.g. "int4-g128", "bitmod4-g128", "ovp4-int".</summary>
    string Name { get; }

    /// <summary>Quantizes every row independently; <paramref name="parallel"/> bounds the threads (results do not depend on it).</summary>
    QuantizedMatrix Quantize(WeightMatrix weights, ParallelOptions? parallel = null);
}
