using Traces.Client.Errors;
using Traces.Client.Vendors.SidClaw;

namespace Traces.Client.Tests.Vendors;

/// <summary>
/// SidClawClient against a real SidClaw server (sidclawhq/platform's API, self-hosted or SidClaw's own), when
/// <c>SIDCLAW_URL</c> and <c>SIDCLAW_API_KEY</c> are set: list, get, verify, outcome and both exports. The key needs the
/// <c>admin</c> scope for the audit export (tests/vectors/sidclaw/FACTS.md). Skipped, saying so, otherwise.
/// </summary>
public sealed class SidClawIntegrationTests
{
    private static readonly string? Url = Environment.GetEnvironmentVariable("SIDCLAW_URL");
    private static readonly string? Key = Environment.GetEnvironmentVariable("SIDCLAW_API_KEY");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static SidClawClient Client()
    {
        if (string.IsNullOrWhiteSpace(Url) || string.IsNullOrWhiteSpace(Key))
        {
            Assert.Skip("SIDCLAW_URL and SIDCLAW_API_KEY are not set: no real SidClaw server to run against.");
        }

        return new SidClawClient(new SidClawClientOptions { BaseUrl = new Uri(Url!), ApiKey = Key });
    }

    [Fact]
    public async Task ListGetVerify_AgreeWithEachOther()
    {
        using var client = Client();

        var page = await client.ListTracesAsync(new SidClawTraceListFilter { Limit = 5 }, Ct);
        Assert.NotNull(page.Pagination?.Total);
        Assert.True(page.Data!.Count <= 5);
        if (page.Data.Count == 0)
        {
            return;
        }

        var summary = page.Data[0];
        var trace = await client.GetTraceAsync(summary.Id!, Ct);
        var verification = await client.VerifyTraceAsync(summary.Id!, Ct);

        Assert.Equal(summary.Id, trace.Id);
        Assert.Equal(summary.EventCount, trace.Events!.Count);
        Assert.Equal(trace.Events.Count, verification.TotalEvents);
        Assert.NotNull(verification.Verified);
    }

    [Fact]
    public async Task RecordOutcome_OnAnUnknownTrace_IsNotFound()
    {
        using var client = Client();

        var ex = await Assert.ThrowsAsync<TracesNotFoundException>(() =>
            client.RecordOutcomeAsync("00000000-0000-0000-0000-000000000000", new SidClawOutcomeRequest { Status = "success" }, Ct));

        Assert.Equal(SidClawErrorCodes.NotFound, ex.ErrorCode);
        Assert.NotNull(ex.RequestId);
    }

    [Fact]
    public async Task BothExports_StreamAsManyRowsAsTheyAnnounce()
    {
        using var client = Client();
        var to = DateTimeOffset.UtcNow;
        var from = to.AddDays(-7);

        await using (var traces = await client.ExportTracesCsvAsync(from, to, cancellationToken: Ct))
        {
            long rows = 0;
            await foreach (var unused in traces.ReadRowsAsync(Ct))
            {
                rows++;
            }

            Assert.Equal(traces.TotalCount, rows);
        }

        await using var audit = await client.ExportAuditEventsAsync(from, to, SidClawExportFormat.Json, Ct);
        long events = 0;
        await foreach (var e in audit.ReadEventsAsync(Ct))
        {
            Assert.NotNull(e.EventId);
            events++;
        }

        Assert.Equal(audit.TotalCount, events);
    }
}
