using HwSim.Arch.Datapath;
using HwSim.Numerics.Registry;
using HwSim.Numerics.Quantization;
using HwSim.Tests.Numerics;

namespace HwSim.Tests.Arch.Datapath;

public class DecoderUnitsTests
{
    /// <summary>
    /// Every decoder unit a datatype names is registered, and decodes its quantizer's codes into the values the
    /// quantizer's own decoder gives, times the datatype's integer unit (OVP pair decoding excepted: its reference is
    /// the OVP pair decoder test).
    /// </summary>
    [Fact]
    public void EveryNamedUnitIsRegisteredAndDecodesLikeTheQuantizer()
    {
        var weights = SyntheticWeightsForTests.Small(4, 64, seed: 3);
        foreach (var datatype in WeightDatatypes.All.Where(d => d.DecoderUnit is not null))
        {
            Assert.Contains(datatype.DecoderUnit!, DecoderUnits.Kinds);
            if (datatype.DecoderUnit == OvpPairDecoderUnit.Kind) continue;
            var quantized = datatype.StorageQuantizer!(weights.Cols).Quantize(weights);
            var unit = DecoderUnits.Create(datatype, quantized.Layout.Decoder);
            var encoded = new EncodedWeights(4, 64, quantized.Codes, quantized.TypeIds, quantized.Layout.GroupSize);
            var expected = quantized.CodeValues();
            var values = new long[64];
            for (int row = 0; row < 4; row++)
            {
                unit.DecodeRow(encoded, row, values);
                for (int col = 0; col < 64; col++)
                    Assert.Equal((double)expected[row * 64 + col] * datatype.UnitScale, values[col]);
            }
        }
    }

    /// <summary>
    /// ovp4-auto with flint normals chosen: the pair decoder reads flint magnitudes by their first one (OliVe units,
    /// ×2: 3-bit flint {0, 1, 2, 3, 4, 6, 8, 16}), codes from a row of exact flint4 normals and an outlier pair.
    /// </summary>
    [Fact]
    public void TheOvpPairDecoderDecodesFlintNormalsOfAnAutoTensor()
    {
        var datatype = WeightDatatypes.Get("ovp4-auto");
        float[] row = [32, 16, 8, 4, 2, 6, 12, 0, -8, 0, -32, -16, 0, -2, -4, -6];
        // 32 is the largest normal, so the absmax scale is 1 and every value is a flint normal (int's error is not 0).
        var quantized = new HwSim.Numerics.Quantization.Ovp.OvpAutoQuantizer(4).Quantize(new WeightMatrix(1, 16, row));
        Assert.Equal(1, quantized.TensorTypeId);
        var unit = DecoderUnits.Create(datatype, quantized.Layout.Decoder);
        var values = new long[16];
        unit.DecodeRow(new EncodedWeights(1, 16, quantized.Codes), 0, values);
        Assert.Equal([32L, 16, 8, 4, 2, 6, 12, 0, -8, 0, -32, -16, 0, -2, -4, -6], values);
        // The same datatype on a tensor of int normals (exact at scale 1 onto 28) decodes them as int.
        var ints = new HwSim.Numerics.Quantization.Ovp.OvpAutoQuantizer(4).Quantize(new WeightMatrix(1, 4, [28, 4, -8, 12]));
        Assert.Equal(0, ints.TensorTypeId);
        DecoderUnits.Create(datatype, ints.Layout.Decoder).DecodeRow(new EncodedWeights(1, 4, ints.Codes), 0, values);
        Assert.Equal([28L, 4, -8, 12], values.Take(4));
    }

    [Fact]
    public void ADatatypeWithoutAUnitSaysSo() =>
        Assert.Contains("no decoder unit", Assert.Throws<ArgumentException>(() =>
            DecoderUnits.Create(WeightDatatypes.Get("int4-asym"), new CodebookDecoder(HwSim.Numerics.DataTypes.IntegerTypes.Unsigned(4)))).Message);
}
