using HwSim.Workloads.Formats;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;
using HwSim.Numerics.Formats;

namespace HwSim.Tests.Workloads;

public class FormatTests
{
    [Fact]
    public void TraceRoundTripsThroughJsonLinesUnchanged()
    {
        var precision = new Precision(StorageFormat.Parse("int4-g128"), StorageFormat.Fp16, StorageFormat.Int8);
        var original = LlmTracer.Trace(new TraceRequest(ModelZoo.Get("phi-2"), 2, 33, 5, precision));
        string text = TraceJsonl.WriteToString(original);
        var read = TraceJsonl.Read(new StringReader(text));

        Assert.Equal(text, TraceJsonl.WriteToString(read));
        Assert.Equal(original.Model, read.Model);
        Assert.Equal(original.Precision, read.Precision);
        Assert.Equal((original.Batch, original.Prompt, original.Generate), (read.Batch, read.Prompt, read.Generate));
        foreach (var (a, b) in original.AllOps.Zip(read.AllOps))
        {
            Assert.Equal((a.Id, a.Name, a.Kind, a.Layer, a.Phase, a.Gemm, a.Elements), (b.Id, b.Name, b.Kind, b.Layer, b.Phase, b.Gemm, b.Elements));
            Assert.Equal(a.Operands, b.Operands);
            Assert.Equal(a.DependsOn, b.DependsOn);
        }
        Assert.Equal(original.AllOps.Count(), read.AllOps.Count());
    }

    [Theory]
    [InlineData("", "empty file")]
    [InlineData("""{"format":"other","version":1}""", "field 'format'")]
    [InlineData("{\"format\":\"hwsim-trace\",\"version\":1,\"name\":\"x\",\"batch\":1,\"prompt\":1,\"generate\":0,\"precision\":{\"weights\":\"fp16\",\"activations\":\"fp16\",\"kv_cache\":\"fp16\"},\"model\":null}\n{\"id\":0,\"name\":\"a\",\"kind\":\"Gemm\",\"layer\":-1,\"phase\":\"Standalone\",\"gemm\":{\"m\":-1,\"n\":1,\"k\":1,\"batch\":1},\"operands\":[],\"deps\":[]}", "line 2: field 'm'")]
    [InlineData("{\"format\":\"hwsim-trace\",\"version\":1,\"name\":\"x\",\"batch\":1,\"prompt\":1,\"generate\":0,\"precision\":{\"weights\":\"fp99\",\"activations\":\"fp16\",\"kv_cache\":\"fp16\"},\"model\":null}", "field 'weights'")]
    public void MalformedTraceFailsNamingLineAndField(string text, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => TraceJsonl.Read(new StringReader(text)));
        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void GemmTopologyWithTrailingCommasParses()
    {
        const string csv = "Layer,M,N,K,\nfc1, 128, 256, 64,\nfc2,32,32,32,\n";
        var workload = ScaleSimTopology.Read(new StringReader(csv));
        Assert.Equal([new GemmShape(128, 256, 64), new GemmShape(32, 32, 32)], workload.Prefill.Select(o => o.Gemm));
        Assert.Equal(["fc1", "fc2"], workload.Prefill.Select(o => o.Name));
        Assert.Equal(csv.Replace(" ", ""), ScaleSimTopology.WriteGemm(workload.Prefill));
    }

    [Fact]
    public void ConvTopologyBecomesItsIm2colGemm()
    {
        const string csv = "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,\n" +
                           "Conv1, 224, 224, 11, 11, 3, 96, 4,\n" +
                           "Conv2, 31, 31, 5, 5, 48, 256, 1,\n";
        var workload = ScaleSimTopology.Read(new StringReader(csv));
        // AlexNet conv1 without padding: ((224 − 11)/4 + 1)² = 54² output pixels, K = 11·11·3.
        Assert.Equal(new GemmShape(54 * 54, 96, 363), workload.Prefill[0].Gemm);
        Assert.Equal(new GemmShape(27 * 27, 256, 1200), workload.Prefill[1].Gemm);
    }

    [Theory]
    [InlineData("Layer,M,N,K,\nfc1,128,abc,64,\n", "line 2, column 'N': 'abc' is not an integer")]
    [InlineData("Layer,M,N,K,\nfc1,128,0,64,\n", "line 2, column 'N': must be positive")]
    [InlineData("Layer,M,N,K,\nfc1,128,-3,64,\n", "line 2, column 'N': must be positive")]
    [InlineData("Layer,M,N,K,\nfc1,128,64,\n", "line 2: expected 4 columns")]
    [InlineData("Layer,M,N,\n", "line 1")]
    [InlineData("Layer name,H,W,R,S,C,F,Stride,\nc,4,4,5,5,1,1,1,\n", "larger than")]
    public void MalformedTopologyFailsNamingLineAndField(string csv, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => ScaleSimTopology.Read(new StringReader(csv)));
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("int4", 1000, 500)]
    [InlineData("int4-g128", 256, 128 + 4)]
    [InlineData("int4-g128", 257, 129 + 6)]
    [InlineData("fp16", 3, 6)]
    [InlineData("int3", 3, 2)]
    public void StorageBytesRoundUpExactly(string format, long elements, long bytes) =>
        Assert.Equal(bytes, StorageFormat.Parse(format).Bytes(elements));
}
