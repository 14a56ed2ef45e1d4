using System.Text.Json;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;

namespace Traces.Verification.Bundles;

public partial class CertificateStatement
{
    /// <summary>
    /// The RFC 8785 form of the statement: the bytes whose SHA-256 is signed (proof-format §7.2).
    /// </summary>
    /// <exception cref="InvalidOperationException">A member is missing.</exception>
    public byte[] ToCanonicalJson()
    {
        if (Version is null || TraceId is null || EventCount is null || CompositeHash is null || IntegrityRootHash is null
            || SealEventId is null || SealedAt is null || KeyId is null)
        {
            throw new InvalidOperationException("A certificate statement needs all eight members (proof-format §7.2).");
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(this, TracesJsonContext.Default.CertificateStatement);
        var canonical = JsonCanonicalizer.Canonicalize(json);
        return canonical.IsSuccess
            ? canonical.Utf8Bytes
            : throw new InvalidOperationException($"The statement has no canonical form: {canonical.Error!.Message}");
    }

    /// <summary>SHA-256 of <see cref="ToCanonicalJson"/>: the digest a certificate signature covers.</summary>
    public Digest ComputeDigest() => Digest.Compute(ToCanonicalJson());
}
