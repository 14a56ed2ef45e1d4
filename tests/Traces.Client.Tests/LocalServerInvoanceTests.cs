using System.Security.Cryptography;
using System.Text;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.LocalServer;

namespace Traces.Client.Tests;

/// <summary>A reference server whose key looks like Invoance's (<c>sk_live_…</c>); started once for the class (key generation takes seconds).</summary>
public sealed class InvoanceKeyServerFixture : IAsyncLifetime
{
    public const string Key = "sk_live_c0ffee0123456789";
    public const string PagesKey = "sk_live_9a9e50123456789";

    public LocalTracesServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync() =>
        Server = await LocalTracesServer.StartAsync(new LocalTracesServerOptions
        {
            ApiKey = Key,
            DefaultTenantId = "acme",
            AdditionalApiKeys = { [PagesKey] = "pages" },
        });

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>The client's Invoance calls against the real reference server.</summary>
public sealed class LocalServerInvoanceTests(InvoanceKeyServerFixture fixture) : IClassFixture<InvoanceKeyServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private TracesClient CreateClient(string key = InvoanceKeyServerFixture.Key) => new(new TracesClientOptions
    {
        Endpoint = fixture.Server.BaseAddress,
        ApiKey = key,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        SealPollingInterval = TimeSpan.FromMilliseconds(20),
        SealTimeout = TimeSpan.FromSeconds(60),
    });

    [Fact]
    public async Task DocumentsAndAttestations_OnInvoancePaths_AnswerInvoancesMembers()
    {
        using var client = CreateClient();
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "docs" }, Ct);
        var bytes = Encoding.UTF8.GetBytes("hello");

        var doc = await client.Documents.AnchorAsync(new AnchorDocumentRequest
        {
            DocumentHash = "SHA256:2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            DocumentRef = "hello.txt",
            EventType = "note",
            OriginalBytesB64 = Convert.ToBase64String(bytes),
            TraceId = trace.TraceId,
        }, Ct);
        var att = await client.Attestations.CreateAsync(new CreateAttestationRequest
        {
            Type = "output", Input = "in", Output = "out", ModelProvider = "openai", ModelName = "gpt-4.1", ModelVersion = "1", TraceId = trace.TraceId,
        }, Ct);

        Assert.Equal("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", doc.DocumentHash);
        Assert.Equal(doc.EventId, doc.DocumentId);
        Assert.Equal("anchored", doc.Status);
        Assert.Equal(doc.IngestedAt, doc.CreatedAt);
        Assert.Equal(0, doc.Index);
        Assert.Equal(att.EventId, att.AttestationId);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData("in"u8)), att.InputHash);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData("out"u8)), att.OutputHash);
        Assert.Equal(1, att.Index);
    }

    [Fact]
    public async Task GetProofPdf_OfASealedTrace_IsTheServersPdf()
    {
        using var client = CreateClient();
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "pdf" }, Ct);
        await client.Events.RecordAsync(new RecordEventRequest { EventType = "a.b", Payload = new System.Text.Json.Nodes.JsonObject(), TraceId = trace.TraceId }, Ct);
        var notSealed = await Assert.ThrowsAsync<TracesConflictException>(() => client.Traces.GetProofPdfAsync(trace.TraceId!, Ct));
        var sealedTrace = await client.Traces.SealAndWaitAsync(trace.TraceId!, Ct);

        await using var pdf = await client.Traces.GetProofPdfAsync(trace.TraceId!, Ct);
        var bytes = ((MemoryStream)pdf).ToArray();
        using var document = UglyToad.PdfPig.PdfDocument.Open(bytes);
        var words = document.GetPages().SelectMany(page => page.GetWords()).Select(word => word.Text).ToList();

        Assert.Equal(KnownErrorCode.TraceNotSealed, notSealed.KnownErrorCode);
        Assert.Equal("%PDF-", Encoding.ASCII.GetString(bytes, 0, 5));
        Assert.Equal(trace.TraceId, words[words.IndexOf("id") + 1]);
        Assert.Equal(sealedTrace.CompositeHash, words[words.IndexOf("composite") + 2]);
        Assert.Equal("valid", words[words.IndexOf("verdict") + 1]);
    }

    [Fact]
    public async Task PagesEventsDeletesAndNamesTheKey()
    {
        using var client = CreateClient(InvoanceKeyServerFixture.PagesKey);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add((await client.Traces.CreateAsync(new CreateTraceRequest { Label = $"t{i}" }, Ct)).TraceId!);
        }

        for (var i = 0; i < 5; i++)
        {
            await client.Events.RecordAsync(new RecordEventRequest { EventType = $"e.{i}", Payload = new System.Text.Json.Nodes.JsonObject(), TraceId = ids[0] }, Ct);
        }

        var listed = new List<string>();
        await foreach (var t in client.Traces.ListAllAsync(new TraceListFilter { Page = 1, Limit = 2 }, Ct))
        {
            listed.Add(t.TraceId!);
        }

        var page = await client.Traces.GetEventPageAsync(ids[0], 2, 2, Ct);
        var whole = await client.Traces.GetAsync(ids[0], Ct);
        var events = await client.Events.ListAsync(new EventListFilter { Limit = 1 }, Ct);
        var allEvents = new List<string>();
        await foreach (var e in client.Events.ListAllAsync(new EventListFilter { Limit = 2 }, Ct))
        {
            allEvents.Add(e.EventType!);
        }

        var me = await client.GetMeAsync(Ct);
        var deleted = await client.Traces.DeleteAsync(ids[2], Ct);
        var notEmpty = await Assert.ThrowsAsync<TracesConflictException>(() => client.Traces.DeleteAsync(ids[0], Ct));
        var gone = await Assert.ThrowsAsync<TracesNotFoundException>(() => client.Traces.GetAsync(ids[2], Ct));

        Assert.Equal(ids, listed);
        Assert.Equal(["e.2", "e.3"], page.Events!.Select(e => e.EventType!));
        Assert.Equal(2, page.EventPage);
        Assert.True(page.EventHasMore);
        Assert.Equal(5, page.EventTotal);
        Assert.Equal(["e.0", "e.1", "e.2", "e.3", "e.4"], whole.Events!.Select(e => e.EventType!));
        Assert.Equal(5, events.Total);
        Assert.True(events.HasMore);
        Assert.Equal(["e.0", "e.1", "e.2", "e.3", "e.4"], allEvents);
        Assert.Equal("pages", me.Tenant!.Id);
        Assert.Equal("sk_live_", me.ApiKey!.KeyPrefix);
        Assert.True(deleted.Deleted);
        Assert.Equal(KnownErrorCode.TraceNotEmpty, notEmpty.KnownErrorCode);
        Assert.Equal(KnownErrorCode.TraceNotFound, gone.KnownErrorCode);
        Assert.StartsWith($"Trace {ids[0]} has 5 entries; only an empty open trace can be deleted. (status 409, code trace_not_empty", notEmpty.Message, StringComparison.Ordinal);
    }
}
