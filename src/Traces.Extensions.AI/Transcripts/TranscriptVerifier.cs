using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.Extensions.AI.Content;
using Traces.Extensions.AI.Recording;
using Traces.Extensions.AI.Sinks;
using Traces.Verification.Bundles;

namespace Traces.Extensions.AI.Transcripts;

/// <summary>
/// Checks a disclosed <see cref="AgentTranscript"/> against the sealed record (docs/ai-recording.md §6): each entry is
/// found in the proof bundle, in order, with the same kind and step type, and its full content gives exactly what
/// the record holds: the same text (<c>full</c>), or the same <c>sha256:</c> digest (<c>sha256</c>; for an
/// attestation, the same document with its <c>messages</c> replaced by their digest).
/// </summary>
/// <remarks>
/// This compares content only. Whether the bundle itself is intact and signed by a key you trust is the job of
/// <c>BundleVerifier</c>: run it first, and trust this answer only for a bundle it found <c>Valid</c>.
/// </remarks>
public static class TranscriptVerifier
{
    /// <summary>Compares a transcript with a proof bundle.</summary>
    /// <param name="bundle">The proof bundle of the trace (verified first).</param>
    /// <param name="transcript">The disclosed transcript.</param>
    /// <returns>The findings; <see cref="TranscriptCheckResult.IsMatch"/> when there are none.</returns>
    public static TranscriptCheckResult Check(ProofBundle bundle, AgentTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        ArgumentNullException.ThrowIfNull(transcript);
        var findings = new List<TranscriptFinding>();
        if (transcript.TraceId is not null && !string.Equals(transcript.TraceId, bundle.TraceId, StringComparison.Ordinal))
        {
            findings.Add(new(TranscriptFindingCodes.TraceMismatch, $"The transcript is of trace {transcript.TraceId}, the bundle of {bundle.TraceId}.", null, null));
        }

        var entries = bundle.Events ?? [];
        var byId = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i].EventId is { } id)
            {
                byId.TryAdd(id, i);
            }
        }

        var matched = new HashSet<int>();
        var previous = -1;
        var checkedCount = 0;
        foreach (var disclosed in transcript.Entries ?? [])
        {
            var position = Locate(disclosed, entries, byId);
            if (position < 0)
            {
                findings.Add(new(TranscriptFindingCodes.EntryMissing, $"No entry {disclosed.EntryId ?? disclosed.Index?.ToString(System.Globalization.CultureInfo.InvariantCulture)} in the bundle.", disclosed.Index, disclosed.EntryId));
                continue;
            }

            var entry = entries[position];
            var index = entry.Index ?? position;
            if (position <= previous)
            {
                findings.Add(new(TranscriptFindingCodes.OrderMismatch, "The transcript lists this entry after one that comes later in the trace.", index, entry.EventId));
            }

            previous = Math.Max(previous, position);
            matched.Add(position);
            var finding = Compare(disclosed, entry, index);
            if (finding is null)
            {
                checkedCount++;
            }
            else
            {
                findings.Add(finding);
            }
        }

        if (matched.Count > 0)
        {
            for (var i = matched.Min(); i <= matched.Max(); i++)
            {
                if (!matched.Contains(i) && entries[i].EventType is TracesAttestationShape.StepEntryType or TracesAttestationShape.EntryType)
                {
                    findings.Add(new(TranscriptFindingCodes.EntryOmitted, $"The trace has a {entries[i].EventType} entry here that the transcript leaves out.", entries[i].Index ?? i, entries[i].EventId));
                }
            }
        }

        return new TranscriptCheckResult(checkedCount, findings);
    }

    private static int Locate(TranscriptEntry disclosed, IReadOnlyList<BundleEntry> entries, Dictionary<string, int> byId)
    {
        if (disclosed.EntryId is { } id)
        {
            return byId.TryGetValue(id, out var position) ? position : -1;
        }

        if (disclosed.Index is { } index)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                if ((entries[i].Index ?? i) == index)
                {
                    return i;
                }
            }
        }

        return -1;
    }

    private static TranscriptFinding? Compare(TranscriptEntry disclosed, BundleEntry entry, long index)
    {
        TranscriptFinding Finding(string code, string message) => new(code, message, index, entry.EventId);

        var payload = entry.Payload ?? default;
        switch (disclosed.Kind)
        {
            case TranscriptEntry.StepKind when entry.EventType == TracesAttestationShape.StepEntryType:
                {
                    var type = StringMember(payload, "type");
                    if (!string.Equals(type, disclosed.StepType, StringComparison.Ordinal))
                    {
                        return Finding(TranscriptFindingCodes.StepTypeMismatch, $"The record has a {type} step, the transcript a {disclosed.StepType} step.");
                    }

                    var policy = payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("metadata", out var metadata) ? StringMember(metadata, "content_policy") : null;
                    if (!string.Equals(policy, disclosed.ContentPolicy, StringComparison.Ordinal))
                    {
                        return Finding(TranscriptFindingCodes.PolicyMismatch, $"The record holds this step under content policy '{policy}', the transcript says '{disclosed.ContentPolicy}'.");
                    }

                    return Expected(disclosed.ContentPolicy, disclosed.Content, ContentPolicy.Sha256Of) is not { } expected
                        ? NotCheckable(disclosed, Finding)
                        : string.Equals(expected, StringMember(payload, "content"), StringComparison.Ordinal)
                            ? null
                            : Finding(TranscriptFindingCodes.ContentMismatch, "The disclosed content does not give the recorded content.");
                }

            case TranscriptEntry.AttestationKind when entry.EventType == TracesAttestationShape.EntryType:
                {
                    var (input, output) = TracesAttestationShape.ReadDocuments(payload);
                    var policy = PolicyOf(input);
                    if (!string.Equals(policy, disclosed.ContentPolicy, StringComparison.Ordinal) || !string.Equals(PolicyOf(output), policy, StringComparison.Ordinal))
                    {
                        return Finding(TranscriptFindingCodes.PolicyMismatch, $"The record holds this attestation under content policy '{policy}', the transcript says '{disclosed.ContentPolicy}'.");
                    }

                    var expectedInput = Expected(disclosed.ContentPolicy, disclosed.Input, AttestationDocuments.HashMessages);
                    var expectedOutput = Expected(disclosed.ContentPolicy, disclosed.Output, AttestationDocuments.HashMessages);
                    if (disclosed.ContentPolicy == "redacted")
                    {
                        return NotCheckable(disclosed, Finding);
                    }

                    return string.Equals(expectedInput, input, StringComparison.Ordinal) && string.Equals(expectedOutput, output, StringComparison.Ordinal) && input is not null
                        ? null
                        : Finding(TranscriptFindingCodes.ContentMismatch, "The disclosed request or response does not give the recorded attestation.");
                }

            default:
                return Finding(TranscriptFindingCodes.KindMismatch, $"The transcript has a {disclosed.Kind} here; the trace has a {entry.EventType} entry.");
        }
    }

    private static TranscriptFinding NotCheckable(TranscriptEntry disclosed, Func<string, string, TranscriptFinding> finding) =>
        finding(TranscriptFindingCodes.NotCheckable, $"The record holds a redaction (content policy '{disclosed.ContentPolicy}'): the disclosed content cannot be checked against it.");

    /// <summary>What the record should hold for a disclosed text under a policy; <see langword="null"/> when that cannot be known.</summary>
    private static string? Expected(string policy, string? full, Func<string, string?> hash) => full is null ? null : policy switch
    {
        "full" or EntryFactory.NoticePolicy => full,
        "sha256" => hash(full),
        _ => null,
    };

    private static string? PolicyOf(string? document)
    {
        if (document is null)
        {
            return null;
        }

        try
        {
            return (JsonNode.Parse(document) as JsonObject)?["content_policy"] is JsonValue value && value.TryGetValue<string>(out var policy) ? policy : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? StringMember(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
