using HwSim.Arch.Serving;

namespace HwSim.Tests.Arch.Serving;

/// <summary>
/// The serving simulator's inputs and bookkeeping, one piece at a time: length distributions (parsing with their
/// whole messages, sampling against a replay of the same seeded random sequence), Poisson arrivals recomputed from
/// the same sequence, the request CSV (bounds and messages), the paged KV cache's block accounting, and a request's
/// derived state.
/// </summary>
public class ServingInputTests
{
    private static string ParseError(string text) =>
        Assert.Throws<FormatException>(() => LengthDistribution.Parse(text, "--prompt")).Message;

    [Fact]
    public void DistributionMessages()
    {
        Assert.Equal("--prompt: '0': a fixed length is a whole number from 1", ParseError("0"));
        Assert.Equal("--prompt: '2.5': a fixed length is a whole number from 1", ParseError("2.5"));
        Assert.Equal("--prompt: 'x': a fixed length is a whole number from 1", ParseError("x"));
        Assert.Equal("--prompt: 'zipf:1': unknown distribution 'zipf' (expected N, uniform:..., normal:..., lognormal:...)", ParseError("zipf:1"));
        Assert.Equal("--prompt: 'normal:5:x': 'x' is not a number", ParseError("normal:5:x"));
        Assert.Equal("--prompt: 'normal:5:Infinity': 'Infinity' is not a number", ParseError("normal:5:Infinity"));
        const string uniform = "uniform:A:B needs whole numbers 1 <= A <= B";
        foreach (string bad in new[] { "uniform:9:3", "uniform:0:3", "uniform:1.5:3", "uniform:1:2.5", "uniform:1", "uniform:1:2:3" })
            Assert.Equal($"--prompt: '{bad}': {uniform}", ParseError(bad));
        Assert.Equal("--prompt: 'normal:5:-1': normal:MEAN:STD needs STD >= 0", ParseError("normal:5:-1"));
        Assert.Equal("--prompt: 'normal:5': normal:MEAN:STD needs STD >= 0", ParseError("normal:5"));
        Assert.Equal("--prompt: 'lognormal:5:-0.5': lognormal:MU:SIGMA needs SIGMA >= 0", ParseError("lognormal:5:-0.5"));
        Assert.Equal("--prompt: 'lognormal:5:1:2': lognormal:MU:SIGMA needs SIGMA >= 0", ParseError("lognormal:5:1:2"));
        Assert.Equal(["N", "uniform", "normal", "lognormal"], LengthDistribution.Names);
    }

    [Fact]
    public void FixedAndUniformLengths()
    {
        var random = new Random(1);
        var fixedLength = LengthDistribution.Parse("7", "p");
        Assert.Equal("7", fixedLength.Text);
        Assert.All(Enumerable.Range(0, 20), _ => Assert.Equal(7, fixedLength.Sample(random)));
        Assert.Equal(1, LengthDistribution.Parse("1", "p").Sample(random));
        Assert.Equal(3, LengthDistribution.Parse("uniform:3:3", "p").Sample(random));
        // uniform:A:B is inclusive at both ends: a replay of the same random sequence.
        var uniform = LengthDistribution.Parse("uniform:2:5", "p");
        Assert.Equal("uniform:2:5", uniform.Text);
        var replay = new Random(42);
        var drawn = new Random(42);
        var samples = Enumerable.Range(0, 400).Select(_ => uniform.Sample(drawn)).ToList();
        Assert.Equal(Enumerable.Range(0, 400).Select(_ => replay.Next(2, 6)), samples);
        Assert.Equal([2, 3, 4, 5], samples.Distinct().Order());
    }

    [Fact]
    public void NormalLengthsByBoxMuller()
    {
        // Replay: z = sqrt(−2 ln(1 − U1)) cos(2π U2), value = mean + std z, rounded half away from zero, at least 1.
        static IEnumerable<int> Replay(double mean, double std, bool log, int seed)
        {
            var r = new Random(seed);
            for (int i = 0; i < 200; i++)
            {
                double u1 = 1.0 - r.NextDouble(), u2 = r.NextDouble();
                double v = mean + std * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
                if (log) v = Math.Exp(v);
                yield return (int)Math.Max(1, Math.Round(v, MidpointRounding.AwayFromZero));
            }
        }
        static IEnumerable<int> Draw(string text, int seed)
        {
            var d = LengthDistribution.Parse(text, "p");
            var r = new Random(seed);
            return Enumerable.Range(0, 200).Select(_ => d.Sample(r)).ToList();
        }
        Assert.Equal(Replay(50, 10, false, 3), Draw("normal:50:10", 3));
        Assert.Equal(Replay(4, 0.5, true, 4), Draw("lognormal:4:0.5", 4));
        Assert.Equal(Replay(2, 5, false, 5), Draw("normal:2:5", 5));
        // With no spread the mean itself, rounded half away from zero; below 1 clipped to 1.
        Assert.All(Draw("normal:2.5:0", 6), v => Assert.Equal(3, v));
        Assert.All(Draw("normal:-40:0", 6), v => Assert.Equal(1, v));
        Assert.All(Draw("lognormal:2:0", 6), v => Assert.Equal(7, v)); // e² = 7.39
        Assert.Contains(1, Draw("normal:2:5", 5)); // clipping happens
    }

    [Fact]
    public void PoissonArrivalsReplayTheExponentialGaps()
    {
        var prompt = LengthDistribution.Parse("uniform:1:100", "p");
        var output = LengthDistribution.Parse("uniform:1:10", "o");
        var requests = RequestSource.Poisson(5, 9, null, 50, prompt, output);
        Assert.Equal(50, requests.Count);
        var r = new Random(9);
        double t = 0;
        for (int i = 0; i < 50; i++)
        {
            t += -Math.Log(1.0 - r.NextDouble()) / 5;
            var expected = new ServingRequest(i, (long)Math.Round(t * 1e12), r.Next(1, 101), r.Next(1, 11));
            Assert.Equal(expected, requests[i]);
        }
        // A duration stops at the first arrival past it.
        var within = RequestSource.Poisson(5, 9, requests[29].ArrivalPs / 1e12, null, prompt, output);
        Assert.Equal(requests.Take(30), within);
        Assert.Empty(RequestSource.Poisson(5, 9, null, 0, prompt, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestSource.Poisson(0, 9, null, 5, prompt, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestSource.Poisson(double.NaN, 9, null, 5, prompt, output));
        Assert.Throws<ArgumentOutOfRangeException>(() => RequestSource.Poisson(double.PositiveInfinity, 9, null, 5, prompt, output));
        Assert.Throws<ArgumentException>(() => RequestSource.Poisson(5, 9, 1.0, 5, prompt, output));
        Assert.Throws<ArgumentException>(() => RequestSource.Poisson(5, 9, null, null, prompt, output));
    }

    private static string CsvError(string body) =>
        Assert.Throws<InvalidDataException>(() => RequestSource.ReadCsv(new StringReader("arrival_s,prompt_tokens,output_tokens\n" + body), "r.csv")).Message;

    [Fact]
    public void CsvBoundsAndMessages()
    {
        var requests = RequestSource.ReadCsv(new StringReader(" arrival_s,prompt_tokens,output_tokens \n0,1,1\n\n  \n1e3,7,3\n1e3,2,2\n"), "r.csv");
        Assert.Equal(
            [new ServingRequest(0, 0, 1, 1), new ServingRequest(1, 1000L * 1_000_000_000_000, 7, 3), new ServingRequest(2, 1000L * 1_000_000_000_000, 2, 2)],
            requests);
        Assert.Equal(new ServingRequest(0, 250_000_000_000, 4, 5), RequestSource.ReadCsv(new StringReader("arrival_s,prompt_tokens,output_tokens\n0.25,4,5"), "r.csv").Single());
        Assert.Equal("r.csv: no requests", CsvError(""));
        Assert.Equal("r.csv: no requests", CsvError("\n \n"));
        Assert.Equal("r.csv:1: expected the header 'arrival_s,prompt_tokens,output_tokens'",
            Assert.Throws<InvalidDataException>(() => RequestSource.ReadCsv(new StringReader(""), "r.csv")).Message);
        Assert.Equal("r.csv:2: expected 3 fields (arrival_s,prompt_tokens,output_tokens), got 4", CsvError("1,2,3,4\n"));
        Assert.Equal("r.csv:2: arrival_s: '-0.5' is not a time in seconds from 0 to 1e6", CsvError(" -0.5 ,2,3\n"));
        Assert.Equal("r.csv:2: arrival_s: '1.1e6' is not a time in seconds from 0 to 1e6", CsvError("1.1e6,2,3\n"));
        // The last arrival accepted, in picoseconds exactly.
        Assert.Equal(1_000_000L * RequestSource.PicosecondsPerSecond,
            RequestSource.ReadCsv(new StringReader("arrival_s,prompt_tokens,output_tokens\n1e6,2,3\n"), "r.csv")[0].ArrivalPs);
        Assert.Equal("r.csv:2: arrival_s: 'NaN' is not a time in seconds from 0 to 1e6", CsvError("NaN,2,3\n"));
        Assert.Equal("r.csv:2: arrival_s: 'soon' is not a time in seconds from 0 to 1e6", CsvError("soon,2,3\n"));
        Assert.Equal("r.csv:4: arrival_s: 0.5 is earlier than the line before", CsvError("1,2,3\n\n0.5,2,3\n"));
        Assert.Equal("r.csv:2: prompt_tokens: '0' is not a whole number of at least 1", CsvError("1, 0 ,3\n"));
        Assert.Equal("r.csv:2: output_tokens: '2.5' is not a whole number of at least 1", CsvError("1,2,2.5\n"));
    }

    [Fact]
    public void KvCacheBlockAccounting()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new KvCache(0, 16));
        Assert.Throws<ArgumentOutOfRangeException>(() => new KvCache(1, 0));
        var cache = new KvCache(10, 16);
        Assert.Equal(16, KvCache.DefaultBlockTokens);
        Assert.Equal((10L, 16, 0L, 10L), (cache.TotalBlocks, cache.BlockTokens, cache.UsedBlocks, cache.FreeBlocks));
        Assert.Equal([0L, 1, 1, 2, 2], new long[] { 0, 1, 16, 17, 32 }.Select(cache.BlocksFor));
        var a = new RequestState(new ServingRequest(0, 0, 20, 5));
        var b = new RequestState(new ServingRequest(1, 0, 20, 5));
        Assert.True(cache.TryReserve(a, 17)); // 2 blocks
        Assert.Equal((2L, 2L, 8L), (a.HeldBlocks, cache.UsedBlocks, cache.FreeBlocks));
        Assert.True(cache.TryReserve(a, 32)); // still 2
        Assert.Equal(2L, cache.UsedBlocks);
        Assert.True(cache.TryReserve(a, 10)); // shrinking takes nothing back
        Assert.Equal(2L, a.HeldBlocks);
        Assert.True(cache.TryReserve(b, 128)); // 8 blocks: exactly the rest
        Assert.Equal(0L, cache.FreeBlocks);
        Assert.False(cache.TryReserve(a, 33)); // a third block is not free: nothing taken
        Assert.Equal((2L, 10L), (a.HeldBlocks, cache.UsedBlocks));
        cache.Release(b);
        Assert.Equal((0L, 2L, 8L), (b.HeldBlocks, cache.UsedBlocks, cache.FreeBlocks));
        Assert.True(cache.TryReserve(a, 33));
        Assert.Equal((3L, 3L), (a.HeldBlocks, cache.UsedBlocks));
    }

    [Fact]
    public void RequestStateFollowsItsTokens()
    {
        var s = new RequestState(new ServingRequest(3, 100, PromptTokens: 10, OutputTokens: 4));
        Assert.Equal((10, 10, false, false, 13), (s.KnownTokens, s.TokensToCompute, s.Decoding, s.Finished, s.MaxKvTokens));
        Assert.Equal((-1L, -1L, -1L, 0, 0L, 0L), (s.FirstScheduledPs, s.FirstTokenPs, s.FinishPs, s.Preemptions, s.WaitingSincePs, s.WaitingPs));
        s.ComputedTokens = 10;
        s.GeneratedTokens = 1; // the prompt's iteration emitted the first token
        Assert.Equal((11, 1, true, false), (s.KnownTokens, s.TokensToCompute, s.Decoding, s.Finished));
        s.ComputedTokens = 0; // preempted: the prompt and the token recomputed together
        Assert.Equal((11, false), (s.TokensToCompute, s.Decoding));
        s.GeneratedTokens = 4;
        Assert.True(s.Finished);
        s.GeneratedTokens = 3;
        Assert.False(s.Finished);
    }
}
