namespace HwSim.Cli.Results;

/// <summary>How a command writes its result: a table for people, JSON or CSV for programs.</summary>
public enum OutputFormat
{
    Table,
    Json,
    Csv,
}
