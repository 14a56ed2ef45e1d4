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
    public const int MaxEventListSize = 500;       // GET /v1/events: Invoance's maximum
    public const int DefaultEventPageSize = 50;    // event_limit on GET /v1/traces/{id}: Invoance SDK models/traces.ts
    public const int MaxEventPageSize = 200;
}
