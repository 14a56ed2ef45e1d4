namespace Traces.Verification.Hashing;

/// <summary>
/// The hash chain of proof-format §5: <c>chain_i = SHA-256(prev_i || content_i)</c> over raw 32-byte digests,
/// with <c>prev_0</c> = 32 zero bytes. The last link is the trace's <c>integrity_root_hash</c>.
/// </summary>
public static class HashChain
{
    /// <summary>The next link: SHA-256 of the previous link's 32 bytes followed by the content digest's 32 bytes.</summary>
    public static Digest Next(Digest previous, Digest content)
    {
        Span<byte> buffer = stackalloc byte[Digest.Length * 2];
        previous.Bytes.CopyTo(buffer);
        content.Bytes.CopyTo(buffer[Digest.Length..]);
        return Digest.Compute(buffer); // 64 bytes: ShortSha256, without .NET's per-call OpenSSL cost
    }

    /// <summary>The chain over <paramref name="contentDigests"/> in order; <see cref="Digest.Zero"/> for none.</summary>
    public static Digest Root(IEnumerable<Digest> contentDigests)
    {
        ArgumentNullException.ThrowIfNull(contentDigests);
        var link = Digest.Zero;
        foreach (var content in contentDigests)
        {
            link = Next(link, content);
        }

        return link;
    }
}
