using Traces.Client.Models;

namespace Traces.Client.Vendors.ZenMesh;

/// <summary>Delivery statuses named by Zen-mesh's docs (seed 003, Pagination and Filtering).</summary>
public static class ZenMeshDeliveryStatus
{
    /// <summary><c>delivered</c></summary>
    public const string Delivered = "delivered";

    /// <summary><c>failed</c></summary>
    public const string Failed = "failed";

    /// <summary><c>pending</c></summary>
    public const string Pending = "pending";
}

/// <summary>
/// A delivery attempt: an item of the delivery trace (<c>GET /v1/tenants/{tid}/deliveries?event_id=</c>, seed 003)
/// and the single delivery (<c>GET /v1/tenants/{tid}/deliveries/{did}</c>), whose example in the API examples page
/// also carries <c>source_id, destination_id, attempts, created_at, delivered_at</c>.
/// </summary>
public sealed class ZenMeshDelivery : TracesModel
{
    /// <summary>The delivery id (<c>del_…</c> in seed 003, <c>dlv_…</c> in the examples page).</summary>
    public string? Id { get; set; }

    /// <summary>The event delivered.</summary>
    public string? EventId { get; set; }

    /// <summary>A <see cref="ZenMeshDeliveryStatus"/> value.</summary>
    public string? Status { get; set; }

    /// <summary>1 for the first attempt.</summary>
    public int? AttemptNumber { get; set; }

    /// <summary>When the attempt was made.</summary>
    public DateTimeOffset? AttemptedAt { get; set; }

    /// <summary>The destination's HTTP status.</summary>
    public int? ResponseCode { get; set; }

    /// <summary>Why the attempt failed.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>The evidence receipt's correlation id.</summary>
    public string? EvidenceId { get; set; }

    /// <summary>The source endpoint (examples page).</summary>
    public string? SourceId { get; set; }

    /// <summary>The destination (examples page).</summary>
    public string? DestinationId { get; set; }

    /// <summary>Attempts made (examples page).</summary>
    public int? Attempts { get; set; }

    /// <summary>When the delivery was created (examples page).</summary>
    public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When it was delivered (examples page).</summary>
    public DateTimeOffset? DeliveredAt { get; set; }
}

/// <summary>A page of deliveries: <c>{deliveries, next_cursor}</c> (cursor paging).</summary>
public sealed class ZenMeshDeliveryList : TracesModel
{
    /// <summary>This page's deliveries.</summary>
    public IReadOnlyList<ZenMeshDelivery>? Deliveries { get; set; }

    /// <summary>The cursor of the next page; absent or <c>null</c> on the last.</summary>
    public string? NextCursor { get; set; }
}

/// <summary>Filters and page of <c>GET /v1/tenants/{tid}/deliveries</c> (seed 003 and the Pagination and Filtering page).</summary>
public sealed class ZenMeshDeliveryFilter
{
    /// <summary>Only this event's deliveries: its delivery trace.</summary>
    public string? EventId { get; set; }

    /// <summary>Only deliveries in this <see cref="ZenMeshDeliveryStatus"/>.</summary>
    public string? Status { get; set; }

    /// <summary>Only deliveries to this destination.</summary>
    public string? DestinationId { get; set; }

    /// <summary>Only deliveries from this source endpoint.</summary>
    public string? SourceId { get; set; }

    /// <summary>Start of the time window.</summary>
    public DateTimeOffset? Since { get; set; }

    /// <summary>End of the time window.</summary>
    public DateTimeOffset? Until { get; set; }

    /// <summary>Page size, 1–100 (default 20).</summary>
    public int? Limit { get; set; }

    /// <summary>A <c>next_cursor</c> from the previous page.</summary>
    public string? Cursor { get; set; }
}
