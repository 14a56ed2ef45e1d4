using System.Diagnostics.CodeAnalysis;

namespace Traces.Verification.Canonicalization;

/// <summary>The outcome of <see cref="JsonCanonicalizer.Canonicalize(ReadOnlySpan{byte}, CanonicalizationLimits?)"/>: either canonical bytes or an error.</summary>
public readonly record struct CanonicalizationResult
{
    private CanonicalizationResult(byte[]? utf8Bytes, CanonicalizationError? error)
    {
        Utf8Bytes = utf8Bytes;
        _error = error;
    }

    /// <summary><see langword="true"/> when <see cref="Utf8Bytes"/> holds the canonical form.</summary>
    [MemberNotNullWhen(true, nameof(Utf8Bytes))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Utf8Bytes is not null;

    /// <summary>The RFC 8785 canonical UTF-8 bytes, or <see langword="null"/> on failure.</summary>
    public byte[]? Utf8Bytes { get; }

    /// <summary>Why canonicalization failed, or <see langword="null"/> on success.</summary>
    /// <remarks>A <c>default</c> result has neither bytes nor error; it is reported as an <see cref="CanonicalizationErrorKind.InvalidJson"/> error.</remarks>
    public CanonicalizationError? Error => Utf8Bytes is null ? _error ?? s_defaultError : null;

    private readonly CanonicalizationError? _error;

    private static readonly CanonicalizationError s_defaultError =
        new(CanonicalizationErrorKind.InvalidJson, "The result was not produced by the canonicalizer.", "");

    internal static CanonicalizationResult Success(byte[] utf8Bytes) => new(utf8Bytes, null);

    internal static CanonicalizationResult Failure(CanonicalizationError error) => new(null, error);
}
