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

    [Fact]
    public void ADatatypeWithoutAUnitSaysSo() =>
        Assert.Contains("no decoder unit", Assert.Throws<ArgumentException>(() =>
            DecoderUnits.Create(WeightDatatypes.Get("int4-asym"), new CodebookDecoder(HwSim.Numerics.DataTypes.IntegerTypes.Unsigned(4)))).Message);
}
