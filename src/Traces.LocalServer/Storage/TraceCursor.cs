using System.Buffers.Text;
using System.Text;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Storage;

/// <summary>
/// The list continuation cursor: the sort key (created_at, trace_id) of the last row served, base64url-encoded. It
/// is opaque to clients; decoding checks both parts so a forged cursor is a 400, not an SQL surprise.
/// </summary>
internal sealed record TraceCursor(string CreatedAt, string TraceId)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(CreatedAt + "|" + TraceId));

    public static bool TryDecode(string text, out TraceCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(text)).Split('|');
            if (parts.Length == 2 && TraceTimestamp.IsCanonical(parts[0]) && TraceIdentifiers.IsValidId(parts[1]))
            {
                cursor = new TraceCursor(parts[0], parts[1]);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
