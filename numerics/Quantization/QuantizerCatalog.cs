using System.Globalization;
using System.Text.RegularExpressions;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Quantization.Ovp;

namespace HwSim.Numerics.Quantization;

/// <summary>How scales are chosen where a scheme leaves it open: the absmax, or the clip with the smallest MSE.</summary>
public enum ClipMode { AbsMax, Mse }

/// <summary>
/// Quantization schemes by name, as users type them. Group size and clip mode apply to the group-scaled codebook
/// schemes (intN, intN-asym, fpX, flintN, potN) and the group size to bitmodN; ANT and OVP always run their own
/// clip searches, MX and NVFP4 follow their specifications. Unknown names fail with the list of known ones.
/// </summary>
public static partial class QuantizerCatalog
{
    /// <summary>MSE clip search for group-scaled schemes: 50% … 100% of the absmax in 1% steps.</summary>
    public static readonly ClipSearch ShrinkSearch = new(0.50, 1.005, 0.01);

    public const string Help =
        "intN, intN-asym (N = 2..8), fp3, fp4, fp6_e2m3, fp6_e3m2, fp8_e4m3, fp8_e5m2, flintN (3..6), potN (2..5), antN (3..8), " +
        "ovp4, ovp4-flint, ovp8, bitmod3, bitmod4, mxfp4, mxfp6_e2m3, mxfp6_e3m2, mxfp8_e4m3, mxfp8_e5m2, mxint8, nvfp4";

    /// <summary>The datatypes the quantize report compares by default.</summary>
    public static readonly IReadOnlyList<string> DefaultNames =
        ["int3-asym", "fp3", "bitmod3", "int4", "int4-asym", "fp4", "flint4", "ant4", "ovp4", "ovp4-flint", "bitmod4",
         "mxfp4", "nvfp4", "mxfp6_e2m3", "int8", "mxint8"];

    public static IWeightQuantizer Create(string name, int groupSize = 128, ClipMode clip = ClipMode.AbsMax)
    {
        string key = name.Trim().ToLowerInvariant();
        var group = Granularity.Group(groupSize);
        var search = clip == ClipMode.Mse ? ShrinkSearch : null;
        var match = Parameterized().Match(key);
        if (match.Success)
        {
            int bits = int.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture);
            string kind = match.Groups[1].Value;
            try
            {
                return kind switch
                {
                    "int" when match.Groups[3].Success => new CodebookQuantizer(IntegerTypes.Unsigned(bits), group, ScaleFormat.Fp16, search, asymmetric: true, name: Named(key, group, search)),
                    "int" => new CodebookQuantizer(IntegerTypes.Symmetric(bits), group, ScaleFormat.Fp16, search, name: Named(key, group, search)),
                    "flint" when !match.Groups[3].Success => new CodebookQuantizer(AntTypes.Flint(bits, signed: true), group, ScaleFormat.Fp16, search, name: Named(key, group, search)),
                    "pot" when !match.Groups[3].Success => new CodebookQuantizer(AntTypes.PowerOfTwo(bits, signed: true), group, ScaleFormat.Fp16, search, name: Named(key, group, search)),
                    "ant" when !match.Groups[3].Success => new AntAdaptiveQuantizer(bits),
                    "bitmod" when !match.Groups[3].Success => new BitmodQuantizer(bits, groupSize),
                    _ => throw Unknown(name),
                };
            }
            catch (ArgumentOutOfRangeException)
            {
                throw new FormatException($"datatype '{name}': width {bits} is not supported ({Help})");
            }
        }
        return key switch
        {
            "fp3" => Float(MiniFloat.Fp3E2M0, key, group, search),
            "fp4" => Float(MiniFloat.Fp4E2M1, key, group, search),
            "fp6_e2m3" => Float(MiniFloat.Fp6E2M3, key, group, search),
            "fp6_e3m2" => Float(MiniFloat.Fp6E3M2, key, group, search),
            "fp8_e4m3" => Float(MiniFloat.Fp8E4M3, key, group, search),
            "fp8_e5m2" => Float(MiniFloat.Fp8E5M2, key, group, search),
            "ovp4" => new OvpQuantizer(OvpFormat.Int4, OvpQuantizer.OliveSearch),
            "ovp4-flint" => new OvpQuantizer(OvpFormat.Flint4, OvpQuantizer.OliveSearch),
            "ovp8" => new OvpQuantizer(OvpFormat.Int8, OvpQuantizer.OliveSearch),
            "mxfp4" => MxQuantizer.Fp4,
            "mxfp6_e2m3" => MxQuantizer.Fp6E2M3,
            "mxfp6_e3m2" => MxQuantizer.Fp6E3M2,
            "mxfp8_e4m3" => MxQuantizer.Fp8E4M3,
            "mxfp8_e5m2" => MxQuantizer.Fp8E5M2,
            "mxint8" => MxQuantizer.Int8,
            "nvfp4" => new Nvfp4Quantizer(),
            _ => throw Unknown(name),
        };
    }

    private static CodebookQuantizer Float(MiniFloat format, string key, Granularity group, ClipSearch? search) =>
        new(format.ToCodebook(), group, ScaleFormat.Fp16, search, name: Named(key, group, search));

    private static string Named(string key, Granularity group, ClipSearch? search) =>
        key + group.Suffix + (search is null ? "" : "-mse");

    private static FormatException Unknown(string name) => new($"unknown datatype '{name}' (known: {Help})");

    [GeneratedRegex(@"^(int|flint|pot|ant|bitmod)(\d{1,2})(-asym)?$")]
    private static partial Regex Parameterized();
}
