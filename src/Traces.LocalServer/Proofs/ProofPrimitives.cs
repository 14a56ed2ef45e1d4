using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Proofs;

/// <summary>
/// The proof-format primitives the server needs, in one place so that they come from Traces.Verification and nowhere
/// else. TEMPORARY: until the canonicalizer, Merkle tree and signed-message code are merged into main, this holds a
/// minimal stand-in; each member is replaced by a one-line call into Traces.Verification once they land.
/// </summary>
internal static class ProofPrimitives
{
    public const string FormatVersion = "traces/v1";
    public const string EventLabel = "traces/v1/event";
    public const string CertificateLabel = "traces/v1/certificate";

    /// <summary>Checks that <paramref name="utf8Json"/> is I-JSON and returns its RFC 8785 form, or an error message.</summary>
    public static bool TryCanonicalize(ReadOnlySpan<byte> utf8Json, out byte[] canonical, out string error)
    {
        canonical = [];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }

        using (document)
        {
            return TryCanonicalize(document.RootElement, out canonical, out error);
        }
    }

    /// <summary>RFC 8785 form of an element, refusing what I-JSON forbids.</summary>
    public static bool TryCanonicalize(JsonElement element, out byte[] canonical, out string error)
    {
        var output = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            if (!TryWrite(element, writer, "$", out error))
            {
                canonical = [];
                return false;
            }
        }

        canonical = output.WrittenSpan.ToArray();
        error = "";
        return true;
    }

    public static byte[] Canonicalize(JsonElement element) =>
        TryCanonicalize(element, out var canonical, out var error) ? canonical : throw new InvalidOperationException(error);

    public static Digest PayloadHash(JsonElement payload) => Digest.Compute(Canonicalize(payload));

    /// <summary>proof-format §4.2: SHA-256 of JCS({"v","event_id","event_type","ingested_at","payload_hash"}).</summary>
    public static Digest ContentHash(string eventId, string eventType, string ingestedAt, Digest payloadHash)
    {
        // Identifiers, event types, timestamps and digests never need escaping (§3.1), and the members are already in
        // JCS order, so the canonical preimage is this exact string.
        var preimage = $"{{\"event_id\":\"{eventId}\",\"event_type\":\"{eventType}\",\"ingested_at\":\"{ingestedAt}\",\"payload_hash\":\"{payloadHash}\",\"v\":\"{FormatVersion}\"}}";
        return Digest.Compute(Encoding.UTF8.GetBytes(preimage));
    }

    /// <summary>RFC 9162 Merkle Tree Hash with leaves = the raw content digests.</summary>
    public static Digest CompositeHash(IReadOnlyList<Digest> contentDigests)
    {
        var leaves = contentDigests.Select(d => Hash([0x00], d.Bytes.ToArray())).ToList();
        return Mth(leaves, 0, leaves.Count);
    }

    public static byte[] SignedMessage(string label, Digest digest)
    {
        var message = new byte[label.Length + 1 + Digest.Length];
        Encoding.ASCII.GetBytes(label, message);
        digest.Bytes.CopyTo(message.AsSpan(label.Length + 1));
        return message;
    }

    public static Digest StatementDigest(CertificateStatement statement)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(statement, TracesJsonContext.Default.CertificateStatement);
        using var document = JsonDocument.Parse(json);
        return Digest.Compute(Canonicalize(document.RootElement));
    }

    private static Digest Mth(List<Digest> leaves, int start, int count)
    {
        if (count == 0)
        {
            return Digest.Compute([]);
        }

        if (count == 1)
        {
            return leaves[start];
        }

        var k = 1;
        while (k * 2 < count)
        {
            k *= 2;
        }

        var left = Mth(leaves, start, k);
        var right = Mth(leaves, start + k, count - k);
        return Hash([0x01], left.Bytes.ToArray(), right.Bytes.ToArray());
    }

    private static Digest Hash(params byte[][] parts)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var part in parts)
        {
            sha.AppendData(part);
        }

        return Digest.FromBytes(sha.GetHashAndReset());
    }

    private static bool TryWrite(JsonElement element, Utf8JsonWriter writer, string path, out string error)
    {
        error = "";
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (var property in element.EnumerateObject().OrderBy(p => p.Name, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(property.Name);
                    if (!TryWrite(property.Value, writer, path + "." + property.Name, out error))
                    {
                        return false;
                    }
                }

                writer.WriteEndObject();
                return true;
            case JsonValueKind.Array:
                writer.WriteStartArray();
                var i = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (!TryWrite(item, writer, $"{path}[{i++}]", out error))
                    {
                        return false;
                    }
                }

                writer.WriteEndArray();
                return true;
            case JsonValueKind.String:
                writer.WriteStringValue(element.GetString());
                return true;
            case JsonValueKind.Number:
                var value = element.GetDouble();
                if (double.IsInfinity(value) || (Math.Floor(value) == value && Math.Abs(value) > 9007199254740991d))
                {
                    error = $"Number at {path} is outside the I-JSON safe range.";
                    return false;
                }

                writer.WriteRawValue(Math.Floor(value) == value ? ((long)value).ToString(CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture));
                return true;
            default:
                element.WriteTo(writer);
                return true;
        }
    }
}
