using HwSim.Arch.Datapath;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Tests.Arch.Datapath;

/// <summary>
/// Each edge decoder against its code table worked out by hand from the formats' definitions (BitMoD Sec. IV: FP4
/// E2M1 and FP3 E2M0 sign-magnitude codes, "−0" reading the group's special value; OliVe Sec. III: 4-bit pairs with
/// the identifier 1000, int normals in units of 4, flint normals, abfloat outliers (2 + m) · 2^(e + 4)); and the
/// ROM's and the registry's errors.
/// </summary>
public class DecoderUnitTablesTests
{
    private static long[] DecodeAll(IWeightDecoderUnit unit, byte[] codes, byte[]? typeIds = null, int groupSize = 0)
    {
        var values = new long[codes.Length];
        unit.DecodeRow(new EncodedWeights(1, codes.Length, codes, typeIds, groupSize), 0, values);
        return values;
    }

    [Fact]
    public void BitmodFp4Codes()
    {
        var unit = new BitmodDecoderUnit(4);
        Assert.Equal("bitmod4-decoder", unit.Name);
        // Magnitudes of E2M1: e = 0 → m; else (2 + m) · 2^(e − 1).
        long[] magnitudes = [0, 1, 2, 3, 4, 6, 8, 12];
        for (int code = 0; code < 8; code++) Assert.Equal(magnitudes[code], unit.Decode(code, 0));
        for (int code = 9; code < 16; code++) Assert.Equal(-magnitudes[code - 8], unit.Decode(code, 0));
        // "−0": ER_POS, ER_NEG, EA_POS, EA_NEG of FP4.
        Assert.Equal([10L, -10, 16, -16], Enumerable.Range(0, 4).Select(t => unit.Decode(8, t)));
    }

    [Fact]
    public void BitmodFp3Codes()
    {
        var unit = new BitmodDecoderUnit(3);
        Assert.Equal("bitmod3-decoder", unit.Name);
        Assert.Equal([0L, 1, 2, 4], Enumerable.Range(0, 4).Select(c => unit.Decode(c, 3)));
        Assert.Equal([-1L, -2, -4], Enumerable.Range(5, 3).Select(c => unit.Decode(c, 3)));
        Assert.Equal([3L, -3, 6, -6], Enumerable.Range(0, 4).Select(t => unit.Decode(4, t)));
        Assert.StartsWith("BitMoD weights have 3 or 4 bits", Assert.Throws<ArgumentOutOfRangeException>(() => new BitmodDecoderUnit(5)).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new BitmodDecoderUnit(2));
    }

    [Fact]
    public void BitmodRowsReadTheirGroupsTypeIds()
    {
        // Two rows of 6 codes, groups of 4 along K (2 groups per row): type ids [0, 1 | 2, 3].
        var unit = new BitmodDecoderUnit(4);
        byte[] codes = [8, 8, 8, 8, 8, 8, /* row 1 */ 8, 8, 8, 8, 8, 1];
        byte[] typeIds = [0, 1, 2, 3];
        var weights = new EncodedWeights(2, 6, codes, typeIds, 4);
        Assert.Equal(1, weights.TypeId(0, 4));
        Assert.Equal(2, weights.TypeId(1, 3));
        Assert.Equal(0, new EncodedWeights(2, 6, codes).TypeId(1, 5));
        var values = new long[6];
        unit.DecodeRow(weights, 0, values);
        Assert.Equal([10L, 10, 10, 10, -10, -10], values);
        unit.DecodeRow(weights, 1, values);
        Assert.Equal([16L, 16, 16, 16, -16, 1], values);
    }

    [Fact]
    public void OvpPairsWithIntNormals()
    {
        var unit = new OvpPairDecoderUnit(4);
        Assert.Equal("ovp4-pair-decoder", unit.Name);
        // Normals: magnitude · 32 / 8, sign bit 8.
        Assert.Equal([0L, 4, 8, 12, 16, 20, 24, 28], DecodeAll(unit, [0, 1, 2, 3, 4, 5, 6, 7]));
        Assert.Equal([-4L, -8, -12, -16, -20, -24, -28, 4], DecodeAll(unit, [9, 10, 11, 12, 13, 14, 15, 1]));
        // An identifier makes its partner an outlier: (2 + m) · 2^(e + 4) for the field e m.
        long[] outliers = [48, 64, 96, 128, 192, 256, 384];
        for (int field = 1; field < 8; field++)
        {
            Assert.Equal([outliers[field - 1], 0L], DecodeAll(unit, [(byte)field, 8]));
            Assert.Equal([0L, -outliers[field - 1]], DecodeAll(unit, [8, (byte)(field | 8)]));
        }
        // An odd last code is a normal; the pairs before it decode as pairs.
        Assert.Equal([0L, 384, -28], DecodeAll(unit, [8, 7, 15]));
        Assert.Equal([12L], DecodeAll(unit, [3]));
        Assert.Equal("ovp4-pair-decoder: row 0, pair 1 holds two identifiers",
            Assert.Throws<InvalidDataException>(() => DecodeAll(unit, [1, 2, 8, 8])).Message);
        Assert.Equal("ovp4-pair-decoder: abfloat code 0 holds no value",
            Assert.Throws<InvalidDataException>(() => DecodeAll(unit, [0, 8])).Message);
        Assert.Equal("ovp4-pair-decoder: abfloat code 0 holds no value",
            Assert.Throws<InvalidDataException>(() => DecodeAll(unit, [8, 0])).Message);
        Assert.StartsWith("the OVP pair decoder has 4 bits (8-bit int normals are quarter-integers in OliVe's units)",
            Assert.Throws<ArgumentOutOfRangeException>(() => new OvpPairDecoderUnit(8)).Message);
        Assert.Equal(1, OvpPairDecoderUnit.LatencyCycles);
    }

    [Fact]
    public void OvpPairsWithFlintNormals()
    {
        var unit = new OvpPairDecoderUnit(4, OvpNormalKind.Flint);
        Assert.Equal("ovp4-pair-decoder(flint)", unit.Name);
        // 3-bit unsigned flint: 0xx → x; 100 → 16; 101 → 8; 110 → 4; 111 → 6; scaled ×2 so that 16 ends at 32.
        Assert.Equal([0L, 2, 4, 6, 32, 16, 8, 12], DecodeAll(unit, [0, 1, 2, 3, 4, 5, 6, 7]));
        Assert.Equal([-2L, -4, -6, -32, -16, -8, -12, 2], DecodeAll(unit, [9, 10, 11, 12, 13, 14, 15, 1]));
        // Outliers do not depend on the normals' type.
        Assert.Equal([0L, 48], DecodeAll(unit, [8, 1]));
    }

    [Fact]
    public void RomTablesAndTheirErrors()
    {
        var rom = new RomDecoderUnit(IntegerTypes.Symmetric(4));
        Assert.Equal("rom(int4)", rom.Name);
        Assert.Equal([0L, 1, 7, -7, -1], DecodeAll(rom, [0, 1, 7, 9, 15]));
        // int4 drops −8: its code holds no value.
        Assert.Equal("rom(int4): code 8 holds no value", Assert.Throws<InvalidDataException>(() => DecodeAll(rom, [1, 8])).Message);
        var halves = new Codebook("halves", 2, [0, 0.5, 1, 2], TieRule.LowerValue);
        Assert.Equal("halves: value 0.5 is not an integer", Assert.Throws<ArgumentException>(() => new RomDecoderUnit(halves)).Message);
        Assert.Equal([-8L, 7], DecodeAll(new RomDecoderUnit(IntegerTypes.TwosComplement(4)), [8, 7]));
    }

    [Fact]
    public void TheRegistryBuildsTheDatatypesRomAndNamesWhatItCannotBuild()
    {
        // int8 is in integer units already: its ROM is its codebook itself, not a copy scaled by 1.
        var int8 = HwSim.Numerics.Registry.WeightDatatypes.Get("int8");
        var codebook = IntegerTypes.TwosComplement(8);
        var decoder = new HwSim.Numerics.Quantization.CodebookDecoder(codebook);
        Assert.Equal(1, int8.UnitScale);
        Assert.Equal($"rom({codebook.Name})", DecoderUnits.Create(int8, decoder).Name);
        // A datatype in finer units gets the codebook scaled to them, named for the scale.
        var scaled = int8 with { UnitScale = 4 };
        var rom = DecoderUnits.Create(scaled, decoder);
        Assert.Equal($"rom({codebook.Name}x4)", rom.Name);
        Assert.Equal([-512L, 508], DecodeAll(rom, [128, 127]));
        Assert.Equal($"int8: decoder unit 'lut' is not registered (known: {string.Join(", ", DecoderUnits.Kinds)})",
            Assert.Throws<ArgumentException>(() => DecoderUnits.Create(int8 with { DecoderUnit = "lut" }, decoder)).Message);
        var ovp = HwSim.Numerics.Quantization.QuantizerCatalog.Create("ovp4").Quantize(new HwSim.Numerics.Quantization.WeightMatrix(1, 4, [1, 2, 3, 4]));
        Assert.StartsWith("int8: a ROM decodes element-wise codebooks, not ",
            Assert.Throws<ArgumentException>(() => RomDecoderUnit.For(int8, ovp.Layout.Decoder)).Message);
    }
}
