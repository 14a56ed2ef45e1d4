using System.Text.Json;

namespace Traces.Verification.Bundles;

/// <summary>
/// The form of the informative members of proof-format §9.5 that only their JSON text shows. Their values are never
/// used: these checks report <c>malformed</c> findings and return nothing else.
/// </summary>
internal static class InformativeMembers
{
    private static readonly string[] s_flags = ["composite_hash_valid", "all_signatures_valid"];

    /// <summary>
    /// What is out of form in a <c>verification</c> value (§9.5): not an object, a member other than the two flags, a
    /// flag written twice, missing, or not <c>true</c>/<c>false</c>. Each problem is a location and a message.
    /// </summary>
    public static List<(string Location, string Message)> VerificationProblems(ReadOnlySpan<byte> json)
    {
        var problems = new List<(string, string)>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = int.MaxValue });
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problems.Add(("/verification", reader.TokenType == JsonTokenType.Null
                    ? "verification is null: an optional member is absent when it has no value, never null (§9.1, §9.5)."
                    : "verification is not an object {composite_hash_valid, all_signatures_valid} (§9.5)."));
                return problems;
            }

            var seen = new bool[s_flags.Length];
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var flag = reader.ValueTextEquals("composite_hash_valid"u8) ? 0 : reader.ValueTextEquals("all_signatures_valid"u8) ? 1 : -1;
                var name = flag >= 0 ? s_flags[flag] : BundleEntryFastReader.NameOf(ref reader);
                reader.Read();
                if (flag < 0)
                {
                    problems.Add(($"/verification/{name}", $"'{name}' is not a member of verification: only composite_hash_valid and all_signatures_valid (§9.5)."));
                }
                else if (seen[flag])
                {
                    problems.Add(($"/verification/{name}", $"The member '{name}' appears twice (RFC 7493 §2.3)."));
                }
                else if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    problems.Add(($"/verification/{name}", $"verification.{name} is not true or false (§9.5)."));
                }

                if (flag >= 0)
                {
                    seen[flag] = true;
                }

                reader.Skip();
            }

            for (var i = 0; i < s_flags.Length; i++)
            {
                if (!seen[i])
                {
                    problems.Add(($"/verification/{s_flags[i]}", $"verification has no {s_flags[i]}: both flags are required (§9.5)."));
                }
            }
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            problems.Add(("/verification", $"verification is not a JSON object in form: {exception.Message}"));
        }

        return problems;
    }
}
