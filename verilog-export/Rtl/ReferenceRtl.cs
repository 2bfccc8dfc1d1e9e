namespace HwSim.VerilogExport.Rtl;

/// <summary>
/// The reference RTL shipped inside the assembly: a processing element and an OVP pair decoder, both parameterized
/// only through hwsim_params_pkg, and the testbenches that co-simulate them against the C# models.
/// </summary>
public static class ReferenceRtl
{
    public const string Pe = "hwsim_pe.sv";
    public const string OvpPairDecoder = "hwsim_ovp_pair_decoder.sv";
    public const string PeTestbench = "hwsim_pe_tb.sv";
    public const string OvpPairDecoderTestbench = "hwsim_ovp_pair_decoder_tb.sv";

    /// <summary>The synthesizable files a user receives with the headers.</summary>
    public static IReadOnlyList<string> FileNames { get; } = [Pe, OvpPairDecoder];

    public static string Read(string name)
    {
        using var stream = typeof(ReferenceRtl).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"reference RTL {name} is not embedded");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
