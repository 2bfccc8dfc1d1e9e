using System.Text.Json.Nodes;
using HwSim.Workloads.Inference;

namespace HwSim.Tests.Workloads.Inference;

/// <summary>
/// An unquantized LM head is read in blocks of <see cref="LmHead.VocabBlock"/> vocabulary rows: its logits must be
/// bit-identical to one product over the whole head, including the last partial block and a vocabulary that is not
/// a multiple of the GEMM's register tile.
/// </summary>
public class LmHeadBlockTests
{
    [Fact]
    public void BlockedHeadLogitsEqualOneProductOverTheWholeHead()
    {
        // The llama-gqa fixture with its vocabulary widened past two blocks by seeded random rows.
        var fixture = CheckpointModel.Open(TinyCheckpoints.Path("llama-gqa"));
        int h = fixture.Shape.HiddenSize, vocab = 2 * LmHead.VocabBlock + Gemm.BlockN + 3;
        var random = new Random(16);
        var tensors = new Dictionary<string, (long[], float[])>();
        foreach (var (name, fixtureShape) in fixture.ExpectedTensors())
        {
            var (shape, values) = (fixtureShape, fixture.Weights.Read(name, fixtureShape));
            if (shape.Length == 2 && shape[0] == fixture.Shape.VocabSize)
            {
                var wide = new float[vocab * h];
                values.CopyTo(wide, 0);
                for (int i = values.Length; i < wide.Length; i++) wide[i] = (float)(random.NextDouble() - 0.5);
                (shape, values) = ([vocab, h], wide);
            }
            tensors[name] = (shape, values);
        }
        string directory = Directory.CreateTempSubdirectory("hwsim-lmhead-").FullName;
        try
        {
            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(fixture.Directory, "config.json")))!;
            config["vocab_size"] = vocab;
            File.WriteAllText(Path.Combine(directory, "config.json"), config.ToJsonString());
            TinyCheckpoints.WriteF32(Path.Combine(directory, "model.safetensors"), tensors);
            var model = CheckpointModel.Open(directory);
            int[] tokens = [.. TinyCheckpoints.Tokens("llama-gqa").Take(13).Append(vocab - 1)];

            var pass = new ForwardPass(model, new ForwardOptions());
            var logits = pass.Logits(tokens);

            var hidden = pass.Hidden(tokens, 1, tokens.Length);
            var expected = new float[tokens.Length * vocab];
            Gemm.MultiplyTransposed(MatrixView.Of(hidden, tokens.Length, h), MatrixView.Of(model.Weights.Read(model.LmHeadWeight, vocab, h), vocab, h),
                MatrixView.Of(expected, tokens.Length, vocab));
            Assert.Equal(expected, logits);
        }
        finally
        {
            Directory.Delete(directory, true);
        }
    }
}
