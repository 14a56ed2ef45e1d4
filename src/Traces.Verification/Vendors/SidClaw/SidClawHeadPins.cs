using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// The caller's pinned heads of SidClaw traces: for each trace id, the <c>integrity_hash</c> of its last event,
/// obtained out of band (from a copy taken when the trace was closed, a ticket, a signed e-mail). A SidClaw chain has
/// no key, so only a pinned head turns an intact chain into a Valid one. Immutable.
/// </summary>
public sealed class SidClawHeadPins
{
    /// <summary>The prefix of a pin given as one argument: <c>sidclaw:&lt;trace_id&gt;=&lt;64 hex digits&gt;</c>.</summary>
    public const string ArgumentPrefix = "sidclaw:";

    /// <summary>The member of a pin file that holds the pins: <c>{"sidclaw_heads": {"&lt;trace_id&gt;": "&lt;hash&gt;"}}</c>.</summary>
    public const string FileMember = "sidclaw_heads";

    private readonly FrozenDictionary<string, string> _heads;

    private SidClawHeadPins(FrozenDictionary<string, string> heads) => _heads = heads;

    /// <summary>No pins: every intact chain is at best Untrusted.</summary>
    public static SidClawHeadPins None { get; } = new(FrozenDictionary<string, string>.Empty);

    /// <summary>Pins <paramref name="heads"/> (trace id → head hash, 64 hex digits in either case).</summary>
    /// <exception cref="ArgumentException">A trace id is empty, a head is not 64 hex digits, or a trace is pinned twice to different heads.</exception>
    public static SidClawHeadPins Create(IEnumerable<KeyValuePair<string, string>> heads)
    {
        ArgumentNullException.ThrowIfNull(heads);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (traceId, head) in heads)
        {
            if (string.IsNullOrEmpty(traceId))
            {
                throw new ArgumentException("A pinned trace id is empty.", nameof(heads));
            }

            if (head is not { Length: 64 } || !IsHex(head))
            {
                throw new ArgumentException($"The head pinned for trace {traceId} is not 64 hex digits.", nameof(heads));
            }

            // SidClaw writes lowercase hex (createHash(...).digest('hex')); a pin copied in uppercase means the same hash.
            var normalized = head.ToLowerInvariant();
            if (map.TryGetValue(traceId, out var existing) && existing != normalized)
            {
                throw new ArgumentException($"Trace {traceId} is pinned to two different heads.", nameof(heads));
            }

            map[traceId] = normalized;
        }

        return new SidClawHeadPins(map.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>
    /// Parses one <c>sidclaw:&lt;trace_id&gt;=&lt;hash&gt;</c> argument. Returns false (with the reason) when the text
    /// starts with the prefix but is not a pin; false with a null reason when it is not a SidClaw pin at all.
    /// </summary>
    public static bool TryParseArgument(string text, out KeyValuePair<string, string> pin, out string? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        pin = default;
        error = null;
        if (!text.StartsWith(ArgumentPrefix, StringComparison.Ordinal))
        {
            return false;
        }

        // The hash is the part after the last '=' (a trace id could hold '=', a hash cannot).
        var body = text[ArgumentPrefix.Length..];
        var equals = body.LastIndexOf('=');
        if (equals <= 0 || body.Length - equals - 1 != 64 || !IsHex(body.AsSpan(equals + 1)))
        {
            error = $"'{text}' is not sidclaw:<trace_id>=<64 hex digits>.";
            return false;
        }

        pin = new(body[..equals], body[(equals + 1)..]);
        return true;
    }

    /// <summary>Reads a pin file: <c>{"sidclaw_heads": {"&lt;trace_id&gt;": "&lt;hash&gt;", …}}</c>.</summary>
    /// <exception cref="FormatException">The file is not such a document.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> ParseFile(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            using var document = JsonDocument.Parse(utf8Json.ToArray(), new JsonDocumentOptions { AllowDuplicateProperties = false });
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty(FileMember, out var heads) || heads.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException($"A SidClaw pin file is a JSON object with an object member '{FileMember}'.");
            }

            return heads.EnumerateObject()
                .Select(p => p.Value.ValueKind == JsonValueKind.String
                    ? new KeyValuePair<string, string>(p.Name, p.Value.GetString()!)
                    : throw new FormatException($"The head pinned for trace {p.Name} is not a string."))
                .ToList();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            throw new FormatException($"Not a SidClaw pin file: {e.Message}", e);
        }
    }

    /// <summary>True when <paramref name="utf8Json"/> looks like a pin file (an object with <c>sidclaw_heads</c>).</summary>
    public static bool IsPinFile(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals(FileMember))
                {
                    return true;
                }

                reader.Read();
                reader.Skip();
            }
        }
        catch (JsonException)
        {
        }

        return false;
    }

    /// <summary>How many traces are pinned.</summary>
    public int Count => _heads.Count;

    /// <summary>The pinned trace ids.</summary>
    public IEnumerable<string> TraceIds => _heads.Keys;

    /// <summary>True when <paramref name="traceId"/> is pinned.</summary>
    public bool Contains(string traceId) => _heads.ContainsKey(traceId);

    /// <summary>The head pinned for <paramref name="traceId"/>, as 64 lowercase hex digits.</summary>
    public bool TryGetHead(string traceId, [NotNullWhen(true)] out string? head) => _heads.TryGetValue(traceId, out head);

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
