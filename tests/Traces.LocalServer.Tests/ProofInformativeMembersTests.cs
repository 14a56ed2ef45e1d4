using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

/// <summary>
/// The proof's informative members (proof-format §9.5, docs/api.md proof; issue 11): each entry's and the seal event's
/// <c>timestamp</c>, <c>tenant_domain</c>, and <c>verification</c>, the flags of the check the server ran when it sealed.
/// </summary>
public sealed class ProofInformativeMembersTests(SharedServer shared)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Proof_CarriesTimestampsTenantAndTheSealCheckFlags_WithExactValues()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("informative");
        for (var i = 0; i < 3; i++)
        {
            await api.AddStepAsync(traceId, $"step {i}");
        }

        await api.SealAndWaitAsync(traceId);
        var proof = JsonElement.Parse(await (await api.GetAsync($"/v1/traces/{traceId}/proof")).Content.ReadAsStringAsync(Ct));

        Assert.Equal(shared.Server.TenantId, proof.GetProperty("tenant_domain").GetString());
        var events = proof.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(3, events.Count);
        Assert.All(events, e => Assert.Equal(e.GetProperty("ingested_at").GetString(), e.GetProperty("timestamp").GetString()));
        var seal = proof.GetProperty("seal_event");
        Assert.Equal(proof.GetProperty("sealed_at").GetString(), seal.GetProperty("timestamp").GetString());
        Assert.Equal(seal.GetProperty("ingested_at").GetString(), seal.GetProperty("timestamp").GetString());
        Assert.Equal("""{"composite_hash_valid":true,"all_signatures_valid":true}""", proof.GetProperty("verification").GetRawText());
        // Written last, after the certificate: the streamed proof's tail.
        Assert.Equal("verification", proof.EnumerateObject().Last().Name);

        // The offline verifier reads it and is not influenced by it.
        var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(await api.GetPublicKeysAsync())).Verify(await api.GetProofAsync(traceId));
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.Findings);
    }

    public static TheoryData<string, string> EditsBeforeSealing => new()
    {
        // An edited payload: the composite recomputed from the entries' own fields no longer holds (payload_hash_mismatch).
        { "UPDATE entries SET payload_json = '{\"content\":\"forged\",\"metadata\":{},\"type\":\"THOUGHT\"}' WHERE event_id = $event",
            """{"composite_hash_valid":false,"all_signatures_valid":true}""" },
        { "UPDATE entries SET signature = 'ed25519:' || lower(hex(randomblob(64))) WHERE event_id = $event",
            """{"composite_hash_valid":true,"all_signatures_valid":false}""" },
    };

    [Theory]
    [MemberData(nameof(EditsBeforeSealing))]
    public async Task RowEditedBeforeSealing_SealCheckFlagsSayWhichCheckFailed(string sql, string expected)
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("edited before sealing");
        var middle = "";
        for (var i = 0; i < 3; i++)
        {
            var entry = await api.AddStepAsync(traceId, $"step {i}");
            middle = i == 1 ? entry.GetProperty("event_id").GetString()! : middle;
        }

        await ExecuteAsync(sql, ("$event", middle));
        await api.SealAndWaitAsync(traceId);

        var verification = await VerificationMemberAsync(api, traceId);
        Assert.Equal(expected, verification?.GetRawText());
    }

    /// <summary>
    /// A trace longer than the seal's first entry pages (64, then 256) and its 32 KB flushes: the check streams every page
    /// to the verifier, so an edit to the last entry is seen, and an unedited trace gets both flags.
    /// </summary>
    [Theory]
    [InlineData(null, """{"composite_hash_valid":true,"all_signatures_valid":true}""")]
    [InlineData("UPDATE entries SET signature = 'ed25519:' || lower(hex(randomblob(64))) WHERE event_id = $event",
        """{"composite_hash_valid":true,"all_signatures_valid":false}""")]
    [InlineData("UPDATE entries SET payload_json = '{\"content\":\"forged\",\"metadata\":{},\"type\":\"THOUGHT\"}' WHERE event_id = $event",
        """{"composite_hash_valid":false,"all_signatures_valid":true}""")]
    public async Task LongTrace_SealCheckReadsEveryPage_UpToTheLastEntry(string? sql, string expected)
    {
        const int Entries = 400;
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("long trace check");
        var last = "";
        for (var i = 0; i < Entries; i++)
        {
            last = (await api.AddStepAsync(traceId, $"step {i} {new string('x', 300)}")).GetProperty("event_id").GetString()!;
        }

        if (sql is not null)
        {
            await ExecuteAsync(sql, ("$event", last));
        }

        var sealedTrace = await api.SealAndWaitAsync(traceId);

        Assert.Equal(Entries, sealedTrace.GetProperty("event_count").GetInt64());
        Assert.Equal(expected, (await VerificationMemberAsync(api, traceId))?.GetRawText());
    }

    [Fact]
    public async Task PayloadEditedIntoNotJsonBeforeSealing_SealGoesOn_AndNeitherFlagIsTrue()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("not json before sealing");
        var entry = await api.AddStepAsync(traceId, "only");
        await ExecuteAsync("UPDATE entries SET payload_json = '{\"content\":' WHERE event_id = $event", ("$event", entry.GetProperty("event_id").GetString()!));

        var sealedTrace = await api.SealAndWaitAsync(traceId);

        // The check cannot run on a payload no bundle entry can be made of: recorded as (false, false), and the seal goes on.
        Assert.Equal("sealed", sealedTrace.GetProperty("status").GetString());
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(shared.Server.DataDirectory, "traces.db")}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT composite_hash_valid, all_signatures_valid FROM seal_checks WHERE trace_id = $trace";
        command.Parameters.AddWithValue("$trace", traceId);
        await using var reader = await command.ExecuteReaderAsync(Ct);
        Assert.True(await reader.ReadAsync(Ct));
        Assert.Equal((0L, 0L), (reader.GetInt64(0), reader.GetInt64(1)));
    }

    [Fact]
    public async Task SealStoredWithoutACheck_ProofHasNoVerificationMember()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("sealed before the check existed");
        await api.AddStepAsync(traceId, "only");
        await api.SealAndWaitAsync(traceId);

        // A database written before seal_checks existed has no row for its seals.
        await ExecuteAsync("DELETE FROM seal_checks WHERE trace_id = $trace", ("$trace", traceId));

        Assert.Null(await VerificationMemberAsync(api, traceId));
    }

    private static async Task<JsonElement?> VerificationMemberAsync(TracesApi api, string traceId)
    {
        using var response = await api.GetAsync($"/v1/traces/{traceId}/proof");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var proof = JsonElement.Parse(await response.Content.ReadAsStringAsync(Ct));
        return proof.TryGetProperty("verification", out var verification) ? verification : null;
    }

    private async Task ExecuteAsync(string sql, (string Name, string Value) parameter)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(shared.Server.DataDirectory, "traces.db")}");
        await connection.OpenAsync(Ct);
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue(parameter.Name, parameter.Value);
        Assert.Equal(1, await command.ExecuteNonQueryAsync(Ct));
    }
}
