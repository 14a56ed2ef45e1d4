using System.Buffers;
using System.Security.Cryptography;
using Traces.Client.Http;
using Traces.Client.Models;
using Traces.Verification.Hashing;

namespace Traces.Client.Services;

/// <summary>
/// Documents anchored by hash (<c>POST /v1/document/anchor</c>, Invoance's path and body): only the SHA-256 is sent,
/// unless you choose to send the document too (<see cref="AnchorDocumentRequest.OriginalBytesB64"/>). Reached through
/// <see cref="TracesClient.Documents"/>.
/// </summary>
public class DocumentsService
{
    private const int BufferSize = 128 * 1024;

    private readonly ClientCore _core = null!;

    /// <summary>For mocking.</summary>
    protected DocumentsService()
    {
    }

    internal DocumentsService(ClientCore core) => _core = core;

    /// <summary>Anchors a document whose hash you already have.</summary>
    /// <param name="request">The hash (64 hex, or <c>sha256:</c> + 64 hex), the reference and optionally the trace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed entry (<see cref="EntryReceipt.DocumentId"/> repeats its id).</returns>
    public virtual Task<EntryReceipt> AnchorAsync(AnchorDocumentRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientValidation.Required(request.DocumentHash, "AnchorDocumentRequest.DocumentHash", "64 hex digits (the document's SHA-256)");
        ClientValidation.Metadata(request.Metadata);
        var key = _core.IdempotencyKeyFor(request.IdempotencyKey);
        // Invoance takes 64 lowercase hex without the prefix (Invoance SDK validate.ts assertSha256Hex); a copy, so the
        // caller's request is left as it was.
        var wire = new AnchorDocumentRequest
        {
            DocumentHash = BareHex(request.DocumentHash!),
            DocumentRef = request.DocumentRef,
            EventType = request.EventType,
            OriginalBytesB64 = request.OriginalBytesB64,
            Metadata = request.Metadata,
            TraceId = request.TraceId,
        };
        return _core.CallAsync("Documents.Anchor", request.TraceId, async ct =>
        {
            var receipt = await _core.Api.AnchorDocumentAsync(wire, key, ct).ConfigureAwait(false);
            receipt.DocumentId ??= receipt.EventId;
            return receipt;
        }, cancellationToken);
    }

    private static string BareHex(string hash) =>
        (hash.StartsWith(Digest.Prefix, StringComparison.OrdinalIgnoreCase) ? hash[Digest.Prefix.Length..] : hash).ToLowerInvariant();

    /// <summary>
    /// Hashes a file locally with streaming SHA-256 (constant memory, any size) and anchors the hash. The file's
    /// content is never sent.
    /// </summary>
    /// <param name="path">The file.</param>
    /// <param name="documentRef">Your reference for the document, e.g. its name.</param>
    /// <param name="traceId">The open trace to chain the entry into, or <c>null</c> for a standalone entry.</param>
    /// <param name="cancellationToken">Cancels hashing and the call.</param>
    /// <returns>The signed entry.</returns>
#pragma warning disable RS0026 // Two inputs (path or stream) with the same optional tail, as the Invoance SDK's anchor_file.
    public virtual async Task<EntryReceipt> AnchorFileAsync(string path, string documentRef, string? traceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentException.ThrowIfNullOrEmpty(documentRef);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1, FileOptions.Asynchronous | FileOptions.SequentialScan);
        await using (stream.ConfigureAwait(false))
        {
            return await AnchorFileAsync(stream, documentRef, traceId, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Hashes a stream from its current position to its end with streaming SHA-256 and anchors the hash. The
    /// stream is read, not disposed, and its content is never sent.
    /// </summary>
    /// <param name="content">The document's bytes.</param>
    /// <param name="documentRef">Your reference for the document.</param>
    /// <param name="traceId">The open trace to chain the entry into, or <c>null</c> for a standalone entry.</param>
    /// <param name="cancellationToken">Cancels hashing and the call.</param>
    /// <returns>The signed entry.</returns>
    public virtual async Task<EntryReceipt> AnchorFileAsync(Stream content, string documentRef, string? traceId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentException.ThrowIfNullOrEmpty(documentRef);
        var hash = await ComputeHashAsync(content, cancellationToken).ConfigureAwait(false);
        return await AnchorAsync(new AnchorDocumentRequest { DocumentHash = hash, DocumentRef = documentRef, TraceId = traceId }, cancellationToken).ConfigureAwait(false);
    }
#pragma warning restore RS0026

    /// <summary><c>sha256:</c> + 64 lowercase hex of the stream's remaining bytes, in a pooled buffer.</summary>
    internal static async Task<string> ComputeHashAsync(Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        try
        {
            int read;
            while ((read = await content.ReadAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false)) > 0)
            {
                hash.AppendData(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return Digest.FromBytes(hash.GetHashAndReset()).ToString();
    }
}
