using System.Net;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

public sealed class TenantIsolationTests(SharedServer shared)
{
    [Fact]
    public async Task AnotherTenantsTrace_IsNotFoundEverywhere_AndNotListed()
    {
        using var owner = new TracesApi(shared.Server);
        using var other = new TracesApi(shared.Server.BaseAddress, SharedServer.OtherTenantKey);
        var traceId = await owner.CreateTraceAsync("tenant A only", agentId: "isolation-agent");
        await owner.AddStepAsync(traceId, "secret");

        await TracesApi.AssertProblemAsync(await other.GetAsync($"/v1/traces/{traceId}"), HttpStatusCode.NotFound, "trace_not_found");
        await TracesApi.AssertProblemAsync(await other.PostAsync($"/v1/traces/{traceId}/steps", """{"type":"THOUGHT","content":"x"}"""),
            HttpStatusCode.NotFound, "trace_not_found");
        await TracesApi.AssertProblemAsync(await other.PostAsync("/v1/events", $$"""{"event_type":"a.b","payload":{},"trace_id":"{{traceId}}"}"""),
            HttpStatusCode.NotFound, "trace_not_found");
        await TracesApi.AssertProblemAsync(await other.PostAsync($"/v1/traces/{traceId}/seal", null), HttpStatusCode.NotFound, "trace_not_found");

        await owner.SealAndWaitAsync(traceId);
        await TracesApi.AssertProblemAsync(await other.GetAsync($"/v1/traces/{traceId}/proof"), HttpStatusCode.NotFound, "trace_not_found");
        await TracesApi.AssertProblemAsync(await other.GetAsync($"/v1/traces/{traceId}/certificate"), HttpStatusCode.NotFound, "trace_not_found");
        await TracesApi.AssertProblemAsync(await other.PostAsync($"/v1/traces/{traceId}/verify", null), HttpStatusCode.NotFound, "trace_not_found");

        var list = await other.GetJsonAsync("/v1/traces?agent_id=isolation-agent");
        Assert.Equal(0, list.GetProperty("total").GetInt64());
        Assert.Equal(1, (await owner.GetJsonAsync("/v1/traces?agent_id=isolation-agent")).GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task SecondKeyOfTheSameTenant_SeesTheTrace()
    {
        using var owner = new TracesApi(shared.Server);
        using var sameTenant = new TracesApi(shared.Server.BaseAddress, SharedServer.SecondDefaultKey);
        var traceId = await owner.CreateTraceAsync();
        Assert.Equal(traceId, (await sameTenant.GetJsonAsync($"/v1/traces/{traceId}")).GetProperty("trace_id").GetString());
    }
}
