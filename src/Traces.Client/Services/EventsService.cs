using Traces.Client.Http;
using Traces.Client.Models;

namespace Traces.Client.Services;

/// <summary>Events (<c>POST /v1/events</c>, Invoance). Reached through <see cref="TracesClient.Events"/>.</summary>
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
}
