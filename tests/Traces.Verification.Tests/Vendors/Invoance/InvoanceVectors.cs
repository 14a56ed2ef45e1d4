using System.Text.Json.Nodes;
using NSec.Cryptography;
using Traces.TestSupport;
using Traces.Verification.Trust;

namespace Traces.Verification.Tests.Vendors.Invoance;

/// <summary>Invoance's 15 golden vectors (tests/vectors/invoance/audit-1-vectors.json).</summary>
internal static class InvoanceVectors
{
    private static readonly Lazy<JsonObject> s_file = new(() =>
        JsonNode.Parse(File.ReadAllBytes(TestVectors.PathOf("invoance", "audit-1-vectors.json")))!.AsObject());

    public static JsonObject File_ => s_file.Value;

    public static IReadOnlyList<JsonObject> All => [.. File_["vectors"]!.AsArray().Select(v => v!.AsObject())];

    public static JsonObject Named(string name) => All.Single(v => v["name"]!.GetValue<string>() == name);

    public static string PublicKeyHex => File_["test_public_key"]!.GetValue<string>();

    /// <summary>The vectors' signing key: the seed bytes 0..31 ("NOT a real key").</summary>
    public static Key SigningKey { get; } = Key.Import(SignatureAlgorithm.Ed25519, [.. Enumerable.Range(0, 32).Select(i => (byte)i)], KeyBlobFormat.RawPrivateKey);

    public static TrustPolicy Pinned => TrustPolicy.CreateBuilder().AddEd25519PublicKey(PublicKeyHex).Build();

    /// <summary>The vector's event as the API serves it: the event plus payload_hash, signature and signing_public_key.</summary>
    public static JsonObject ApiEvent(JsonObject vector)
    {
        var e = vector["event"]!.DeepClone().AsObject();
        e["payload_hash"] = vector["payload_hash_sha256"]!.GetValue<string>();
        e["signature"] = vector["signature_ed25519"]!.GetValue<string>();
        e["signing_public_key"] = vector["public_key"]!.GetValue<string>();
        return e;
    }

    public static IEnumerable<string> Names => All.Select(v => v["name"]!.GetValue<string>());
}
