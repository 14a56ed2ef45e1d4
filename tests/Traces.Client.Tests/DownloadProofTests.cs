using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.TestSupport;
using Traces.Verification;
using Traces.Verification.Reports;
using Traces.Verification.Trust;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary><c>client.Traces.DownloadProofAsync(traceId, path)</c>: the bundle on disk, whole or not at all.</summary>
public sealed class DownloadProofTests : WireMockTestBase, IDisposable
{
    private const string TraceId = "tr_small0001";

    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("traces-download-");

    [Fact]
    public async Task DownloadProof_SavesTheBytesAsSent_AndTheFileVerifiesValid()
    {
        var sent = await File.ReadAllBytesAsync(TestVectors.OwnVector("bundle-small.json"), Ct);
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet())
            .RespondWith(Response.Create().WithHeader("Content-Type", "application/json").WithBody(sent));
        using var client = CreateClient();
        var path = Path.Combine(_directory.FullName, "proof.json");

        var written = await client.Traces.DownloadProofAsync(TraceId, path, Ct);

        Assert.Equal(sent.Length, written);
        Assert.Equal(sent, await File.ReadAllBytesAsync(path, Ct));
        var report = await new BundleVerifier(TrustPolicy.FromFile(TestVectors.OwnVector("public-keys.json"))).VerifyFileAsync(path, Ct);
        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Equal(["proof.json"], _directory.GetFiles().Select(f => f.Name));
    }

    [Fact]
    public async Task DownloadProof_ReplacesAnExistingFile()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet()).RespondWith(Response.Create().WithBody("""{"trace_id":"tr_small0001"}"""));
        using var client = CreateClient();
        var path = Path.Combine(_directory.FullName, "proof.json");
        await File.WriteAllTextAsync(path, "an older download, longer than the new one", Ct);

        var written = await client.Traces.DownloadProofAsync(TraceId, path, Ct);

        Assert.Equal(27, written);
        Assert.Equal("""{"trace_id":"tr_small0001"}""", await File.ReadAllTextAsync(path, Ct));
        Assert.Single(_directory.GetFiles());
    }

    [Fact]
    public async Task DownloadProof_WhileSealing_IsConflict_AndWritesNothing()
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet()).RespondWith(Response.Create().WithStatusCode(409)
            .WithBody("""{"status":409,"code":"trace_sealing"}"""));
        using var client = CreateClient();

        var ex = await Assert.ThrowsAsync<TracesConflictException>(() => client.Traces.DownloadProofAsync(TraceId, Path.Combine(_directory.FullName, "proof.json"), Ct));

        Assert.Equal(KnownErrorCode.TraceSealing, ex.KnownErrorCode);
        Assert.Empty(_directory.GetFiles());
    }

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>")]
    [InlineData("""{"trace_id":"tr_small0001",""")]
    [InlineData("""{"trace_id":"tr_small0001"} {}""")]
    [InlineData("""["not", "an", "object"]""")]
    public async Task DownloadProof_BodyNotOneJsonObject_IsInvalidResponse_AndLeavesTheOldFileAlone(string body)
    {
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet()).RespondWith(Response.Create().WithBody(body));
        using var client = CreateClient();
        var path = Path.Combine(_directory.FullName, "proof.json");
        await File.WriteAllTextAsync(path, "previous", Ct);

        var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.DownloadProofAsync(TraceId, path, Ct));

        Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
        Assert.Equal(200, ex.Status);
        Assert.Equal("previous", await File.ReadAllTextAsync(path, Ct));
        Assert.Single(_directory.GetFiles());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DownloadProof_LargerThanTheReadBuffer_IsStreamedToTheFile_AndCheckedAcrossReads(bool trailingData)
    {
        // A string token of 300,000 bytes spans several reads and outgrows the 64 KB buffer; data after the object
        // arrives in a later read than the object's start.
        var body = "{\"trace_id\":\"tr_small0001\",\"note\":\"" + new string('x', 300_000) + "\",\"events\":[1,2,3]} " + (trailingData ? "{}" : "");
        Server.Given(Request.Create().WithPath($"/v1/traces/{TraceId}/proof").UsingGet()).RespondWith(Response.Create().WithBody(body));
        using var client = CreateClient();
        var path = Path.Combine(_directory.FullName, "proof.json");

        if (trailingData)
        {
            var ex = await Assert.ThrowsAsync<TracesApiException>(() => client.Traces.DownloadProofAsync(TraceId, path, Ct));
            Assert.Equal(KnownErrorCode.InvalidResponse, ex.KnownErrorCode);
            Assert.Empty(_directory.GetFiles());
        }
        else
        {
            Assert.Equal(body.Length, await client.Traces.DownloadProofAsync(TraceId, path, Ct));
            Assert.Equal(body, await File.ReadAllTextAsync(path, Ct));
            Assert.Equal(["proof.json"], _directory.GetFiles().Select(f => f.Name));
        }
    }

    [Fact]
    public async Task DownloadProof_DirectoryMissing_ThrowsDirectoryNotFound_BeforeSending()
    {
        using var client = CreateClient();
        var missing = Path.Combine(_directory.FullName, "missing");

        var ex = await Assert.ThrowsAsync<DirectoryNotFoundException>(() =>
            client.Traces.DownloadProofAsync(TraceId, Path.Combine(missing, "proof.json"), Ct));

        Assert.Equal($"Cannot save the proof to '{Path.Combine(missing, "proof.json")}': the directory '{missing}' does not exist.", ex.Message);
        Assert.Empty(Server.LogEntries);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task DownloadProof_EmptyPath_ThrowsArgumentException_BeforeSending(string path)
    {
        using var client = CreateClient();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Traces.DownloadProofAsync(TraceId, path, Ct));

        Assert.Empty(Server.LogEntries);
    }

    public new void Dispose()
    {
        _directory.Delete(recursive: true);
        base.Dispose();
    }
}

/// <summary>Against the reference server: seal, download, verify the file offline under its pinned keys.</summary>
public sealed class DownloadProofIntegrationTests(LocalServerFixture fixture) : IClassFixture<LocalServerFixture>
{
    [Fact]
    public async Task SealedTrace_DownloadProof_FileVerifiesValidUnderTheServersKeys()
    {
        var ct = TestContext.Current.CancellationToken;
        using var client = fixture.CreateClient();
        var trace = await client.Traces.CreateAsync(new CreateTraceRequest { Label = "download" }, ct);
        await client.Traces.AddStepAsync(trace.TraceId!, new AddStepRequest { Type = StepType.Thought, Content = "one" }, ct);
        await client.Traces.SealAndWaitAsync(trace.TraceId!, ct);
        var directory = Directory.CreateTempSubdirectory("traces-download-");
        try
        {
            var path = Path.Combine(directory.FullName, $"{trace.TraceId}.json");

            var written = await client.Traces.DownloadProofAsync(trace.TraceId!, path, ct);

            Assert.Equal(new FileInfo(path).Length, written);
            var report = await new BundleVerifier(TrustPolicy.FromPublishedKeys(fixture.Server.PublicKeys)).VerifyFileAsync(path, ct);
            Assert.Equal(Verdict.Valid, report.Verdict);
            Assert.Equal(1, report.EntryCount);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
