using Traces.Client.Diagnostics;
using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Traces.Client.Http;
using Traces.Client.Vendors.Http;

namespace Traces.Client.Vendors.ZenMesh;

/// <summary>
/// Zen-mesh's delivery trace spine (seed 003): the delivery attempts of one event
/// (<c>GET /v1/tenants/{tid}/deliveries?event_id=</c>, cursor paging on <c>next_cursor</c>) and one delivery
/// (<c>GET /v1/tenants/{tid}/deliveries/{did}</c>). Read-only; <c>Authorization: Bearer</c>; errors are RFC 7807. Zen-mesh
/// marks these endpoints <c>WIRED_SANDBOX</c> (implemented in its sandbox runtime, not a production-live claim).
/// </summary>
public class ZenMeshClient : IDisposable
{
    /// <summary>The name of the HTTP client registered for Zen-mesh.</summary>
    public const string HttpClientName = "Traces.Client.ZenMesh";

    private readonly VendorHttpCore _core = null!;
    private readonly string? _tenantId;
    private readonly IDisposable? _owned;

    /// <summary>For mocking.</summary>
    protected ZenMeshClient()
    {
    }

    /// <summary>Creates a client with its own pipeline. Unset values fall back to <c>ZEN_API_URL</c>, <c>ZEN_API_KEY</c>, <c>ZEN_TENANT_ID</c>.</summary>
    /// <param name="options">The options (copied).</param>
    /// <param name="loggerFactory">Where requests and retries are logged (never the key).</param>
    public ZenMeshClient(ZenMeshClientOptions options, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var resolved = options.Resolve();
        var (client, owner) = ClientPipeline.CreateStandalone(HttpClientName, resolved.ToPipelineOptions(TracesAuthHeaderStyle.Bearer), loggerFactory);
        _owned = owner;
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory);
        _tenantId = options.ResolveTenantId();
    }

    internal ZenMeshClient(HttpClient client, ResolvedVendorOptions resolved, string? tenantId, ILoggerFactory? loggerFactory, TracesClientMetrics? metrics = null)
    {
        _core = ClientPipeline.CreateCore(client, resolved, loggerFactory, metrics);
        _tenantId = tenantId;
    }

    /// <summary>One page of deliveries (<c>GET /v1/tenants/{tid}/deliveries</c>).</summary>
    /// <param name="filter">Filters, page size and cursor; set <see cref="ZenMeshDeliveryFilter.EventId"/> for an event's delivery trace.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page and the next cursor.</returns>
    public virtual Task<ZenMeshDeliveryList> ListDeliveriesAsync(ZenMeshDeliveryFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (filter?.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(filter));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 100, nameof(filter));
        }

        return _core.SendAsync("ZenMesh.ListDeliveries", filter?.EventId, HttpMethod.Get, DeliveriesPath(), Query(filter), null,
            VendorJsonContext.Default.ZenMeshDeliveryList, cancellationToken);
    }

    /// <summary>Every matching delivery, following <c>next_cursor</c> until it is absent (or repeats).</summary>
    /// <param name="filter">Filters and page size; its cursor is the starting point.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The deliveries, lazily.</returns>
    public virtual async IAsyncEnumerable<ZenMeshDelivery> ListAllDeliveriesAsync(ZenMeshDeliveryFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new ZenMeshDeliveryFilter
        {
            EventId = filter?.EventId,
            Status = filter?.Status,
            DestinationId = filter?.DestinationId,
            SourceId = filter?.SourceId,
            Since = filter?.Since,
            Until = filter?.Until,
            Limit = filter?.Limit,
            Cursor = filter?.Cursor,
        };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await ListDeliveriesAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var delivery in list.Deliveries ?? [])
            {
                yield return delivery;
            }

            if (string.IsNullOrEmpty(list.NextCursor) || list.NextCursor == page.Cursor)
            {
                yield break;
            }

            page.Cursor = list.NextCursor;
        }
    }

    /// <summary>One delivery attempt (<c>GET /v1/tenants/{tid}/deliveries/{did}</c>).</summary>
    /// <param name="deliveryId">The delivery id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The delivery.</returns>
    public virtual Task<ZenMeshDelivery> GetDeliveryAsync(string deliveryId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(deliveryId);
        return _core.SendAsync("ZenMesh.GetDelivery", deliveryId, HttpMethod.Get, DeliveriesPath() + "/" + Uri.EscapeDataString(deliveryId), null, null,
            VendorJsonContext.Default.ZenMeshDelivery, cancellationToken);
    }

    /// <summary>The first page of an event's delivery trace exactly as Zen-mesh sent it, to keep.</summary>
    /// <param name="eventId">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The body's bytes.</returns>
    public virtual Task<byte[]> GetDeliveryTraceDocumentAsync(string eventId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(eventId);
        return _core.GetBytesAsync("ZenMesh.GetDeliveryTraceDocument", eventId, DeliveriesPath(), new VendorQuery().Add("event_id", eventId), cancellationToken);
    }

    /// <summary>Releases the pipeline this client created (none when it came from dependency injection).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources.</summary>
    /// <param name="disposing"><c>true</c> from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _owned?.Dispose();
        }
    }

    private string DeliveriesPath()
    {
        var tenant = _tenantId ?? throw new InvalidOperationException(
            $"No Zen-mesh tenant: set ZenMeshClientOptions.TenantId or {ZenMeshClientOptions.TenantIdEnvironmentVariable}.");
        return "v1/tenants/" + Uri.EscapeDataString(tenant) + "/deliveries";
    }

    private static VendorQuery Query(ZenMeshDeliveryFilter? filter) => new VendorQuery()
        .Add("event_id", filter?.EventId)
        .Add("status", filter?.Status)
        .Add("destination_id", filter?.DestinationId)
        .Add("source_id", filter?.SourceId)
        .Add("since", filter?.Since)
        .Add("until", filter?.Until)
        .Add("limit", filter?.Limit)
        .Add("cursor", filter?.Cursor);
}
