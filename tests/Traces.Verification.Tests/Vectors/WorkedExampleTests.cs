using System.Text;
using System.Text.Json;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Bundles;
using Traces.Verification.Canonicalization;
using Traces.Verification.Hashing;
using Traces.Verification.Merkle;
using Traces.Verification.Signatures;

namespace Traces.Verification.Tests.Vectors;

/// <summary>The worked example of proof-format §11, value for value.</summary>
public class WorkedExampleTests
{
    [Fact]
    public void KeyId_IsTheSha256OfTheRawEd25519Key()
    {
        Assert.Equal("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", Convert.ToHexStringLower(TestKeys.Ed25519PublicRaw));
        Assert.Equal("sha256:21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9", TestKeys.Ed25519KeyId);
    }

    [Fact]
    public void TwoEntries_ReproduceEveryValueOfTheSpecification()
    {
        var entry0 = Entry("evt_000000", "invoice.received", "2026-03-17T12:00:00.000000Z",
            "{\"invoice_number\": \"INV-2026-001\", \"amount\": 5000}",
            expectedJcs: "{\"amount\":5000,\"invoice_number\":\"INV-2026-001\"}",
            expectedPayloadHash: "sha256:29491ff70d65d28d330d63f34384b05814c402bf769e8f28c0703e0553b2900b",
            expectedContentHash: "sha256:a87bf7694de704361edd42382f59a3ac7caac1013fabce8fc0934180d259b351");
        var entry1 = Entry("evt_000001", "document.anchored", "2026-03-17T12:00:01.000001Z",
            "{\"document_ref\": \"contract.pdf\", \"document_hash\": \"sha256:cc8321d6375c494d043fdd0260f21bc0ec51dacc9f6abb7f909cdcd3041b78bf\"}",
            expectedJcs: "{\"document_hash\":\"sha256:cc8321d6375c494d043fdd0260f21bc0ec51dacc9f6abb7f909cdcd3041b78bf\",\"document_ref\":\"contract.pdf\"}",
            expectedPayloadHash: "sha256:b3a04fb60ae29db08349637d018498ec104d005a3c11967d08991dbeeb6370a8",
            expectedContentHash: "sha256:076efed4cbbde0dc1f8477bf7a280a3c04acc24ddb23a34f23b64c1aeca28eed");

        var chain0 = HashChain.Next(Digest.Zero, entry0);
        var chain1 = HashChain.Next(chain0, entry1);
        Assert.Equal("sha256:e4ced43cab9b8962aa8f5bc39005378643e7770dea892128d7a14847facf7a85", chain0.ToString());
        Assert.Equal("sha256:333f88bfb19980912323cfeaa3471f5f4a408d412df3d644b16a4c025175249c", chain1.ToString());

        var message0 = SignedMessage.Create(SignatureLabels.Event, entry0);
        Assert.Equal("7472616365732f76312f6576656e7400a87bf7694de704361edd42382f59a3ac7caac1013fabce8fc0934180d259b351", Convert.ToHexStringLower(message0));
        Assert.Equal("ed25519:bc6fc8eef1a76f78e6b8bdaa0416b037f8b651b8de51bd7f0606fc237cce705cf6a3fa4955fc7bf1ac97d6caa17967a59f0db55dfdf1d52701218238f07f5104",
            WireEncoding.FormatEd25519Signature(SignatureAlgorithm.Ed25519.Sign(TestKeys.Ed25519, message0)));
        Assert.Equal("ed25519:f832cdaa70614665e48ccfe06efd4c6199442120bbf2e61f14c1d2774e0e55c99766a57f4a95dd04d2192a3ce9fdac535bc5933d87928f68b0779b66a3d7700c",
            TestTraceSigner.Default.SignContent(entry1));

        var leaf0 = MerkleTree.LeafHash(entry0.Bytes);
        var leaf1 = MerkleTree.LeafHash(entry1.Bytes);
        Assert.Equal("e449916196424172286de97f7693e24bbfc23a0cc422d35457c1472757ea5fd1", leaf0.ToHex());
        Assert.Equal("d0f62986c76e46750db9d5edf791d1c7d8228c0ef5d66e33aa780b5bf7eec7a0", leaf1.ToHex());
        Assert.Equal("sha256:49128a1dd6da0d6cd3665e308940477a4eaab232f2dd2e9ef694b10051f2ec2b", MerkleTree.RootHash([leaf0, leaf1]).ToString());

        var seal = JsonSerializer.SerializeToUtf8Bytes(new SealPayload
        {
            TraceId = "tr_example0001",
            EventCount = 2,
            CompositeHash = "sha256:49128a1dd6da0d6cd3665e308940477a4eaab232f2dd2e9ef694b10051f2ec2b",
            IntegrityRootHash = chain1.ToString(),
        }, TracesJsonContext.Default.SealPayload);
        Assert.Equal(
            "{\"composite_hash\":\"sha256:49128a1dd6da0d6cd3665e308940477a4eaab232f2dd2e9ef694b10051f2ec2b\",\"event_count\":2,"
            + "\"integrity_root_hash\":\"sha256:333f88bfb19980912323cfeaa3471f5f4a408d412df3d644b16a4c025175249c\",\"trace_id\":\"tr_example0001\"}",
            Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(seal).Utf8Bytes!));
    }

    private static Digest Entry(string eventId, string eventType, string ingestedAt, string payloadJson,
        string expectedJcs, string expectedPayloadHash, string expectedContentHash)
    {
        using var payload = JsonDocument.Parse(payloadJson);
        Assert.Equal(expectedJcs, Encoding.UTF8.GetString(JsonCanonicalizer.Canonicalize(payload.RootElement).Utf8Bytes!));
        var payloadHash = EntryHasher.ComputePayloadHash(payload.RootElement);
        Assert.Equal(expectedPayloadHash, payloadHash.ToString());
        var content = EntryHasher.ComputeContentHash(eventId, eventType, ingestedAt, payloadHash);
        Assert.Equal(expectedContentHash, content.ToString());
        return content;
    }
}
