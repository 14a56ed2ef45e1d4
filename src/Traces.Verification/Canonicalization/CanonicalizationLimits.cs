namespace Traces.Verification.Canonicalization;

/// <summary>Resource limits applied while canonicalizing untrusted input. Immutable.</summary>
public sealed record CanonicalizationLimits
{
    private readonly int _maxDepth = 64;
    private readonly int _maxStringLength = 1_048_576;
    private readonly long _maxInputBytes = 16L * 1024 * 1024;

    /// <summary>The defaults: depth 64, strings of 1,048,576 UTF-16 code units, input of 16 MiB.</summary>
    public static CanonicalizationLimits Default { get; } = new();

    /// <summary>
    /// The deepest allowed nesting of objects and arrays; a scalar root has depth 0, <c>[]</c> depth 1. Default 64.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int MaxDepth
    {
        get => _maxDepth;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _maxDepth = value;
        }
    }

    /// <summary>The longest allowed string or member name, in UTF-16 code units after unescaping. Default 1,048,576.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public int MaxStringLength
    {
        get => _maxStringLength;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxStringLength = value;
        }
    }

    /// <summary>The largest allowed input, in bytes of UTF-8 JSON text. Default 16 MiB.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is negative.</exception>
    public long MaxInputBytes
    {
        get => _maxInputBytes;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegative(value);
            _maxInputBytes = value;
        }
    }
}
