using System.Text.Json;

namespace HwSim.Arch.Memory;

/// <summary>
/// The DRAM models by name: the JSON field <c>dram.model</c> picks one ("simple" when absent). Each model's spec
/// record declares exactly the fields it reads; <see cref="Fields"/> lists them as JSON names.
/// </summary>
public static class DramModels
{
    public const string Default = "simple";

    public sealed record Entry(string Name, int Id, Type SpecType)
    {
        public IReadOnlyList<string> Fields { get; } =
            [.. SpecType.GetConstructors().Single().GetParameters().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name!))];
    }

    public static readonly IReadOnlyList<Entry> All =
    [
        new("simple", 0, typeof(SimpleDramSpec)),
        new("banked", 1, typeof(BankedDramSpec)),
    ];

    public static Entry? Find(string name) => All.FirstOrDefault(e => e.Name == name);

    public static Entry Of(Spec.DramSpec spec) => All.Single(e => e.SpecType == spec.GetType());
}
