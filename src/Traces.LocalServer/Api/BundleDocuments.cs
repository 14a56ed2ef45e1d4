using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Traces.LocalServer.Api;

/// <summary>
/// The traces/v1 documents (proof, certificate, public keys) written with the encoder every other answer uses:
/// ASP.NET Core's relaxed escaping (docs/local-server.md), so <c>—</c> and <c>+</c> are written as they are, not as
/// <c>\u2014</c> and <c>\u002B</c>. The values are the same JSON either way, and every hash is over their RFC 8785
/// form, never over this text.
/// </summary>
internal static class BundleDocuments
{
    private static readonly JsonSerializerOptions s_options = new(Traces.Verification.Bundles.TracesJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static JsonTypeInfo<T> Relaxed<T>(JsonTypeInfo<T> type) => (JsonTypeInfo<T>)s_options.GetTypeInfo(typeof(T));

    public static IResult Json<T>(T value, JsonTypeInfo<T> type) => Results.Json(value, Relaxed(type));
}
