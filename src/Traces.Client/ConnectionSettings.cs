using System.Globalization;

namespace Traces.Client;

/// <summary>
/// Checks the endpoint and the API key before any request is built, so a value that cannot work is an
/// <see cref="ArgumentException"/> naming the member, the value and what is expected, not a <see cref="UriFormatException"/>
/// or a header error from deep inside the HTTP stack, and a key that cannot be sent is never sent.
/// </summary>
internal static class ConnectionSettings
{
    /// <summary>An absolute http(s) URI from <c>TRACES_ENDPOINT</c>.</summary>
    /// <exception cref="ArgumentException">The value is not one.</exception>
    public static Uri ParseEndpointVariable(string value)
    {
        var text = value.Trim();
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && IsHttp(uri))
        {
            return uri;
        }

        // "127.0.0.1:5090" fails to parse and "localhost:5090" parses with the scheme "localhost": both lack "http://".
        var hint = text.Contains("://", StringComparison.Ordinal) ? "https://traces.example.com" : "http://" + text;
        throw new ArgumentException(
            $"{TracesClientOptions.EndpointEnvironmentVariable} is '{value}', which is not an absolute http or https URI; " +
            $"expected one such as '{hint}'.",
            nameof(TracesClientOptions.Endpoint));
    }

    /// <exception cref="ArgumentException"><paramref name="endpoint"/> is relative or not http(s).</exception>
    public static void CheckEndpoint(Uri endpoint)
    {
        if (!endpoint.IsAbsoluteUri || !IsHttp(endpoint))
        {
            throw new ArgumentException(
                $"TracesClientOptions.Endpoint is '{endpoint.OriginalString}', which is not an absolute http or https URI; " +
                "expected one such as 'https://traces.example.com'.",
                nameof(TracesClientOptions.Endpoint));
        }
    }

    /// <summary>
    /// An API key travels in a header (<c>x-api-key</c> or <c>Authorization: Bearer</c>), where a CR or LF would end
    /// the header (RFC 9110 §5.5 forbids them in field values) and other controls, spaces or non-ASCII characters are
    /// refused or mangled on the way. The message says where the bad character is, never what the key is.
    /// </summary>
    /// <exception cref="ArgumentException">The key holds a character outside printable ASCII (U+0021–U+007E).</exception>
    public static void CheckApiKey(string apiKey, bool fromEnvironment)
    {
        for (var i = 0; i < apiKey.Length; i++)
        {
            if (apiKey[i] is < '!' or > '~')
            {
                var source = fromEnvironment ? TracesClientOptions.ApiKeyEnvironmentVariable : "TracesClientOptions.ApiKey";
                throw new ArgumentException(
                    $"{source} holds U+{(int)apiKey[i]:X4} at index {i.ToString(CultureInfo.InvariantCulture)}, which cannot be sent in an HTTP " +
                    "header; an API key is printable ASCII without spaces or line breaks. Nothing was sent.",
                    nameof(TracesClientOptions.ApiKey));
            }
        }
    }

    private static bool IsHttp(Uri uri) => uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps;
}
