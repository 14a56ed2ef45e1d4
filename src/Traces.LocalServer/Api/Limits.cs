namespace Traces.LocalServer.Api;

/// <summary>The field limits of docs/api.md "Limits".</summary>
internal static class Limits
{
    public const int Label = 255;
    public const int Description = 1000;
    public const int Tags = 32;
    public const int Tag = 64;
    public const int MetadataBytes = 16 * 1024;
    public const int PayloadBytes = 256 * 1024;
    public const int ShortText = 255;
    public const int DocumentRef = 1024;
    public const int AttestationType = 64;
    public const int DefaultPageSize = 25;
    public const int MaxPageSize = 100;
}
