using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Traces.Client.Errors;
using Traces.Client.Models;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>ActivitySource and Meter named Traces.Client; logs that never contain the API key.</summary>
public sealed class DiagnosticsTests : WireMockTestBase
{
    private void FailOnceThen(string path, string method, int status, string body)
    {
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path).WillSetStateTo("ok")
            .RespondWith(Response.Create().WithStatusCode(503));
        Server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(path).WhenStateIs("ok")
            .RespondWith(Response.Create().WithStatusCode(status).WithBody(body));
    }

    [Fact]
    public async Task EachCall_IsAnActivity_TaggedWithTraceIdMethodStatusAndRetries()
    {
        var traceId = "tr_diag_" + Guid.NewGuid().ToString("N");
        FailOnceThen($"/v1/traces/{traceId}", "GET", 200, $$"""{"trace_id":"{{traceId}}","status":"open"}""");
        Server.Given(Request.Create().WithPath($"/v1/traces/{traceId}/proof").UsingGet()).RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"code":"trace_not_found"}"""));
        var stopped = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == TracesClient.DiagnosticsName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        using var client = CreateClient();

        await client.Traces.GetAsync(traceId, Ct);
        await Assert.ThrowsAsync<TracesNotFoundException>(() => client.Traces.GetProofAsync(traceId, Ct));

        var mine = stopped.Where(a => Equals(a.GetTagItem("traces.trace_id"), traceId)).ToList();
        var get = Assert.Single(mine, a => a.OperationName == "Traces.Get");
        Assert.Equal("Traces.Get", get.GetTagItem("traces.method"));
        Assert.Equal(200, get.GetTagItem("http.response.status_code"));
        Assert.Equal(1, get.GetTagItem("traces.retry_count"));
        Assert.Equal(ActivityStatusCode.Unset, get.Status);
        var proof = Assert.Single(mine, a => a.OperationName == "Traces.GetProof");
        Assert.Equal(ActivityStatusCode.Error, proof.Status);
        Assert.Equal(404, proof.GetTagItem("http.response.status_code"));
        Assert.Equal("trace_not_found", proof.GetTagItem("error.type"));
    }

    [Fact]
    public async Task Meter_CountsCallsAndRetries()
    {
        FailOnceThen("/v1/traces/tr_meter", "GET", 200, """{"trace_id":"tr_meter"}""");
        long retries = 0;
        long calls = 0;
        using var meterListener = new System.Diagnostics.Metrics.MeterListener();
        meterListener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == TracesClient.DiagnosticsName)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        meterListener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "traces.method" && (string?)tag.Value == "Traces.Get")
                {
                    if (instrument.Name == "traces.client.retries")
                    {
                        Interlocked.Add(ref retries, value);
                    }
                    else if (instrument.Name == "traces.client.calls")
                    {
                        Interlocked.Add(ref calls, value);
                    }
                }
            }
        });
        meterListener.Start();
        using var client = CreateClient();

        await client.Traces.GetAsync("tr_meter", Ct);

        Assert.True(Interlocked.Read(ref retries) >= 1);
        Assert.True(Interlocked.Read(ref calls) >= 1);
    }

    [Theory]
    [InlineData(TracesAuthHeaderStyle.ApiKeyHeader)]
    [InlineData(TracesAuthHeaderStyle.Bearer)]
    public async Task Logs_RecordRequestsAndRetries_ButNeverTheApiKey(TracesAuthHeaderStyle style)
    {
        FailOnceThen("/v1/traces", "POST", 201, """{"trace_id":"tr_1","status":"open"}""");
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithStatusCode(401).WithBody("""{"code":"unauthorized"}"""));
        var provider = new CapturingLoggerProvider();
        using var client = CreateClient(o => o.AuthHeaderStyle = style, new CapturingLoggerFactory(provider));

        await client.Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);
        var ex = await Assert.ThrowsAsync<TracesAuthenticationException>(() => client.Traces.GetAsync("tr_1", Ct));

        var all = provider.All;
        Assert.Contains("Retrying HTTP POST /v1/traces", all, StringComparison.Ordinal);
        Assert.Contains("answered 201", all, StringComparison.Ordinal);
        Assert.Contains("[REDACTED]", all, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logs_ThroughDependencyInjectionAtTraceLevel_NeverContainTheApiKey()
    {
        FailOnceThen("/v1/traces", "POST", 201, """{"trace_id":"tr_1","status":"open"}""");
        var provider = new CapturingLoggerProvider();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri(Server.Url!);
            o.ApiKey = ApiKey;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            o.AuthHeaderStyle = TracesAuthHeaderStyle.Bearer;
        });
        using var sp = services.BuildServiceProvider();

        await sp.GetRequiredService<TracesClient>().Traces.CreateAsync(new CreateTraceRequest { Label = "l" }, Ct);

        var all = provider.All;
        Assert.Contains("Retrying", all, StringComparison.Ordinal);
        Assert.Contains("System.Net.Http.HttpClient", all, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, all, StringComparison.Ordinal);
    }
}
