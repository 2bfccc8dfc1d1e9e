using HwSim.Numerics.Quantization;

namespace HwSim.Cli.Results;

/// <summary>
/// `hwsim quantize --format json` (schema docs/schemas/quantize.schema.json): the tensor and each datatype's
/// errors, ranked by weight SQNR (dB). An SQNR is null where the error is zero (infinite SQNR).
/// </summary>
public sealed record QuantizeResult(string Source, int Rows, int Cols, int GroupSize, IReadOnlyList<QuantizeRow> Datatypes)
    : ICommandResult<QuantizeResult>
{
    public static string Schema => "quantize";
    public static int SchemaVersion => 1;

    public static QuantizeResult Of(string source, int rows, int cols, int groupSize, IReadOnlyList<StudyRow> study) =>
        new(source, rows, cols, groupSize, [.. study.Select((r, i) => new QuantizeRow(i + 1, r.Name, r.EffectiveBits, r.Weights.Mse, r.Weights.SqnrDb,
            r.Weights.MaxAbsError, r.Outputs.Mse, r.Outputs.SqnrDb))]);

    public static IReadOnlyList<string> CsvColumns { get; } =
        ["datatype", "bits_per_weight", "weight_mse", "weight_sqnr_db", "weight_max_abs_error", "output_mse", "output_sqnr_db", "rank"];

    public IEnumerable<IReadOnlyList<object?>> CsvRows() => Datatypes.Select(r => (IReadOnlyList<object?>)
        [r.Datatype, r.BitsPerWeight, r.WeightMse, r.WeightSqnrDb, r.WeightMaxAbsError, r.OutputMse, r.OutputSqnrDb, r.Rank]);
}

public sealed record QuantizeRow(int Rank, string Datatype, double BitsPerWeight, double WeightMse, double WeightSqnrDb, double WeightMaxAbsError,
    double OutputMse, double OutputSqnrDb);
