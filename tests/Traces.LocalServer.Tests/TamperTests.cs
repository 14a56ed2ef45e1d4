using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Traces.LocalServer.Tests.Infrastructure;
using Traces.Verification;
using Traces.Verification.Bundles;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.LocalServer.Tests;

/// <summary>
/// Edits behind the server's back (raw SQL on its database, or a bundle file edited on disk) are caught by
/// <c>POST /verify</c> and by offline verification, with the right finding code.
/// </summary>
public sealed class TamperTests(SharedServer shared)
{
    public static TheoryData<string, string, string> Tampers => new()
    {
        { "UPDATE entries SET payload_json = '{\"content\":\"forged\",\"metadata\":{},\"type\":\"THOUGHT\"}' WHERE event_id = $event", "payload_hash_mismatch", "chain_valid" },
        { "UPDATE entries SET chain_hash = 'sha256:' || lower(hex(randomblob(32))) WHERE event_id = $event", "chain_broken", "chain_valid" },
        { "UPDATE entries SET signature = 'ed25519:' || lower(hex(randomblob(64))) WHERE event_id = $event", "signature_invalid", "signature_valid" },
        { "UPDATE traces SET composite_hash = 'sha256:' || lower(hex(randomblob(32))) WHERE trace_id = $trace", "composite_mismatch", "composite_valid" },
    };

    [Theory]
    [MemberData(nameof(Tampers))]
    public async Task DatabaseEdit_IsReportedByVerifyEndpointAndOfflineVerifier(string sql, string expectedCode, string failedFlag)
    {
        using var api = new TracesApi(shared.Server);
        var (traceId, middleEventId) = await SealedTraceAsync(api);

        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(shared.Server.DataDirectory, "traces.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$event", middleEventId);
            command.Parameters.AddWithValue("$trace", traceId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var verify = await api.PostJsonAsync($"/v1/traces/{traceId}/verify", "{}", HttpStatusCode.OK);
        Assert.False(verify.GetProperty("valid").GetBoolean());
        Assert.Equal("invalid", verify.GetProperty("verdict").GetString());
        Assert.False(verify.GetProperty(failedFlag).GetBoolean());
        var codes = verify.GetProperty("discrepancies").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ToList();
        Assert.Contains(expectedCode, codes);

        var report = new BundleVerifier(TrustPolicy.FromPublishedKeys(await api.GetPublicKeysAsync())).Verify(await api.GetProofAsync(traceId));
        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Contains(report.Findings, f => f.Code == expectedCode);
        if (expectedCode != "composite_mismatch")
        {
            var finding = report.Findings.First(f => f.Code == expectedCode);
            Assert.Equal(1, finding.EntryIndex);
            Assert.Equal(middleEventId, finding.EventId);
            Assert.Equal(1, verify.GetProperty("first_invalid_event").GetProperty("index").GetInt64());
            Assert.Equal(middleEventId, verify.GetProperty("first_invalid_event").GetProperty("event_id").GetString());
        }
    }

    [Fact]
    public async Task DatabaseEdit_ThatIsNotJson_IsAMalformedFindingNotAServerError()
    {
        using var api = new TracesApi(shared.Server);
        var (traceId, middleEventId) = await SealedTraceAsync(api);
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(shared.Server.DataDirectory, "traces.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE entries SET payload_json = '{\"content\":' WHERE event_id = $event";
            command.Parameters.AddWithValue("$event", middleEventId);
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var verify = await api.PostJsonAsync($"/v1/traces/{traceId}/verify", "{}", HttpStatusCode.OK);

        Assert.False(verify.GetProperty("valid").GetBoolean());
        Assert.Equal("invalid", verify.GetProperty("verdict").GetString());
        Assert.Equal(["malformed"], verify.GetProperty("discrepancies").EnumerateArray().Select(d => d.GetProperty("code").GetString()));
    }

    [Fact]
    public async Task BundleFileEditedOnDisk_IsPayloadHashMismatchOffline()
    {
        using var api = new TracesApi(shared.Server);
        var (traceId, middleEventId) = await SealedTraceAsync(api);
        var json = await (await api.GetAsync($"/v1/traces/{traceId}/proof")).Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
        Assert.Contains("\"content\":\"step 1\"", json, StringComparison.Ordinal);
        var path = Path.Combine(TestServers.NewTempDirectory(), "bundle.json");
        await File.WriteAllTextAsync(path, json.Replace("\"content\":\"step 1\"", "\"content\":\"step one\"", StringComparison.Ordinal),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), TestContext.Current.CancellationToken);

        var verifier = new BundleVerifier(TrustPolicy.FromPublishedKeys(shared.Server.PublicKeys));
        var original = verifier.Verify(JsonSerializer.Deserialize(json, TracesJsonContext.Strict.ProofBundle)!);
        var edited = await verifier.VerifyFileAsync(path, TestContext.Current.CancellationToken);

        Assert.Equal(Verdict.Valid, original.Verdict);
        Assert.Equal(Verdict.Invalid, edited.Verdict);
        var finding = Assert.Single(edited.Findings, f => f.Code == "payload_hash_mismatch");
        Assert.Equal(middleEventId, finding.EventId);
        TestServers.DeleteDirectory(Path.GetDirectoryName(path)!);
    }

    [Fact]
    public async Task Bundle_UnderSomeoneElsesKeys_IsUntrusted()
    {
        using var api = new TracesApi(shared.Server);
        var (traceId, _) = await SealedTraceAsync(api);
        using var rsa = System.Security.Cryptography.RSA.Create(2048);
        var foreign = TrustPolicy.CreateBuilder().AddEd25519PublicKey(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray())
            .AddRsaPublicKey(rsa.ExportSubjectPublicKeyInfoPem()).Build();
        var report = new BundleVerifier(foreign).Verify(await api.GetProofAsync(traceId));
        Assert.NotEqual(Verdict.Valid, report.Verdict);
    }

    private static async Task<(string TraceId, string MiddleEventId)> SealedTraceAsync(TracesApi api)
    {
        var traceId = await api.CreateTraceAsync("tamper target");
        string middle = "";
        for (var i = 0; i < 3; i++)
        {
            var step = await api.AddStepAsync(traceId, $"step {i}");
            if (i == 1)
            {
                middle = step.GetProperty("step_id").GetString()!;
            }
        }

        Assert.Equal("sealed", (await api.SealAndWaitAsync(traceId)).GetProperty("status").GetString());
        var verify = await api.PostJsonAsync($"/v1/traces/{traceId}/verify", "{}", HttpStatusCode.OK);
        Assert.True(verify.GetProperty("valid").GetBoolean());
        return (traceId, middle);
    }
}

public sealed class SealFailureTests(SharedServer shared)
{
    [Fact]
    public async Task Seal_OverCorruptedRows_EndsFailedWithAnError_AndProofStaysUnavailable()
    {
        using var api = new TracesApi(shared.Server);
        var traceId = await api.CreateTraceAsync("doomed");
        var step = await api.AddStepAsync(traceId, "x");
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(shared.Server.DataDirectory, "traces.db")}"))
        {
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE entries SET content_hash = 'not a digest' WHERE event_id = $event";
            command.Parameters.AddWithValue("$event", step.GetProperty("step_id").GetString());
            Assert.Equal(1, await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken));
        }

        var trace = await api.SealAndWaitAsync(traceId);
        Assert.Equal("failed", trace.GetProperty("status").GetString());
        // A stored row that no append could have written will not change by retrying: the seal fails, with the reason.
        var error = trace.GetProperty("error");
        Assert.Equal("stored_entries_invalid", error.GetProperty("code").GetString());
        Assert.Equal($"Stored entry {step.GetProperty("step_id").GetString()} (position 0) has no index 0, or a content or chain hash that is not a sha256 digest.",
            error.GetProperty("message").GetString());
        Assert.Equal(JsonValueKind.Null, trace.GetProperty("sealed_at").ValueKind);
        await TracesApi.AssertProblemAsync(await api.GetAsync($"/v1/traces/{traceId}/proof"), HttpStatusCode.Conflict, "trace_not_sealed");
        await TracesApi.AssertProblemAsync(await api.PostAsync($"/v1/traces/{traceId}/steps", """{"type":"THOUGHT","content":"y"}"""),
            HttpStatusCode.Conflict, "trace_sealed");
        var again = await TracesApi.ReadJsonAsync(await api.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.Accepted);
        Assert.Equal("failed", again.GetProperty("status").GetString());
    }
}
