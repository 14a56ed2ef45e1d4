using System.Collections;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Traces.Client.Models;
using Traces.TestSupport;

namespace Traces.Client.Tests.Vendors;

/// <summary>Reading vendor examples: the JSON blocks of a seed document, typed round trips, and the "nothing left over" check.</summary>
internal static partial class VendorJson
{
    /// <summary>
    /// Every JSON example of a seed document, in order: each block that opens with <c>{</c> or <c>[</c> at the start of
    /// a line (outside another block), scanned to its balanced end, and each <c>curl -d '…'</c> request body.
    /// </summary>
    public static IReadOnlyList<string> SeedExamples(string vendor)
    {
        var text = File.ReadAllText(TestVectors.PathOf("seeds", vendor + ".txt")).ReplaceLineEndings("\n");
        var blocks = new List<(int Start, string Json)>();
        var position = 0;
        while (position < text.Length)
        {
            var atLineStart = position == 0 || text[position - 1] == '\n';
            if (atLineStart && text[position] is '{' or '[' && (position + 1 == text.Length || text[position + 1] == '\n'))
            {
                var end = BalancedEnd(text, position);
                blocks.Add((position, text[position..end]));
                position = end;
                continue;
            }

            position++;
        }

        foreach (Match match in CurlBody().Matches(text))
        {
            blocks.Add((match.Index, match.Groups[1].Value));
        }

        return [.. blocks.OrderBy(b => b.Start).Select(b => b.Json)];
    }

    private static int BalancedEnd(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                    {
                        return i + 1;
                    }

                    break;
            }
        }

        throw new InvalidOperationException($"Unbalanced JSON example at offset {start}.");
    }

    [GeneratedRegex(@"-d '(\{.*?\})'", RegexOptions.Singleline)]
    private static partial Regex CurlBody();

    /// <summary>Reads <paramref name="json"/>, checks that no typed model kept a member for itself, writes it back and compares.</summary>
    public static T AssertRoundTrip<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        var model = JsonSerializer.Deserialize(json, typeInfo);
        Assert.NotNull(model);
        AssertNothingLeftOver(model, typeof(T).Name);
        var written = JsonSerializer.Serialize(model, typeInfo);
        JsonSemantics.AssertEquivalent(JsonNode.Parse(json), JsonNode.Parse(written));
        return model;
    }

    /// <summary>Every <see cref="TracesModel"/> in the graph has an empty <see cref="TracesModel.AdditionalProperties"/>.</summary>
    public static void AssertNothingLeftOver(object? value, string path)
    {
        switch (value)
        {
            case null or string or JsonNode or JsonElement:
                return;
            case TracesModel model:
                Assert.True(
                    model.AdditionalProperties is null || model.AdditionalProperties.Count == 0,
                    $"{path} ({model.GetType().Name}) left members untyped: {string.Join(", ", model.AdditionalProperties?.Keys ?? [])}");
                foreach (var property in model.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
                {
                    if (property.Name != nameof(TracesModel.AdditionalProperties) && property.GetIndexParameters().Length == 0)
                    {
                        AssertNothingLeftOver(property.GetValue(model), $"{path}.{property.Name}");
                    }
                }

                return;
            case IEnumerable items:
                var i = 0;
                foreach (var item in items)
                {
                    AssertNothingLeftOver(item, $"{path}[{i++}]");
                }

                return;
        }
    }
}
