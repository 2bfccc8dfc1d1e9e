using HwSim.Arch.Datapath;
using HwSim.Arch.Mapping;
using HwSim.Arch.Pe;
using HwSim.Arch.Spec;
using HwSim.Numerics.Registry;

namespace HwSim.Arch.Detailed;

/// <summary>What a detailed run computed and counted.</summary>
public sealed record DetailedResult(
    long[] Outputs,
    long Cycles,
    long Folds,
    IReadOnlyList<long> FoldCycles,
    long PeCycles,
    long BusyPeCycles,
    MeasuredAccesses Accesses);

/// <summary>
/// Operand values a detailed run moved, counted as it moved them: block loads from DRAM into each buffer, values the
/// feeders read out of each buffer into the array (padding excluded), and partial sums written to and read back from
/// the output buffer between K chunks.
/// </summary>
public sealed record MeasuredAccesses(
    long ALoadedValues, long BLoadedValues, long AReadValues, long BReadValues, long PartialSumReads, long PartialSumWrites);

/// <summary>
/// PE-level, cycle-by-cycle simulation of a GEMM C[M×N] = A[M×K] · W[N×K]ᵀ on one array. Weights enter through the
/// datapath's edge decoder from their stored codes; operands move register to register (activations right along
/// rows, partial sums or weights down columns, one PE per step), and each PE computes with its own serial or
/// parallel arithmetic (<see cref="PeDatapath"/>). Feeders push a slot into every row and column of the array on
/// every step of a fold (zeros where the fold does not reach), and a fold ends after the last step in which any PE
/// holds a slot: nothing in the loop knows the closed form of <see cref="Timing.ArrayTiming"/>, which the tests
/// compare against. Outputs are exact integer sums (the partial sums a dequantization unit would scale).
/// </summary>
public sealed class DetailedArraySimulator
{
    private readonly ArraySpec array;
    private readonly PeDatapath pe;
    private readonly int width;
    private readonly IWeightDecoderUnit decoder;

    public DetailedArraySimulator(ArraySpec array, PeSpec peSpec, WeightDatatype weights, IWeightDecoderUnit decoder)
    {
        if (array.Interconnect == Interconnect.Broadcast && array.Dataflow != Dataflow.Os)
            throw new ArgumentException("broadcast arrays are output-stationary");
        this.array = array;
        pe = new PeDatapath(peSpec, weights);
        width = peSpec.DotProductWidth;
        this.decoder = decoder;
    }

    /// <summary>Runs every fold; <paramref name="activations"/> is M × K, row-major.</summary>
    public DetailedResult Run(ReadOnlySpan<long> activations, int m, EncodedWeights weights)
    {
        int n = weights.Rows, k = weights.Cols;
        if (activations.Length != (long)m * k) throw new ArgumentException($"activations hold {activations.Length} values, expected {m}×{k}");
        var run = new FoldRunner(this, activations.ToArray(), Decode(weights), m, n, k);
        var result = run.Execute();
        return result with { Accesses = result.Accesses with { ALoadedValues = (long)m * k, BLoadedValues = (long)n * k } };
    }

    /// <summary>
    /// Runs the GEMM block step by block step in <paramref name="mapping"/>'s loop order. A buffer holds one block of
    /// its operand; a step whose block is not the resident one loads it. Each step's output block is added into the
    /// output buffer; while its K range is incomplete the block's sums are partial and are written back, and read
    /// again by the next step that adds to them. Counts come from these moves, not from the mapping's counts.
    /// </summary>
    public DetailedResult Run(GemmMapping mapping, ReadOnlySpan<long> activations, EncodedWeights weights)
    {
        int m = checked((int)mapping.M), n = weights.Rows, k = weights.Cols;
        if (n != mapping.N || k != mapping.K || activations.Length != (long)m * k)
            throw new ArgumentException($"operands are {m}×{k} and {n}×{k}, the mapping is for M={mapping.M} N={mapping.N} K={mapping.K}");
        var decoded = Decode(weights);
        var outputs = new long[(long)m * n];
        var covered = new int[(long)m * n];
        var foldCycles = new List<long>();
        long peCycles = 0, busy = 0, aLoaded = 0, bLoaded = 0, aRead = 0, bRead = 0, psumReads = 0, psumWrites = 0;
        (long, long, long, long)? residentA = null, residentB = null;
        foreach (var step in mapping.Steps)
        {
            int m0 = (int)step.M0, rows = (int)step.Rows, n0 = (int)step.N0, cols = (int)step.Cols, k0 = (int)step.K0, depth = (int)step.Depth;
            // The buffer block that holds this step's operand data: all of K unless the mapping splits the operand along K.
            var aBlock = (step.M0, step.Rows, mapping.ASplitAlongK ? step.K0 : 0, mapping.ASplitAlongK ? step.Depth : k);
            var bBlock = (step.N0, step.Cols, mapping.BSplitAlongK ? step.K0 : 0, mapping.BSplitAlongK ? step.Depth : k);
            if (residentA != aBlock)
            {
                aLoaded += aBlock.Item2 * aBlock.Item4;
                residentA = aBlock;
            }
            if (residentB != bBlock)
            {
                bLoaded += bBlock.Item2 * bBlock.Item4;
                residentB = bBlock;
            }
            var run = new FoldRunner(this, Slice(activations, k, m0, rows, k0, depth), Slice(decoded, k, n0, cols, k0, depth), rows, cols, depth);
            var part = run.Execute();
            foldCycles.AddRange(part.FoldCycles);
            peCycles += part.PeCycles;
            busy += part.BusyPeCycles;
            aRead += part.Accesses.AReadValues;
            bRead += part.Accesses.BReadValues;
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < cols; c++)
                {
                    long index = (long)(m0 + r) * n + n0 + c;
                    if (covered[index] > 0) psumReads++;
                    outputs[index] += part.Outputs[(long)r * cols + c];
                    covered[index] += depth;
                    if (covered[index] < k) psumWrites++;
                }
            }
        }
        return new DetailedResult(outputs, foldCycles.Sum(), foldCycles.Count, foldCycles, peCycles, busy,
            new MeasuredAccesses(aLoaded, bLoaded, aRead, bRead, psumReads, psumWrites));
    }

    private long[] Decode(EncodedWeights weights)
    {
        int n = weights.Rows, k = weights.Cols;
        var decoded = new long[(long)n * k];
        for (int row = 0; row < n; row++) decoder.DecodeRow(weights, row, decoded.AsSpan(row * k, k));
        return decoded;
    }

    /// <summary>Rows [<paramref name="row0"/>, +<paramref name="rows"/>) and columns [<paramref name="col0"/>, +<paramref name="cols"/>) of a row-major matrix <paramref name="width"/> wide.</summary>
    private static long[] Slice(ReadOnlySpan<long> source, int width, int row0, int rows, int col0, int cols)
    {
        var slice = new long[(long)rows * cols];
        for (int r = 0; r < rows; r++) source.Slice((row0 + r) * width + col0, cols).CopyTo(slice.AsSpan(r * cols, cols));
        return slice;
    }

    /// <summary>State of one run: operand tables in dot-product chunks and the array's registers.</summary>
    private sealed class FoldRunner
    {
        private readonly DetailedArraySimulator sim;
        private readonly int rows, cols, width, m, n, k, chunks;
        private readonly long[] a;   // M × chunks × width (zero-padded along K)
        private readonly long[] w;   // N × chunks × width
        private readonly long[] outputs;
        private readonly List<long> foldCycles = [];
        private long peCycles, busyPeCycles, aReads, wReads;

        // Registers, one slot per PE (× width for operand vectors). Token −1 marks an empty register.
        private readonly long[] stationary, moving, verticalValues, psum;
        private readonly int[] movingToken, verticalToken;

        public FoldRunner(DetailedArraySimulator sim, long[] activations, long[] weights, int m, int n, int k)
        {
            this.sim = sim;
            rows = sim.array.Rows;
            cols = sim.array.Cols;
            width = sim.width;
            this.m = m;
            this.n = n;
            this.k = k;
            chunks = (k + width - 1) / width;
            a = Chunked(activations, m, k);
            w = Chunked(weights, n, k);
            outputs = new long[(long)m * n];
            int pes = rows * cols;
            stationary = new long[pes * width];
            moving = new long[pes * width];
            verticalValues = new long[pes * width];
            psum = new long[pes];
            movingToken = new int[pes];
            verticalToken = new int[pes];
        }

        private long[] Chunked(long[] source, int outer, int k)
        {
            var result = new long[(long)outer * chunks * width];
            for (int i = 0; i < outer; i++) source.AsSpan(i * k, k).CopyTo(result.AsSpan(i * chunks * width, k));
            return result;
        }

        /// <summary>The real (not padding) values of dot-product chunk <paramref name="chunk"/>.</summary>
        private int Real(int chunk) => Math.Min(width, k - chunk * width);

        /// <summary>A feeder reads activation chunk <paramref name="chunk"/> of token <paramref name="token"/> from the activation buffer.</summary>
        private ReadOnlySpan<long> AChunk(int token, int chunk)
        {
            aReads += Real(chunk);
            return a.AsSpan((token * chunks + chunk) * width, width);
        }

        /// <summary>A feeder reads weight chunk <paramref name="chunk"/> of output <paramref name="output"/> from the weight buffer.</summary>
        private ReadOnlySpan<long> WChunk(int output, int chunk)
        {
            wReads += Real(chunk);
            return w.AsSpan((output * chunks + chunk) * width, width);
        }

        public DetailedResult Execute()
        {
            var (sr, sc) = sim.array.Dataflow switch
            {
                Dataflow.Ws => (chunks, n),
                Dataflow.Os => (m, n),
                _ => (chunks, m),
            };
            int rowFolds = (sr + rows - 1) / rows, colFolds = (sc + cols - 1) / cols;
            for (int colFold = 0; colFold < colFolds; colFold++)
            {
                for (int rowFold = 0; rowFold < rowFolds; rowFold++)
                {
                    int r0 = rowFold * rows, c0 = colFold * cols;
                    int usedRows = Math.Min(rows, sr - r0), usedCols = Math.Min(cols, sc - c0);
                    long cycles = sim.array.Interconnect == Interconnect.Broadcast
                        ? BroadcastFold(r0, c0, usedRows, usedCols)
                        : sim.array.Dataflow == Dataflow.Os ? SystolicOsFold(r0, c0, usedRows, usedCols)
                        : StationaryFold(r0, c0, usedRows, usedCols);
                    foldCycles.Add(cycles);
                }
            }
            return new DetailedResult(outputs, foldCycles.Sum(), foldCycles.Count, foldCycles, peCycles, busyPeCycles,
                new MeasuredAccesses(0, 0, aReads, wReads, 0, 0));
        }

        /// <summary>
        /// WS (weights stationary, activations stream, partial sums flow down) and IS (activations stationary,
        /// weights stream). Row r of the fold holds K-chunk r0 + r; column c holds output n (WS) or token m (IS).
        /// </summary>
        private long StationaryFold(int r0, int c0, int usedRows, int usedCols)
        {
            bool ws = sim.array.Dataflow == Dataflow.Ws;
            int temporal = ws ? m : n;
            long cycles = Preload(r0, c0, usedRows, usedCols, ws);
            Array.Fill(movingToken, -1);
            Array.Fill(verticalToken, -1);
            for (int step = 0; ; step++)
            {
                bool active = false;
                for (int r = rows - 1; r >= 0; r--)
                {
                    for (int c = cols - 1; c >= 0; c--)
                    {
                        int pe = r * cols + c;
                        // The moving operand arrives from the left neighbour (or the row's feeder at column 0).
                        if (c > 0)
                        {
                            movingToken[pe] = movingToken[pe - 1];
                            moving.AsSpan((pe - 1) * width, width).CopyTo(moving.AsSpan(pe * width, width));
                        }
                        else
                        {
                            int token = step - r;
                            bool slot = token >= 0 && token < temporal;
                            movingToken[pe] = slot ? token : -1;
                            var target = moving.AsSpan(pe * width, width);
                            if (slot && r < usedRows) (ws ? AChunk(token, r0 + r) : WChunk(token, r0 + r)).CopyTo(target);
                            else target.Clear();
                        }
                        int t = movingToken[pe];
                        long above = r > 0 ? psum[pe - cols] : 0;
                        if (t < 0)
                        {
                            psum[pe] = 0;
                            continue;
                        }
                        active = true;
                        var streamed = moving.AsSpan(pe * width, width);
                        var held = stationary.AsSpan(pe * width, width);
                        psum[pe] = above + (ws ? sim.pe.DotStep(streamed, held) : sim.pe.DotStep(held, streamed));
                        if (r < usedRows && c < usedCols) busyPeCycles += sim.pe.CyclesPerStep;
                        if (r == rows - 1 && c < usedCols)
                        {
                            // The finished sum leaves the bottom row: token t of column c.
                            long index = ws ? (long)t * n + c0 + c : (long)(c0 + c) * n + t;
                            outputs[index] += psum[pe];
                        }
                    }
                }
                if (!active) return cycles;
                cycles += sim.pe.CyclesPerStep;
                peCycles += (long)rows * cols * sim.pe.CyclesPerStep;
            }
        }

        /// <summary>Shifts the stationary operand down the columns, one row per cycle, bottom row first.</summary>
        private long Preload(int r0, int c0, int usedRows, int usedCols, bool ws)
        {
            for (int cycle = 0; cycle < rows; cycle++)
            {
                Array.Copy(stationary, 0, stationary, cols * width, (rows - 1) * cols * width);
                int feedRow = rows - 1 - cycle;
                for (int c = 0; c < cols; c++)
                {
                    var target = stationary.AsSpan(c * width, width);
                    if (feedRow < usedRows && c < usedCols)
                        (ws ? WChunk(c0 + c, r0 + feedRow) : AChunk(c0 + c, r0 + feedRow)).CopyTo(target);
                    else target.Clear();
                }
                peCycles += (long)rows * cols;
            }
            return rows;
        }

        /// <summary>
        /// OS: PE (r, c) accumulates output (m0 + r, n0 + c); activation chunks enter rows from the left and weight
        /// chunks enter columns from the top, each skewed by one step per row or column.
        /// </summary>
        private long SystolicOsFold(int r0, int c0, int usedRows, int usedCols)
        {
            Array.Fill(movingToken, -1);
            Array.Fill(verticalToken, -1);
            Array.Clear(psum);
            long cycles = 0;
            for (int step = 0; ; step++)
            {
                bool active = false;
                for (int r = rows - 1; r >= 0; r--)
                {
                    for (int c = cols - 1; c >= 0; c--)
                    {
                        int pe = r * cols + c;
                        ShiftIn(movingToken, moving, pe, c > 0 ? pe - 1 : -1, step - r, r < usedRows ? r0 + r : -1, isActivation: true);
                        ShiftIn(verticalToken, verticalValues, pe, r > 0 ? pe - cols : -1, step - c, c < usedCols ? c0 + c : -1, isActivation: false);
                        if (movingToken[pe] < 0 || verticalToken[pe] < 0) continue;
                        active = true;
                        psum[pe] += sim.pe.DotStep(moving.AsSpan(pe * width, width), verticalValues.AsSpan(pe * width, width));
                        if (r < usedRows && c < usedCols) busyPeCycles += sim.pe.CyclesPerStep;
                    }
                }
                if (!active) break;
                cycles += sim.pe.CyclesPerStep;
                peCycles += (long)rows * cols * sim.pe.CyclesPerStep;
            }
            WriteAccumulators(r0, c0, usedRows, usedCols);
            return cycles;
        }

        /// <summary>Output-stationary folds end with each mapped PE's accumulator holding its output.</summary>
        private void WriteAccumulators(int r0, int c0, int usedRows, int usedCols)
        {
            for (int r = 0; r < usedRows; r++)
                for (int c = 0; c < usedCols; c++)
                    outputs[(long)(r0 + r) * n + c0 + c] = psum[r * cols + c];
        }

        /// <summary>Moves chunk <paramref name="chunk"/> of a row/column operand one PE further, or feeds it at the edge.</summary>
        private void ShiftIn(int[] tokens, long[] values, int pe, int from, int chunk, int index, bool isActivation)
        {
            var target = values.AsSpan(pe * width, width);
            if (from >= 0)
            {
                tokens[pe] = tokens[from];
                values.AsSpan(from * width, width).CopyTo(target);
                return;
            }
            bool slot = chunk >= 0 && chunk < chunks;
            tokens[pe] = slot ? chunk : -1;
            if (slot && index >= 0) (isActivation ? AChunk(index, chunk) : WChunk(index, chunk)).CopyTo(target);
            else target.Clear();
        }

        /// <summary>Broadcast OS: every step drives chunk t of each row's activation and each column's weight to all PEs at once.</summary>
        private long BroadcastFold(int r0, int c0, int usedRows, int usedCols)
        {
            Array.Clear(psum);
            long cycles = 0;
            for (int step = 0; step < chunks; step++)
            {
                // One read per row and per column drives every PE of that line.
                aReads += (long)usedRows * Real(step);
                wReads += (long)usedCols * Real(step);
                for (int r = 0; r < rows; r++)
                {
                    for (int c = 0; c < cols; c++)
                    {
                        if (r >= usedRows || c >= usedCols) continue; // zero operands: the sum stays 0
                        psum[r * cols + c] += sim.pe.DotStep(a.AsSpan(((r0 + r) * chunks + step) * width, width), w.AsSpan(((c0 + c) * chunks + step) * width, width));
                        busyPeCycles += sim.pe.CyclesPerStep;
                    }
                }
                cycles += sim.pe.CyclesPerStep;
                peCycles += (long)rows * cols * sim.pe.CyclesPerStep;
            }
            WriteAccumulators(r0, c0, usedRows, usedCols);
            return cycles;
        }
    }
}
