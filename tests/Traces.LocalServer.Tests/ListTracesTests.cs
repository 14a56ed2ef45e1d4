using System.Net;
using System.Text.Json;
using Traces.LocalServer.Tests.Infrastructure;

namespace Traces.LocalServer.Tests;

public sealed class ListTracesTests(SharedServer shared)
{
    [Fact]
    public async Task Pages_FollowTheCursor_InCreationOrder_WithTotalAndHasMore()
    {
        using var api = new TracesApi(shared.Server);
        var agent = "list-" + Guid.NewGuid().ToString("N")[..8];
        var created = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            created.Add(await api.CreateTraceAsync($"trace {i}", agent));
        }

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetJsonAsync($"/v1/traces?agent_id={agent}&limit=3" + (cursor is null ? "" : "&cursor=" + cursor));
            pages++;
            Assert.Equal(pages == 1 ? 7 : 8, page.GetProperty("total").GetInt64());
            Assert.Equal(3, page.GetProperty("limit").GetInt32());
            seen.AddRange(page.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("trace_id").GetString()!));
            cursor = page.GetProperty("next_cursor").GetString();
            Assert.Equal(cursor is not null, page.GetProperty("has_more").GetBoolean());

            if (pages == 1)
            {
                // Created after the first page: appended at the end of the order, so later pages do not shift.
                created.Add(await api.CreateTraceAsync("late", agent));
            }
        }
        while (cursor is not null);

        Assert.Equal(3, pages);
        Assert.Equal(created, seen);
    }

    [Fact]
    public async Task Filters_ByStatusAgentAndCreatedRange()
    {
        using var api = new TracesApi(shared.Server);
        var agent = "filter-" + Guid.NewGuid().ToString("N")[..8];
        var open = await api.CreateTraceAsync("open one", agent);
        var sealedId = await api.CreateTraceAsync("sealed one", agent);
        await api.AddStepAsync(sealedId, "x");
        await api.SealAndWaitAsync(sealedId);

        var sealedPage = await api.GetJsonAsync($"/v1/traces?agent_id={agent}&status=sealed");
        var only = Assert.Single(sealedPage.GetProperty("traces").EnumerateArray());
        Assert.Equal(sealedId, only.GetProperty("trace_id").GetString());
        Assert.Equal(1, only.GetProperty("event_count").GetInt64());
        Assert.StartsWith("sha256:", only.GetProperty("composite_hash").GetString());
        Assert.NotEqual(JsonValueKind.Null, only.GetProperty("sealed_at").ValueKind);

        var openCreated = (await api.GetJsonAsync($"/v1/traces/{open}")).GetProperty("created_at").GetString()!;
        var sealedCreated = (await api.GetJsonAsync($"/v1/traces/{sealedId}")).GetProperty("created_at").GetString()!;
        var range = await api.GetJsonAsync($"/v1/traces?agent_id={agent}&from={openCreated}&to={openCreated}");
        Assert.Equal(open, Assert.Single(range.GetProperty("traces").EnumerateArray()).GetProperty("trace_id").GetString());
        var from = await api.GetJsonAsync($"/v1/traces?agent_id={agent}&from={sealedCreated}");
        Assert.Equal(sealedId, Assert.Single(from.GetProperty("traces").EnumerateArray()).GetProperty("trace_id").GetString());
        var offset = await api.GetJsonAsync($"/v1/traces?agent_id={agent}&to={Uri.EscapeDataString(DateTimeOffset.Parse(openCreated, System.Globalization.CultureInfo.InvariantCulture).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:ss.ffffffzzz", System.Globalization.CultureInfo.InvariantCulture))}");
        Assert.Equal(1, offset.GetProperty("total").GetInt64());
    }

    [Fact]
    public async Task DefaultLimit_Is25()
    {
        using var api = new TracesApi(shared.Server);
        var page = await api.GetJsonAsync("/v1/traces");
        Assert.Equal(25, page.GetProperty("limit").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/v1/traces?limit=100")).StatusCode);
    }
}
