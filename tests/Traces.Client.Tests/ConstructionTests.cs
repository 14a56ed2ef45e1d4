using Microsoft.Extensions.DependencyInjection;
using Traces.Client.Models;
using Traces.Client.Services;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

[CollectionDefinition(nameof(EnvironmentVariables), DisableParallelization = true)]
public sealed class EnvironmentVariables;

/// <summary>Construction: options, environment fallback, dependency injection, mocking.</summary>
[Collection(nameof(EnvironmentVariables))]
public sealed class ConstructionTests : WireMockTestBase
{
    private const string TraceJson = """{"trace_id":"tr_1","status":"open"}""";

    [Fact]
    public async Task EmptyOptions_FallBackToEnvironmentVariables()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithBody(TraceJson));
        Environment.SetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable, Server.Url);
        Environment.SetEnvironmentVariable(TracesClientOptions.ApiKeyEnvironmentVariable, "env-key");
        try
        {
            using var client = new TracesClient(new TracesClientOptions());
            await client.Traces.GetAsync("tr_1", Ct);
        }
        finally
        {
            Environment.SetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable, null);
            Environment.SetEnvironmentVariable(TracesClientOptions.ApiKeyEnvironmentVariable, null);
        }

        Assert.Equal("Bearer env-key", Header(Assert.Single(Requests("GET", "/v1/traces/tr_1")), "Authorization"));
    }

    [Fact]
    public void NoEndpointAnywhere_Throws()
    {
        Environment.SetEnvironmentVariable(TracesClientOptions.EndpointEnvironmentVariable, null);
        Assert.Throws<InvalidOperationException>(() => new TracesClient(new TracesClientOptions { ApiKey = "k" }));
    }

    [Fact]
    public void InconsistentTimeouts_Throw()
    {
        Assert.Throws<ArgumentException>(() => new TracesClient(FastOptions(o =>
        {
            o.AttemptTimeout = TimeSpan.FromSeconds(60);
            o.TotalTimeout = TimeSpan.FromSeconds(30);
        })));
        Assert.Throws<ArgumentException>(() => new TracesClient(FastOptions(o => o.SealTimeout = TimeSpan.FromSeconds(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new TracesClient(FastOptions(o => o.MaxRetries = -1)));
    }

    [Fact]
    public async Task AddTracesClient_ReturnsHttpClientBuilder_ForCallerHandlers()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1").UsingGet()).RespondWith(Response.Create().WithBody(TraceJson));
        var counter = new CountingHandler();
        var services = new ServiceCollection();
        IHttpClientBuilder builder = services.AddTracesClient(o =>
        {
            o.Endpoint = new Uri(Server.Url!);
            o.ApiKey = ApiKey;
        });
        builder.AddHttpMessageHandler(() => counter);
        services.AddTracesClient(o => o.MaxRetries = 1);
        using var sp = services.BuildServiceProvider();

        var client = sp.GetRequiredService<TracesClient>();
        Assert.Same(client, sp.GetRequiredService<TracesClient>());
        var trace = await client.Traces.GetAsync("tr_1", Ct);

        Assert.Equal("tr_1", trace.TraceId);
        Assert.Equal(1, counter.Count);
        Assert.Equal($"Bearer {ApiKey}", Header(Assert.Single(Requests("GET", "/v1/traces/tr_1")), "Authorization"));
    }

    [Fact]
    public async Task Client_CanBeMocked_ThroughVirtualMembersAndProtectedConstructors()
    {
        TracesClient client = new FakeClient();

        var trace = await client.Traces.GetAsync("tr_fake", Ct);

        Assert.Equal("tr_fake", trace.TraceId);
    }

    private sealed class CountingHandler : DelegatingHandler
    {
        public int Count { get; private set; }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Count++;
            return base.SendAsync(request, cancellationToken);
        }
    }

    private sealed class FakeClient : TracesClient
    {
        public override TracesService Traces { get; } = new FakeTraces();
    }

    private sealed class FakeTraces : TracesService
    {
        public override Task<TraceDetails> GetAsync(string traceId, CancellationToken cancellationToken = default) =>
            Task.FromResult(new TraceDetails { TraceId = traceId, Status = TraceStatus.Open });
    }
}
