using System.Text.Json;
using System.Text.Json.Nodes;
using Traces.TestSupport;

namespace Traces.Verification.Tests.Vendors.SidClaw;

/// <summary>The captures of SidClaw's real server in tests/vectors/sidclaw/responses.</summary>
internal static class SidClawCaptures
{
    public static string PathOf(string file) => TestVectors.PathOf("sidclaw", "responses", file);

    public static byte[] Bytes(string file) => File.ReadAllBytes(PathOf(file));

    public static JsonObject Json(string file) => JsonNode.Parse(Bytes(file))!.AsObject();

    /// <summary>The trace id a capture's trace document names.</summary>
    public static string TraceId(string file) => Json(file)["id"]!.GetValue<string>();

    /// <summary>The stored hash of the document's last event (SidClaw serves events by timestamp).</summary>
    public static string LastHash(string file) => Json(file)["events"]!.AsArray()[^1]!["integrity_hash"]!.GetValue<string>();

    /// <summary>What SidClaw's own GET /traces/:id/verify answered.</summary>
    public static ServerVerify Verify(string file)
    {
        var json = Json(file);
        var broken = json["broken_at"] as JsonObject;
        return new ServerVerify(
            json["verified"]!.GetValue<bool>(),
            json["total_events"]!.GetValue<int>(),
            json["verified_events"]!.GetValue<int>(),
            broken?["event_id"]!.GetValue<string>(),
            broken?["expected_hash"]!.GetValue<string>(),
            broken?["actual_hash"]!.GetValue<string>());
    }

    /// <summary>Serializes an edited document back to UTF-8 exactly as JSON (non-ASCII left literal).</summary>
    public static byte[] ToBytes(JsonNode node) => JsonSerializer.SerializeToUtf8Bytes(node, new JsonSerializerOptions
    {
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    public sealed record ServerVerify(bool Verified, int TotalEvents, int VerifiedEvents, string? BrokenEventId, string? ExpectedHash, string? ActualHash);
}
