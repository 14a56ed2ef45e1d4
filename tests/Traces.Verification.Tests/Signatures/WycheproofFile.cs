using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Signatures;

/// <summary>One Wycheproof test case with the fields of its group that the tests use.</summary>
internal sealed record WycheproofCase(
    int TcId,
    string Comment,
    string[] Flags,
    string Result,
    byte[] Msg,
    byte[] Sig,
    WycheproofGroup Group)
{
    public override string ToString() => $"tcId {TcId} ({Result}; {Comment}; flags {string.Join(",", Flags)})";
}

/// <summary>The key and parameters of a Wycheproof test group (fields absent from a file are null).</summary>
internal sealed record WycheproofGroup(
    int Index,
    string? PublicKeyPem,
    byte[]? PublicKeyDer,
    byte[]? PublicKeyAsn,
    byte[]? RawPublicKey,
    int? KeySize,
    string? Sha,
    string? MgfSha,
    int? SLen);

/// <summary>Loads a file from tests/vectors/wycheproof once and indexes its cases by tcId.</summary>
internal sealed class WycheproofFile
{
    private static readonly ConcurrentDictionary<string, WycheproofFile> s_cache = new();

    private WycheproofFile(IReadOnlyList<WycheproofCase> cases, int numberOfTests)
    {
        Cases = cases;
        ById = cases.ToDictionary(c => c.TcId);
        NumberOfTests = numberOfTests;
    }

    public IReadOnlyList<WycheproofCase> Cases { get; }

    public IReadOnlyDictionary<int, WycheproofCase> ById { get; }

    public int NumberOfTests { get; }

    public static WycheproofFile Load(string name) => s_cache.GetOrAdd(name, static n => Read(n));

    public static TheoryData<int> TcIds(string name) => new(Load(name).Cases.Select(c => c.TcId));

    /// <summary>Maps Wycheproof's hash names ("SHA-256") to .NET's; SHA-224 has no .NET constant and stays as "SHA224".</summary>
    public static HashAlgorithmName HashName(string wycheproofName) => new(wycheproofName.Replace("-", "", StringComparison.Ordinal));

    private static WycheproofFile Read(string name)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(TestVectors.PathOf("wycheproof", name)));
        var root = document.RootElement;
        var cases = new List<WycheproofCase>();
        var index = 0;
        foreach (var g in root.GetProperty("testGroups").EnumerateArray())
        {
            var group = new WycheproofGroup(
                index++,
                OptionalString(g, "publicKeyPem"),
                OptionalHex(g, "publicKeyDer"),
                OptionalHex(g, "publicKeyAsn"),
                g.TryGetProperty("publicKey", out var pk) && pk.ValueKind == JsonValueKind.Object && pk.TryGetProperty("pk", out var raw)
                    ? Convert.FromHexString(raw.GetString()!)
                    : null,
                g.TryGetProperty("keySize", out var ks) ? ks.GetInt32() : null,
                OptionalString(g, "sha"),
                OptionalString(g, "mgfSha"),
                g.TryGetProperty("sLen", out var sLen) ? sLen.GetInt32() : null);

            foreach (var t in g.GetProperty("tests").EnumerateArray())
            {
                cases.Add(new WycheproofCase(
                    t.GetProperty("tcId").GetInt32(),
                    t.GetProperty("comment").GetString() ?? "",
                    [.. t.GetProperty("flags").EnumerateArray().Select(f => f.GetString()!)],
                    t.GetProperty("result").GetString()!,
                    Convert.FromHexString(t.GetProperty("msg").GetString()!),
                    Convert.FromHexString(t.GetProperty("sig").GetString()!),
                    group));
            }
        }

        return new WycheproofFile(cases, root.GetProperty("numberOfTests").GetInt32());
    }

    private static string? OptionalString(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetString() : null;

    private static byte[]? OptionalHex(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? Convert.FromHexString(v.GetString()!) : null;
}
