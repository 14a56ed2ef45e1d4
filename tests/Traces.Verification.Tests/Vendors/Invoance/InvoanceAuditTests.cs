using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using NSec.Cryptography;
using Traces.Verification.Reports;
using Traces.Verification.Trust;
using Traces.Verification.Vendors;
using Traces.Verification.Vendors.Invoance;

namespace Traces.Verification.Tests.Vendors.Invoance;

/// <summary>Invoance signed audit events (invoance.audit/1) against Invoance's own golden vectors.</summary>
public class InvoanceAuditTests
{
    public static TheoryData<string> VectorNames => new(InvoanceVectors.Names);

    private static VendorReport Verify(JsonNode document, TrustPolicy? trust = null) =>
        new InvoanceAuditVerifier(trust ?? InvoanceVectors.Pinned).Verify(Encoding.UTF8.GetBytes(document.ToJsonString()));

    [Fact]
    public void VectorFile_Has15Vectors_OfOneTestKey()
    {
        Assert.Equal(15, InvoanceVectors.All.Count);
        Assert.Equal("invoance.audit/1", InvoanceVectors.File_["schema_id"]!.GetValue<string>());
        Assert.All(InvoanceVectors.All, v => Assert.Equal(InvoanceVectors.PublicKeyHex, v["public_key"]!.GetValue<string>()));
        Assert.Equal(InvoanceVectors.PublicKeyHex, Convert.ToHexStringLower(InvoanceVectors.SigningKey.PublicKey.Export(KeyBlobFormat.RawPublicKey)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector_CanonicalTextHexHashAndSignature_AreReproducedByteForByte(string name)
    {
        var vector = InvoanceVectors.Named(name);
        using var document = JsonDocument.Parse(vector["event"]!.ToJsonString());

        Assert.True(InvoanceAuditCanonicalizer.TryCanonicalize(document.RootElement, out var canonical, out var error), error);

        Assert.Equal(vector["canonical_utf8"]!.GetValue<string>(), Encoding.UTF8.GetString(canonical));
        Assert.Equal(vector["canonical_hex"]!.GetValue<string>(), Convert.ToHexStringLower(canonical));
        Assert.Equal(vector["payload_hash_sha256"]!.GetValue<string>(), Convert.ToHexStringLower(SHA256.HashData(canonical)));
        // Ed25519 is deterministic (RFC 8032): signing the rebuilt bytes with the vectors' seed gives their signature.
        Assert.Equal(vector["signature_ed25519"]!.GetValue<string>(), Convert.ToHexStringLower(SignatureAlgorithm.Ed25519.Sign(InvoanceVectors.SigningKey, canonical)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector_AsServed_IsValidUnderThePinnedKey(string name)
    {
        var report = Verify(InvoanceVectors.ApiEvent(InvoanceVectors.Named(name)));

        Assert.Equal(Verdict.Valid, report.Verdict);
        Assert.Empty(report.AllFindings);
        Assert.All(report.Checks, c => Assert.Equal(CheckState.Passed, c.State));
        Assert.Equal(InvoanceVectors.Named(name)["event"]!["event_id"]!.GetValue<string>(), Assert.Single(report.Items).Id);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Vector_WithoutAPinnedKey_IsUntrusted_TheEventsOwnKeyNeverTrusted(string name)
    {
        var report = Verify(InvoanceVectors.ApiEvent(InvoanceVectors.Named(name)), TrustPolicy.None);

        Assert.Equal(Verdict.Untrusted, report.Verdict);
        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.UntrustedKey, finding.Code);
        Assert.Equal(InvoanceVectors.PublicKeyHex, finding.Actual);
        Assert.Equal(CheckState.Passed, report.StateOf(VendorCheckNames.Signature));
        Assert.Equal(CheckState.Failed, report.StateOf(VendorCheckNames.Trust));
    }

    /// <summary>Every signed leaf of every vector's event (JSON Pointer), with a changed value.</summary>
    public static TheoryData<string, string> SignedLeaves()
    {
        var data = new TheoryData<string, string>();
        foreach (var vector in InvoanceVectors.All)
        {
            foreach (var pointer in Leaves(vector["event"]!, "").Where(p => p != "/version"))
            {
                data.Add(vector["name"]!.GetValue<string>(), pointer);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SignedLeaves))]
    public void ChangedSignedField_FailsThePayloadHashAndTheSignature(string name, string pointer)
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named(name));
        Change(e, pointer);

        var report = Verify(e);

        Assert.Equal(Verdict.Invalid, report.Verdict);
        Assert.Equal([FindingCodes.PayloadHashMismatch, FindingCodes.SignatureInvalid], report.AllFindings.Select(f => f.Code));
        Assert.Equal(InvoanceVectors.Named(name)["payload_hash_sha256"]!.GetValue<string>(), report.AllFindings.First().Actual);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ChangedPayloadHash_FailsOnlyThePayloadHash(string name)
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named(name));
        e["payload_hash"] = new string('0', 64);

        var report = Verify(e);

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.PayloadHashMismatch, finding.Code);
        Assert.Equal(InvoanceVectors.Named(name)["payload_hash_sha256"]!.GetValue<string>(), finding.Expected);
        Assert.Equal("/payload_hash", finding.Location);
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ChangedSignature_FailsOnlyTheSignature(string name)
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named(name));
        var signature = Convert.FromHexString(e["signature"]!.GetValue<string>());
        signature[10] ^= 0x01;
        e["signature"] = Convert.ToHexStringLower(signature);

        Assert.Equal([FindingCodes.SignatureInvalid], Verify(e).AllFindings.Select(f => f.Code));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void ChangedSigningPublicKey_IsAKeyMismatch_ThePinnedKeyStillDecides(string name)
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named(name));
        e["signing_public_key"] = Convert.ToHexStringLower(Traces.TestSupport.TestKeys.Ed25519PublicRaw);

        var report = Verify(e);

        var finding = Assert.Single(report.AllFindings);
        Assert.Equal(FindingCodes.KeyIdMismatch, finding.Code);
        Assert.Equal(InvoanceVectors.PublicKeyHex, finding.Expected);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Theory]
    [InlineData("org_id")]
    [InlineData("event_id")]
    [InlineData("seq")]
    [InlineData("ingested_at")]
    [InlineData("action")]
    [InlineData("occurred_at")]
    [InlineData("actor")]
    [InlineData("targets")]
    public void MissingRequiredField_IsMalformed(string field)
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named("02_full"));
        e.Remove(field);

        var finding = Assert.Single(Verify(e).AllFindings);
        Assert.Equal(FindingCodes.Malformed, finding.Code);
        Assert.Equal($"Event {(field == "event_id" ? "0" : "aevt_full000000000000000002")}: cannot be canonicalized: missing required field: {field}", finding.Message);
    }

    [Fact]
    public void UnsignedMembers_VersionAndOthers_DoNotChangeTheVerdict()
    {
        // Vector 10b: version is not signed (10a and 10b have the same canonical bytes).
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named("10b_version_1"));
        e["version"] = 2;
        e["extra"] = "not signed";

        Assert.Equal(Verdict.Valid, Verify(e).Verdict);
    }

    [Fact]
    public void NullMember_IsTheSameAsAbsent()
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named("04a_context_absent"));
        e["context"] = null;
        e["metadata"] = null;
        e["actor"]!["name"] = null;

        Assert.Equal(Verdict.Valid, Verify(e).Verdict);
    }

    [Fact]
    public void ApiFormWithId_InsteadOfEventId_Verifies_ButTwoDifferentIdsAreAmbiguous()
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named("01_minimal"));
        e["id"] = e["event_id"]!.DeepClone();
        e.Remove("event_id");
        Assert.Equal(Verdict.Valid, Verify(e).Verdict);

        e["event_id"] = "aevt_other";
        Assert.Equal("Event aevt_01J9ZBASE0000000000000001: cannot be canonicalized: The event has both 'id' and 'event_id', with different values.",
            Assert.Single(Verify(e).AllFindings).Message);
    }

    [Fact]
    public void SchemaIdOtherThanAudit1_IsUnsupported()
    {
        var e = InvoanceVectors.ApiEvent(InvoanceVectors.Named("08_domain_sep_audit"));
        e["schema_id"] = "invoance.audit/2";

        Assert.Equal(FindingCodes.UnsupportedVersion, Assert.Single(Verify(e).AllFindings).Code);
    }

    [Fact]
    public void EscapedLoneSurrogate_HasNoCanonicalForm()
    {
        var json = InvoanceVectors.ApiEvent(InvoanceVectors.Named("02_full")).ToJsonString().Replace("\"production\"", "\"prod\\ud800\"", StringComparison.Ordinal);

        var report = new InvoanceAuditVerifier(InvoanceVectors.Pinned).Verify(Encoding.UTF8.GetBytes(json));

        Assert.Contains("holds a lone surrogate, which has no UTF-8 form", Assert.Single(report.AllFindings).Message);
        Assert.Equal(Verdict.Invalid, report.Verdict);
    }

    [Fact]
    public void ArrayPageAndNdjson_EachEventIsAnItem()
    {
        var events = InvoanceVectors.All.Select(InvoanceVectors.ApiEvent).ToList();
        var array = new JsonArray([.. events.Select(e => e.DeepClone())]);
        var page = new JsonObject { ["events"] = array.DeepClone(), ["next_cursor"] = null };
        var ndjson = string.Join("\n", events.Select(e => e.ToJsonString())) + "\n";

        foreach (var bytes in new[] { Encoding.UTF8.GetBytes(array.ToJsonString()), Encoding.UTF8.GetBytes(page.ToJsonString()), Encoding.UTF8.GetBytes(ndjson) })
        {
            var report = new InvoanceAuditVerifier(InvoanceVectors.Pinned).Verify(bytes);
            Assert.Equal(Verdict.Valid, report.Verdict);
            Assert.Equal(15, report.Items.Count);
            Assert.Equal("Invoance audit events (invoance.audit/1), 15 events", report.Subject);
        }

        array[3]!["action"] = "user.deleted";
        page["events"]![3]!["action"] = "user.deleted";
        Assert.Equal("/3/payload_hash", Verify(array).AllFindings.First().Location);
        Assert.Equal("/events/3/payload_hash", Verify(page).AllFindings.First().Location);
    }

    [Fact]
    public void DuplicateMember_IsRejected_NotResolved()
    {
        var json = InvoanceVectors.ApiEvent(InvoanceVectors.Named("01_minimal")).ToJsonString().Replace("{\"org_id\"", "{\"action\":\"x\",\"org_id\"", StringComparison.Ordinal);

        var report = new InvoanceAuditVerifier(InvoanceVectors.Pinned).Verify(Encoding.UTF8.GetBytes(json));

        Assert.StartsWith("The document is not valid JSON", Assert.Single(report.AllFindings).Message);
    }

    [Theory]
    [InlineData("2026-06-10T22:47:52.336123+03:00", "2026-06-10T19:47:52.336Z")]
    [InlineData("2026-06-10T19:47:52Z", "2026-06-10T19:47:52.000Z")]
    [InlineData(" 2026-06-10t19:47:52.9999z ", "2026-06-10T19:47:52.999Z")]
    [InlineData("2026-01-01T00:30:00.5-01:00", "2026-01-01T01:30:00.500Z")]
    [InlineData("2026-01-01T00:00:00.000+00:01", "2025-12-31T23:59:00.000Z")]
    public void Timestamps_AreNormalizedToUtcMillisecondsTruncated(string input, string expected)
    {
        Assert.True(InvoanceAuditCanonicalizer.TryNormalizeTimestamp(input, out var normalized));
        Assert.Equal(expected, normalized);
    }

    [Theory]
    [InlineData("2026-06-10 19:47:52Z")]
    [InlineData("2026-06-10T19:47:52")]
    [InlineData("2026-02-30T19:47:52Z")]
    [InlineData("2026-06-10T19:47:60Z")]
    [InlineData("0001-01-01T00:00:00Z+")]
    [InlineData("0001-01-01T00:00:00+00:01")]
    public void BadTimestamps_AreRejected(string input) => Assert.False(InvoanceAuditCanonicalizer.TryNormalizeTimestamp(input, out _));

    [Fact]
    public void KeysAreSortedByCodePoint_AsPythonSortsThem()
    {
        // U+E000 sorts before U+1F600 by code point; by UTF-16 unit the surrogate D83D would come first.
        var e = InvoanceVectors.Named("01_minimal")["event"]!.DeepClone().AsObject();
        e["metadata"] = new JsonObject { ["\U0001F600"] = 1, ["\uE000"] = 2, ["a"] = JsonNode.Parse("[null,1.5,-0.0,1e16,12345678901234567890]") };
        using var document = JsonDocument.Parse(e.ToJsonString());

        Assert.True(InvoanceAuditCanonicalizer.TryCanonicalize(document.RootElement, out var canonical, out _));

        Assert.Contains("\"metadata\":{\"a\":[null,1.5,-0.0,1e+16,12345678901234567890],\"\uE000\":2,\"\U0001F600\":1}", Encoding.UTF8.GetString(canonical));
    }

    [Theory]
    [InlineData("1.0", "1.0")]
    [InlineData("0.1", "0.1")]
    [InlineData("1e16", "1e+16")]
    [InlineData("1e15", "1000000000000000.0")]
    [InlineData("1.5e-7", "1.5e-07")]
    [InlineData("0.0001", "0.0001")]
    [InlineData("0.00001", "1e-05")]
    [InlineData("123456789012345678.0", "1.2345678901234568e+17")]
    [InlineData("-2.5E+3", "-2500.0")]
    [InlineData("1e22", "1e+22")]
    [InlineData("5e-324", "5e-324")]
    [InlineData("1.7976931348623157e308", "1.7976931348623157e+308")]
    public void Floats_AreWrittenAsPythonRepr(string json, string expected)
    {
        Assert.True(PythonFloat.TryFormat(double.Parse(json, CultureInfo.InvariantCulture), out var text));
        Assert.Equal(expected, text);
    }

    private static IEnumerable<string> Leaves(JsonNode node, string pointer) => node switch
    {
        JsonObject o => o.Where(p => p.Value is not null).SelectMany(p => Leaves(p.Value!, $"{pointer}/{p.Key}")),
        JsonArray a when a.Count > 0 => a.SelectMany((item, i) => item is null ? [] : Leaves(item, $"{pointer}/{i}")),
        _ => [pointer],
    };

    private static void Change(JsonObject root, string pointer)
    {
        var parts = pointer.Split('/')[1..];
        JsonNode parent = root;
        foreach (var part in parts[..^1])
        {
            parent = parent is JsonArray array ? array[int.Parse(part, CultureInfo.InvariantCulture)]! : parent[part]!;
        }

        var key = parts[^1];
        var old = parent is JsonArray list ? list[int.Parse(key, CultureInfo.InvariantCulture)]! : parent[key]!;
        JsonNode replacement = old.GetValueKind() switch
        {
            JsonValueKind.String when key is "occurred_at" or "ingested_at" => "2027-01-01T00:00:00.000Z",
            JsonValueKind.String => old.GetValue<string>() + "x",
            JsonValueKind.Number => JsonNode.Parse(old.ToJsonString() == "9223372036854775807" ? "9223372036854775806" : (old.GetValue<long>() + 1).ToString(CultureInfo.InvariantCulture))!,
            JsonValueKind.True => false,
            JsonValueKind.False => true,
            JsonValueKind.Array => new JsonArray(new JsonObject { ["type"] = "team", ["id"] = "added" }),
            _ => "changed",
        };
        if (parent is JsonArray target)
        {
            target[int.Parse(key, CultureInfo.InvariantCulture)] = replacement;
        }
        else
        {
            parent[key] = replacement;
        }
    }
}
