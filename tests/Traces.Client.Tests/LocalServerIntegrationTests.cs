using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Operations;
using Traces.LocalServer;
using Traces.Verification.Reports;
using Traces.Verification.Trust;

namespace Traces.Client.Tests;

/// <summary>One in-process reference server (docs/api.md) for the integration tests, with a second tenant.</summary>
public sealed class LocalServerFixture : IAsyncLifetime
{
    public const string OtherTenantKey = "tk_other_tenant_key_0123456789";

    public LocalTracesServer Server { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        var options = new LocalTracesServerOptions { SealDelay = TimeSpan.FromMilliseconds(100) };
        options.AdditionalApiKeys[OtherTenantKey] = "tenant-b";
        Server = await LocalTracesServer.StartAsync(options);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    public TracesClient CreateClient(string? apiKey = null, Action<TracesClientOptions>? configure = null)
    {
        var options = new TracesClientOptions
        {
            Endpoint = Server.BaseAddress,
            ApiKey = apiKey ?? Server.ApiKey,
            RetryDelay = TimeSpan.FromMilliseconds(10),
            SealPollingInterval = TimeSpan.FromMilliseconds(20),
            MaxSealPollingInterval = TimeSpan.FromMilliseconds(200),
            SealTimeout = TimeSpan.FromSeconds(60),
        };
        configure?.Invoke(options);
        return new TracesClient(options);
    }
}

/// <summary>The client against the real reference server, in process: the whole lifecycle, paging, tenants, idempotency.</summary>
public sealed class LocalServerIntegrationTests(LocalServerFixture fixture) : IClassFixture<LocalServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Lifecycle_CreateAddEntriesSealProof_VerifiesOfflineAsValid()
    {
        using var client = fixture.CreateClient();
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest
        {
            Label = "Invoice Processing, Q1 2026",
            AgentId = "agent-lifecycle",
            Tags = ["finance"],
            Metadata = new JsonObject { ["department"] = "finance", ["quarter"] = "Q1" },
        }, Ct);
        var id = trace.TraceId!;
        Assert.Equal(TraceStatus.Open, trace.Status);

        var step = await client.Traces.AddStepAsync(id, new AddStepRequest { Type = StepType.Thought, Content = "User is asking about their billing cycle" }, Ct);
        var evt = await client.Events.RecordAsync(new RecordEventRequest { EventType = "invoice.received", Payload = new JsonObject { ["invoice_number"] = "INV-2026-001", ["amount"] = 5000 }, TraceId = id }, Ct);
        var document = new byte[200_000];
        new Random(7).NextBytes(document);
        using var stream = new MemoryStream(document);
        var doc = await client.Documents.AnchorFileAsync(stream, "INV-2026-001.pdf", id, Ct);
        var att = await client.Attestations.CreateAsync(new CreateAttestationRequest { Type = "output", Input = "Summarize invoice INV-2026-001", Output = "Commercial invoice for $5,000…", ModelProvider = "openai", ModelName = "gpt-4.1", TraceId = id }, Ct);

        Assert.Equal(0, step.StepIndex);
        Assert.Equal(1, evt.Index);
        Assert.Equal(2, doc.Index);
        Assert.Equal(att.EventId, att.AttestationId);
        Assert.Equal(evt.ChainHash, doc.PreviousChainHash);

        var operation = await client.Traces.SealAsync(id, Ct);
        Assert.False(operation.HasCompleted);
        var sealedTrace = await operation.WaitForCompletionAsync(null, Ct);
        Assert.Equal(TraceStatus.Sealed, sealedTrace.Status);
        Assert.Equal(4, sealedTrace.EventCount);
        Assert.Equal(4, sealedTrace.Events!.Count);

        var proof = await client.Traces.GetProofAsync(id, Ct);
        Assert.Equal(4, proof.Events!.Count);
        Assert.Equal(sealedTrace.CompositeHash, proof.CompositeHash);
        var anchored = proof.Events[2].Payload!.Value.GetProperty("document_hash").GetString();
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(document)), anchored);

        // Trust comes from keys obtained out of band (the fixture), not from the server under test.
        var report = await client.Traces.VerifyOfflineAsync(id, TrustPolicy.FromPublishedKeys(fixture.Server.PublicKeys), Ct);
        Assert.Equal(Verdict.Valid, report.Verdict);

        var certificate = await client.Traces.GetCertificateAsync(id, Ct);
        Assert.Equal(proof.Certificate!.Signature, certificate.Signature);
        var keys = await client.Traces.GetPublicKeysAsync(Ct);
        Assert.Equal(fixture.Server.PublicKeys.Keys!.Select(k => k.KeyId), keys.Keys!.Select(k => k.KeyId));
        var serverSays = await client.Traces.VerifyAsync(id, Ct);
        Assert.True(serverSays.Valid);

        var sealedEx = await Assert.ThrowsAsync<TracesConflictException>(() =>
            client.Traces.AddStepAsync(id, new AddStepRequest { Type = StepType.Output, Content = "late" }, Ct));
        Assert.Equal(KnownErrorCode.TraceSealed, sealedEx.KnownErrorCode);

        // Sealing again is idempotent; a rehydrated operation completes at once.
        var again = await client.Traces.CompleteAsync(id, Ct);
        Assert.Equal(TraceStatus.Sealed, (await again.WaitForCompletionAsync(null, Ct)).Status);
        var resumed = new SealTraceOperation(client, id);
        Assert.Equal(sealedTrace.CompositeHash, (await resumed.WaitForCompletionAsync(null, Ct)).CompositeHash);
    }

    [Fact]
    public async Task ListAll_PagesThroughMoreThanOneHundredTraces()
    {
        using var client = fixture.CreateClient();
        var agent = "agent-paging-" + Guid.NewGuid().ToString("N");
        var created = new List<string>();
        for (var batch = 0; batch < 105; batch += 15)
        {
            var tasks = Enumerable.Range(batch, 15).Select(i =>
                client.Traces.CreateAsync(new CreateTraceRequest { Label = $"trace {i}", AgentId = agent }, Ct));
            created.AddRange((await Task.WhenAll(tasks)).Select(t => t.TraceId!));
        }

        var first = await client.Traces.ListAsync(new TraceListFilter { AgentId = agent, Limit = 100 }, Ct);
        Assert.Equal(105, first.Total);
        Assert.Equal(100, first.Traces!.Count);
        Assert.True(first.HasMore);

        var listed = new List<TraceSummary>();
        await foreach (var trace in client.Traces.ListAllAsync(new TraceListFilter { AgentId = agent, Limit = 20 }, Ct))
        {
            listed.Add(trace);
        }

        Assert.Equal(105, listed.Count);
        Assert.Equal(created.Order(), listed.Select(t => t.TraceId!).Order());
        Assert.Equal(105, listed.Select(t => t.TraceId).Distinct().Count());
        var order = listed.Select(t => (t.CreatedAt!.Value, t.TraceId!)).ToList();
        Assert.Equal(order.OrderBy(o => o.Value).ThenBy(o => o.Item2, StringComparer.Ordinal), order);
    }

    [Fact]
    public async Task AnotherTenant_CannotSeeOrTouchTheTrace()
    {
        using var owner = fixture.CreateClient();
        using var other = fixture.CreateClient(LocalServerFixture.OtherTenantKey);
        var agent = "agent-tenant-" + Guid.NewGuid().ToString("N");
        var id = (await owner.Traces.CreateAsync(new CreateTraceRequest { Label = "tenant A only", AgentId = agent }, Ct)).TraceId!;

        var notFound = await Assert.ThrowsAsync<TracesNotFoundException>(() => other.Traces.GetAsync(id, Ct));
        Assert.Equal(KnownErrorCode.TraceNotFound, notFound.KnownErrorCode);
        Assert.NotNull(notFound.RequestId);
        await Assert.ThrowsAsync<TracesNotFoundException>(() =>
            other.Events.RecordAsync(new RecordEventRequest { EventType = "a.b", Payload = new JsonObject(), TraceId = id }, Ct));
        await Assert.ThrowsAsync<TracesNotFoundException>(() => other.Traces.SealAsync(id, Ct));
        Assert.Equal(0, (await other.Traces.ListAsync(new TraceListFilter { AgentId = agent }, Ct)).Total);
        Assert.Equal(1, (await owner.Traces.ListAsync(new TraceListFilter { AgentId = agent }, Ct)).Total);
    }

    [Fact]
    public async Task IdempotencyKey_ReplaysInsteadOfCreatingTwice()
    {
        using var client = fixture.CreateClient();
        var agent = "agent-idem-" + Guid.NewGuid().ToString("N");
        var key = Guid.NewGuid().ToString("N");

        var first = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "once", AgentId = agent, IdempotencyKey = key }, Ct);
        var replay = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "once", AgentId = agent, IdempotencyKey = key }, Ct);

        Assert.Equal(first.TraceId, replay.TraceId);
        Assert.Equal(1, (await client.Traces.ListAsync(new TraceListFilter { AgentId = agent }, Ct)).Total);

        var reused = await Assert.ThrowsAsync<TracesConflictException>(() =>
            client.Traces.CreateAsync(new CreateTraceRequest { Label = "different", AgentId = agent, IdempotencyKey = key }, Ct));
        Assert.Equal(KnownErrorCode.IdempotencyKeyReused, reused.KnownErrorCode);
        Assert.Equal(409, reused.Status);
    }

    [Fact]
    public async Task ServerErrors_MapToTypedExceptions()
    {
        using var client = fixture.CreateClient();
        var id = (await client.Traces.CreateAsync(new CreateTraceRequest { Label = "empty" }, Ct)).TraceId!;

        var empty = await Assert.ThrowsAsync<TracesValidationException>(() => client.Traces.SealAsync(id, Ct));
        Assert.Equal(KnownErrorCode.EmptyTrace, empty.KnownErrorCode);
        var notSealed = await Assert.ThrowsAsync<TracesConflictException>(() => client.Traces.GetProofAsync(id, Ct));
        Assert.Equal(KnownErrorCode.TraceNotSealed, notSealed.KnownErrorCode);
        var verifyOpen = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.VerifyAsync(id, Ct));
        Assert.Equal(KnownErrorCode.TraceNotSealed, verifyOpen.KnownErrorCode);
        await Assert.ThrowsAsync<TracesNotFoundException>(() => client.Traces.GetAsync("tr_does_not_exist", Ct));
        var invalid = await Assert.ThrowsAsync<TracesValidationException>(() =>
            client.Events.RecordAsync(new RecordEventRequest { EventType = "trace.sealed", Payload = new JsonObject(), TraceId = id }, Ct));
        Assert.Equal(400, invalid.Status);

        using var stranger = fixture.CreateClient("tk_unknown_key");
        var unauthorized = await Assert.ThrowsAsync<TracesAuthenticationException>(() => stranger.Traces.GetAsync(id, Ct));
        Assert.Equal(KnownErrorCode.Unauthorized, unauthorized.KnownErrorCode);

        using var bearer = fixture.CreateClient(configure: o => o.AuthHeaderStyle = TracesAuthHeaderStyle.Bearer);
        Assert.Equal(id, (await bearer.Traces.GetAsync(id, Ct)).TraceId);
    }

    [Fact]
    public async Task StandaloneEntries_AreSignedButNotChained()
    {
        using var client = fixture.CreateClient();

        var entry = await client.Events.RecordAsync(new RecordEventRequest { EventType = "invoice.received", Payload = new JsonObject { ["n"] = 1 } }, Ct);

        Assert.Null(entry.TraceId);
        Assert.Null(entry.Index);
        Assert.Null(entry.ChainHash);
        Assert.StartsWith("ed25519:", entry.Signature, StringComparison.Ordinal);
    }
}
