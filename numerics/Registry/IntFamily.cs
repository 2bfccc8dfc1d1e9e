using System.Globalization;
using System.Text.RegularExpressions;
using HwSim.Numerics.DataTypes;
using HwSim.Numerics.Formats;
using HwSim.Numerics.Quantization;

namespace HwSim.Numerics.Registry;

/// <summary>
/// Integer weights: <c>intN</c> (symmetric, −(2^(N−1)−1) … 2^(N−1)−1), <c>intN-asym</c> (unsigned codes with a
/// per-group zero point) and <c>intN-gG</c> (an FP16 scale per G weights), N = 2..8. Without <c>-gG</c>, INT8 and
/// INT6 are stored with per-output-channel scales, which cost bits per row rather than per weight and are left out
/// (the BitMoD paper's INT6/INT8 baselines); narrower widths keep accuracy only with group scales, so they mean
/// g128, the group size of the BitMoD paper (HPCA 2025, Sec. V). <c>intN</c> is AWQ's symmetric form; <c>intN-gptq</c>
/// is GPTQ's symmetric mode, which keeps all 2^N two's-complement levels (−2^(N−1) … 2^(N−1)−1) with a constant
/// zero point of 2^(N−1) and maps the group's absmax onto 2^(N−1) − ½ (<see cref="ClipTarget.GptqRange"/>,
/// IST-DASLab/gptq @2d65066 quant.py); its zero point is implied by the width, so a group stores only its scale.
/// </summary>
public sealed partial class IntFamily : IDatatypeFamily
{
    public const int DefaultGroupSize = 128;

    /// <summary>Widths from 6 bits up are per-channel without a group suffix.</summary>
    public const int PerChannelFromBits = 6;

    /// <summary>Scale application after the integer accumulation (FP16 scale × INT32 partial sum), optional at the edge.</summary>
    public static readonly DecoderKind Dequant = new("int-dequant", "int_dequant_decoder", null, false, "group-scale dequantization of integer partial sums");

    public string Name => "int";
    public string Grammar => $"intN, intN-asym, intN-gptq, intN-gG, intN-gptq-gG (N = {IntegerTypes.MinBits}..{IntegerTypes.MaxBits})";
    public IReadOnlyList<string> CanonicalNames => ["int8", "int6", "int4", "int3", "int4-asym", "int4-g64", "int4-g32", "int4-gptq"];
    public IReadOnlyList<DecoderKind> DecoderKinds => [Dequant];

    public WeightDatatype? Parse(string name)
    {
        var match = Grammar_().Match(name);
        if (!match.Success) return null;
        int bits = IntegerUnits.Width(name, match.Groups[1].Value, IntegerTypes.MinBits, IntegerTypes.MaxBits, $"N = {IntegerTypes.MinBits}..{IntegerTypes.MaxBits}");
        bool asymmetric = match.Groups[2].Value == "-asym", gptq = match.Groups[2].Value == "-gptq";
        int? explicitGroup = null;
        if (match.Groups[3].Success)
        {
            int group = int.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture);
            if (group < 1) throw new FormatException($"datatype '{name}': group size must be at least 1");
            explicitGroup = group;
        }
        string key = $"int{bits}{match.Groups[2].Value}";
        var codebook = asymmetric ? IntegerTypes.Unsigned(bits) : gptq ? IntegerTypes.TwosComplement(bits) : IntegerTypes.Symmetric(bits);
        var clipTarget = gptq ? ClipTarget.GptqRange : ClipTarget.LargestMagnitude;
        bool perChannel = explicitGroup is null && !asymmetric && bits >= PerChannelFromBits;
        int groupSize = explicitGroup ?? DefaultGroupSize;
        // A group stores its FP16 scale, and an asymmetric group its N-bit zero point too (as QuantizedLayout counts).
        var storage = perChannel ? new StorageFormat(key, bits)
            : new StorageFormat($"{key}-g{groupSize}", bits, groupSize, 16 + (asymmetric ? bits : 0));
        // The PE multiplies code − zero point: every difference of two unsigned N-bit codes.
        var values = asymmetric
            ? Enumerable.Range(-((1 << bits) - 1), (1 << (bits + 1)) - 1).Select(v => (long)v).ToArray()
            : codebook.SortedValues.ToArray().Select(v => (long)v).ToArray();
        return new WeightDatatype(name, Name, storage, values)
        {
            // The zero-point subtraction has no decoder unit model; symmetric codes decode by table.
            DecoderUnit = asymmetric ? null : DecoderUnitNames.Rom,
            StorageQuantizer = inFeatures => IntegerUnits.GroupScaled(codebook, key, perChannel ? inFeatures : groupSize, ClipMode.AbsMax, asymmetric, clipTarget),
            StudyQuantizer = (group, clip) => IntegerUnits.GroupScaled(codebook, key, explicitGroup ?? group, clip, asymmetric, clipTarget),
            FixedGroupSize = explicitGroup,
        };
    }

    [GeneratedRegex(@"^int(\d{1,2})(-asym|-gptq)?(?:-g(\d{1,6}))?$")]
    private static partial Regex Grammar_();
}
