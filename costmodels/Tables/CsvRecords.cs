using Microsoft.VisualBasic.FileIO;

namespace HwSim.CostModels.Tables;

/// <summary>RFC 4180 records (quoted fields may hold commas) with their line numbers, via the BCL's TextFieldParser.</summary>
internal static class CsvRecords
{
    /// <summary>The records of <paramref name="text"/>; a malformed line fails naming <paramref name="source"/> and the line.</summary>
    public static IEnumerable<(long Line, string[] Fields)> Read(string text, string source)
    {
        using var parser = new TextFieldParser(new StringReader(text))
        {
            TextFieldType = FieldType.Delimited,
            HasFieldsEnclosedInQuotes = true,
            TrimWhiteSpace = true,
        };
        parser.SetDelimiters(",");
        while (!parser.EndOfData)
        {
            long line = parser.LineNumber;
            string[]? fields;
            try
            {
                fields = parser.ReadFields();
            }
            catch (MalformedLineException e)
            {
                throw new InvalidDataException($"{source} line {e.LineNumber}: malformed CSV (unbalanced quotes?)");
            }
            if (fields is null || fields.All(f => f.Length == 0)) continue;
            yield return (line, fields);
        }
    }
}
