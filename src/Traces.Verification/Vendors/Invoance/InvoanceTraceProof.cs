using System.Text.Json;

namespace Traces.Verification.Vendors.Invoance;

/// <summary>
/// Recognises an Invoance trace proof bundle (<c>GET /v1/traces/{id}/proof</c>, <c>version</c> "1.0": node SDK
/// models/traces.ts) so that it is answered honestly: its construction is not published, so it cannot be verified.
/// </summary>
public static class InvoanceTraceProof
{
    /// <summary>Why an Invoance trace proof cannot be verified offline.</summary>
    public const string Explanation =
        "This is an Invoance trace proof bundle (version 1.0). Invoance does not publish how it is built: the input of each "
        + "event's content_hash, the construction of composite_hash (the web page's \"SHA-256(event_hash_1 + … + "
        + "event_hash_n)\" says neither which hash nor hex text or raw bytes), what the seal event's signature covers, "
        + "and the encoding of signature and public_key. No official SDK verifies it. Its \"verification\" flags "
        + "(composite_hash_valid, all_signatures_valid) are the server's statement about itself, not evidence. Nothing "
        + "in it is checked here; a guessed formula would not be a check.";

    /// <summary>True when <paramref name="utf8Json"/> is an object with <c>version</c> "1.0", <c>trace_id</c>, <c>events</c> and <c>composite_hash</c>.</summary>
    public static bool IsTraceProof(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            bool version = false, traceId = false, events = false, composite = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("version"))
                {
                    reader.Read();
                    version = reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("1.0");
                }
                else
                {
                    traceId |= reader.ValueTextEquals("trace_id");
                    var isEvents = reader.ValueTextEquals("events");
                    composite |= reader.ValueTextEquals("composite_hash");
                    reader.Read();
                    events |= isEvents && reader.TokenType == JsonTokenType.StartArray;
                }

                reader.Skip();
            }

            return version && traceId && events && composite;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
