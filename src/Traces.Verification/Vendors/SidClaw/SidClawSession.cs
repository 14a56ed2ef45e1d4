using System.Globalization;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>The kinds of SidClaw input, which decide how a finding names its place.</summary>
internal enum SidClawInput
{
    TraceDocument,
    JsonExport,
    CsvExport,
}

/// <summary>
/// One SidClaw verification: groups events by trace (one <see cref="SidClawChain"/> each, in first-seen order), keeps
/// the report, and finishes every trace against the caller's pins. Memory: per trace, its chain state; nothing per
/// event once the event is linked.
/// </summary>
internal sealed class SidClawSession
{
    /// <summary>The encoding-defect search costs 2,048 hashes per U+FFFD: at most this many events per document are searched.</summary>
    private const int MaxDefectSearches = 64;

    private readonly VendorReportBuilder _builder;
    private readonly SidClawHeadPins _pins;
    private readonly SidClawInput _input;
    private readonly IProgress<long>? _progress;
    private readonly Dictionary<string, SidClawChain> _chains = new(StringComparer.Ordinal);
    private int _defectSearches;
    private long _events;
    private long _unreadable;

    public SidClawSession(SidClawInput input, SidClawHeadPins pins, VerificationOptions options)
    {
        _input = input;
        _pins = pins;
        _progress = options.Progress;
        _builder = new VendorReportBuilder(VendorFormats.SidClaw, options.MaxFindings);
        _builder.Check(VendorCheckNames.Form,
            "Every event has the members its hash covers, as strings, and a timestamp in Date.prototype.toISOString form.");
        _builder.Check(VendorCheckNames.Hashes,
            $"Every integrity_hash is recomputed: SHA-256 of JSON.stringify({{{SidClawIntegrityHash.CoveredMembers}}}). "
            + $"Not covered, so an edit of them is not detectable: {SidClawIntegrityHash.UncoveredMembers}.");
        _builder.Check(VendorCheckNames.Chain,
            "Each hashed event's previous_hash is the stored hash of the trace's previous hashed event (GENESIS for the first); "
            + "events with the same timestamp are put in the order that links.");
        _builder.Check(VendorCheckNames.Coverage, "Every event carries an integrity_hash.");
        _builder.Check(VendorCheckNames.Trust,
            "The chain has no key or signature: each trace's last hash must equal a head the caller pinned "
            + "(--trust sidclaw:<trace_id>=<hash>), obtained out of band.");
    }

    public long Events => _events;

    public int Traces => _chains.Count;

    /// <summary>Takes one event, in input order.</summary>
    public void Add(SidClawEvent e)
    {
        Count();
        if (!_chains.TryGetValue(e.TraceId, out var chain))
        {
            chain = new SidClawChain(this, _builder.AddItem("trace", e.TraceId));
            _chains.Add(e.TraceId, chain);
        }

        chain.Add(e);
    }

    /// <summary>An event that could not be read: reported on its trace when the trace id could be read.</summary>
    public void Unreadable(long index, string message, string? eventId, string? traceId)
    {
        Count();
        _unreadable++;
        var where = _input == SidClawInput.CsvExport
            ? $"CSV row {(index + 1).ToString(CultureInfo.InvariantCulture)}"
            : $"Event {(_input == SidClawInput.TraceDocument ? "/events/" : "/")}{index.ToString(CultureInfo.InvariantCulture)}";
        var finding = new Finding(FindingCodes.Malformed, FindingSeverity.Error, $"{where}{(eventId is null ? "" : $" ({eventId})")} {message}")
        {
            EntryIndex = index,
            EventId = eventId,
            Location = _input switch
            {
                SidClawInput.TraceDocument => $"/events/{index.ToString(CultureInfo.InvariantCulture)}",
                SidClawInput.JsonExport => $"/{index.ToString(CultureInfo.InvariantCulture)}",
                _ => null,
            },
        };
        VendorReportBuilder.Item? item = null;
        if (traceId is not null)
        {
            if (!_chains.TryGetValue(traceId, out var chain))
            {
                chain = new SidClawChain(this, _builder.AddItem("trace", traceId));
                _chains.Add(traceId, chain);
            }

            chain.Item.Events++;
            chain.Item.FirstBroken ??= new EntryReference(index, eventId);
            item = chain.Item;
        }

        _builder.Add(VendorCheckNames.Form, finding, item);
    }

    /// <summary>A problem with the document as a whole (not JSON, wrong shape, limit): verification stops.</summary>
    public void DocumentProblem(string code, string message, string? location = null) =>
        _builder.Add(VendorCheckNames.Form, new Finding(code, FindingSeverity.Error, message) { Location = location });

    public void Report(string check, Finding finding, VendorReportBuilder.Item item) => _builder.Add(check, finding, item);

    public string? LocationOf(SidClawEvent e, string member) => _input switch
    {
        SidClawInput.TraceDocument => $"/events/{e.Index.ToString(CultureInfo.InvariantCulture)}/{member}",
        SidClawInput.JsonExport => $"/{e.Index.ToString(CultureInfo.InvariantCulture)}/{member}",
        _ => null,
    };

    /// <summary>The encoding-defect search, within the per-document budget.</summary>
    public bool TryFindDefect(SidClawEvent e, IEnumerable<string> previousHashes, out SidClawEncodingDefect.Match match)
    {
        match = default;
        if (!e.CoveredText().Any(m => m.Value.Contains('\uFFFD', StringComparison.Ordinal)) || _defectSearches >= MaxDefectSearches)
        {
            return false;
        }

        _defectSearches++;
        return SidClawEncodingDefect.TryFind(e, previousHashes, out match);
    }

    /// <summary>
    /// Finishes every trace against the pins and builds the report. <paramref name="complete"/> is false when reading
    /// stopped early: then no check is reported as passed.
    /// </summary>
    public VendorReport Finish(bool complete, string subject)
    {
        foreach (var chain in _chains.Values)
        {
            chain.Finish(_pins.TryGetHead(chain.Item.Id, out var head) ? head : null);
        }

        foreach (var traceId in _pins.TraceIds.Where(t => !_chains.ContainsKey(t)).Order(StringComparer.Ordinal))
        {
            _builder.Add(VendorCheckNames.Trust, new Finding(VendorFindingCodes.PinUnused, FindingSeverity.Info,
                $"A head was pinned for trace {traceId}, which this document does not contain."));
        }

        if (_events == 0 && complete)
        {
            _builder.Add(VendorCheckNames.Coverage, new Finding(VendorFindingCodes.NoHashedEvents, FindingSeverity.Trust,
                "The document holds no event: nothing is verified."));
        }

        if (complete)
        {
            _builder.Completed(VendorCheckNames.Form);
            if (_events > _unreadable)
            {
                _builder.Completed(VendorCheckNames.Hashes);
                _builder.Completed(VendorCheckNames.Chain);
            }

            _builder.Completed(VendorCheckNames.Coverage);
            if (_chains.Count > 0 && _chains.Keys.All(_pins.Contains))
            {
                _builder.Completed(VendorCheckNames.Trust);
            }
        }

        _progress?.Report(_events);
        _builder.Subject = subject;
        return _builder.Build();
    }

    private void Count()
    {
        _events++;
        if ((_events & 0xFFF) == 0)
        {
            _progress?.Report(_events);
        }
    }
}
