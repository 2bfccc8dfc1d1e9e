using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// NVFP4 (NVIDIA Blackwell): FP4 E2M1 elements, 16 per block sharing an FP8 E4M3 scale: 4 + 8/16 bits per weight.
/// The one FP32 scale per tensor is left out of the per-weight bits (it is 32 bits per tensor, not per weight).
/// Elements are integers in half units, as MXFP4's.
/// </summary>
public sealed class Nvfp4Family : IDatatypeFamily
{
    /// <summary>E4M3 block scale bits.</summary>
    public const int ScaleBits = 8;

    public string Name => "nvfp4";
    public string Grammar => "nvfp4";
    public IReadOnlyList<string> CanonicalNames => ["nvfp4"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [];

    public WeightDatatype? Parse(string name)
    {
        if (name != "nvfp4") return null;
        var element = MiniFloat.Fp4E2M1;
        var storage = new StorageFormat(name, element.Bits, Nvfp4Quantizer.BlockSize, ScaleBits);
        var datatype = IntegerUnits.Datatype(name, Name, storage, element.ToCodebook());
        return datatype with
        {
            DecoderUnit = DecoderUnitNames.Rom,
            Rtl = new RtlTables([], [MiniFloatFamily.ElementTable(element, datatype.UnitScale)]),
            StorageQuantizer = _ => new Nvfp4Quantizer(),
            StudyQuantizer = (_, _) => new Nvfp4Quantizer(),
            FixedGroupSize = Nvfp4Quantizer.BlockSize,
        };
    }
}
