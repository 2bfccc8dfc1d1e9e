namespace HwSim.Cli.Results;

/// <summary>
/// A command's result document: its schema name and version (docs/schemas/NAME.schema.json) and its CSV form, one
/// row per record under <see cref="CsvColumns"/>; <see cref="ResultFile.Document{T}"/> writes it as JSON or CSV.
/// </summary>
public interface ICommandResult<TSelf> where TSelf : ICommandResult<TSelf>
{
    static abstract string Schema { get; }

    static abstract int SchemaVersion { get; }

    static abstract IReadOnlyList<string> CsvColumns { get; }

    IEnumerable<IReadOnlyList<object?>> CsvRows();
}
