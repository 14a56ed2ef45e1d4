using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Vendors.Invoance;

/// <summary>
/// Verifies Invoance signed audit events (<c>invoance.audit/1</c>) offline: the canonical bytes rebuilt from the event
/// (<see cref="InvoanceAuditCanonicalizer"/>), <c>payload_hash</c> = SHA-256 of them, and the Ed25519
/// <c>signature</c> over the canonical bytes themselves (not the hash) under a key the caller pinned. The event's
/// <c>signing_public_key</c> only tells an unpinned but consistent event (Untrusted) from a broken one. Reads one
/// event, an array of events, a page <c>{events: […]}</c> or NDJSON (the export format). Immutable and thread-safe.
/// </summary>
public sealed class InvoanceAuditVerifier
{
    private const string SinglePrefix = "(single)";

    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>Creates a verifier that trusts the Ed25519 keys pinned in <paramref name="trust"/>.</summary>
    public InvoanceAuditVerifier(TrustPolicy trust, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trust);
        _trust = trust;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>Verifies every event in <paramref name="utf8Json"/>.</summary>
    public VendorReport Verify(ReadOnlySpan<byte> utf8Json)
    {
        var builder = new VendorReportBuilder(VendorFormats.InvoanceAudit, _options.MaxFindings);
        builder.Check(VendorCheckNames.Form,
            "Each event has the required signed fields (org_id, id or event_id, seq, ingested_at, action, occurred_at, actor, "
            + "targets), RFC 3339 timestamps, payload_hash and signature; a schema_id, if shown, is invoance.audit/1.");
        builder.Check(VendorCheckNames.Hashes,
            "payload_hash = SHA-256 of the canonical bytes: the signed fields present and not null (org_id, event_id, seq, "
            + "ingested_at, action, occurred_at, actor, targets, context, metadata) plus schema_id, timestamps in UTC .sssZ, "
            + "null members removed, keys sorted at every depth, compact UTF-8. Not signed: version and any other member.");
        builder.Check(VendorCheckNames.Signature, "Ed25519 over the canonical bytes.");
        builder.Check(VendorCheckNames.Trust, "Every signature verifies under an Ed25519 key pinned by the caller.");

        var documents = new List<JsonDocument>();
        try
        {
            if (!TryReadEvents(utf8Json, documents, out var events, out var prefix, out var problem))
            {
                builder.Add(VendorCheckNames.Form, new Finding(FindingCodes.Malformed, FindingSeverity.Error, problem));
                builder.Subject = "Invoance audit events (invoance.audit/1)";
                return builder.Build();
            }

            bool allChecked = true, allPinned = events.Count > 0;
            for (var i = 0; i < events.Count; i++)
            {
                var outcome = VerifyEvent(events[i], i, prefix, builder);
                allChecked &= outcome.Checked;
                allPinned &= outcome.Pinned;
            }

            if (events.Count == 0)
            {
                builder.Add(VendorCheckNames.Form, new Finding(VendorFindingCodes.NoHashedEvents, FindingSeverity.Trust, "The document holds no event: nothing is verified."));
            }

            builder.Completed(VendorCheckNames.Form);
            if (allChecked && events.Count > 0)
            {
                builder.Completed(VendorCheckNames.Hashes);
                builder.Completed(VendorCheckNames.Signature);
            }

            if (allPinned)
            {
                builder.Completed(VendorCheckNames.Trust);
            }

            builder.Subject = $"Invoance audit events (invoance.audit/1), {events.Count.ToString(CultureInfo.InvariantCulture)} events";
            return builder.Build();
        }
        finally
        {
            foreach (var document in documents)
            {
                document.Dispose();
            }
        }
    }

    /// <param name="ev">The event.</param>
    /// <param name="index">Its position in the document.</param>
    /// <param name="prefix">The JSON Pointer of the array of events ("" or "/events"), <see cref="SinglePrefix"/>, or null for NDJSON.</param>
    /// <param name="builder">The report.</param>
    private (bool Checked, bool Pinned) VerifyEvent(JsonElement ev, int index, string? prefix, VendorReportBuilder builder)
    {
        var id = Text(ev, "id") ?? Text(ev, "event_id");
        var item = builder.AddItem("event", id ?? "#" + index.ToString(CultureInfo.InvariantCulture));
        var at = prefix switch
        {
            null => null,
            SinglePrefix => "",
            _ => prefix + "/" + index.ToString(CultureInfo.InvariantCulture),
        };
        var name = id is null ? $"Event {index.ToString(CultureInfo.InvariantCulture)}" : $"Event {id}";

        void Add(string check, string code, FindingSeverity severity, string message, string member, string? expected = null, string? actual = null) =>
            builder.Add(check, new Finding(code, severity, $"{name}: {message}")
            {
                EntryIndex = index,
                EventId = id,
                Location = at is null ? null : $"{at}/{member}",
                Expected = expected,
                Actual = actual,
            }, item);

        if (ev.ValueKind != JsonValueKind.Object)
        {
            Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error, "is not a JSON object.", "");
            return (false, false);
        }

        if (ev.TryGetProperty("schema_id", out var schema) && Text(ev, "schema_id") != InvoanceAuditCanonicalizer.SchemaId)
        {
            Add(VendorCheckNames.Form, FindingCodes.UnsupportedVersion, FindingSeverity.Error,
                $"schema_id is {schema.GetRawText()}; this verifier implements {InvoanceAuditCanonicalizer.SchemaId} only.", "schema_id");
            return (false, false);
        }

        if (!InvoanceAuditCanonicalizer.TryCanonicalize(ev, out var canonical, out var error))
        {
            Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error, $"cannot be canonicalized: {error}", "");
            return (false, false);
        }

        var storedHash = Text(ev, "payload_hash");
        var signatureText = Text(ev, "signature");
        var keyText = Text(ev, "signing_public_key");
        if (storedHash is null || !Hex.TryDecode(signatureText, Ed25519Verifier.SignatureLength, out var signature))
        {
            Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error,
                "payload_hash must be a string and signature 64 bytes of hex, as the API serves them.", storedHash is null ? "payload_hash" : "signature");
            return (false, false);
        }

        Ed25519PublicKey? carried = null;
        if (keyText is not null && (!Hex.TryDecode(keyText, Ed25519PublicKey.Length, out var keyBytes) || !Ed25519PublicKey.TryImport(keyBytes, out carried)))
        {
            Add(VendorCheckNames.Form, FindingCodes.Malformed, FindingSeverity.Error, "signing_public_key is not a 32-byte Ed25519 key in hex.", "signing_public_key");
            return (false, false);
        }

        var recomputed = Convert.ToHexStringLower(SHA256.HashData(canonical));
        if (!string.Equals(recomputed, storedHash, StringComparison.Ordinal))
        {
            Add(VendorCheckNames.Hashes, FindingCodes.PayloadHashMismatch, FindingSeverity.Error,
                "payload_hash is not the SHA-256 of the canonical bytes rebuilt from the event: a signed field or the hash was changed.",
                "payload_hash", recomputed, storedHash);
        }

        var state = VendorSigners.VerifyEd25519(_trust, carried, canonical, signature, out var signer);
        switch (state)
        {
            case SignerState.Pinned when carried is not null && !carried.Equals(signer):
                Add(VendorCheckNames.Signature, FindingCodes.KeyIdMismatch, FindingSeverity.Error,
                    "the signature verifies under a pinned key, but signing_public_key names another key.", "signing_public_key",
                    signer!.ToString(), carried.ToString());
                break;
            case SignerState.Unpinned:
                Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                    "the signature verifies only under the event's own signing_public_key, which no one pinned.", "signing_public_key",
                    actual: carried!.ToString());
                break;
            case SignerState.Invalid:
                Add(VendorCheckNames.Signature, FindingCodes.SignatureInvalid, FindingSeverity.Error,
                    "the Ed25519 signature over the canonical bytes does not verify" + (carried is null ? " under any pinned key." : "."), "signature");
                break;
            case SignerState.NoKey:
                Add(VendorCheckNames.Trust, FindingCodes.UntrustedKey, FindingSeverity.Trust,
                    "no Ed25519 key is pinned and the event carries none: the signature could not be checked.", "signature");
                return (false, false);
        }

        return (true, state == SignerState.Pinned);
    }

    private bool TryReadEvents(ReadOnlySpan<byte> utf8Json, List<JsonDocument> documents, out List<JsonElement> events, out string? prefix,
        out string problem)
    {
        events = [];
        problem = "";
        prefix = null;
        try
        {
            var document = VendorJson.ParseDocument(utf8Json, _options.MaxDepth);
            documents.Add(document);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Array)
            {
                events.AddRange(root.EnumerateArray());
                prefix = "";
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("events", out var page) && page.ValueKind == JsonValueKind.Array
                     && !root.TryGetProperty("action", out _))
            {
                events.AddRange(page.EnumerateArray());
                prefix = "/events";
            }
            else if (root.ValueKind == JsonValueKind.Object)
            {
                events.Add(root);
                prefix = SinglePrefix;
            }
            else
            {
                problem = "An Invoance audit document is an event object, an array of events, a page {events: [...]} or NDJSON.";
                return false;
            }

            return true;
        }
        catch (JsonException single)
        {
            // NDJSON (the export format): one event object per line.
            var lines = System.Text.Encoding.UTF8.GetString(utf8Json).Split('\n');
            if (lines.Count(l => l.Trim().Length > 0) < 2)
            {
                problem = $"The document is not valid JSON: {single.Message}";
                return false;
            }

            for (var i = 0; i < lines.Length; i++)
            {
                if (lines[i].Trim().Length == 0)
                {
                    continue;
                }

                try
                {
                    var line = JsonDocument.Parse(lines[i], new JsonDocumentOptions { AllowDuplicateProperties = false, MaxDepth = _options.MaxDepth });
                    documents.Add(line);
                    events.Add(line.RootElement);
                }
                catch (JsonException exception)
                {
                    problem = $"NDJSON line {(i + 1).ToString(CultureInfo.InvariantCulture)} is not valid JSON: {exception.Message}";
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>A string member, or null when absent, not a string, or not representable (a lone surrogate).</summary>
    internal static string? Text(JsonElement ev, string name)
    {
        if (ev.ValueKind != JsonValueKind.Object || !ev.TryGetProperty(name, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        try
        {
            return value.GetString();
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }
}
