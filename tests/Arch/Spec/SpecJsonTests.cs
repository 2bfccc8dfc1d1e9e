using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HwSim.Arch.Memory;
using HwSim.Arch.Pe;
using HwSim.Arch.Plans;
using HwSim.Arch.Spec;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.Spec;

/// <summary>
/// The JSON layer of descriptions and plans: strict reading's one-line messages, the clockHz cross-check, canonical
/// JSON and the configuration hash against an independent SHA-256 of hand-sorted text, the model registry, the
/// phase rules of weight choices, and the plan checks not covered by <c>PrecisionPlanTests</c>.
/// </summary>
public class SpecJsonTests
{
    private static readonly AcceleratorSpec Bitmod = Presets.Find("bitmod")!;

    private static string ReadError(string json) =>
        Assert.Throws<InvalidDataException>(() => AcceleratorSpecJson.Read(json, "a.json")).Message;

    [Fact]
    public void StrictReadingMessages()
    {
        Assert.Equal("a.json: the file holds JSON null, not an accelerator", ReadError("null"));
        string json = AcceleratorSpecJson.Write(Bitmod);
        Assert.Equal("a.json: name: given twice (each field may appear once)", ReadError(json.Replace("\"name\": \"bitmod\",", "\"name\": \"bitmod\", \"name\": \"x\",")));
        Assert.Equal("a.json: pe.kind: missing (expected one of bitParallel, bitSerial, termSerial)",
            ReadError(json.Replace("\"kind\": \"termSerial\",", "")));
        Assert.Equal("a.json: dram.model: unknown 'ddr9' (expected one of simple, banked)", ReadError(json.Replace("\"model\": \"simple\"", "\"model\": \"ddr9\"")));
        // A plain type error keeps System.Text.Json's reason after the field, without its "Path: …" tail.
        string typeError = ReadError(json.Replace("\"clockMhz\": 1000", "\"clockMhz\": \"fast\""));
        Assert.StartsWith("a.json: clockMhz: ", typeError);
        Assert.DoesNotContain("Path:", typeError);
        Assert.DoesNotContain("LineNumber", typeError);
        // An error at the root has no field in front.
        string root = ReadError("[1]");
        Assert.StartsWith("a.json: ", root);
        Assert.DoesNotContain("a.json: :", root);
        // Comments and trailing commas are allowed; enum names are camelCase strings.
        var spec = AcceleratorSpecJson.Read("// mine\n" + json.Replace("\"dataflow\": \"os\"", "\"dataflow\": \"os\" /* kept */"));
        Assert.Equal(Dataflow.Os, spec.Array.Dataflow);
        Assert.Contains("\"interconnect\": \"broadcast\"", json);
        Assert.StartsWith("a.json: array.dataflow: ", ReadError(json.Replace("\"dataflow\": \"os\"", "\"dataflow\": 1")));
        Assert.EndsWith("\n", StrictJson.Write(Bitmod.Array));
    }

    [Fact]
    public void ClockHzIsACheckOfClockMhz()
    {
        string json = AcceleratorSpecJson.Write(Bitmod);
        Assert.EndsWith(",\n  \"clockHz\": 1000000000\n}\n", json);
        Assert.Equal(Bitmod.ClockHz, AcceleratorSpecJson.Read(json).ClockHz);
        Assert.Equal(json, AcceleratorSpecJson.Write(AcceleratorSpecJson.Read(json.Replace(",\n  \"clockHz\": 1000000000", ""))));
        const string tail = "disagrees with clockMhz 1000 (1000000000 Hz); clockHz is derived from clockMhz: change clockMhz and drop clockHz";
        Assert.Equal($"a.json: clockHz: 999999999 {tail}", ReadError(json.Replace("\"clockHz\": 1000000000", "\"clockHz\": 999999999")));
        Assert.Equal($"a.json: clockHz: \"1000000000\" {tail}", ReadError(json.Replace("\"clockHz\": 1000000000", "\"clockHz\": \"1000000000\"")));
        Assert.Equal($"a.json: clockHz: 1e9 {tail}", ReadError(json.Replace("\"clockHz\": 1000000000", "\"clockHz\": 1e9")));
    }

    [Fact]
    public void CanonicalJsonSortsKeysAtEveryDepth()
    {
        var node = JsonNode.Parse("""{"b": 1, "a": [ {"z": true, "y": null}, 2 ], "B": "x"}""");
        const string canonical = """{"B":"x","a":[{"y":null,"z":true},2],"b":1}""";
        Assert.Equal(canonical, CanonicalJson.Text(node));
        Assert.Equal("null", CanonicalJson.Text(null));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical))), CanonicalJson.Sha256(node));
        // The original is not reordered.
        Assert.Equal("""{"b":1,"a":[{"z":true,"y":null},2],"B":"x"}""", node!.ToJsonString());
    }

    [Fact]
    public void ConfigHashIsTheCanonicalInputsHash()
    {
        var plan = new PrecisionPlan("opt-1.3b", "bitmod", [new PlanEntry(0, "q_proj", "int8")], new PlanProvenance("1.0", "abc", "00"));
        var design = JsonNode.Parse(AcceleratorSpecJson.Write(Bitmod));
        var planNode = JsonNode.Parse(PrecisionPlanJson.Write(plan with { Provenance = null }));
        var expectedWithPlan = new JsonObject { ["plan"] = planNode, ["design"] = design!.DeepClone() };
        Assert.Equal(CanonicalJson.Sha256(expectedWithPlan), ConfigHash.Sha256(Bitmod, plan));
        Assert.Equal(CanonicalJson.Sha256(new JsonObject { ["design"] = design.DeepClone() }), ConfigHash.Sha256(Bitmod, null));
        // Provenance does not count; the entries and the design do.
        Assert.Equal(ConfigHash.Sha256(Bitmod, plan), ConfigHash.Sha256(Bitmod, plan with { Provenance = null }));
        Assert.NotEqual(ConfigHash.Sha256(Bitmod, plan), ConfigHash.Sha256(Bitmod, plan with { Entries = [new PlanEntry(0, "q_proj", "int4")] }));
        Assert.NotEqual(ConfigHash.Sha256(Bitmod, null), ConfigHash.Sha256(Bitmod with { ClockMhz = 999 }, null));
        Assert.False(ConfigHash.Inputs(Bitmod, null).ContainsKey("plan"));
        Assert.Null(ConfigHash.Inputs(Bitmod, plan)["plan"]!["provenance"]);
    }

    [Fact]
    public void TheRegistryListsEachFamilysModels()
    {
        Assert.Equal(["simple", "banked"], NamedModels.Of<DramSpec>().Select(m => m.Name));
        Assert.Equal([0, 1], NamedModels.Of<DramSpec>().Select(m => m.StableId));
        Assert.Equal(typeof(BankedDramSpec), NamedModels.For(typeof(BankedDramSpec)).Type);
        Assert.Equal("model", NamedModels.Discriminator(typeof(DramSpec)));
        Assert.Equal("kind", NamedModels.Discriminator(typeof(PeSpec)));
        Assert.Equal("bitSerial", new BitSerialPe(1, ["int8"], 1).Model.Name);
        Assert.Equal("String is not a model family", Assert.Throws<ArgumentException>(() => NamedModels.Of(typeof(string))).Message);
        Assert.Equal("ArraySpec is not a registered model", Assert.Throws<ArgumentException>(() => NamedModels.For(typeof(ArraySpec))).Message);
        Assert.All(NamedModels.Of<PeSpec>(), m => Assert.False(string.IsNullOrEmpty(m.Description)));
    }

    [Fact]
    public void WeightPhaseRules()
    {
        Assert.Equal(Phase.Decode, WeightPhases.Of(Phase.Decode));
        Assert.Equal(Phase.Prefill, WeightPhases.Of(Phase.Prefill));
        Assert.Equal(Phase.Prefill, WeightPhases.Of(Phase.Standalone));
        Assert.Equal([Phase.Prefill, Phase.Decode], WeightPhases.Covered(null));
        Assert.Equal([Phase.Decode], WeightPhases.Covered(Phase.Decode));
        Assert.Null(WeightPhases.Invalid(null, "f"));
        Assert.Null(WeightPhases.Invalid(Phase.Prefill, "f"));
        Assert.Null(WeightPhases.Invalid(Phase.Decode, "f"));
        Assert.Equal("f: must be prefill or decode, or absent for both (got standalone)", WeightPhases.Invalid(Phase.Standalone, "f"));
        Assert.Equal("bitmod4", Bitmod.WeightsFor(Phase.Prefill));
    }

    [Fact]
    public void PlanEntryChecks()
    {
        PrecisionPlan Plan(params PlanEntry[] entries) => new("m", "bitmod", entries);
        Assert.Equal("entries: must list at least one op", PrecisionPlanJson.Validate(Plan()));
        Assert.Null(PrecisionPlanJson.Validate(Plan(new PlanEntry(-1, "lm_head", "int8"))));
        Assert.Equal("entries[0].layer: must be a layer number or -1 for ops outside the layers (got -2)",
            PrecisionPlanJson.Validate(Plan(new PlanEntry(-2, "lm_head", "int8"))));
        Assert.Equal("entries[1].op: must not be empty", PrecisionPlanJson.Validate(Plan(new PlanEntry(0, "fc1", "int8"), new PlanEntry(0, " ", "int8"))));
        Assert.Equal("entries[1]: layer 0 op fc1 is planned twice for prefill",
            PrecisionPlanJson.Validate(Plan(new PlanEntry(0, "fc1", "int8"), new PlanEntry(0, "fc1", "int4"))));
        Assert.Null(PrecisionPlanJson.Validate(Plan(new PlanEntry(0, "fc1", "int8"), new PlanEntry(1, "fc1", "int4"), new PlanEntry(0, "fc2", "int4"))));
        Assert.False(Plan(new PlanEntry(0, "fc1", "int8")).IsPerPhase);
        Assert.Equal("p.json: the file holds JSON null, not a plan", Assert.Throws<InvalidDataException>(() => PrecisionPlanJson.Read("null", "p.json")).Message);
        Assert.Equal("p.json: entries: must list at least one op",
            Assert.Throws<InvalidDataException>(() => PrecisionPlanJson.Read("""{"model": "m", "arch": "a", "entries": []}""", "p.json")).Message);
    }
}
