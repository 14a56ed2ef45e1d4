using System.Security.Cryptography;
using System.Text;

namespace Traces.Extensions.AI.Content;

/// <summary>
/// What goes into the record: the content itself (<see cref="Full"/>), only its SHA-256 (<see cref="HashOnly"/>), or
/// the content as a callback rewrote it (<see cref="Redact"/>). Names, call ids, model ids, finish reasons and token
/// counts are always recorded as they are: they say what happened, not what was said (docs/ai-recording.md §4).
/// </summary>
public sealed class ContentPolicy
{
    private readonly Func<RedactionContext, string>? _redact;

    private ContentPolicy(ContentPolicyMode mode, Func<RedactionContext, string>? redact)
    {
        Mode = mode;
        _redact = redact;
    }

    /// <summary>Records the content as is.</summary>
    public static ContentPolicy Full { get; } = new(ContentPolicyMode.Full, null);

    /// <summary>
    /// Records <c>sha256:</c> + 64 lowercase hex digits of the UTF-8 content instead of the content, so sensitive prompts
    /// never leave the process. Keep the <see cref="Transcripts.AgentTranscript"/> to disclose later: anyone can then
    /// check it against the sealed record with <see cref="Transcripts.TranscriptVerifier"/>. Short, guessable content
    /// (a yes/no answer, a small number) can be found from its hash by trying candidates: redact it instead.
    /// </summary>
    public static ContentPolicy HashOnly { get; } = new(ContentPolicyMode.HashOnly, null);

    /// <summary>The mode, stored in each entry as <c>full</c>, <c>sha256</c> or <c>redacted</c>.</summary>
    public ContentPolicyMode Mode { get; }

    /// <summary>The wire name of <see cref="Mode"/>.</summary>
    public string Name => Mode switch
    {
        ContentPolicyMode.HashOnly => "sha256",
        ContentPolicyMode.Redacted => "redacted",
        _ => "full",
    };

    /// <summary>Records each piece of content as <paramref name="redact"/> returns it (called in process, before anything is sent).</summary>
    /// <param name="redact">Returns the text to record for a piece of content; it must not throw.</param>
    /// <returns>The policy.</returns>
    public static ContentPolicy Redact(Func<RedactionContext, string> redact)
    {
        ArgumentNullException.ThrowIfNull(redact);
        return new ContentPolicy(ContentPolicyMode.Redacted, redact);
    }

    /// <summary><c>sha256:</c> + 64 lowercase hex digits of the UTF-8 bytes of <paramref name="content"/>.</summary>
    /// <param name="content">The content.</param>
    /// <returns>The digest text.</returns>
    public static string Sha256Of(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }

    internal string RedactPiece(RedactionContext piece) => _redact is null ? piece.Text : _redact(piece) ?? string.Empty;
}
