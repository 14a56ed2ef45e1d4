using System.Text.Json;
using Traces.Extensions.AI.Sinks;

namespace Traces.Extensions.AI.Tests;

/// <summary>Both payload shapes of an <c>ai.attestation</c> entry (docs/api.md) give the recorded documents back.</summary>
public sealed class AttestationShapeTests
{
    [Fact]
    public void ReadDocuments_FlatShape()
    {
        using var payload = JsonDocument.Parse("""{"type":"output","input":"{\"model_call\":1}","output":"{\"model_call\":1,\"messages\":[]}","model_provider":"openai","model_name":"gpt-4.1"}""");

        Assert.Equal(("{\"model_call\":1}", "{\"model_call\":1,\"messages\":[]}"), TracesAttestationShape.ReadDocuments(payload.RootElement));
    }

    [Fact]
    public void ReadDocuments_InvoanceShape()
    {
        using var payload = JsonDocument.Parse("""{"type":"output","payload":{"input":"in","output":"out"},"context":{"model_provider":"openai","model_name":"gpt-4.1"},"subject":{"user_id":"u1"}}""");

        Assert.Equal(("in", "out"), TracesAttestationShape.ReadDocuments(payload.RootElement));
    }

    [Fact]
    public void ReadDocuments_NotAnAttestation_GivesNothing()
    {
        using var array = JsonDocument.Parse("[1]");
        using var numbers = JsonDocument.Parse("""{"input":1,"output":2}""");

        Assert.Equal((null, null), TracesAttestationShape.ReadDocuments(array.RootElement));
        Assert.Equal((null, null), TracesAttestationShape.ReadDocuments(numbers.RootElement));
    }
}
