using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Traces.Client.Models;
using Traces.Client.Serialization;
using Traces.Verification.Bundles;

namespace Traces.Client.Tests;

/// <summary>
/// Every JSON response example of the Invoance (seeds/000) and Novyx (seeds/001) documents, and of docs/api.md, read
/// into the client's models and written back without losing anything. Files are named
/// <c>{source}.{endpoint}.{Model}.json</c>; the seed examples are verbatim, the docs/api.md ones have real
/// timestamps where the contract writes <c>"..."</c>.
/// </summary>
public sealed class SeedExampleTests
{
    public static TheoryData<string> Examples() => new(ExampleFiles());

    private static IEnumerable<string> ExampleFiles() =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Seeds"), "*.json").Select(f => Path.GetFileName(f)).Order();

    [Fact]
    public void Examples_CoverBothSeedDocuments()
    {
        var names = ExampleFiles().ToList();
        Assert.Equal(5, names.Count(n => n.StartsWith("invoance.", StringComparison.Ordinal)));
        Assert.Equal(5, names.Count(n => n.StartsWith("novyx.", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public void Example_DeserializesAndRoundTripsWithoutLoss(string file)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", file));
        var model = file.Split('.')[^2];
        var written = model switch
        {
            nameof(TraceDetails) => RoundTrip(json, TracesClientJsonContext.Default.TraceDetails),
            nameof(TraceList) => RoundTrip(json, TracesClientJsonContext.Default.TraceList),
            nameof(SealTraceResponse) => RoundTrip(json, TracesClientJsonContext.Default.SealTraceResponse),
            nameof(StepReceipt) => RoundTrip(json, TracesClientJsonContext.Default.StepReceipt),
            nameof(EntryReceipt) => RoundTrip(json, TracesClientJsonContext.Default.EntryReceipt),
            nameof(ServerVerificationResult) => RoundTrip(json, TracesClientJsonContext.Default.ServerVerificationResult),
            nameof(Errors.TracesProblemDetails) => RoundTrip(json, TracesClientJsonContext.Default.TracesProblemDetails),
            nameof(ProofBundle) => RoundTrip(json, TracesJsonContext.Default.ProofBundle),
            nameof(PublishedKeySet) => RoundTrip(json, TracesJsonContext.Default.PublishedKeySet),
            _ => throw new InvalidOperationException($"No model named {model}"),
        };

        JsonSemantics.AssertEquivalent(JsonNode.Parse(json), JsonNode.Parse(written));
    }

    [Fact]
    public void InvoanceList_TypedMembersAreRead()
    {
        var list = Read("invoance.list.TraceList.json", TracesClientJsonContext.Default.TraceList);
        var trace = Assert.Single(list.Traces!);
        Assert.Equal("tr_abc123...", trace.TraceId);
        Assert.Equal(TraceStatus.Sealed, trace.Status);
        Assert.Equal(7, trace.EventCount);
        Assert.Equal(new DateTimeOffset(2026, 3, 17, 14, 30, 0, TimeSpan.Zero), trace.SealedAt);
        Assert.Equal(12, list.Total);
        Assert.False(list.HasMore);
        Assert.Equal(1, list.Page);
    }

    [Fact]
    public void NovyxCreate_KeepsUnknownStatusValue()
    {
        var trace = Read("novyx.create.TraceDetails.json", TracesClientJsonContext.Default.TraceDetails);
        Assert.Equal("active", trace.Status!.Value.Value);
        Assert.False(trace.Status.Value.IsTerminal);
    }

    [Fact]
    public void NovyxGet_KeepsTheNestedShapeInAdditionalProperties()
    {
        var trace = Read("novyx.get.TraceDetails.json", TracesClientJsonContext.Default.TraceDetails);
        Assert.Equal(4, trace.AdditionalProperties!["step_count"].GetInt32());
        Assert.Equal("agent-001", trace.AdditionalProperties["trace"].GetProperty("agent_id").GetString());
        Assert.Equal(2, trace.AdditionalProperties["steps"].GetArrayLength());
    }

    [Fact]
    public void InvoanceCreateRequest_SerializesToTheDocumentedBody()
    {
        var request = new CreateTraceRequest
        {
            Label = "Vendor Onboarding, Acme Corp",
            Metadata = new JsonObject { ["department"] = "procurement", ["initiated_by"] = "j.smith@acme.com" },
            IdempotencyKey = "never-in-the-body",
        };
        var json = JsonSerializer.Serialize(request, TracesClientJsonContext.Default.CreateTraceRequest);
        JsonSemantics.AssertEquivalent(
            JsonNode.Parse("""{"label":"Vendor Onboarding, Acme Corp","metadata":{"department":"procurement","initiated_by":"j.smith@acme.com"}}"""),
            JsonNode.Parse(json));
    }

    [Fact]
    public void NovyxStepRequest_SerializesToTheDocumentedBody()
    {
        var request = new AddStepRequest { Type = StepType.Thought, Content = "User is asking about their billing cycle" };
        var json = JsonSerializer.Serialize(request, TracesClientJsonContext.Default.AddStepRequest);
        Assert.Equal("""{"type":"THOUGHT","content":"User is asking about their billing cycle"}""", json);
    }

    private static string RoundTrip<T>(string json, JsonTypeInfo<T> typeInfo)
    {
        var model = JsonSerializer.Deserialize(json, typeInfo);
        Assert.NotNull(model);
        return JsonSerializer.Serialize(model, typeInfo);
    }

    private static T Read<T>(string file, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Seeds", file)), typeInfo)!;
}
