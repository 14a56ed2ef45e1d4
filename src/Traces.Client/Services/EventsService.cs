using System.Runtime.CompilerServices;
using Traces.Client.Http;
using Traces.Client.Models;

namespace Traces.Client.Services;

/// <summary>Events (<c>POST /v1/events</c> and <c>GET /v1/events</c>, Invoance). Reached through <see cref="TracesClient.Events"/>.</summary>
public class EventsService
{
    private readonly ClientCore _core = null!;

    /// <summary>For mocking.</summary>
    protected EventsService()
    {
    }

    internal EventsService(ClientCore core) => _core = core;

    /// <summary>Records a signed event, chained into <see cref="RecordEventRequest.TraceId"/> when given.</summary>
    /// <param name="request">The event.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The signed entry.</returns>
    /// <exception cref="Errors.TracesNotFoundException">The trace does not exist for this tenant.</exception>
    /// <exception cref="Errors.TracesConflictException">The trace is sealing or sealed.</exception>
    public virtual Task<EntryReceipt> RecordAsync(RecordEventRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientValidation.Required(request.EventType, "RecordEventRequest.EventType", "an event type such as 'invoice.received'");
        var key = _core.IdempotencyKeyFor(request.IdempotencyKey);
        return _core.CallAsync("Events.Record", request.TraceId, ct => _core.Api.RecordEventAsync(request, key, ct), cancellationToken);
    }

    /// <summary>One page of the tenant's entries (<c>GET /v1/events</c>), by 1-based page number.</summary>
    /// <param name="filter">Page, page size (1–500) and type; <c>null</c> for the first page.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    public virtual Task<EventList> ListAsync(EventListFilter? filter = null, CancellationToken cancellationToken = default)
    {
        if (filter?.Page is { } page)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(page, 1, nameof(filter));
        }

        if (filter?.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, nameof(filter));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, 500, nameof(filter));
        }

        return _core.CallAsync("Events.List", null, ct => _core.Api.ListEventsAsync(filter?.Page, filter?.Limit, filter?.EventType, ct), cancellationToken);
    }

    /// <summary>Every entry matching <paramref name="filter"/>, page by page (page numbers, as Invoance pages).</summary>
    /// <param name="filter">Page size and type; its <see cref="EventListFilter.Page"/> is the starting page.</param>
    /// <param name="cancellationToken">Cancels the enumeration (checked before each page).</param>
    /// <returns>The entries, lazily.</returns>
    public virtual async IAsyncEnumerable<EventSummary> ListAllAsync(EventListFilter? filter = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var page = new EventListFilter { Page = filter?.Page ?? 1, Limit = filter?.Limit, EventType = filter?.EventType };
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var list = await ListAsync(page, cancellationToken).ConfigureAwait(false);
            foreach (var entry in list.Events ?? [])
            {
                yield return entry;
            }

            if (list.HasMore != true || list.Events is not { Count: > 0 })
            {
                yield break;
            }

            page.Page = (list.Page ?? page.Page) + 1;
        }
    }
}
