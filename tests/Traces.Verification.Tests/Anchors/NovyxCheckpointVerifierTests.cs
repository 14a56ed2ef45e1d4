using System.Security.Cryptography;
using System.Text;
using Traces.Verification.Anchors;
using Traces.Verification.Hashing;
using Traces.Verification.Signatures;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Anchors;

public class NovyxCheckpointVerifierTests
{
    private const string Fingerprint = "8888b9fb0e8f5089be2d027364f96bcaeb1204f814ea174283124932d2faf1bf";

    private static readonly long[] s_ids =
    [
        6, 7, 8,
        41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69,
        102, 103, 104, 105, 106, 107, 108, 109, 110, 111,
    ];

    private static readonly Lazy<NovyxCheckpointVerifier> s_verifier = new(() => NovyxCheckpointVerifier.FromPublishedKeyFile(KeyFileBytes));

    public static TheoryData<string> CheckpointFiles => new(CheckpointPaths().Select(Path.GetFileName)!);

    private static byte[] KeyFileBytes => File.ReadAllBytes(TestVectors.PathOf("novyx-anchors", "sentinel_public.pem"));

    private static NovyxCheckpointVerifier Verifier => s_verifier.Value;

    [Fact]
    public void Vectors_Are42NumberedFilesAndLatestIsACopyOf111()
    {
        var files = CheckpointPaths().Select(Path.GetFileName).ToArray();
        Assert.Equal(43, files.Length);
        Assert.Equal(s_ids.Select(id => $"{id:D6}.json").Append("latest.json"), files);
        Assert.Equal(File.ReadAllBytes(PathOf("000111.json")), File.ReadAllBytes(PathOf("latest.json")));
    }

    [Fact]
    public void ComputeKeyFingerprint_IsSha256OfThePemFileIncludingItsFinalNewline()
    {
        var bytes = KeyFileBytes;
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.DoesNotContain((byte)'\r', bytes);

        Assert.Equal(Fingerprint, NovyxCheckpointVerifier.ComputeKeyFingerprint(bytes).ToHex());
        Assert.Equal(Fingerprint, Convert.ToHexStringLower(SHA256.HashData(bytes)));

        // Without the final newline, or with CRLF line endings, the published fingerprint is not reproduced.
        Assert.Equal(
            "a23deff73178adc535927440b95321cdafae6fd1e9dde39c166a7543a47dfda6",
            NovyxCheckpointVerifier.ComputeKeyFingerprint(bytes[..^1]).ToHex());
        var crlf = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(bytes).Replace("\n", "\r\n", StringComparison.Ordinal));
        Assert.NotEqual(Fingerprint, NovyxCheckpointVerifier.ComputeKeyFingerprint(crlf).ToHex());

        Assert.Equal(Fingerprint, Verifier.TrustedKeyFingerprint.ToHex());
        Assert.Equal(RsaSignatureScheme.PssSha256MaximumSalt, Verifier.Scheme);
    }

    [Theory]
    [MemberData(nameof(CheckpointFiles))]
    public void Verify_EachPublishedCheckpoint_IsValid(string file)
    {
        var checkpoint = NovyxCheckpoint.Parse(File.ReadAllBytes(PathOf(file)));
        var key = Verifier.TrustedKey;
        var signed = checkpoint.GetSignedBytes();

        var result = Verifier.Verify(checkpoint);

        Assert.True(result.IsValid, $"{file}: {string.Join("; ", result.Findings)}");
        Assert.Empty(result.Findings);
        Assert.Equal(512, checkpoint.Signature.Length);
        Assert.Equal(Fingerprint, checkpoint.KeyFingerprint.ToHex());

        // The same signature under explicit salt 478, under a recovered salt, and through the EMSA-PSS path directly.
        Assert.Equal(checkpoint.PayloadHash.ToHex(), Encoding.ASCII.GetString(signed));
        Assert.True(key.Verify(signed, checkpoint.Signature, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 478)), file);
        Assert.True(key.Verify(signed, checkpoint.Signature, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover)), file);
        Assert.True(new NovyxCheckpointVerifier(key, checkpoint.KeyFingerprint, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, PssSaltLength.Recover))
            .Verify(checkpoint).IsValid, file);

        // Not over the raw 32-byte digest.
        Assert.False(key.Verify(checkpoint.PayloadHash.Bytes, checkpoint.Signature, RsaSignatureScheme.PssSha256MaximumSalt), file);
        Assert.False(key.Verify(signed, checkpoint.Signature, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 477)), file);
    }

    [Theory]
    [MemberData(nameof(CheckpointFiles))]
    public void Verify_WithFrameworkPssSalt32_RejectsThePublishedSignatures(string file)
    {
        // .NET's RSASignaturePadding.Pss fixes salt = hash length (32); Novyx signs with salt 478.
        var checkpoint = NovyxCheckpoint.Parse(File.ReadAllBytes(PathOf(file)));
        var salt32 = new NovyxCheckpointVerifier(Verifier.TrustedKey, Verifier.TrustedKeyFingerprint, RsaSignatureScheme.Pss(HashAlgorithmName.SHA256, 32));

        var result = salt32.Verify(checkpoint);

        Assert.False(result.SignatureValid);
        Assert.Equal(NovyxFindingCodes.SignatureInvalid, Assert.Single(result.Findings).Code);

        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(Verifier.TrustedKey.SubjectPublicKeyInfo, out _);
        Assert.False(rsa.VerifyData(checkpoint.GetSignedBytes(), checkpoint.Signature.ToArray(), HashAlgorithmName.SHA256, RSASignaturePadding.Pss));
    }

    [Fact]
    public void VerifyDocuments_AllFilesIncludingLatest_VerifyWithExactlyTwoGaps()
    {
        var result = Verifier.VerifyDocuments(CheckpointPaths().Select(p => (ReadOnlyMemory<byte>)File.ReadAllBytes(p)));

        Assert.True(result.IsValid, string.Join("; ", result.AllFindings));
        Assert.Equal(s_ids, result.Checkpoints.Select(c => c.CheckpointId));
        Assert.All(result.Checkpoints, c => Assert.True(c.IsValid && c.SignatureValid && c.FingerprintMatches));
        Assert.Equal([new NovyxGap(8, 41), new NovyxGap(69, 102)], result.Gaps);
        Assert.Equal([32L, 32L], result.Gaps.Select(g => g.MissingCount));
        Assert.Equal(
            [
                new NovyxFinding(NovyxFindingCodes.ChainGap, 41, "Checkpoints 9-40 are absent; the link from 8 to 41 cannot be checked."),
                new NovyxFinding(NovyxFindingCodes.ChainGap, 102, "Checkpoints 70-101 are absent; the link from 69 to 102 cannot be checked."),
            ],
            result.Findings);
        Assert.All(result.Findings, f => Assert.False(f.IsFailure));
    }

    [Fact]
    public void VerifyChain_OrderOfInputDoesNotMatter()
    {
        var checkpoints = LoadAll();
        var shuffled = checkpoints.OrderBy(c => c.PayloadHash.ToHex(), StringComparer.Ordinal).ToArray();

        var result = Verifier.VerifyChain(shuffled);

        Assert.True(result.IsValid);
        Assert.Equal(s_ids, result.Checkpoints.Select(c => c.CheckpointId));
        Assert.Equal(2, result.Gaps.Count);
    }

    [Fact]
    public void Verify_FlippingAnySignatureByte_FailsTheCheckpoint()
    {
        var checkpoint = NovyxCheckpoint.Parse(File.ReadAllBytes(PathOf("000006.json")));
        var signature = checkpoint.Signature.ToArray();
        var failures = new List<int>();

        for (var i = 0; i < signature.Length; i++)
        {
            foreach (var mask in (byte[])[0x01, 0x80, 0xFF])
            {
                var tampered = signature.ToArray();
                tampered[i] ^= mask;
                var result = Verifier.Verify(With(checkpoint, signature: tampered));
                if (result.SignatureValid || result.Findings.Single().Code != NovyxFindingCodes.SignatureInvalid)
                {
                    failures.Add(i);
                }
            }
        }

        Assert.Equal(512, signature.Length);
        Assert.Empty(failures);
    }

    [Fact]
    public void Verify_ChangingAnyHexCharOfPayloadHash_FailsTheCheckpoint()
    {
        var json = File.ReadAllText(PathOf("000042.json"));
        var original = NovyxCheckpoint.Parse(Encoding.UTF8.GetBytes(json));
        var hex = original.PayloadHash.ToHex();
        Assert.True(Verifier.Verify(original).IsValid);

        for (var i = 0; i < hex.Length; i++)
        {
            var chars = hex.ToCharArray();
            chars[i] = chars[i] == 'f' ? '0' : chars[i] == '9' ? 'a' : (char)(chars[i] + 1);
            var tamperedJson = json.Replace(hex, new string(chars), StringComparison.Ordinal);
            Assert.NotEqual(json, tamperedJson);

            var result = Verifier.VerifyDocuments([Encoding.UTF8.GetBytes(tamperedJson)]);

            var checkpointResult = Assert.Single(result.Checkpoints);
            Assert.False(checkpointResult.SignatureValid, $"hex position {i}");
            Assert.Equal(NovyxFindingCodes.SignatureInvalid, Assert.Single(checkpointResult.Findings).Code);
            Assert.False(result.IsValid);
        }
    }

    [Fact]
    public void Verify_UppercasePayloadHash_IsMalformedNotASignatureCheckOverOtherBytes()
    {
        var json = File.ReadAllText(PathOf("000042.json"));
        var hex = NovyxCheckpoint.Parse(Encoding.UTF8.GetBytes(json)).PayloadHash.ToHex();
        var upper = json.Replace(hex, hex.ToUpperInvariant(), StringComparison.Ordinal);

        var result = Verifier.VerifyDocuments([Encoding.UTF8.GetBytes(upper)]);

        Assert.Empty(result.Checkpoints);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(NovyxFindingCodes.Malformed, finding.Code);
        Assert.Null(finding.CheckpointId);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void VerifyChain_WhenPreviousHashIsAltered_ReportsChainBrokenAtThatCheckpoint()
    {
        // previous_checkpoint_hash is not what the signature covers, so the checkpoint itself still verifies; the link fails.
        var checkpoints = LoadAll().Select(c => c.CheckpointId == 50 ? With(c, previous: Digest.Compute("x"u8)) : c).ToArray();

        var result = Verifier.VerifyChain(checkpoints);

        Assert.False(result.IsValid);
        Assert.All(result.Checkpoints, c => Assert.True(c.IsValid));
        var broken = Assert.Single(result.Findings, f => f.IsFailure);
        Assert.Equal((NovyxFindingCodes.ChainBroken, (long?)50), (broken.Code, broken.CheckpointId));
        Assert.Equal(2, result.Findings.Count(f => f.Code == NovyxFindingCodes.ChainGap));
    }

    [Fact]
    public void VerifyChain_WhenADuplicateIdDiffers_ReportsChainBroken()
    {
        var checkpoints = LoadAll();
        var fork = With(checkpoints.First(c => c.CheckpointId == 111), tenantCount: 44); // 000111.json and latest.json are both 111

        var result = Verifier.VerifyChain([.. checkpoints, fork]);

        Assert.False(result.IsValid);
        Assert.Equal(42, result.Checkpoints.Count);
        var broken = Assert.Single(result.Findings, f => f.IsFailure);
        Assert.Equal((NovyxFindingCodes.ChainBroken, (long?)111), (broken.Code, broken.CheckpointId));
    }

    [Fact]
    public void VerifyChain_GenesisCheckpoint_MustLinkToZero()
    {
        var template = LoadAll()[0];
        var genesis = new NovyxCheckpoint(1, template.CreatedAt, 1, 1, Digest.Zero, template.PayloadHash, template.Signature, template.KeyFingerprint);
        var badGenesis = With(genesis, previous: template.PayloadHash);

        Assert.DoesNotContain(Verifier.VerifyChain([genesis]).Findings, f => f.Code == NovyxFindingCodes.ChainBroken);
        var finding = Assert.Single(Verifier.VerifyChain([badGenesis]).Findings);
        Assert.Equal((NovyxFindingCodes.ChainBroken, (long?)1), (finding.Code, finding.CheckpointId));
    }

    [Fact]
    public void Verify_WhenFingerprintDiffers_ReportsFingerprintMismatchButStillChecksTheSignature()
    {
        var other = new NovyxCheckpointVerifier(Verifier.TrustedKey, Digest.Compute(KeyFileBytes.AsSpan(..^1)));

        var result = other.VerifyChain(LoadAll());

        Assert.False(result.IsValid);
        Assert.All(result.Checkpoints, c =>
        {
            Assert.True(c.SignatureValid);
            Assert.False(c.FingerprintMatches);
            Assert.Equal(NovyxFindingCodes.FingerprintMismatch, Assert.Single(c.Findings).Code);
        });
    }

    [Fact]
    public void Verify_WithAnotherTrustedKey_FailsEveryCheckpointEvenWithTheClaimedFingerprint()
    {
        using var rsa = RSA.Create(4096);
        var otherKey = RsaPublicKey.ImportSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo());
        var verifier = new NovyxCheckpointVerifier(otherKey, Digest.Parse("sha256:" + Fingerprint));

        var result = verifier.VerifyChain(LoadAll());

        Assert.All(result.Checkpoints, c => Assert.Equal(NovyxFindingCodes.SignatureInvalid, Assert.Single(c.Findings).Code));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"checkpoint_id": 0, "created_at": "2026-06-15T13:41:28+00:00", "tenant_count": 1, "total_entries": 1, "previous_checkpoint_hash": "0000000000000000000000000000000000000000000000000000000000000000", "payload_hash": "7506a5f6151520733bfd861060e0a3ed83b3e3f1b574c41609bcafe57182f546", "signature": "AA==", "key_fingerprint": "8888b9fb0e8f5089be2d027364f96bcaeb1204f814ea174283124932d2faf1bf"}""")]
    [InlineData("""{"checkpoint_id": 6, "created_at": "2026-06-15T13:41:28+00:00", "tenant_count": 1, "total_entries": 1, "previous_checkpoint_hash": "0000000000000000000000000000000000000000000000000000000000000000", "payload_hash": "7506a5f6151520733bfd861060e0a3ed83b3e3f1b574c41609bcafe57182f546", "signature": "not base64!", "key_fingerprint": "8888b9fb0e8f5089be2d027364f96bcaeb1204f814ea174283124932d2faf1bf"}""")]
    [InlineData("""{"checkpoint_id": 6, "created_at": "2026-06-15T13:41:28+00:00", "tenant_count": 1, "total_entries": 1, "previous_checkpoint_hash": "00", "payload_hash": "7506a5f6151520733bfd861060e0a3ed83b3e3f1b574c41609bcafe57182f546", "signature": "AA==", "key_fingerprint": "8888b9fb0e8f5089be2d027364f96bcaeb1204f814ea174283124932d2faf1bf"}""")]
    [InlineData("""{"checkpoint_id": "6", "created_at": "2026-06-15T13:41:28+00:00", "tenant_count": 1, "total_entries": 1, "previous_checkpoint_hash": "0000000000000000000000000000000000000000000000000000000000000000", "payload_hash": "7506a5f6151520733bfd861060e0a3ed83b3e3f1b574c41609bcafe57182f546", "signature": "AA==", "key_fingerprint": "8888b9fb0e8f5089be2d027364f96bcaeb1204f814ea174283124932d2faf1bf"}""")]
    public void VerifyDocuments_MalformedDocument_IsAMalformedFindingNotAnException(string json)
    {
        Assert.False(NovyxCheckpoint.TryParse(Encoding.UTF8.GetBytes(json), out var checkpoint, out var error));
        Assert.Null(checkpoint);
        Assert.False(string.IsNullOrEmpty(error));

        var result = Verifier.VerifyDocuments([Encoding.UTF8.GetBytes(json)]);

        Assert.False(result.IsValid);
        Assert.Empty(result.Checkpoints);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(NovyxFindingCodes.Malformed, finding.Code);
        Assert.StartsWith("Document 0: ", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryParse_WhenAMemberIsDuplicated_IsMalformed()
    {
        var json = File.ReadAllText(PathOf("000006.json"));
        Assert.True(NovyxCheckpoint.TryParse(Encoding.UTF8.GetBytes(json), out _, out _));
        var duplicated = json.Replace(
            "\"tenant_count\"",
            "\"payload_hash\": \"0000000000000000000000000000000000000000000000000000000000000000\",\n  \"tenant_count\"",
            StringComparison.Ordinal);

        Assert.False(NovyxCheckpoint.TryParse(Encoding.UTF8.GetBytes(duplicated), out var checkpoint, out var error));
        Assert.Null(checkpoint);
        Assert.StartsWith("Not a checkpoint document:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void FindingCodes_HaveTheirStableValues() =>
        Assert.Equal(
            ["signature_invalid", "chain_broken", "chain_gap", "fingerprint_mismatch", "malformed"],
            [
                NovyxFindingCodes.SignatureInvalid, NovyxFindingCodes.ChainBroken, NovyxFindingCodes.ChainGap,
                NovyxFindingCodes.FingerprintMismatch, NovyxFindingCodes.Malformed,
            ]);

    [Fact]
    public void Parse_ReadsEveryField()
    {
        var checkpoint = NovyxCheckpoint.Parse(File.ReadAllBytes(PathOf("000006.json")));

        Assert.Equal(6, checkpoint.CheckpointId);
        Assert.Equal(new DateTimeOffset(2026, 6, 15, 13, 41, 28, TimeSpan.Zero).AddTicks(513280), checkpoint.CreatedAt);
        Assert.Equal(43, checkpoint.TenantCount);
        Assert.Equal(170460, checkpoint.TotalEntries);
        Assert.Equal("29ad18bde24474cd6718e574458e0b12f9de0697a6bda2344776b344be5fc652", checkpoint.PreviousCheckpointHash.ToHex());
        Assert.Equal("7506a5f6151520733bfd861060e0a3ed83b3e3f1b574c41609bcafe57182f546", checkpoint.PayloadHash.ToHex());
        Assert.Equal(Fingerprint, checkpoint.KeyFingerprint.ToHex());
        Assert.Equal("oNbatjAYZ3MmcbJwVcTW", Convert.ToBase64String(checkpoint.Signature)[..20]);
    }

    [Fact]
    public void Verify_InParallel_AllCheckpointsVerify()
    {
        var checkpoints = LoadAll();
        var results = new bool[checkpoints.Length * 3];
        Parallel.For(0, results.Length, i => results[i] = Verifier.Verify(checkpoints[i % checkpoints.Length]).IsValid);
        Assert.All(results, Assert.True);
    }

    private static NovyxCheckpoint[] LoadAll() =>
        [.. CheckpointPaths().Select(p => NovyxCheckpoint.Parse(File.ReadAllBytes(p)))];

    private static NovyxCheckpoint With(NovyxCheckpoint c, byte[]? signature = null, Digest? previous = null, long? tenantCount = null) =>
        new(c.CheckpointId, c.CreatedAt, tenantCount ?? c.TenantCount, c.TotalEntries, previous ?? c.PreviousCheckpointHash, c.PayloadHash,
            signature ?? c.Signature, c.KeyFingerprint);

    private static string PathOf(string file) => TestVectors.PathOf("novyx-anchors", "checkpoints", file);

    private static IEnumerable<string> CheckpointPaths() =>
        Directory.EnumerateFiles(TestVectors.PathOf("novyx-anchors", "checkpoints"), "*.json").Order(StringComparer.Ordinal);
}
