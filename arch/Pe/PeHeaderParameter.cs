using System.Reflection;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Pe;

/// <summary>
/// Declares a PE kind's own field as an RTL header parameter, beside the field (as SST declares a component's
/// parameters beside the class): the exporter writes every registered kind's parameters, 0 for kinds other than the
/// design's, so reference RTL with one generate branch per kind elaborates for every design.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PeHeaderParameterAttribute(string name, string unit, string description) : Attribute
{
    public string Name { get; } = name;
    public string Unit { get; } = unit;
    public string Description { get; } = description;
}

/// <summary>A header parameter of a PE kind with this design's value.</summary>
public sealed record PeHeaderParameter(string Name, long Value, string Unit, string Description)
{
    /// <summary>Every registered kind's header parameters, in stable-id then declaration order, valued for <paramref name="pe"/>.</summary>
    public static IReadOnlyList<PeHeaderParameter> Of(PeSpec pe)
    {
        var result = new List<PeHeaderParameter>();
        foreach (var model in NamedModels.Of<PeSpec>())
        {
            foreach (var property in model.Type.GetProperties().OrderBy(p => p.MetadataToken))
            {
                if (property.GetCustomAttribute<PeHeaderParameterAttribute>() is not { } declared) continue;
                long value = model.Type == pe.GetType() ? Convert.ToInt64(property.GetValue(pe), System.Globalization.CultureInfo.InvariantCulture) : 0;
                result.Add(new PeHeaderParameter(declared.Name, value, declared.Unit, declared.Description));
            }
        }
        return result;
    }
}
