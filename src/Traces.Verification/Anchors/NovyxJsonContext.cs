using System.Text.Json.Serialization;

namespace Traces.Verification.Anchors;

/// <summary>The checkpoint JSON as published, before validation. Every member is nullable so absence is detectable.</summary>
internal sealed class NovyxCheckpointDocument
{
    [JsonPropertyName("checkpoint_id")]
    public long? CheckpointId { get; set; }

    [JsonPropertyName("created_at")]
    public DateTimeOffset? CreatedAt { get; set; }

    [JsonPropertyName("tenant_count")]
    public long? TenantCount { get; set; }

    [JsonPropertyName("total_entries")]
    public long? TotalEntries { get; set; }

    [JsonPropertyName("previous_checkpoint_hash")]
    public string? PreviousCheckpointHash { get; set; }

    [JsonPropertyName("payload_hash")]
    public string? PayloadHash { get; set; }

    [JsonPropertyName("signature")]
    public string? Signature { get; set; }

    [JsonPropertyName("key_fingerprint")]
    public string? KeyFingerprint { get; set; }
}

/// <summary>Source-generated (trim- and AOT-safe) serialization metadata for Novyx checkpoints.</summary>
[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    AllowDuplicateProperties = false, // two payload_hash members would make "what was signed" ambiguous
    NumberHandling = JsonNumberHandling.Strict,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Disallow)]
[JsonSerializable(typeof(NovyxCheckpointDocument))]
internal sealed partial class NovyxJsonContext : JsonSerializerContext;
