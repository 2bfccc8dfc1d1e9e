namespace HwSim.Arch.Spec;

/// <summary>
/// Marks an abstract spec record whose implementations are chosen by name in JSON: the property
/// <see cref="Discriminator"/> names the implementation (e.g. <c>"kind": "bitSerial"</c> under <c>pe</c>).
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelFamilyAttribute(string discriminator) : Attribute
{
    public string Discriminator { get; } = discriminator;
}

/// <summary>
/// Registers one implementation of a <see cref="ModelFamilyAttribute"/> family under <see cref="Name"/>, with a
/// <see cref="StableId"/> that exported headers use (append-only: never reuse or renumber an id).
/// Declaring the class is all it takes to add an implementation: <see cref="NamedModels"/> finds it by reflection.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class ModelNameAttribute(string name, int stableId, string description) : Attribute
{
    public string Name { get; } = name;
    public int StableId { get; } = stableId;
    public string Description { get; } = description;
}
