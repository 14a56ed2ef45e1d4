using System.Text.Json;
using Traces.Verification.Bundles;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Reports;
using Traces.Verification.Signatures;
using Traces.Verification.Trust;

namespace Traces.Verification.Pipeline;

/// <summary>
/// One verification of one proof bundle (proof-format §10). Entries arrive in order, one at a time, from the
/// stream reader or from a typed bundle; the session keeps only the running chain link, an O(log n) Merkle
/// accumulator and the previous entry's claimed link, and hands signatures to <see cref="SignatureWorkers"/>.
/// Local checks compare each entry with its claimed neighbours (so one tampered entry is reported once, not
/// cascaded to every later entry); global checks compare the recomputed root and composite with the seal.
/// </summary>
internal sealed class BundleSession : IDisposable
{
    private const int ProgressInterval = 4096;
    private const int MaxTrackedUntrustedKeys = 64;

    private readonly TrustPolicy _trust;
    private readonly VerificationOptions _options;
    private readonly ReportBuilder _report;
    private readonly SignatureWorkers _signatures;
    private readonly EntryKeyResolver _keys;
    private readonly MerkleRootAccumulator _merkle = new();
    private readonly Canonicalization.CanonicalizationLimits _limits;
    private readonly EntryFastPaths _fast = new();
    private readonly Dictionary<Digest, (long Count, long FirstIndex)> _untrusted = [];

    private Digest _runningChain = Digest.Zero;
    private bool _hashable = true;
    private long _position;
    private string? _previousClaimedChain;
    private Digest? _previousClaimedChainDigest;
    private long _withheld;
    private bool _abandoned;

    // What could not be checked, so that a check is reported as passed only when it ran over everything it covers
    // (the findings say what failed; these say what was never looked at).
    private bool _linkUnchecked;
    private bool _signatureUnchecked;
    private bool _signerUnidentified;

    public BundleSession(TrustPolicy trust, VerificationOptions options)
    {
        _trust = trust;
        _options = options;
        _report = new ReportBuilder(options.MaxFindings);
        _signatures = new SignatureWorkers(_report, options.MaxDegreeOfParallelism);
        _keys = new EntryKeyResolver(trust, _report);
        _limits = new Canonicalization.CanonicalizationLimits { MaxDepth = options.MaxDepth };
    }

    public ReportBuilder Report => _report;

    public long EntryCount => _position;

    // Top-level members, recorded as they are read (a stream may put them after the entries).
    public string? Version { get; set; }
    public string? TraceId { get; set; }
    public string? Status { get; set; }
    public string? SealedAt { get; set; }
    public string? CompositeHash { get; set; }
    public string? IntegrityRootHash { get; set; }
    public long? EventCount { get; set; }
    public TextFormIssues EventCountForm { get; set; }
    public bool SawEvents { get; set; }
    public SealEvent? SealEvent { get; set; }
    public TraceCertificate? Certificate { get; set; }

    public void Malformed(string message, string location, long? index = null, string? eventId = null) =>
        _report.Add(new Finding(FindingCodes.Malformed, FindingSeverity.Error, message) { Location = location, EntryIndex = index, EventId = eventId });

    public void LimitExceeded(string message, string location, long? index = null) =>
        _report.Add(new Finding(FindingCodes.LimitExceeded, FindingSeverity.Error, message) { Location = location, EntryIndex = index });

    /// <summary>
    /// Reading stopped before the end (broken JSON, truncation, a limit): the report keeps what was found so far, but
    /// the document-level checks are skipped, since they would report unread members as missing and the recomputed
    /// count, root and composite of a prefix as mismatches.
    /// </summary>
    public void Abandon() => _abandoned = true;

    /// <summary>
    /// An informative member (<c>label</c>, <c>tenant_domain</c>, <c>created_at</c>; proof-format §9.1), as read: a string
    /// when present, never null, and <c>created_at</c> in the form of §3.2. Covered by no signature, so never compared.
    /// </summary>
    public void InformativeMember(string name, string? value, bool isNull)
    {
        if (isNull)
        {
            Malformed($"{name} is null: an optional member is absent when it has no value, never null (§9.1).", "/" + name);
        }
        else if (name == "created_at" && !TraceTimestamp.IsCanonical(value))
        {
            Malformed("created_at is not RFC 3339 UTC with six fractional digits and Z (§3.2).", "/created_at");
        }
    }

    /// <summary>Reports what only the JSON text of an object showed (see <see cref="TextFormIssues"/>).</summary>
    public void ReportTextForm(TextFormIssues issues, EntryPath at, long? index, string? eventId)
    {
        if (issues == TextFormIssues.None)
        {
            return;
        }

        if ((issues & TextFormIssues.PublicKeyNull) != 0)
        {
            Malformed("public_key is null or not a string: an optional member is absent when it has no value, never null (§9.1).", at + "/public_key", index, eventId);
        }

        if ((issues & TextFormIssues.PreviousChainHashNotString) != 0)
        {
            Malformed("previous_chain_hash is neither a digest string nor null (§9.1).", at + "/previous_chain_hash", index, eventId);
        }

        if ((issues & TextFormIssues.PreviousChainHashAbsent) != 0)
        {
            Malformed("previous_chain_hash is missing: it is always present, null for the first entry (§9.1).", at + "/previous_chain_hash", index, eventId);
        }

        if ((issues & TextFormIssues.TimestampNotString) != 0)
        {
            Malformed("timestamp is null or not a string: an informative member is a §3.2 timestamp when present (§9.5).", at + "/timestamp", index, eventId);
        }

        if ((issues & TextFormIssues.IndexNegativeZero) != 0)
        {
            Malformed("index is written -0: an integer of a traces/v1 document is never written -0 (§9).", at + "/index", index, eventId);
        }

        if ((issues & TextFormIssues.EventCountNegativeZero) != 0)
        {
            Malformed("event_count is written -0: an integer of a traces/v1 document is never written -0 (§9).", at + "/event_count", index, eventId);
        }
    }

    /// <summary>
    /// A member written twice in an entry, the seal event or the certificate: malformed (§9, RFC 7493 §2.3); the last
    /// value was used and the rest of the object is checked as usual.
    /// </summary>
    public void ReportDuplicate(string? name, EntryPath at, long? index, string? eventId)
    {
        if (name is not null)
        {
            Malformed($"The member '{name}' appears twice (RFC 7493 §2.3); its last value was used (§9).", $"{at}/{name}", index, eventId);
        }
    }

    /// <summary>An entry that could not even be read: nothing after it can be hashed.</summary>
    public void UnreadableEntry(string message)
    {
        Malformed(message, $"/events/{_position}", _position);
        _hashable = false;
        _previousClaimedChain = null;
        _previousClaimedChainDigest = null;
        _position++;
    }

    /// <summary>Checks one entry at the next position; <paramref name="textForm"/> is what its JSON text alone showed.</summary>
    public void AddEntry(BundleEntry entry, TextFormIssues textForm = TextFormIssues.None, string? duplicate = null)
    {
        var position = _position++;
        var at = EntryPath.Event(position);
        var id = entry.EventId;
        var report = _report;

        ReportDuplicate(duplicate, at, position, id);
        ReportUnknownMembers(entry.AdditionalProperties, at, position, id);
        ReportTextForm(textForm, at, position, id);
        ReportTimestampForm(entry, at, position);

        if (!JsonIntegers.IsSafe(entry.Index))
        {
            // Out of form (missing, null, or beyond I-JSON's ±(2^53−1), §2.2 rule 4): malformed, and not compared.
            Malformed("index is missing or not an integer within ±(2^53−1) (§9.1, §2.2 rule 4).", at + "/index", position, id);
        }
        else if (entry.Index != position)
        {
            report.Add(Error(FindingCodes.IndexMismatch, $"Entry at position {position} claims index {Show(entry.Index)}.", at + "/index", position, id,
                expected: position.ToString(System.Globalization.CultureInfo.InvariantCulture), actual: Show(entry.Index)));
        }

        var content = CheckContent(entry, at, position);

        // Chain links (proof-format §5), checked locally against the claimed neighbours.
        Digest claimedChain = default;
        var chainReadable = EntryFastPaths.TryParseDigest(entry.ChainHash, out claimedChain);
        if (!chainReadable)
        {
            Malformed("chain_hash is not a sha256: digest.", at + "/chain_hash", position, id);
        }

        if (entry.PreviousChainHash is { } previousText && !EntryFastPaths.TryParseDigest(previousText, out _))
        {
            // Out of form, and still a link that does not follow (below): a link is compared whatever its form (§10.1 step 2.4).
            Malformed("previous_chain_hash is neither a sha256: digest nor null.", at + "/previous_chain_hash", position, id);
        }

        var expectedPrevious = position == 0 ? null : _previousClaimedChain;
        // A missing previous_chain_hash is not the null the first entry must have (§10.1 step 2.4), besides being malformed.
        var previousAbsent = (textForm & (TextFormIssues.PreviousChainHashAbsent | TextFormIssues.PreviousChainHashNotString)) != 0;
        if ((previousAbsent || !string.Equals(entry.PreviousChainHash, expectedPrevious, StringComparison.Ordinal))
            && (position == 0 || _previousClaimedChain is not null))
        {
            report.Add(Error(FindingCodes.ChainBroken,
                position == 0 ? "The first entry's previous_chain_hash must be null." : $"Entry {position}'s previous_chain_hash is not entry {position - 1}'s chain_hash.",
                at + "/previous_chain_hash", position, id, expected: expectedPrevious ?? "null", actual: entry.PreviousChainHash ?? "null"));
        }

        // The link recomputed for the local check is, for a consistent entry, also the next running link: when the
        // claimed previous link is the running chain and the claimed content hash is the recomputed one, it is reused
        // instead of hashing the same 64 bytes twice (one SHA-256 per entry less on the reader thread).
        Digest? localLink = null;
        Digest localPrevious = default;
        _linkUnchecked |= !chainReadable || content.Claimed is null;
        if (chainReadable && content.Claimed is { } claimedContent)
        {
            var previousLink = Digest.Zero;
            bool previousKnown;
            if (position == 0)
            {
                previousKnown = true;
            }
            else if (_previousClaimedChainDigest is { } parsed && string.Equals(entry.PreviousChainHash, _previousClaimedChain, StringComparison.Ordinal))
            {
                // The same text as the previous entry's chain_hash, already parsed: no second hex decode.
                previousLink = parsed;
                previousKnown = true;
            }
            else
            {
                previousKnown = EntryFastPaths.TryParseDigest(entry.PreviousChainHash, out previousLink);
                _linkUnchecked |= !previousKnown;
            }

            if (previousKnown)
            {
                var link = HashChain.Next(previousLink, claimedContent);
                if (!link.SameAs(claimedChain))
                {
                    report.Add(Error(FindingCodes.ChainBroken, $"Entry {position}'s chain_hash is not SHA-256(previous_chain_hash || content_hash).",
                        at + "/chain_hash", position, id, expected: link.ToString(), actual: entry.ChainHash));
                }

                localLink = link;
                localPrevious = previousLink;
            }
        }

        _previousClaimedChain = chainReadable ? entry.ChainHash : null;
        _previousClaimedChainDigest = chainReadable ? claimedChain : null;

        // Global accumulators use recomputed values only.
        if (content.Computed is { } computed && _hashable)
        {
            _runningChain = localLink is { } reusable && localPrevious.SameAs(_runningChain) && content.Claimed is { } claimedDigest && claimedDigest.SameAs(computed)
                ? reusable
                : HashChain.Next(_runningChain, computed);
            Span<byte> leaf = stackalloc byte[Digest.Length];
            MerkleTree.LeafHash(computed.Bytes, leaf);
            _merkle.Append(leaf);
        }
        else
        {
            _hashable = false;
        }

        QueueSignature(entry, content.Claimed ?? content.Computed, at, position);

        if (_options.Progress is { } progress && _position % ProgressInterval == 0)
        {
            progress.Report(_position);
        }
    }

    /// <summary>Finishes a bundle: flushes signatures, checks the seal event, certificate and top-level claims.</summary>
    public VerificationReport Complete()
    {
        _signatures.Complete();
        _options.Progress?.Report(_position);
        if (_abandoned)
        {
            return Finish(null, null, CheckCodes.ForBundle);
        }

        CheckTopLevel(out var compositeHash, out var rootHash);
        CheckSealEvent(compositeHash, rootHash);
        var certificate = CertificateChecks.Check(Certificate, _trust, _report, "/certificate", TraceId, _position, compositeHash, rootHash,
            SealEvent?.EventId, SealEvent?.IngestedAt);
        // The certificate check is complete when its signature was checked and its statement compared with every
        // recomputed value (a value that could not be recomputed was not compared).
        RecordCompleteChecks(
            chainComplete: Compared(IntegrityRootHash, rootHash),
            compositeComplete: Compared(CompositeHash, compositeHash) && JsonIntegers.IsSafe(EventCount) && EventCountForm == TextFormIssues.None,
            certificateComplete: certificate.SignatureChecked && compositeHash is not null && rootHash is not null && SealEvent is not null,
            certificateSignerIdentified: certificate.SignerIdentified);
        return Finish(compositeHash, rootHash, CheckCodes.ForBundle);
    }

    /// <summary>
    /// Finishes a certificate checked against the ordered entries (no bundle around them): the recomputed count,
    /// composite and root must be the certificate's.
    /// </summary>
    public VerificationReport CompleteAgainstCertificate(TraceCertificate certificate)
    {
        _signatures.Complete();
        _options.Progress?.Report(_position);
        if (_abandoned)
        {
            return Finish(null, null, CheckCodes.ForCertificateWithEntries);
        }

        if (_position == 0)
        {
            Malformed("No entries were given: an empty trace cannot be sealed (§6).", "/events");
        }

        Digest? compositeHash = _hashable && _position > 0 ? _merkle.ComputeRoot() : null;
        Digest? rootHash = _hashable && _position > 0 ? _runningChain : null;
        TraceId = certificate.TraceId;

        // With no bundle around the entries, the certificate's statement is the claim they are checked against,
        // so its count, composite and root get the codes of those checks (and CompositeValid/ChainValid reflect them).
        // An event_count out of form is the certificate's malformed finding (CertificateChecks), not compared.
        if (JsonIntegers.IsSafe(certificate.EventCount) && certificate.EventCount != _position)
        {
            _report.Add(Error(FindingCodes.EventCountMismatch, $"The certificate says {Show(certificate.EventCount)} entries; {_position} were given.",
                "/certificate/event_count", null, null, expected: _position.ToString(System.Globalization.CultureInfo.InvariantCulture), actual: Show(certificate.EventCount)));
        }

        CompareClaim(FindingCodes.CompositeMismatch, "/certificate/composite_hash", certificate.CompositeHash, compositeHash);
        CompareClaim(FindingCodes.RootMismatch, "/certificate/integrity_root_hash", certificate.IntegrityRootHash, rootHash);
        var checkedCertificate = CertificateChecks.Check(certificate, _trust, _report, "/certificate", traceId: null, eventCount: null,
            compositeHash: null, rootHash: null, sealEventId: null, sealedAt: null);
        RecordCompleteChecks(
            chainComplete: Compared(certificate.IntegrityRootHash, rootHash),
            compositeComplete: Compared(certificate.CompositeHash, compositeHash) && JsonIntegers.IsSafe(certificate.EventCount),
            certificateComplete: checkedCertificate.SignatureChecked,
            certificateSignerIdentified: checkedCertificate.SignerIdentified);
        return Finish(compositeHash, rootHash, CheckCodes.ForCertificateWithEntries);
    }

    /// <summary>
    /// Checks one entry on its own (no neighbours): content hashes and signature, inline. Returns the content digest
    /// the signature covers, or null when the entry cannot be hashed.
    /// </summary>
    public Digest? CheckDetachedEntry(BundleEntry entry, string at)
    {
        ReportUnknownMembers(entry.AdditionalProperties, at, entry.Index, entry.EventId);
        ReportTimestampForm(entry, at, entry.Index);
        var content = CheckContent(entry, at, entry.Index);
        if (content.Computed is not null && content.Claimed is not null)
        {
            // One entry, no neighbours: its payload and content hashes are the whole chain check (§10.4).
            _report.Completed(VerificationCheck.Chain);
        }

        Span<byte> signature = stackalloc byte[64];
        if (!WireEncoding.TryParseEd25519Signature(entry.Signature, signature))
        {
            Malformed("signature is not 'ed25519:' followed by 128 lowercase hex digits.", at + "/signature", entry.Index, entry.EventId);
            _signerUnidentified = true;
            return content.Computed;
        }

        var resolution = _keys.Resolve(entry.KeyId, entry.PublicKey, at, entry.Index, entry.EventId);
        var digest = content.Claimed ?? content.Computed;
        _signerUnidentified |= resolution.Key is null && resolution.Untrusted is null;
        if (resolution.Key is null || !resolution.Trusted)
        {
            var keyId = resolution.Key?.KeyId ?? resolution.Untrusted;
            if (keyId is not null)
            {
                _report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust, $"The entry is signed by key {keyId}, which the trust policy does not pin.")
                { Location = at + "/key_id", EntryIndex = entry.Index, EventId = entry.EventId, Actual = keyId.ToString() });
            }
        }

        if (resolution.Key is not null && digest is { } signed)
        {
            if (!resolution.Key.Verify(SignedMessage.Create(SignatureLabels.Event, signed), signature))
            {
                _report.Add(Error(FindingCodes.SignatureInvalid, "The entry's Ed25519 signature does not verify.", at + "/signature", entry.Index, entry.EventId));
            }

            _report.Completed(VerificationCheck.Signatures);
        }

        return content.Computed;
    }

    /// <summary>
    /// Builds the report of a detached check (an entry with its inclusion proof and certificate).
    /// <paramref name="certificate"/> is what could be checked of the certificate, when it was reached.
    /// </summary>
    public VerificationReport CompleteDetached(string? traceId, CertificateChecks.Outcome? certificate)
    {
        if (certificate is { SignerIdentified: true } && !_signerUnidentified)
        {
            _report.Completed(VerificationCheck.Trust);
        }

        return _report.Build(traceId, 1, null, null, _withheld, !_trust.IsEmpty, CheckCodes.ForInclusion);
    }

    /// <summary>
    /// Records the checks of a document read to the end that covered everything: the form (every member was read),
    /// the chain (every link, and the recomputed root compared), the composite, every signature, every signer.
    /// </summary>
    /// <param name="chainComplete">The recomputed root was compared with a claimed root in form.</param>
    /// <param name="compositeComplete">The recomputed composite and count were compared with claims in form.</param>
    /// <param name="certificateComplete">The certificate's signature was checked and its statement compared with every recomputed value.</param>
    /// <param name="certificateSignerIdentified">The certificate's key was identified as pinned or not.</param>
    private void RecordCompleteChecks(bool chainComplete, bool compositeComplete, bool certificateComplete, bool certificateSignerIdentified)
    {
        _report.Completed(VerificationCheck.Form);
        if (chainComplete && !_linkUnchecked)
        {
            _report.Completed(VerificationCheck.Chain);
        }

        if (compositeComplete)
        {
            _report.Completed(VerificationCheck.Composite);
        }

        // Signature jobs still queued were all checked by the time _signatures.Complete() returned.
        if (_position > 0 && !_signatureUnchecked)
        {
            _report.Completed(VerificationCheck.Signatures);
        }

        if (certificateComplete)
        {
            _report.Completed(VerificationCheck.Certificate);
        }

        if (certificateSignerIdentified && !_signerUnidentified)
        {
            _report.Completed(VerificationCheck.Trust);
        }
    }

    /// <summary>Whether a claim was compared with a recomputed value: both there, the claim in form (else it is malformed, not compared).</summary>
    private static bool Compared(string? claimed, Digest? computed) => computed is not null && Digest.TryParse(claimed, out _);

    private VerificationReport Finish(Digest? compositeHash, Digest? rootHash, IReadOnlyList<VerificationCheck> checks)
    {
        foreach (var (keyId, (count, first)) in _untrusted)
        {
            _report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust,
                $"{count} entr{(count == 1 ? "y is" : "ies are")} signed by key {keyId}, which the trust policy does not pin.")
            { EntryIndex = first, Location = $"/events/{first}/key_id", Actual = keyId.ToString() });
        }

        if (_withheld > 0)
        {
            _report.Add(new Finding(FindingCodes.PayloadWithheld, FindingSeverity.Info,
                $"{_withheld} payload{(_withheld == 1 ? " was" : "s were")} withheld; those entries verified through their payload_hash."));
        }

        return _report.Build(TraceId, _position, compositeHash?.ToString(), rootHash?.ToString(), _withheld, !_trust.IsEmpty, checks);
    }

    public void Dispose()
    {
        _signatures.Dispose();
    }

    private readonly record struct ContentDigests(Digest? Claimed, Digest? Computed);

    /// <summary>Payload hash (§4.1) and content hash (§4.2) of one signed entry.</summary>
    private ContentDigests CheckContent(SignedEntry entry, EntryPath at, long? position)
    {
        var id = entry.EventId;
        var fieldsValid = true;
        if (!TraceIdentifiers.IsValidId(entry.EventId))
        {
            Malformed("event_id is missing or outside the identifier character set (§3.1).", at + "/event_id", position, id);
            fieldsValid = false;
        }

        if (!TraceIdentifiers.IsValidEventType(entry.EventType))
        {
            Malformed("event_type is missing or outside its character set (§3.1).", at + "/event_type", position, id);
            fieldsValid = false;
        }

        if (!EntryFastPaths.IsCanonicalTimestamp(entry.IngestedAt))
        {
            Malformed("ingested_at is not RFC 3339 UTC with six fractional digits and Z (§3.2).", at + "/ingested_at", position, id);
            fieldsValid = false;
        }

        // A digest the stream reader decoded is in form; its text is built only for a finding (SignedEntry).
        if (!EntryFastPaths.TryParseDigest(entry.PayloadHashDigest, entry.PayloadHash, out var claimedPayload))
        {
            Malformed("payload_hash is not a sha256: digest.", at + "/payload_hash", position, id);
            fieldsValid = false;
        }

        if (entry.Payload is { ValueKind: JsonValueKind.Undefined })
        {
            // Only an object built in code can hold default(JsonElement): there is no JSON value to hash.
            Malformed("The payload is default(JsonElement), which holds no JSON value.", at + "/payload", position, id);
        }
        else if (entry.ReadPayloadHash is { } readPayload)
        {
            // Canonicalized and hashed as the entry was read: the same digest as below (StreamingCanonicalizer).
            if (fieldsValid && !readPayload.SameAs(claimedPayload))
            {
                _report.Add(Error(FindingCodes.PayloadHashMismatch, "The payload does not hash to payload_hash.", at + "/payload_hash",
                    position, id, expected: readPayload.ToString(), actual: entry.PayloadHash));
            }
        }
        else if (entry.Payload is { } payload)
        {
            if (!_fast.TryComputePayloadHash(payload, out var computedPayload, out var error, _limits))
            {
                _report.Add(Error(FindingCodes.PayloadHashMismatch, $"The payload is not I-JSON and has no canonical form: {error!.Message}",
                    at + "/payload" + error.Path, position, id));
            }
            else if (fieldsValid && !computedPayload.SameAs(claimedPayload))
            {
                _report.Add(Error(FindingCodes.PayloadHashMismatch, "The payload does not hash to payload_hash.", at + "/payload_hash",
                    position, id, expected: computedPayload.ToString(), actual: entry.PayloadHash));
            }
        }
        else if (position is not null)
        {
            _withheld++;
        }

        Digest? computed = null;
        if (fieldsValid)
        {
            computed = _fast.ContentHash(entry.EventId!, entry.EventType!, entry.IngestedAt!, claimedPayload);
        }

        Digest? claimed = null;
        if (EntryFastPaths.TryParseDigest(entry.ContentHashDigest, entry.ContentHash, out var claimedContent))
        {
            claimed = claimedContent;
            if (computed is { } c && !c.SameAs(claimedContent))
            {
                _report.Add(Error(FindingCodes.ContentHashMismatch, "content_hash is not the digest of the entry's canonical content (§4.2).",
                    at + "/content_hash", position, id, expected: c.ToString(), actual: entry.ContentHash));
            }
        }
        else
        {
            Malformed("content_hash is not a sha256: digest.", at + "/content_hash", position, id);
        }

        return new ContentDigests(claimed, computed);
    }

    private void QueueSignature(BundleEntry entry, Digest? signedDigest, EntryPath at, long position)
    {
        Span<byte> signature = stackalloc byte[64];
        if (entry.SignatureBytes is { } decodedSignature)
        {
            // Decoded by the stream reader from a signature in form.
            decodedSignature.CopyTo(signature);
        }
        else if (!WireEncoding.TryParseEd25519Signature(entry.Signature, signature))
        {
            Malformed("signature is not 'ed25519:' followed by 128 lowercase hex digits.", at + "/signature", position, entry.EventId);
            _signatureUnchecked = _signerUnidentified = true;
            return;
        }

        var resolution = _keys.Resolve(entry.KeyId, entry.PublicKey, at, position, entry.EventId);
        if (resolution.Key is null || signedDigest is not { } digest)
        {
            _signatureUnchecked = true;
            _signerUnidentified |= resolution.Key is null && resolution.Untrusted is null;
            if (resolution.Untrusted is { } unknown)
            {
                TrackUntrusted(unknown, position);
            }

            return;
        }

        if (!resolution.Trusted)
        {
            TrackUntrusted(resolution.Key.KeyId, position);
        }

        Span<byte> message = stackalloc byte[SignatureWorkers.MessageLength];
        SignedMessage.TryWrite(SignatureLabels.Event, digest, message, out _);
        _signatures.Add(position, entry.EventId, message, signature, resolution.Key);
    }

    private void TrackUntrusted(Digest keyId, long position)
    {
        if (_untrusted.TryGetValue(keyId, out var seen))
        {
            _untrusted[keyId] = (seen.Count + 1, seen.FirstIndex);
        }
        else if (_untrusted.Count < MaxTrackedUntrustedKeys)
        {
            _untrusted[keyId] = (1, position);
        }
        else
        {
            // Past the cap the verdict is already Untrusted; keep memory bounded.
            _report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust, $"Entry {position} is signed by yet another unpinned key {keyId}.")
            { EntryIndex = position });
        }
    }

    private void CheckTopLevel(out Digest? compositeHash, out Digest? rootHash)
    {
        if (Version != EntryHasher.FormatVersion)
        {
            _report.Add(Error(FindingCodes.UnsupportedVersion, $"version is '{Version ?? "missing"}'; this verifier implements '{EntryHasher.FormatVersion}'.",
                "/version", null, null, expected: EntryHasher.FormatVersion, actual: Version));
        }

        if (!TraceIdentifiers.IsValidId(TraceId))
        {
            Malformed("trace_id is missing or outside the identifier character set (§3.1).", "/trace_id");
        }

        if (Status != "sealed")
        {
            Malformed($"status is '{Status ?? "missing"}'; an exported bundle is 'sealed'.", "/status");
        }

        if (!TraceTimestamp.IsCanonical(SealedAt))
        {
            Malformed("sealed_at is missing or not a canonical timestamp (§3.2).", "/sealed_at");
        }

        if (!SawEvents)
        {
            Malformed("The bundle has no events array.", "/events");
        }
        else if (_position == 0)
        {
            Malformed("The bundle has no entries: an empty trace cannot be sealed (§6).", "/events");
        }

        if (EventCountForm != TextFormIssues.None)
        {
            ReportTextForm(EventCountForm, "", null, null);
        }
        else if (!JsonIntegers.IsSafe(EventCount))
        {
            // Out of form (missing, null, or beyond ±(2^53−1)): malformed, and not compared.
            Malformed("event_count is missing or not an integer within ±(2^53−1) (§9.1, §2.2 rule 4).", "/event_count");
        }
        else if (EventCount != _position)
        {
            _report.Add(Error(FindingCodes.EventCountMismatch, $"event_count says {Show(EventCount)} but the bundle holds {_position} entries.",
                "/event_count", null, null, expected: _position.ToString(System.Globalization.CultureInfo.InvariantCulture), actual: Show(EventCount)));
        }

        compositeHash = _hashable && _position > 0 ? _merkle.ComputeRoot() : null;
        rootHash = _hashable && _position > 0 ? _runningChain : null;
        if (!Digest.TryParse(CompositeHash, out _))
        {
            Malformed("composite_hash is missing or not a sha256: digest.", "/composite_hash");
        }

        if (!Digest.TryParse(IntegrityRootHash, out _))
        {
            Malformed("integrity_root_hash is missing or not a sha256: digest.", "/integrity_root_hash");
        }

        CompareClaim(FindingCodes.CompositeMismatch, "/composite_hash", CompositeHash, compositeHash);
        CompareClaim(FindingCodes.RootMismatch, "/integrity_root_hash", IntegrityRootHash, rootHash);
    }

    /// <summary>A claim in form compared with the recomputed value (a claim out of form is malformed where it is read).</summary>
    private void CompareClaim(string code, string location, string? claimed, Digest? computed)
    {
        if (Digest.TryParse(claimed, out var claimedDigest) && computed is { } value && value != claimedDigest)
        {
            _report.Add(Error(code, $"{location[(location.LastIndexOf('/') + 1)..]} is not the value recomputed from the entries.", location, null, null,
                expected: value.ToString(), actual: claimed));
        }
    }

    /// <summary>The seal event (proof-format §7.1): a signed entry whose payload commits to the sealed values.</summary>
    private void CheckSealEvent(Digest? compositeHash, Digest? rootHash)
    {
        const string at = "/seal_event";
        if (SealEvent is not { } seal)
        {
            Malformed("The bundle has no seal_event.", at);
            _signerUnidentified = true;
            return;
        }

        ReportUnknownMembers(seal.AdditionalProperties, at, null, seal.EventId);
        ReportTimestampForm(seal, at, null);
        if (seal.EventType != SealEvent.Type)
        {
            SealMismatch($"The seal event's event_type is '{seal.EventType}', not '{SealEvent.Type}'.", at + "/event_type", SealEvent.Type, seal.EventType);
        }

        if (seal.Payload is null)
        {
            Malformed("The seal event's payload is required (it carries the sealed values).", at + "/payload");
        }

        var content = CheckContent(seal, at, null);

        var sealComplete = false;
        if (seal.Payload is { ValueKind: JsonValueKind.Object } payloadElement)
        {
            SealPayload? payload = null;
            try
            {
                payload = payloadElement.Deserialize(TracesJsonContext.Strict.SealPayload);
            }
            catch (JsonException exception)
            {
                Malformed($"The seal payload is not {{trace_id, event_count, composite_hash, integrity_root_hash}}: {exception.Message}", at + "/payload");
            }

            if (payload is not null)
            {
                ReportUnknownMembers(payload.AdditionalProperties, at + "/payload", null, seal.EventId);
                CompareSeal("trace_id", TraceId, payload.TraceId);
                CompareSeal("event_count", _position.ToString(System.Globalization.CultureInfo.InvariantCulture), Show(payload.EventCount));
                CompareSeal("composite_hash", compositeHash?.ToString() ?? CompositeHash, payload.CompositeHash);
                CompareSeal("integrity_root_hash", rootHash?.ToString() ?? IntegrityRootHash, payload.IntegrityRootHash);

                // Complete only when compared with recomputed values, not with the bundle's own claims.
                sealComplete = compositeHash is not null && rootHash is not null;
            }
        }
        else if (seal.Payload is not null)
        {
            Malformed("The seal payload is not an object.", at + "/payload");
        }

        if (seal.IngestedAt != SealedAt)
        {
            SealMismatch("The seal event's ingested_at is not the bundle's sealed_at.", at + "/ingested_at", SealedAt, seal.IngestedAt);
        }

        if (sealComplete)
        {
            _report.Completed(VerificationCheck.Seal);
        }

        // The seal signature is checked here, on the caller's thread: one signature.
        Span<byte> signature = stackalloc byte[64];
        if (!WireEncoding.TryParseEd25519Signature(seal.Signature, signature))
        {
            Malformed("signature is not 'ed25519:' followed by 128 lowercase hex digits.", at + "/signature");
            _signatureUnchecked = _signerUnidentified = true;
            return;
        }

        var resolution = _keys.Resolve(seal.KeyId, seal.PublicKey, at, null, seal.EventId);
        var digest = content.Claimed ?? content.Computed;
        if (resolution.Key is null || digest is null)
        {
            _signatureUnchecked = true;
            _signerUnidentified |= resolution.Key is null && resolution.Untrusted is null;
            if (resolution.Untrusted is { } unknown)
            {
                _report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust, $"The seal event is signed by key {unknown}, which the trust policy does not pin.")
                { Location = at + "/key_id", Actual = unknown.ToString() });
            }

            return;
        }

        if (!resolution.Trusted)
        {
            _report.Add(new Finding(FindingCodes.UntrustedKey, FindingSeverity.Trust, $"The seal event is signed by key {resolution.Key.KeyId}, which the trust policy does not pin.")
            { Location = at + "/key_id", Actual = resolution.Key.KeyId.ToString() });
        }

        if (!resolution.Key.Verify(SignedMessage.Create(SignatureLabels.Event, digest.Value), signature))
        {
            _report.Add(new Finding(FindingCodes.SignatureInvalid, FindingSeverity.Error, "The seal event's Ed25519 signature does not verify.")
            { Location = at + "/signature", EventId = seal.EventId });
        }
    }

    private void CompareSeal(string member, string? expected, string? actual)
    {
        if (!string.Equals(expected, actual, StringComparison.Ordinal))
        {
            SealMismatch($"The seal event's {member} is not this trace's.", "/seal_event/payload/" + member, expected, actual);
        }
    }

    private void SealMismatch(string message, string location, string? expected, string? actual) =>
        _report.Add(new Finding(FindingCodes.SealMismatch, FindingSeverity.Error, message)
        { Location = location, Expected = expected, Actual = actual, EventId = SealEvent?.EventId });

    /// <summary>
    /// An informative <c>timestamp</c> (proof-format §9.5) in the form of §3.2 when present. Its value is never
    /// compared (not even with <c>ingested_at</c>) nor used.
    /// </summary>
    private void ReportTimestampForm(SignedEntry entry, EntryPath at, long? index)
    {
        if (entry.Timestamp is { } timestamp && !EntryFastPaths.IsCanonicalTimestamp(timestamp))
        {
            Malformed("timestamp is not RFC 3339 UTC with six fractional digits and Z (§3.2, §9.5).", at + "/timestamp", index, entry.EventId);
        }
    }

    private void ReportUnknownMembers(IDictionary<string, JsonElement>? members, EntryPath at, long? index, string? id)
    {
        if (members is { Count: > 0 })
        {
            foreach (var name in members.Keys)
            {
                Malformed($"'{name}' is not a member of this object in traces/v1.", $"{at}/{name}", index, id);
            }
        }
    }

    internal static Finding Error(string code, string message, string location, long? index, string? eventId,
        string? expected = null, string? actual = null) =>
        new(code, FindingSeverity.Error, message) { Location = location, EntryIndex = index, EventId = eventId, Expected = expected, Actual = actual };

    private static string Show(long? value) => value?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "missing";
}
