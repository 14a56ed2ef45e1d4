namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// Recognises SidClaw's known encoding defect (sidclaw FACTS, captures <c>*-quirk-*</c>): a text with a lone
/// surrogate is hashed by Node.js as <c>JSON.stringify</c> writes it (<c>\udxxx</c>), but PostgreSQL stores U+FFFD in
/// its place, so the stored event can never verify again. Seen with a lone surrogate sent to <c>/evaluate</c> and with
/// a policy rationale cut by <c>substring(0, 80)</c> inside a surrogate pair. The search puts each lone surrogate back
/// at each U+FFFD of a covered member and recomputes the hash: a match names the defect exactly.
/// </summary>
internal static class SidClawEncodingDefect
{
    /// <summary>At most this many U+FFFD positions per event are tried (2,048 hashes each).</summary>
    public const int MaxPositions = 4;

    /// <summary>The member, UTF-16 offset and surrogate that reproduce the stored hash.</summary>
    public readonly record struct Match(string Member, int Offset, char Surrogate, string PreviousHash);

    /// <summary>Tries every lone surrogate at every U+FFFD of the covered text (up to <see cref="MaxPositions"/>).</summary>
    public static bool TryFind(SidClawEvent e, IEnumerable<string> previousHashes, out Match match)
    {
        match = default;
        if (e.IntegrityHash is null)
        {
            return false;
        }

        var previous = previousHashes.ToArray();
        var positions = 0;
        foreach (var (member, value) in e.CoveredText())
        {
            for (var offset = value.IndexOf('\uFFFD', StringComparison.Ordinal); offset >= 0 && positions < MaxPositions;
                 offset = value.IndexOf('\uFFFD', offset + 1))
            {
                positions++;
                var chars = value.ToCharArray();
                for (var surrogate = '\uD800'; surrogate <= '\uDFFF'; surrogate++)
                {
                    chars[offset] = surrogate;
                    var candidate = e.With(member, new string(chars));
                    foreach (var hash in previous)
                    {
                        if (SidClawIntegrityHash.Links(candidate, hash))
                        {
                            match = new Match(member, offset, surrogate, hash);
                            return true;
                        }
                    }
                }
            }
        }

        return false;
    }
}
