using System.Security.Cryptography;

namespace Traces.LocalServer.Infrastructure;

/// <summary>
/// Server-generated identifiers: a prefix plus a 26-character ULID (48-bit millisecond time, 80 random bits, Crockford
/// base32). Time-ordered, so ids sort roughly by creation, and within the proof-format §3.1 character set.
/// </summary>
internal static class Ids
{
    private const string Crockford = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

    public static string NewTraceId() => "tr_" + NewUlid();

    public static string NewEventId() => "evt_" + NewUlid();

    public static string NewRequestId() => "req_" + NewUlid();

    /// <summary>An API key: 160 random bits; the prefix makes leaked keys easy to recognise.</summary>
    public static string NewApiKey() => "tk_local_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    public static string NewUlid()
    {
        Span<byte> bytes = stackalloc byte[16];
        var ms = (ulong)DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        for (var i = 5; i >= 0; i--)
        {
            bytes[i] = (byte)ms;
            ms >>= 8;
        }

        RandomNumberGenerator.Fill(bytes[6..]);
        Span<char> chars = stackalloc char[26];
        // 128 bits as 26 base32 digits, most significant first (the first digit carries the top 3 bits).
        var value = new UInt128(
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]));
        for (var i = 25; i >= 0; i--)
        {
            chars[i] = Crockford[(int)(value & 31)];
            value >>= 5;
        }

        return new string(chars);
    }
}
