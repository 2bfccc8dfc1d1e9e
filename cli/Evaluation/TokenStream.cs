using System.Globalization;

namespace HwSim.Cli.Evaluation;

/// <summary>
/// The token ids an evaluation runs on: a text tokenized once as one sequence with the checkpoint's own
/// tokenizer.json (its default special tokens, e.g. LLaMA's single BOS at the start, as GPTQ's protocol does), or ids
/// given directly as whitespace-separated integers or a NumPy .npy array of integers.
/// </summary>
public static class TokenStream
{
    public const string TokenizerFile = "tokenizer.json";

    /// <summary>
    /// Tokenizes with Hugging Face's own tokenizers library (the Rust crate, through Tokenizers.DotNet), so every
    /// normalizer, pre-tokenizer, model (BPE, Unigram, WordPiece, WordLevel) and post-processor a tokenizer.json can
    /// name behaves exactly as in transformers.
    /// </summary>
    public static int[] FromText(string checkpoint, string textPath)
    {
        string tokenizerPath = Path.Combine(checkpoint, TokenizerFile);
        if (!File.Exists(tokenizerPath))
            throw new UserInputException($"{tokenizerPath}: missing; --text needs the checkpoint's tokenizer.json (or pass ids with --tokens)");
        string text = File.ReadAllText(textPath);
        try
        {
            using var tokenizer = new Tokenizers.DotNet.Tokenizer(tokenizerPath);
            return [.. tokenizer.Encode(text).Select(id => checked((int)id))];
        }
        catch (Tokenizers.DotNet.TokenizerException e)
        {
            throw new UserInputException($"{tokenizerPath}: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>Token ids from a .npy integer array or a text file of whitespace-separated ids.</summary>
    public static int[] FromFile(string path)
    {
        if (path.EndsWith(".npy", StringComparison.OrdinalIgnoreCase)) return [.. Numerics.IO.NpyFile.ReadIntegers(path).Select((v, i) => ToId(v, i, path))];
        var ids = new List<int>();
        int index = 0;
        foreach (string word in File.ReadAllText(path).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out int id))
                throw new UserInputException($"{Path.GetFileName(path)}: token {index} '{word}' is not a non-negative integer id");
            ids.Add(id);
            index++;
        }
        return [.. ids];
    }

    private static int ToId(long value, int index, string path) =>
        value is >= 0 and <= int.MaxValue ? (int)value
            : throw new UserInputException($"{Path.GetFileName(path)}: token {index} is {value}, not a token id");
}
