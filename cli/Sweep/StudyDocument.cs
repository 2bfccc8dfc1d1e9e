using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace HwSim.Cli.Sweep;

/// <summary>
/// Reads a study file as a JSON tree: YAML (YamlDotNet) or, for a <c>.json</c> file, JSON. YAML plain scalars become
/// JSON numbers, booleans or null where YAML 1.2's core schema reads them so (<c>64</c>, <c>0.5</c>, <c>true</c>,
/// <c>~</c>); quoted scalars stay strings. Anchors and aliases are resolved by YamlDotNet.
/// </summary>
public static class StudyDocument
{
    public static JsonNode Load(string path)
    {
        string text = File.ReadAllText(path);
        string source = Path.GetFileName(path);
        if (Path.GetExtension(path).Equals(".json", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })
                    ?? throw new InvalidDataException($"{source}: the file holds JSON null, not a study");
            }
            catch (JsonException e)
            {
                throw new InvalidDataException($"{source}: not valid JSON (line {e.LineNumber + 1}): {e.Message.Split(" Path:")[0]}");
            }
        }
        return ParseYaml(text, source);
    }

    public static JsonNode ParseYaml(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            throw new InvalidDataException($"{source}: not valid YAML (line {e.Start.Line}): {e.Message}");
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's parser fails these ways, without a position, on some malformed flow collections (an
            // unterminated "[" followed by a key, a stray event inside one); found by the study-file fuzzer.
            throw new InvalidDataException($"{source}: not valid YAML (a malformed '[' or '{{' collection?)");
        }
        if (stream.Documents.Count != 1) throw new InvalidDataException($"{source}: expected one YAML document, found {stream.Documents.Count}");
        return ToJson(stream.Documents[0].RootNode, source) ?? throw new InvalidDataException($"{source}: the document is empty, not a study");
    }

    private static JsonNode? ToJson(YamlNode node, string source) => node switch
    {
        YamlMappingNode map => Mapping(map, source),
        YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(c => ToJson(c, source))]),
        YamlScalarNode scalar => Scalar(scalar),
        _ => throw new InvalidDataException($"{source}: line {node.Start.Line}: unsupported YAML node"),
    };

    private static JsonObject Mapping(YamlMappingNode map, string source)
    {
        var result = new JsonObject();
        foreach (var (key, value) in map.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
                throw new InvalidDataException($"{source}: line {key.Start.Line}: a key must be a plain name");
            if (result.ContainsKey(name)) throw new InvalidDataException($"{source}: line {key.Start.Line}: key '{name}' appears twice");
            result[name] = ToJson(value, source);
        }
        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        string text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL": return null;
            case "true" or "True" or "TRUE": return JsonValue.Create(true);
            case "false" or "False" or "FALSE": return JsonValue.Create(false);
        }
        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long integer)) return JsonValue.Create(integer);
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real)) return JsonValue.Create(real);
        return JsonValue.Create(text);
    }
}
