using System.Text;
using System.Text.Json;
using Traces.Verification.Canonicalization;

namespace Traces.Verification.Tests.Canonicalization;

/// <summary>Runs both public entry points and insists they agree.</summary>
internal static class TestJson
{
    public static CanonicalizationResult ViaSpan(string json, CanonicalizationLimits? limits = null) =>
        JsonCanonicalizer.Canonicalize(Encoding.UTF8.GetBytes(json), limits);

    public static string Canonical(string json)
    {
        var result = ViaSpan(json);
        Assert.True(result.IsSuccess, result.Error?.ToString());
        var text = Encoding.UTF8.GetString(result.Utf8Bytes);

        using var document = JsonDocument.Parse(json);
        var viaElement = JsonCanonicalizer.Canonicalize(document.RootElement);
        Assert.True(viaElement.IsSuccess, viaElement.Error?.ToString());
        Assert.Equal(result.Utf8Bytes, viaElement.Utf8Bytes);
        return text;
    }

    /// <summary>Asserts the span API rejects <paramref name="json"/> with this kind and path; returns the error.</summary>
    public static CanonicalizationError Rejected(byte[] utf8Json, CanonicalizationErrorKind kind, string? path = null, CanonicalizationLimits? limits = null)
    {
        var result = JsonCanonicalizer.Canonicalize(utf8Json, limits);
        Assert.False(result.IsSuccess);
        Assert.Null(result.Utf8Bytes);
        Assert.Equal(kind, result.Error.Kind);
        if (path is not null)
        {
            Assert.Equal(path, result.Error.Path);
        }

        return result.Error;
    }

    public static CanonicalizationError Rejected(string json, CanonicalizationErrorKind kind, string? path = null, CanonicalizationLimits? limits = null) =>
        Rejected(Encoding.UTF8.GetBytes(json), kind, path, limits);

    /// <summary>Asserts the JsonElement API (on a document that System.Text.Json accepts) rejects it the same way.</summary>
    public static void RejectedAsElement(string json, CanonicalizationErrorKind kind, string path, CanonicalizationLimits? limits = null)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 100_000 });
        var result = JsonCanonicalizer.Canonicalize(document.RootElement, limits);
        Assert.False(result.IsSuccess);
        Assert.Equal(kind, result.Error.Kind);
        Assert.Equal(path, result.Error.Path);
    }
}
