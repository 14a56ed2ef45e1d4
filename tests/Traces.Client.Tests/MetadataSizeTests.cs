using System.Text.Json.Nodes;
using Traces.Client.Errors;
using Traces.Client.Models;
using Traces.Client.Services;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;

namespace Traces.Client.Tests;

/// <summary>
/// The metadata size check's fast path (<c>ClientValidation.Measure</c>): compact text of at most 16,384 / 6 = 2,730
/// bytes cannot reach 16 KB in RFC 8785 form and is not canonicalized; past that, the canonical size decides. Numbers
/// written <c>1e20</c> (4 bytes) become 21 digits in RFC 8785 form (ES6, §3.2.2.3), the largest growth there is.
/// </summary>
public sealed class MetadataSizeTests : WireMockTestBase
{
    /// <summary><c>{"&lt;key&gt;":[1e20,…]}</c>: compact 5 + key + 5 × count, canonical 5 + key + 22 × count.</summary>
    private static JsonObject Numbers(string key, int count) =>
        JsonNode.Parse($$"""{"{{key}}":[{{string.Join(",", Enumerable.Repeat("1e20", count))}}]}""")!.AsObject();

    [Fact]
    public void Measure_AtTheBound_IsNotCanonicalized()
    {
        // 10 + 5 × 544 = 2,730 compact bytes; canonical would be 10 + 22 × 544 = 11,978, far below the limit.
        Assert.Equal((2730, (int?)null), ClientValidation.Measure(Numbers("abcd", 544)));
    }

    [Fact]
    public void Measure_OneBytePastTheBound_IsCanonicalized()
    {
        // One more key byte: 2,731 compact bytes, measured: 11 + 22 × 544 = 11,979.
        Assert.Equal((2731, (int?)11979), ClientValidation.Measure(Numbers("abcde", 544)));
    }

    [Fact]
    public void Measure_NumbersThatGrowPastTheLimit_AreMeasuredInCanonicalForm()
    {
        Assert.Equal((3730, (int?)16378), ClientValidation.Measure(Numbers("abcd", 744)));
        Assert.Equal((3735, (int?)16400), ClientValidation.Measure(Numbers("abcd", 745)));
    }

    [Fact]
    public void Measure_StringsAtTheLimit_AreTheirCanonicalSize()
    {
        // {"k":"…"}: 8 bytes around the value, the same in both forms.
        Assert.Equal((16384, (int?)16384), ClientValidation.Measure(new JsonObject { ["k"] = new string('v', 16376) }));
        Assert.Equal((16385, (int?)16385), ClientValidation.Measure(new JsonObject { ["k"] = new string('v', 16377) }));
    }

    [Fact]
    public async Task AddStep_MetadataOf3735CompactBytes_GrowingTo16400_IsRejectedBeforeSending()
    {
        Server.Given(Request.Create().WithPath("/v1/traces/tr_1/steps").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(201).WithBody("""{"step_id":"evt_1","step_index":0}"""));
        using var client = CreateClient();

        await client.Traces.AddStepAsync("tr_1", new AddStepRequest { Type = StepType.Action, Metadata = Numbers("abcd", 744) }, Ct);
        var ex = await Assert.ThrowsAsync<TracesValidationException>(() =>
            client.Traces.AddStepAsync("tr_1", new AddStepRequest { Type = StepType.Action, Metadata = Numbers("abcd", 745) }, Ct));

        Assert.Equal(KnownErrorCode.MetadataTooLarge, ex.KnownErrorCode);
        Assert.Equal(0, ex.Status);
        Assert.Contains("metadata must be at most 16384 bytes of RFC 8785 JSON; got 16400", ex.Message, StringComparison.Ordinal);
        var sent = Assert.Single(Requests("POST", "/v1/traces/tr_1/steps"));
        Assert.Contains("\"metadata\":{\"abcd\":[1e20,", sent.RequestMessage!.Body, StringComparison.Ordinal);
    }
}
