using System.Globalization;
using System.Text.Json;
using Traces.TestSupport;

namespace Traces.Client.Tests.Vendors;

/// <summary>One response captured from SidClaw's real server (tests/vectors/sidclaw/responses): request line, status, headers, body.</summary>
public sealed record SidClawCapture(string File, string Method, string PathAndQuery, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, byte[] Body, string? RequestBody)
{
    public string Path => PathAndQuery.Split('?')[0];

    public string? Query => PathAndQuery.Contains('?', StringComparison.Ordinal) ? PathAndQuery[(PathAndQuery.IndexOf('?', StringComparison.Ordinal) + 1)..] : null;

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);

    public string? Header(string name) =>
        Headers.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    public static string Folder => TestVectors.PathOf("sidclaw", "responses");

    public static IReadOnlyList<SidClawCapture> All() =>
        [.. JsonDocument.Parse(System.IO.File.ReadAllBytes(System.IO.Path.Combine(Folder, "index.json"))).RootElement
            .GetProperty("responses").EnumerateArray().Select(r => Load(r.GetProperty("file").GetString()!))];

    public static SidClawCapture Load(string name)
    {
        var lines = System.IO.File.ReadAllLines(System.IO.Path.Combine(Folder, name + ".http"));
        var requestLine = lines[Array.IndexOf(lines, "### request") + 1].Split(' ');
        var responseAt = Array.IndexOf(lines, "### response");
        var requestBody = lines.Skip(1).Take(responseAt - 1).FirstOrDefault(l => l.StartsWith('{'));
        var status = int.Parse(lines[responseAt + 1].Split(' ')[1], CultureInfo.InvariantCulture);
        var headers = new List<KeyValuePair<string, string>>();
        for (var i = responseAt + 2; i < lines.Length && lines[i].Length > 0; i++)
        {
            var colon = lines[i].IndexOf(':', StringComparison.Ordinal);
            headers.Add(new(lines[i][..colon], lines[i][(colon + 1)..].Trim()));
        }

        var bodyFile = Directory.GetFiles(Folder, name + ".body.*").Single();
        return new SidClawCapture(name, requestLine[0], requestLine[1], status, headers, System.IO.File.ReadAllBytes(bodyFile), requestBody);
    }
}
