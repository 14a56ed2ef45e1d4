using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.Verification.Canonicalization;

namespace Traces.TestSupport.Fuzzing;

/// <summary>
/// What a verdict of Valid commits to, read from a JSON text by an independent lenient reader: every signed value
/// (each entry's content fields and stated content hash, the seal event's, the certificate's statement) and every value
/// a Valid verdict binds to them (the bundle's trace id, count, composite, root and sealing time; the inclusion
/// proof's members). Unsigned members (label, index, chain links, keys, signatures) are left out. A Valid verdict is
/// right only when the projection is that of a genuinely signed document: then no signed field changed.
/// </summary>
public static class SignedProjection
{
    /// <summary>The projection of a bundle text, or null when no lenient reader can read it (then Valid is wrong).</summary>
    public static string? OfBundle(byte[] json) => Read(json, root =>
    {
        var text = new StringBuilder();
        Append(text, root, "trace_id", "event_count", "composite_hash", "integrity_root_hash", "sealed_at");
        var events = root.GetProperty("events");
        text.Append(events.GetArrayLength()).Append('|');
        foreach (var entry in events.EnumerateArray())
        {
            Entry(text, entry);
        }

        text.Append("seal:");
        Entry(text, root.GetProperty("seal_event"));
        text.Append("seal-payload:").Append(Canonical(root.GetProperty("seal_event").GetProperty("payload"))).Append('|');
        Certificate(text, root.GetProperty("certificate"));
        return text.ToString();
    });

    /// <summary>The projection of a certificate text.</summary>
    public static string? OfCertificate(byte[] json) => Read(json, root =>
    {
        var text = new StringBuilder();
        Certificate(text, root);
        return text.ToString();
    });

    /// <summary>The projection of an entry list checked against a certificate.</summary>
    public static string? OfEntries(byte[] entries, byte[] certificate) => Read(entries, root =>
    {
        var text = new StringBuilder();
        text.Append(root.GetArrayLength()).Append('|');
        foreach (var entry in root.EnumerateArray())
        {
            Entry(text, entry);
        }

        return text.Append(OfCertificate(certificate)).ToString();
    });

    /// <summary>The projection of an entry, its inclusion proof and the certificate.</summary>
    public static string? OfInclusion(byte[] entry, byte[] proof, byte[] certificate)
    {
        var entryPart = Read(entry, root =>
        {
            var text = new StringBuilder();
            Entry(text, root);
            return text.ToString();
        });
        var proofPart = Read(proof, root =>
        {
            var text = new StringBuilder();
            Append(text, root, "trace_id", "leaf_index", "tree_size", "composite_hash");
            foreach (var node in root.GetProperty("path").EnumerateArray())
            {
                text.Append(node.GetString()).Append(',');
            }

            return text.ToString();
        });
        var certificatePart = OfCertificate(certificate);
        return entryPart is null || proofPart is null || certificatePart is null ? null : entryPart + proofPart + certificatePart;
    }

    /// <summary>
    /// Whether every payload present in the text hashes (RFC 8785) to its entry's <c>payload_hash</c>: a Valid verdict
    /// must imply it, whatever else the verifier does.
    /// </summary>
    public static PayloadCheck CheckPayloads(byte[] json)
    {
        var result = Read(json, root =>
        {
            foreach (var entry in Entries(root))
            {
                // A payload written null is the JSON value null (proof-format §9.1): it must hash to payload_hash like any other.
                if (entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("payload", out var payload))
                {
                    var canonical = JsonCanonicalizer.Canonicalize(payload);
                    if (!canonical.IsSuccess || entry.GetProperty("payload_hash").GetString()
                            != "sha256:" + Convert.ToHexStringLower(SHA256.HashData(canonical.Utf8Bytes!)))
                    {
                        return nameof(PayloadCheck.Mismatch);
                    }
                }
            }

            return nameof(PayloadCheck.Match);
        });
        return result is null ? PayloadCheck.Mismatch : Enum.Parse<PayloadCheck>(result);
    }

    private static IEnumerable<JsonElement> Entries(JsonElement root) => root.ValueKind switch
    {
        JsonValueKind.Array => root.EnumerateArray(),
        JsonValueKind.Object when root.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array =>
            [.. events.EnumerateArray(), .. root.TryGetProperty("seal_event", out var seal) ? [seal] : Array.Empty<JsonElement>()],
        JsonValueKind.Object when root.TryGetProperty("payload_hash", out _) => [root],
        _ => [],
    };

    private static void Entry(StringBuilder text, JsonElement entry) =>
        Append(text, entry, "event_id", "event_type", "ingested_at", "payload_hash", "content_hash");

    private static void Certificate(StringBuilder text, JsonElement certificate) =>
        Append(text, certificate, "v", "trace_id", "event_count", "composite_hash", "integrity_root_hash", "seal_event_id", "sealed_at", "key_id");

    private static void Append(StringBuilder text, JsonElement element, params string[] members)
    {
        foreach (var member in members)
        {
            var value = element.GetProperty(member);
            text.Append(value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()).Append('|');
        }
    }

    private static string Canonical(JsonElement element)
    {
        var result = JsonCanonicalizer.Canonicalize(element);
        return result.IsSuccess ? Convert.ToBase64String(result.Utf8Bytes!) : "not I-JSON";
    }

    private static string? Read(byte[] json, Func<JsonElement, string> project)
    {
        try
        {
            // Deep enough for payloads nested to a raised --max-depth (proof-format §10.5).
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 256 });
            return project(document.RootElement);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            // Not JSON, not UTF-8, a member missing or of another kind: nothing signed can be read, so Valid is wrong.
            return null;
        }
    }
}

/// <summary>The outcome of <see cref="SignedProjection.CheckPayloads"/>.</summary>
public enum PayloadCheck
{
    /// <summary>Every present payload hashes to its payload_hash.</summary>
    Match,

    /// <summary>A present payload does not hash to its payload_hash (or the text cannot be read).</summary>
    Mismatch,
}
