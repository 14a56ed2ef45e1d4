namespace Traces.Verification.Canonicalization;

/// <summary>An object member whose decoded name lives at <see cref="NameStart"/> in a shared buffer of UTF-16 code units.</summary>
internal interface INamedMember
{
    int NameStart { get; }

    int NameLength { get; }
}

/// <summary>
/// RFC 8785 §3.2.3: members sorted by their names as arrays of UTF-16 code units, compared code unit by code unit (JSON
/// forbids duplicate names here, so the order is total). One sort for both canonicalizers (<see cref="CanonicalWriter"/>,
/// <see cref="StreamingCanonicalizer"/>): generic over a struct, so neither pays for an interface call.
/// </summary>
internal static class MemberOrder
{
    public static void Sort<T>(Span<T> members, char[] names)
        where T : struct, INamedMember
    {
        if (members.Length > 16)
        {
            members.Sort(new NameComparer<T>(names));
            return;
        }

        // Payload objects are small: insertion sort beats introsort here and allocates nothing.
        for (var i = 1; i < members.Length; i++)
        {
            var current = members[i];
            var name = names.AsSpan(current.NameStart, current.NameLength);
            var j = i - 1;
            while (j >= 0 && names.AsSpan(members[j].NameStart, members[j].NameLength).SequenceCompareTo(name) > 0)
            {
                members[j + 1] = members[j];
                j--;
            }

            members[j + 1] = current;
        }
    }

    private readonly struct NameComparer<T>(char[] names) : IComparer<T>
        where T : struct, INamedMember
    {
        public int Compare(T x, T y) =>
            names.AsSpan(x.NameStart, x.NameLength).SequenceCompareTo(names.AsSpan(y.NameStart, y.NameLength));
    }
}
