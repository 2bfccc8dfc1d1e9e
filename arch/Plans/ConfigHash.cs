using System.Text.Json;
using System.Text.Json.Nodes;
using HwSim.Arch.Spec;

namespace HwSim.Arch.Plans;

/// <summary>
/// The identity of a design as built: SHA-256 of the canonical JSON <c>{"design": spec, "plan": plan}</c> (the plan
/// left out when there is none), with the spec and plan serialized as their files are (<see cref="StrictJson"/>).
/// Exported headers carry it as CONFIG_HASH, so a header can be checked against the design it claims to describe;
/// it equals the inputs hash (<c>inputsSha256</c>) that <c>hwsim export --format json</c> records.
/// </summary>
public static class ConfigHash
{
    public static JsonObject Inputs(AcceleratorSpec spec, PrecisionPlan? plan)
    {
        var inputs = new JsonObject { ["design"] = JsonSerializer.SerializeToNode(spec, StrictJson.Options) };
        // Where a plan came from does not change what it builds.
        if (plan is not null) inputs["plan"] = JsonSerializer.SerializeToNode(plan with { Provenance = null }, StrictJson.Options);
        return inputs;
    }

    public static string Sha256(AcceleratorSpec spec, PrecisionPlan? plan) => CanonicalJson.Sha256(Inputs(spec, plan));
}
