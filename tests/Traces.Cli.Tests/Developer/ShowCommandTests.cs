using Traces.Cli.Infrastructure;
using Traces.Cli.Tests.Infrastructure;

namespace Traces.Cli.Tests.Developer;

/// <summary><c>traces show</c> on bundle files: offline, in order, every entry kind, and never a verdict.</summary>
public class ShowCommandTests
{
    [Fact]
    public async Task Show_BundleFile_ListsEveryEntryInOrder_AndSaysItIsNotVerified()
    {
        var path = Tool.Vector("bundle-withheld.json");

        var result = await Tool.RunAsync("show", path);

        Assert.True(result.ExitCode == ExitCodes.Valid, result.ToString());
        Assert.Equal(
            "Trace    tr_small0001\n" +
            "Label    Vendor Onboarding, Acme Corp\n" +
            "Status   sealed, 5 entries, sealed 2026-03-17T12:00:06.000006Z\n" +
            $"From     {path}\n" +
            "\n" +
            "#     INGESTED                     TYPE                WHAT\n" +
            "0     2026-03-17T12:00:00.000000Z  invoice.received    {\"vendor\":\"Société Générale — 東京\",\"amount\":1.50,\"big\":1e21,\"tiny\":1E-7,\"neg_zero\":-0,\"nested\":{\"z\":[3,2,1],\"a\":{\"ok\":tru…\n" +
            "1     2026-03-17T12:00:01.000001Z  document.anchored   {\"document\":\"contract.pdf\",\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\",\"pages\":12}\n" +
            "2     2026-03-17T12:00:02.000002Z  ai.attestation      (payload withheld: only its hash is in the bundle)\n" +
            "3     2026-03-17T12:00:03.000003Z  agent.step          {\"step\":3,\"tool\":\"search\",\"input\":{\"query\":\"vendor risk\"},\"ok\":true}\n" +
            "4     2026-03-17T12:00:04.000004Z  payment.authorized  {\"amount\":1234.5,\"currency\":\"EUR\",\"reference\":\"PAY-7\"}\n" +
            "seal  2026-03-17T12:00:06.000006Z  trace.sealed        sealed: 5 entries, composite sha256:e541d8edc88b3a5a92ada3fba1116e24386c52b9708976b570d761ab3a63ac42\n" +
            "\n" +
            "Not verified: this is what the trace says. Check it with 'traces verify <bundle.json> --trust <keys>'.\n",
            result.Out);
        Assert.DoesNotContain("✓", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_BundleFile_Json_KeepsThePayloadsAndSaysWhichAreWithheld()
    {
        var result = await Tool.RunAsync("show", Tool.Vector("bundle-withheld.json"), "--json");

        var json = result.Json();
        Assert.Equal("file", json.GetProperty("source").GetString());
        Assert.Equal("sha256:e541d8edc88b3a5a92ada3fba1116e24386c52b9708976b570d761ab3a63ac42", json.GetProperty("composite_hash").GetString());
        var entries = json.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(["evt_000000", "evt_000001", "evt_000002", "evt_000003", "evt_000004"], entries.Select(e => e.GetProperty("event_id").GetString()));
        Assert.Equal([true, true, false, true, true], entries.Select(e => e.GetProperty("payload_available").GetBoolean()));
        Assert.Equal("PAY-7", entries[4].GetProperty("payload").GetProperty("reference").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, entries[2].GetProperty("payload").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("note").ValueKind);
    }

    [Fact]
    public async Task Show_NotABundle_ExitsThree()
    {
        var path = Tool.Vector("tampered/garbage.json");

        var result = await Tool.RunAsync("show", path);

        Assert.Equal(ExitCodes.UnusableInput, result.ExitCode);
        Assert.StartsWith($"error: The bundle '{path}' is not a traces/v1 bundle: ", result.Error, StringComparison.Ordinal);
    }
}
