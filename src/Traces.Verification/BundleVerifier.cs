using Traces.Verification.Bundles;
using Traces.Verification.Pipeline;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Verification;

/// <summary>
/// Verifies traces/v1 proof bundles offline (proof-format §10): every payload hash, content hash and chain link,
/// the Merkle composite hash, the seal event, the certificate, and every signature, under the caller's
/// <see cref="TrustPolicy"/>. Bad input is an answer (<see cref="Verdict.Invalid"/> with findings), never an
/// exception. Streams are read incrementally: memory does not grow with the number of entries.
/// Thread-safe: one instance can verify many bundles at once.
/// </summary>
public sealed class BundleVerifier
{
    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;

    /// <summary>A verifier that accepts signatures only under keys pinned by <paramref name="trustPolicy"/>.</summary>
    public BundleVerifier(TrustPolicy trustPolicy, VerificationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(trustPolicy);
        _trust = trustPolicy;
        _options = options ?? VerificationOptions.Default;
    }

    /// <summary>
    /// Verifies a bundle already in memory as objects (for example from <c>client.Traces.GetProofAsync</c>): the same
    /// checks, limits and verdict as for the JSON text the object serializes to with <see cref="TracesJsonContext.Default"/>
    /// (its sizes are those of that compact text). What only a text can show (a <c>null</c> where a member is absent, an
    /// integer written <c>-0</c>, a duplicate member, whitespace) is checked on the bytes and stream paths.
    /// </summary>
    public VerificationReport Verify(ProofBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        using var session = new BundleSession(_trust, _options);
        new BundleObjectReader(session, _options).Read(bundle);
        return session.Complete();
    }

    /// <summary>Verifies a bundle given as UTF-8 JSON bytes.</summary>
    public VerificationReport Verify(ReadOnlyMemory<byte> utf8Json)
    {
        using var session = new BundleSession(_trust, _options);
        // A memory stream completes every read synchronously, so this does not block on I/O.
        new BundleStreamReader(session, _options)
            .ReadAsync(new ReadOnlyMemoryStream(utf8Json), CancellationToken.None)
            .GetAwaiter().GetResult();
        return session.Complete();
    }

    /// <summary>
    /// Verifies a bundle read from <paramref name="utf8Json"/> as it arrives: entries are checked one at a time and
    /// signatures in parallel, so a million-entry bundle verifies in memory that grows with log(n).
    /// </summary>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public async Task<VerificationReport> VerifyAsync(Stream utf8Json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(utf8Json);
        using var session = new BundleSession(_trust, _options);
        await new BundleStreamReader(session, _options).ReadAsync(utf8Json, cancellationToken).ConfigureAwait(false);
        return session.Complete();
    }

    /// <summary>Verifies a bundle file, streaming it.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="UnauthorizedAccessException">The file cannot be read.</exception>
    public async Task<VerificationReport> VerifyFileAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1,
            FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await VerifyAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }
}
