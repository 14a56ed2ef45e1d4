using System.Globalization;

namespace Traces.Verification.Pipeline;

/// <summary>
/// The JSON Pointer of the object being checked (<c>/events/42</c>, <c>/seal_event</c>), made into a string only when
/// a finding needs it: the verifier checks every entry, and most entries have no finding, so building
/// <c>"/events/" + position</c> for each would be a string per entry for nothing.
/// </summary>
internal readonly struct EntryPath
{
    private readonly string? _path;
    private readonly long _position;

    private EntryPath(string? path, long position)
    {
        _path = path;
        _position = position;
    }

    /// <summary>The entry at <paramref name="position"/> of <c>events</c>.</summary>
    public static EntryPath Event(long position) => new(null, position);

    public static implicit operator EntryPath(string path) => new(path, 0);

    /// <summary>The pointer of a member of this object (<paramref name="tail"/> starts with <c>/</c>).</summary>
    public static string operator +(EntryPath at, string tail) => at.ToString() + tail;

    public override string ToString() => _path ?? "/events/" + _position.ToString(CultureInfo.InvariantCulture);
}
