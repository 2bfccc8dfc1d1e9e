using System.Reflection;
using System.Text.Json.Serialization.Metadata;

namespace HwSim.Arch.Spec;

/// <summary>One registered implementation of a model family.</summary>
public sealed record NamedModel(string Name, int StableId, string Description, Type Type);

/// <summary>
/// The implementations of each <see cref="ModelFamilyAttribute"/> family in this assembly, found by their
/// <see cref="ModelNameAttribute"/>, ordered by stable id; and the System.Text.Json hook that makes a family's
/// JSON polymorphic on its discriminator, so that each implementation owns its own fields and a field of another
/// implementation is rejected as unknown.
/// </summary>
public static class NamedModels
{
    private static readonly Dictionary<Type, IReadOnlyList<NamedModel>> Families = Discover();

    public static IReadOnlyList<NamedModel> Of<TFamily>() => Of(typeof(TFamily));

    public static IReadOnlyList<NamedModel> Of(Type family) =>
        Families.TryGetValue(family, out var models) ? models : throw new ArgumentException($"{family.Name} is not a model family");

    /// <summary>The registered implementation that <paramref name="type"/> is.</summary>
    public static NamedModel For(Type type) =>
        Families.Values.SelectMany(m => m).FirstOrDefault(m => m.Type == type)
        ?? throw new ArgumentException($"{type.Name} is not a registered model");

    /// <summary>The discriminator property of a family (e.g. "kind").</summary>
    public static string Discriminator(Type family) => family.GetCustomAttribute<ModelFamilyAttribute>()!.Discriminator;

    /// <summary>A <see cref="DefaultJsonTypeInfoResolver"/> modifier: polymorphism for every family.</summary>
    public static void AddPolymorphism(JsonTypeInfo info)
    {
        if (!Families.TryGetValue(info.Type, out var models)) return;
        var options = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = Discriminator(info.Type),
            UnknownDerivedTypeHandling = System.Text.Json.Serialization.JsonUnknownDerivedTypeHandling.FailSerialization,
            IgnoreUnrecognizedTypeDiscriminators = false,
        };
        foreach (var model in models) options.DerivedTypes.Add(new JsonDerivedType(model.Type, model.Name));
        info.PolymorphismOptions = options;
    }

    private static Dictionary<Type, IReadOnlyList<NamedModel>> Discover()
    {
        var types = typeof(NamedModels).Assembly.GetTypes();
        var families = new Dictionary<Type, IReadOnlyList<NamedModel>>();
        foreach (var family in types.Where(t => t.GetCustomAttribute<ModelFamilyAttribute>() is not null))
        {
            var models = types
                .Where(t => !t.IsAbstract && family.IsAssignableFrom(t))
                .Select(t => t.GetCustomAttribute<ModelNameAttribute>() is { } a
                    ? new NamedModel(a.Name, a.StableId, a.Description, t)
                    : throw new InvalidOperationException($"{t.Name} implements {family.Name} but has no [ModelName]"))
                .OrderBy(m => m.StableId)
                .ToList();
            if (models.Select(m => m.StableId).Distinct().Count() != models.Count || models.Select(m => m.Name).Distinct().Count() != models.Count)
                throw new InvalidOperationException($"{family.Name}: two implementations share a name or stable id");
            families[family] = models;
        }
        return families;
    }
}
