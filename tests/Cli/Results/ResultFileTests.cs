using System.Text.Json.Nodes;
using HwSim.Cli.Results;
using Xunit;

namespace HwSim.Tests.Cli.Results;

public class ResultFileTests
{
    [Fact]
    public void InputsHashIgnoresFieldOrderButNotValues()
    {
        var a = new ProvenanceInputs().Add("design", JsonNode.Parse("""{"rows": 32, "cols": 16}""")).Add("batch", 1);
        var b = new ProvenanceInputs().Add("batch", 1).Add("design", JsonNode.Parse("""{"cols": 16, "rows": 32}"""));
        var c = new ProvenanceInputs().Add("batch", 1).Add("design", JsonNode.Parse("""{"cols": 16, "rows": 33}"""));
        Assert.Equal(a.Sha256(), b.Sha256());
        Assert.NotEqual(a.Sha256(), c.Sha256());
        // SHA-256 of the canonical text, computed independently of the class.
        string canonical = """{"batch":1,"design":{"cols":16,"rows":32}}""";
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(canonical))), a.Sha256());
    }

    [Fact]
    public void CsvQuotesFieldsAndAppendsProvenance()
    {
        var provenance = new Provenance("0.1.0", "abc", "f00");
        string csv = ResultFile.Csv(["name", "value"], [["a,b", 1.5], ["say \"hi\"", 45064085760L]], provenance);
        Assert.Equal(
            "name,value,hwsim_version,hwsim_commit,inputs_sha256\n" +
            "\"a,b\",1.5,0.1.0,abc,f00\n" +
            "\"say \"\"hi\"\"\",45064085760,0.1.0,abc,f00\n", csv);
    }

    [Fact]
    public void JsonEnvelopeNamesSchemaAndProvenance()
    {
        var json = JsonNode.Parse(ResultFile.Json("simulate", 1, new Provenance("0.1.0", "abc", "f00"), new { TotalCycles = 42L }))!;
        Assert.Equal("hwsim.simulate", (string?)json["schema"]);
        Assert.Equal(1, (int?)json["schemaVersion"]);
        Assert.Equal("abc", (string?)json["hwsim"]!["commit"]);
        Assert.Equal("f00", (string?)json["inputsSha256"]);
        Assert.Equal(42L, (long?)json["result"]!["totalCycles"]);
    }
}
