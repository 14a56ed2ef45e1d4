using System.Buffers;
using System.Security.Cryptography;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// SidClaw's event hash, as its server computes it (sidclawhq/platform apps/api/src/services/integrity-service.ts,
/// <c>computeHashSync</c>): the lowercase hex SHA-256 of the UTF-8 bytes of
/// <c>JSON.stringify({id, trace_id, event_type, actor_type, actor_name, description, status, timestamp: timestamp.toISOString(), previous_hash})</c>,
/// in exactly that member order, where <c>previous_hash</c> is the stored hash of the trace's previous hashed event
/// or the string <c>GENESIS</c>. No key: anyone who can write the database can recompute a whole chain.
/// </summary>
internal static class SidClawIntegrityHash
{
    /// <summary>The <c>previous_hash</c> of a trace's first hashed event (<c>previousHash ?? 'GENESIS'</c>).</summary>
    public const string Genesis = "GENESIS";

    /// <summary>The members the hash covers, in hashed order.</summary>
    public const string CoveredMembers = "id, trace_id, event_type, actor_type, actor_name, description, status, timestamp, previous_hash";

    /// <summary>What an event carries that the hash does not cover: editing these is not detectable.</summary>
    public const string UncoveredMembers = "metadata, policy_version, approval_request_id, agent_id and soft deletion (deleted_at)";

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    /// <summary>The hash of <paramref name="e"/> over <paramref name="previousHash"/>, as 64 lowercase hex digits.</summary>
    public static string Compute(SidClawEvent e, string previousHash)
    {
        Span<char> hex = stackalloc char[64];
        ComputeHex(e, previousHash, hex);
        return new string(hex);
    }

    /// <summary>
    /// True when the stored hash is the hash of <paramref name="e"/> over <paramref name="previousHash"/>: the same text,
    /// as SidClaw's verify compares them (<c>event.integrity_hash !== expectedHash</c>; uppercase hex is another text).
    /// </summary>
    public static bool Links(SidClawEvent e, string previousHash)
    {
        if (e.IntegrityHash is not { Length: 64 } stored)
        {
            return false;
        }

        Span<char> hex = stackalloc char[64];
        ComputeHex(e, previousHash, hex);
        return hex.SequenceEqual(stored);
    }

    private static void ComputeHex(SidClawEvent e, string previousHash, Span<char> hex)
    {
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        Write(buffer, "{\"id\":"u8, e.Id);
        Write(buffer, ",\"trace_id\":"u8, e.TraceId);
        Write(buffer, ",\"event_type\":"u8, e.EventType);
        Write(buffer, ",\"actor_type\":"u8, e.ActorType);
        Write(buffer, ",\"actor_name\":"u8, e.ActorName);
        Write(buffer, ",\"description\":"u8, e.Description);
        Write(buffer, ",\"status\":"u8, e.Status);
        // The text was accepted only if it is exactly Date.prototype.toISOString of its instant (SidClawEventReader),
        // so writing it is writing event.timestamp.toISOString().
        Write(buffer, ",\"timestamp\":"u8, e.Timestamp);
        Write(buffer, ",\"previous_hash\":"u8, previousHash);
        EcmaScriptJson.WriteAscii(buffer, '}');

        Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(buffer.WrittenSpan, digest);
        Convert.TryToHexStringLower(digest, hex, out _);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, ReadOnlySpan<byte> name, string value)
    {
        buffer.Write(name);
        EcmaScriptJson.WriteString(value, buffer);
    }
}
