using System.Text.Json;
using HwSim.Arch.Fast;
using HwSim.Arch.Serving;
using HwSim.Arch.Spec;
using HwSim.Workloads.Models;
using HwSim.Workloads.Tracing;

namespace HwSim.Tests.Arch.Serving;

public class ServingTests
{
    /// <summary>A small LLaMA-shaped model (GQA, 4 layers) so that every shape runs in milliseconds.</summary>
    internal static readonly ModelConfig Tiny = new()
    {
        Name = "tiny-llama", Family = ModelFamily.Llama, HiddenSize = 256, Layers = 4, Heads = 4, KvHeads = 2, HeadDim = 64,
        IntermediateSize = 688, VocabSize = 1000, TieWordEmbeddings = false,
    };

    internal static readonly AcceleratorSpec Spec = Presets.Find("bitmod")!;
    internal static readonly RunFormats Formats = RunFormats.Default(Spec);

    private static long Ps(long cycles) => checked(cycles * 1_000_000_000_000 / Spec.ClockHz);

    /// <summary>One decode step of batch <paramref name="batch"/> at KV length <paramref name="kv"/>, run directly.</summary>
    private static long DecodeStep(int batch, int kv)
    {
        var w = LlmTracer.Trace(new TraceRequest(Tiny, batch, kv, 1));
        return FastSimulator.Run(Spec, w with { Prefill = [] }, Formats).TotalCycles;
    }

    private static long Prefill(int batch, int prompt) =>
        FastSimulator.Run(Spec, LlmTracer.Trace(new TraceRequest(Tiny, batch, prompt, 0)), Formats).TotalCycles;

    private static ServingOutcome Serve(IReadOnlyList<ServingRequest> requests, IIterationCost cost, SchedulerOptions options,
        long kvBlocks = 1_000_000, string scheduler = "continuous") =>
        new ServingSimulation(requests, ServingSchedulers.Find(scheduler)!.Create(options), cost, new KvCache(kvBlocks, 16), Spec.ClockHz).Run();

    private static readonly SchedulerOptions Vllm = new(256, 2048, false, KvPolicy.Preempt);

    [Theory]
    [InlineData("exact", 1)]
    [InlineData("separable", 1)]
    [InlineData("separable", 16)]
    public void AtVeryLowLoadTtftIsThePrefillAndTpotOneDecodeStepOfBatchOne(string model, int grid)
    {
        const int prompt = 96, output = 6;
        // Three requests a thousand seconds apart: each finds the accelerator idle.
        var requests = Enumerable.Range(0, 3).Select(i => new ServingRequest(i, i * 1000 * RequestSource.PicosecondsPerSecond, prompt, output)).ToList();
        IIterationCost cost = model == "exact" ? new ExactIterationCost(Spec, Formats, Tiny) : new SeparableIterationCost(Spec, Formats, Tiny, grid);
        var outcome = Serve(requests, cost, Vllm);

        long ttft = Ps(Prefill(1, prompt));
        // Decode steps run at KV lengths prompt .. prompt + output − 2.
        double tpot = Enumerable.Range(prompt, output - 1).Average(kv => (double)Ps(DecodeStep(1, kv)));
        // Exact pricing reproduces the direct runs; the separable model's parts come from two-layer probes, and with a
        // grid of 16 the decode contexts between grid points are interpolated.
        double tolerance = model == "exact" ? 0 : grid == 1 ? 1e-4 : 2e-3;
        foreach (var s in outcome.States)
        {
            Assert.NotNull(s);
            Assert.Equal(0, s.WaitingPs);
            Assert.InRange(s.FirstTokenPs - s.Request.ArrivalPs, ttft * (1 - tolerance) - 1, ttft * (1 + tolerance) + 1);
            double measured = (double)(s.FinishPs - s.FirstTokenPs) / (output - 1);
            Assert.InRange(measured, tpot * (1 - tolerance) - 1, tpot * (1 + tolerance) + 1);
        }
        Assert.Equal(3, outcome.Completed);
    }

    [Fact]
    public void AtSaturationThroughputIsMaxBatchOverTheStepTime()
    {
        const int batch = 8, prompt = 16, output = 24, rounds = 3;
        // Everything arrives at once; the batch limit, not the cache, bounds the batch.
        var requests = Enumerable.Range(0, batch * rounds).Select(i => new ServingRequest(i, 0, prompt, output)).ToList();
        var outcome = Serve(requests, new ExactIterationCost(Spec, Formats, Tiny), Vllm with { MaxBatch = batch });

        // Closed form: each round prefills 8 prompts, then runs output − 1 decode steps of batch 8.
        long[] steps = [.. Enumerable.Range(prompt, output - 1).Select(kv => DecodeStep(batch, kv))];
        long round = Ps(Prefill(batch, prompt)) + steps.Sum(Ps);
        Assert.Equal(rounds * round, outcome.EndPs);
        Assert.InRange(outcome.OutputTokensPerSecond / (batch * rounds * (double)output / (rounds * round / 1e12)), 1 - 1e-12, 1 + 1e-12);
        // Decode iterations emit max batch tokens per step time.
        var decodes = outcome.Iterations.Where(i => i.Prefills == 0).ToList();
        Assert.All(decodes, i => Assert.Equal(batch, i.Sequences));
        double decodeRate = decodes.Sum(i => (double)i.Tokens) / (decodes.Sum(i => (double)i.DurationPs) / 1e12);
        Assert.InRange(decodeRate / (batch / (steps.Average(s => (double)Ps(s)) / 1e12)), 1 - 1e-12, 1 + 1e-12);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void LittlesLawHoldsOnTheSimulatedQueue(bool chunked)
    {
        var requests = RequestSource.Poisson(3000, 7, null, 400, LengthDistribution.Parse("uniform:16:128", "p"), LengthDistribution.Parse("uniform:4:32", "o"));
        var outcome = Serve(requests, new SeparableIterationCost(Spec, Formats, Tiny, 16), new SchedulerOptions(16, 256, chunked, KvPolicy.Preempt), kvBlocks: 64);
        Assert.Equal(400, outcome.Completed);
        double lambda = outcome.Completed / outcome.DurationS;
        double w = outcome.E2e().MeanMs / 1000;
        // L from the event-by-event count of requests in the system; λW from the requests' own timestamps.
        Assert.InRange(outcome.MeanInSystem / (lambda * w), 0.99, 1.01);
        Assert.InRange(outcome.MeanWaiting / (lambda * outcome.QueueDelay().MeanMs / 1000), 0.99, 1.01);
        Assert.True(outcome.MeanInSystem > 1, "the load should queue requests");
    }

    [Theory]
    [InlineData(KvPolicy.Preempt, false)]
    [InlineData(KvPolicy.Preempt, true)]
    [InlineData(KvPolicy.Reserve, false)]
    public void AFullKvCacheMakesRequestsWaitOrBePreemptedAndLosesNothing(KvPolicy policy, bool chunked)
    {
        // 40 requests at once; 12 blocks of 16 tokens hold about three of them.
        var requests = Enumerable.Range(0, 40).Select(i => new ServingRequest(i, i * 1000L, 40 + i % 7, 20 + i % 5)).ToList();
        var outcome = Serve(requests, new SeparableIterationCost(Spec, Formats, Tiny, 16), new SchedulerOptions(32, 512, chunked, policy), kvBlocks: 12);
        Assert.Equal(40, outcome.Completed);
        Assert.Equal(0, outcome.Rejected);
        Assert.All(outcome.States, s => Assert.Equal(s!.Request.OutputTokens, s.GeneratedTokens));
        Assert.All(outcome.States, s => Assert.True(s!.FinishPs > s.FirstTokenPs && s.HeldBlocks == 0));
        Assert.Equal(1.0, outcome.MaxKvOccupancy);
        if (policy == KvPolicy.Preempt) Assert.True(outcome.Preemptions > 0);
        else Assert.Equal(0, outcome.Preemptions);
        Assert.Equal(outcome.Preemptions, outcome.States.Sum(s => (long)s!.Preemptions));
        Assert.True(outcome.QueueDelay().MaxMs > 0);
    }

    [Fact]
    public void RequestsLargerThanTheCacheAreRejectedAndCounted()
    {
        var requests = new List<ServingRequest> { new(0, 0, 100, 10), new(1, 0, 1000, 10), new(2, 5, 50, 5) };
        var outcome = Serve(requests, new SeparableIterationCost(Spec, Formats, Tiny, 16), Vllm, kvBlocks: 20);
        Assert.Equal(2, outcome.Completed);
        Assert.Equal(1, outcome.Rejected);
        Assert.Null(outcome.States[1]);
    }

    [Fact]
    public void StaticBatchingFreesTheBatchOnlyWhenItsLastRequestEnds()
    {
        // Two batches of two: the third request waits for the longer of the first two.
        var requests = new List<ServingRequest> { new(0, 0, 32, 4), new(1, 0, 32, 12), new(2, 0, 32, 4) };
        var outcome = Serve(requests, new ExactIterationCost(Spec, Formats, Tiny), Vllm with { MaxBatch = 2 }, scheduler: "static");
        var s = outcome.States;
        Assert.True(s[0]!.FinishPs < s[1]!.FinishPs);
        Assert.Equal(s[1]!.FinishPs, s[2]!.FirstScheduledPs);
        Assert.Equal(3, outcome.Completed);
    }

    [Fact]
    public void SeparablePricingOfMixedBatchesIsCloseToWholeRuns()
    {
        // Mixed compositions (prefill chunks with decodes at different contexts) priced both ways.
        var exact = new ExactIterationCost(Spec, Formats, Tiny);
        var separable = new SeparableIterationCost(Spec, Formats, Tiny, 1);
        SequenceStep[][] batches =
        [
            [new(64, 64, false), new(1, 40, true), new(1, 90, true), new(1, 200, true)],
            [new(1, 17, true), new(1, 33, true), new(1, 130, true)],
            [new(32, 96, true), new(1, 300, true), new(100, 100, false)],
        ];
        foreach (var batch in batches)
        {
            double ratio = (double)separable.Cycles(batch) / exact.Cycles(batch);
            Assert.InRange(ratio, 0.95, 1.05);
        }
    }

    [Fact]
    public void TheTraceIsChromeTraceEventJson()
    {
        var requests = RequestSource.Poisson(20, 3, null, 300, LengthDistribution.Parse("uniform:8:64", "p"), LengthDistribution.Parse("uniform:2:16", "o"));
        var outcome = Serve(requests, new SeparableIterationCost(Spec, Formats, Tiny, 16), Vllm with { MaxBatch = 8 });
        using var stream = new MemoryStream();
        ServingTrace.Write(outcome, stream);
        using var doc = JsonDocument.Parse(stream.ToArray());
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        int iterations = 0, requestSlices = 0;
        var lastEnd = new Dictionary<int, decimal>();
        foreach (var e in events)
        {
            foreach (string field in (string[])["name", "ph", "ts", "pid", "tid"]) Assert.True(e.TryGetProperty(field, out _), $"event lacks {field}");
            if (e.GetProperty("ph").GetString() != "X") continue;
            int tid = e.GetProperty("tid").GetInt32();
            decimal ts = e.GetProperty("ts").GetDecimal(), dur = e.GetProperty("dur").GetDecimal();
            Assert.True(dur >= 0);
            if (e.GetProperty("cat").GetString() == "iteration") iterations++;
            else if (e.GetProperty("name").GetString()!.StartsWith("request ", StringComparison.Ordinal)) requestSlices++;
            else
            {
                // A phase of a request lies inside the request's slice.
                Assert.True(ts + dur <= lastEnd[tid], $"phase outside its request on track {tid}");
                continue;
            }
            // Top-level slices of one track do not overlap (iterations are sequential; request tracks are packed that way).
            Assert.True(ts >= lastEnd.GetValueOrDefault(tid), $"overlap on track {tid}");
            lastEnd[tid] = ts + dur;
        }
        Assert.Equal(outcome.Iterations.Count, iterations);
        Assert.Equal(300, requestSlices);
    }

    [Fact]
    public void TheSameSeedGivesTheSameRequests()
    {
        var p = LengthDistribution.Parse("lognormal:4:0.5", "p");
        var o = LengthDistribution.Parse("normal:50:10", "o");
        var a = RequestSource.Poisson(3, 11, 100, null, p, o);
        Assert.Equal(a, RequestSource.Poisson(3, 11, 100, null, p, o));
        Assert.NotEqual(a, RequestSource.Poisson(3, 12, 100, null, p, o));
        // About rate × duration arrivals (Poisson: 300 ± 3σ, σ = √300).
        Assert.InRange(a.Count, 248, 352);
        Assert.All(a, r => Assert.True(r.PromptTokens >= 1 && r.OutputTokens >= 1));
    }

    [Theory]
    [InlineData("0", "a fixed length")]
    [InlineData("uniform:9:3", "uniform:A:B")]
    [InlineData("zipf:1", "unknown distribution 'zipf'")]
    [InlineData("normal:5:x", "'x' is not a number")]
    public void BadDistributionsNameTheOption(string text, string message)
    {
        var e = Assert.Throws<FormatException>(() => LengthDistribution.Parse(text, "--prompt"));
        Assert.StartsWith("--prompt: ", e.Message);
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0.5,10,3\n0.25,10,3\n", "reqs.csv:3: arrival_s")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0.5,10\n", "reqs.csv:2: expected 3 fields")]
    [InlineData("arrival_s,prompt_tokens,output_tokens\n0.5,0,3\n", "reqs.csv:2: prompt_tokens")]
    [InlineData("time,p,o\n", "reqs.csv:1: expected the header")]
    public void CsvErrorsNameTheFileAndLine(string text, string message)
    {
        var e = Assert.Throws<InvalidDataException>(() => RequestSource.ReadCsv(new StringReader(text), "reqs.csv"));
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void KvCapacityIsTheDramLeftAfterTheWeights()
    {
        // LLaMA-2-7B with 16-bit KV: 2 × 32 layers × 4096 = 262,144 elements = 512 KiB per token (reference/serving.md §3).
        var model = ModelZoo.Get("llama-2-7b");
        var fp16 = Presets.Find("fp16-baseline")!;
        var capacity = KvCapacity.Of(16L << 30, model, RunFormats.Default(fp16), 16);
        Assert.Equal(512L * 1024, capacity.KvBytesPerToken);
        Assert.Equal(8L << 20, capacity.BlockBytes);
        Assert.Equal(ParameterInventory.Count(model) * 2, capacity.WeightBytes);
        Assert.Equal(((16L << 30) - capacity.WeightBytes) / (8L << 20), capacity.Blocks);
    }
}
