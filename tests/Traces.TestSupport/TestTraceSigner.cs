using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using System.Text.Json;
using NSec.Cryptography;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Signatures;

namespace Traces.TestSupport;

/// <summary>One entry to put in a test trace.</summary>
/// <param name="EventType">The entry's event type.</param>
/// <param name="PayloadJson">The payload as JSON text.</param>
public sealed record TestEntry(string EventType, string PayloadJson);

/// <summary>
/// Builds signed traces/v1 bundles the way a service does (proof-format §4–§9), with deterministic ids and times.
/// With <c>deterministicSalt</c> the certificate's RSASSA-PSS salt is derived from the statement digest
/// (EMSA-PSS-ENCODE, RFC 8017 §9.1.1, over the raw private operation) so vectors reproduce byte for byte.
/// </summary>
public sealed class TestTraceSigner(Key ed25519, RSA rsa, bool deterministicSalt = false)
{
    /// <summary>The first ingestion time of generated traces.</summary>
    public static readonly DateTimeOffset Epoch = new(2026, 3, 17, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A signer with the test keys and random PSS salts (fast).</summary>
    public static TestTraceSigner Default { get; } = new(TestKeys.Ed25519, TestKeys.Rsa);

    /// <summary>A signer with the test keys and deterministic PSS salts (reproducible vectors).</summary>
    public static TestTraceSigner Deterministic { get; } = new(TestKeys.Ed25519, TestKeys.Rsa, deterministicSalt: true);

    private readonly string _publicKey = WireEncoding.FormatEd25519PublicKey(ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey));
    private readonly string _keyId = Digest.Compute(ed25519.PublicKey.Export(KeyBlobFormat.RawPublicKey)).ToString();

    /// <summary>The canonical timestamp of the entry at <paramref name="index"/> (one second apart, plus microseconds).</summary>
    public static string TimeOf(long index) => TraceTimestamp.ToCanonicalString(Epoch.AddSeconds(index).AddTicks(index % 1_000_000 * 10));

    /// <summary>Builds a sealed bundle of <paramref name="entries"/>.</summary>
    public ProofBundle CreateBundle(string traceId, IReadOnlyList<TestEntry> entries)
    {
        var signed = new List<BundleEntry>(entries.Count);
        var previous = Digest.Zero;
        string? previousText = null;
        var leaves = new MerkleRootAccumulator();
        foreach (var (entry, index) in entries.Select((e, i) => (e, (long)i)))
        {
            var built = SignEntry(index, $"evt_{index:D6}", entry.EventType, entry.PayloadJson, TimeOf(index), previous, previousText);
            signed.Add(built);
            var content = Digest.Parse(built.ContentHash!);
            previous = Digest.Parse(built.ChainHash!);
            previousText = built.ChainHash;
            leaves.Append(MerkleTree.LeafHash(content.Bytes));
        }

        var composite = leaves.ComputeRoot().ToString();
        var root = previous.ToString();
        var sealedAt = TimeOf(entries.Count + 1);
        var seal = SealEventFor(traceId, entries.Count, composite, root, sealedAt);
        return new ProofBundle
        {
            Version = EntryHasher.FormatVersion,
            TraceId = traceId,
            Label = "Vendor Onboarding, Acme Corp",
            TenantDomain = "acme.example",
            Status = "sealed",
            CreatedAt = TraceTimestamp.ToCanonicalString(Epoch.AddSeconds(-1)),
            SealedAt = sealedAt,
            CompositeHash = composite,
            IntegrityRootHash = root,
            EventCount = entries.Count,
            Events = signed,
            SealEvent = seal,
            Certificate = Certify(traceId, entries.Count, composite, root, seal.EventId!, sealedAt),
        };
    }

    /// <summary>Canonicalization limits deep enough for the depth-limit vectors' payloads.</summary>
    private static readonly CanonicalizationLimits DeepPayloads = new() { MaxDepth = 256 };

    /// <summary>Signs one chained entry.</summary>
    public BundleEntry SignEntry(long index, string eventId, string eventType, string payloadJson, string ingestedAt,
        Digest previousChain, string? previousChainText)
    {
        // Deep enough for the depth-limit vectors (proof-format §10.5), which sign payloads nested past the default.
        using var payload = JsonDocument.Parse(payloadJson, new JsonDocumentOptions { MaxDepth = DeepPayloads.MaxDepth });
        var payloadHash = EntryHasher.TryComputePayloadHash(payload.RootElement, out var hash, out var error, DeepPayloads)
            ? hash
            : throw new ArgumentException($"The payload is not I-JSON: {error!.Message} (at '{error.Path}').", nameof(payloadJson));
        var content = EntryHasher.ComputeContentHash(eventId, eventType, ingestedAt, payloadHash);
        return new BundleEntry
        {
            Index = index,
            EventId = eventId,
            EventType = eventType,
            Payload = payload.RootElement.Clone(),
            PayloadHash = payloadHash.ToString(),
            ContentHash = content.ToString(),
            PreviousChainHash = previousChainText,
            ChainHash = HashChain.Next(previousChain, content).ToString(),
            IngestedAt = ingestedAt,
            KeyId = _keyId,
            PublicKey = _publicKey,
            Signature = SignContent(content),
        };
    }

    /// <summary>The signed seal event (proof-format §7.1).</summary>
    public SealEvent SealEventFor(string traceId, long count, string composite, string root, string sealedAt)
    {
        var payloadJson = JsonSerializer.Serialize(new SealPayload { TraceId = traceId, EventCount = count, CompositeHash = composite, IntegrityRootHash = root },
            TracesJsonContext.Default.SealPayload);
        using var payload = JsonDocument.Parse(payloadJson);
        var payloadHash = EntryHasher.ComputePayloadHash(payload.RootElement);
        var eventId = "evt_seal_" + traceId;
        var content = EntryHasher.ComputeContentHash(eventId, SealEvent.Type, sealedAt, payloadHash);
        return new SealEvent
        {
            EventId = eventId,
            EventType = SealEvent.Type,
            Payload = payload.RootElement.Clone(),
            PayloadHash = payloadHash.ToString(),
            ContentHash = content.ToString(),
            IngestedAt = sealedAt,
            KeyId = _keyId,
            PublicKey = _publicKey,
            Signature = SignContent(content),
        };
    }

    /// <summary>The certificate (proof-format §7.2).</summary>
    public TraceCertificate Certify(string traceId, long count, string composite, string root, string sealEventId, string sealedAt)
    {
        var spki = rsa.ExportSubjectPublicKeyInfo();
        var statement = new CertificateStatement
        {
            Version = EntryHasher.FormatVersion,
            TraceId = traceId,
            EventCount = count,
            CompositeHash = composite,
            IntegrityRootHash = root,
            SealEventId = sealEventId,
            SealedAt = sealedAt,
            KeyId = Digest.Compute(spki).ToString(),
        };
        var message = SignedMessage.Create(SignatureLabels.Certificate, statement.ComputeDigest());
        var signature = deterministicSalt
            ? SignPssDeterministic(message)
            : rsa.SignData(message, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return new TraceCertificate
        {
            Version = statement.Version,
            TraceId = traceId,
            EventCount = count,
            CompositeHash = composite,
            IntegrityRootHash = root,
            SealEventId = sealEventId,
            SealedAt = sealedAt,
            KeyId = statement.KeyId,
            Algorithm = WireEncoding.RsaPssSha256,
            PublicKey = rsa.ExportSubjectPublicKeyInfoPem(),
            Signature = WireEncoding.FormatRsaPssSignature(signature),
        };
    }

    /// <summary>The Ed25519 signature string over a content digest (proof-format §6).</summary>
    public string SignContent(Digest content) =>
        WireEncoding.FormatEd25519Signature(SignatureAlgorithm.Ed25519.Sign(ed25519, SignedMessage.Create(SignatureLabels.Event, content)));

    /// <summary>
    /// RSASSA-PSS-SIGN (RFC 8017 §8.1.1) with salt = the first 32 bytes of SHA-256("traces/v1 test salt" || mHash),
    /// so the same statement always gets the same signature. For test vectors only.
    /// </summary>
    private byte[] SignPssDeterministic(byte[] message)
    {
        var p = rsa.ExportParameters(includePrivateParameters: true);
        var modBits = p.Modulus!.Length * 8 - LeadingZeroBits(p.Modulus[0]);
        var emLen = (modBits - 1 + 7) / 8;
        var mHash = SHA256.HashData(message);
        var salt = SHA256.HashData([.. "traces/v1 test salt"u8, .. mHash]);
        // §9.1.1 steps 5–12: M' = 8 zero bytes || mHash || salt; H = Hash(M'); DB = PS || 0x01 || salt; EM = maskedDB || H || 0xbc.
        var h = SHA256.HashData([.. new byte[8], .. mHash, .. salt]);
        var db = new byte[emLen - 32 - 1];
        db[db.Length - salt.Length - 1] = 0x01;
        salt.CopyTo(db, db.Length - salt.Length);
        var mask = Mgf1(h, db.Length);
        for (var i = 0; i < db.Length; i++)
        {
            db[i] ^= mask[i];
        }

        db[0] &= (byte)(0xFF >> (8 * emLen - (modBits - 1)));
        byte[] em = [.. db, .. h, 0xbc];
        // §8.1.1 step 2: s = m^d mod n (RSASP1, §5.2.1).
        var m = new BigInteger(em, isUnsigned: true, isBigEndian: true);
        var n = new BigInteger(p.Modulus, isUnsigned: true, isBigEndian: true);
        var d = new BigInteger(p.D!, isUnsigned: true, isBigEndian: true);
        var s = BigInteger.ModPow(m, d, n).ToByteArray(isUnsigned: true, isBigEndian: true);
        var signature = new byte[p.Modulus.Length];
        s.CopyTo(signature, signature.Length - s.Length);
        return signature;
    }

    private static byte[] Mgf1(byte[] seed, int length)
    {
        var output = new byte[length];
        for (uint counter = 0, offset = 0; offset < length; counter++, offset += 32)
        {
            var block = SHA256.HashData([.. seed, (byte)(counter >> 24), (byte)(counter >> 16), (byte)(counter >> 8), (byte)counter]);
            block.AsSpan(0, (int)Math.Min(32, length - offset)).CopyTo(output.AsSpan((int)offset));
        }

        return output;
    }

    private static int LeadingZeroBits(byte value) => BitOperations.LeadingZeroCount((uint)value) - 24;

    /// <summary>Entries of assorted kinds and payloads for tests (deterministic for a given count and seed).</summary>
    public static IReadOnlyList<TestEntry> SampleEntries(int count, int seed = 1)
    {
        var random = new Random(seed);
        var kinds = new[] { "invoice.received", "document.anchored", "ai.attestation", "agent.step", "payment.authorized" };
        return Enumerable.Range(0, count).Select(i => new TestEntry(
            kinds[i % kinds.Length],
            string.Create(CultureInfo.InvariantCulture,
                $"{{\"n\":{i},\"amount\":{random.Next(1, 100000) / 100.0},\"note\":\"entry {i} \\u00e9\\u2028\",\"tags\":[\"a\",\"b\"],\"nested\":{{\"z\":true,\"a\":null}}}}")))
            .ToList();
    }
}
