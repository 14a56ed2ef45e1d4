using System.Globalization;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors.SidClaw;

/// <summary>
/// Rebuilds one trace's hash chain from its events, fed in timestamp order, holding only the chain's head, the last
/// few hashes and the events of the current timestamp that have not linked yet (so an export of any size streams).
/// The order is decided by the links, not by the input: SidClaw's own verify walks events by timestamp with no
/// tie-break, so events with the same millisecond may come in either order; whichever order links is the chain's.
/// An event that links nowhere is reported with the reason (mismatch, link to another event, encoding defect); a
/// group whose order the links cannot decide is reported as such, never guessed.
/// </summary>
internal sealed class SidClawChain(SidClawSession session, VendorReportBuilder.Item item)
{
    /// <summary>A tie group larger than this is not searched for an order (quadratic); the rest is reported unresolved.</summary>
    private const int MaxPending = 256;

    /// <summary>Stored hashes of the last chained events, tried when an event does not link to the head.</summary>
    private const int RecentCount = 4;

    // Raw 32-byte digests (a lowercase-hex stored hash is kept as its bytes: 32 bytes instead of a 64-char string),
    // newest first.
    private byte[]? _recent;
    private int _recentCount;
    private string _head = SidClawIntegrityHash.Genesis;
    private string? _recomputedHead;   // the recomputed hash of the last event when it broke: its stored hash may have been replaced
    private string? _recomputedOf;
    private List<string>? _unresolvedHeads;
    private List<SidClawEvent>? _pending;
    private long _groupTicks = long.MinValue;
    private long _chained;
    private string? _lastEventId;

    public VendorReportBuilder.Item Item => item;

    /// <summary>Takes the next event of the trace (in nondecreasing timestamp order, except for out-of-order exports).</summary>
    public void Add(SidClawEvent e)
    {
        item.Events++;
        if (e.IntegrityHash is null)
        {
            // integrity-service.ts verifyTrace skips it ("created before this feature"); here it is an event nothing protects.
            session.Report(VendorCheckNames.Coverage, new Finding(VendorFindingCodes.UnhashedEvent, FindingSeverity.Trust,
                $"Event {e.Id} ({e.EventType}) carries no integrity_hash: nothing protects it, so the chain says nothing about it.")
            {
                EntryIndex = e.Index,
                EventId = e.Id,
                Location = session.LocationOf(e, "integrity_hash"),
            }, item);
            return;
        }

        item.HashedEvents++;
        if (e.TimestampTicks < _groupTicks)
        {
            // Exports are sorted by timestamp; placing this event would mean revisiting a resolved part of the chain.
            Broken(e, VendorFindingCodes.OrderUnresolved, VendorCheckNames.Chain,
                $"Event {e.Id} ({e.EventType}, {e.Timestamp}) comes after later events of trace {item.Id}; the input is not in "
                + "timestamp order, so its place in the chain cannot be decided.", null);
            return;
        }

        if (e.TimestampTicks > _groupTicks)
        {
            ResolvePending();
            _groupTicks = e.TimestampTicks;
        }

        if (TryLink(e))
        {
            LinkPending();
        }
        else if (_pending is { Count: >= MaxPending })
        {
            Broken(e, VendorFindingCodes.OrderUnresolved, VendorCheckNames.Chain,
                $"Event {e.Id} ({e.EventType}) is one of more than {MaxPending} events at {e.Timestamp} that do not link in "
                + "input order; their order is not searched.", null);
        }
        else
        {
            (_pending ??= []).Add(e);
        }
    }

    /// <summary>Ends the trace: resolves what is pending and compares the head with the caller's pin.</summary>
    public void Finish(string? pinnedHead)
    {
        ResolvePending();
        if (item.HashedEvents == 0)
        {
            session.Report(VendorCheckNames.Coverage, new Finding(VendorFindingCodes.NoHashedEvents, FindingSeverity.Trust,
                $"No event of trace {item.Id} carries an integrity_hash: nothing in it is protected."), item);
        }

        item.Head = _chained > 0 ? _head : null;
        item.HeadPinned = pinnedHead is not null;
        if (pinnedHead is not null)
        {
            var matches = _chained > 0
                && (string.Equals(pinnedHead, _head, StringComparison.Ordinal) || (_unresolvedHeads?.Contains(pinnedHead) ?? false));
            if (!matches)
            {
                session.Report(VendorCheckNames.Trust, new Finding(VendorFindingCodes.HeadMismatch, FindingSeverity.Error,
                    _chained == 0
                        ? $"A head was pinned for trace {item.Id}, but it has no hashed event."
                        : $"The pinned head of trace {item.Id} is not the chain's last hash (event {_lastEventId}): the chain was "
                          + "rewritten, cut or extended since the head was taken.")
                {
                    EventId = _lastEventId,
                    Expected = pinnedHead,
                    Actual = item.Head,
                }, item);
            }
        }
        else if (_chained > 0 && !item.HasErrors)
        {
            session.Report(VendorCheckNames.Trust, new Finding(VendorFindingCodes.HeadNotPinned, FindingSeverity.Trust,
                $"Trace {item.Id}: the chain of {item.HashedEvents} hashed events is intact, but it has no key: whoever can write "
                + "SidClaw's database can rewrite it consistently. Pin its last hash, obtained out of band, to make it Valid.")
            {
                EventId = _lastEventId,
                Actual = _head,
            }, item);
        }
    }

    private bool TryLink(SidClawEvent e)
    {
        if (SidClawIntegrityHash.Links(e, _head))
        {
            Accept(e);
            return true;
        }

        if (_recomputedHead is not null && SidClawIntegrityHash.Links(e, _recomputedHead))
        {
            session.Report(VendorCheckNames.Hashes, new Finding(VendorFindingCodes.StoredHashReplaced, FindingSeverity.Info,
                $"Event {e.Id} links to the recomputed hash of event {_recomputedOf}: that event's fields are intact and its "
                + "stored integrity_hash was replaced.")
            {
                EntryIndex = e.Index,
                EventId = e.Id,
                Expected = _recomputedHead,
            }, item);
            Accept(e);
            return true;
        }

        if (_unresolvedHeads is not null)
        {
            foreach (var head in _unresolvedHeads)
            {
                if (SidClawIntegrityHash.Links(e, head))
                {
                    Accept(e);
                    return true;
                }
            }
        }

        return false;
    }

    private void Accept(SidClawEvent e)
    {
        _head = e.IntegrityHash!;
        _recomputedHead = null;
        _recomputedOf = null;
        _unresolvedHeads = null;
        Remember(e);
    }

    private void Remember(SidClawEvent e)
    {
        if (IsLowerHex(e.IntegrityHash))
        {
            _recent ??= new byte[RecentCount * 32];
            Buffer.BlockCopy(_recent, 0, _recent, 32, (RecentCount - 1) * 32);
            Convert.FromHexString(e.IntegrityHash, _recent.AsSpan(0, 32), out _, out _);
            _recentCount = Math.Min(_recentCount + 1, RecentCount);
        }

        _chained++;
        _lastEventId = e.Id;
    }

    private static bool IsLowerHex([System.Diagnostics.CodeAnalysis.NotNullWhen(true)] string? text)
    {
        if (text is not { Length: 64 })
        {
            return false;
        }

        foreach (var c in text)
        {
            if (!char.IsAsciiDigit(c) && c is not (>= 'a' and <= 'f'))
            {
                return false;
            }
        }

        return true;
    }

    private void LinkPending()
    {
        var linked = true;
        while (linked && _pending is { Count: > 0 })
        {
            linked = false;
            for (var i = 0; i < _pending.Count; i++)
            {
                if (TryLink(_pending[i]))
                {
                    _pending.RemoveAt(i);
                    linked = true;
                    break;
                }
            }
        }
    }

    /// <summary>The events of the last timestamp that did not link: decide which one breaks the chain, if the links can.</summary>
    private void ResolvePending()
    {
        while (_pending is { Count: > 0 })
        {
            SidClawEvent? breaking = null;
            SidClawEncodingDefect.Match? defect = null;
            if (_pending.Count == 1)
            {
                breaking = _pending[0];
            }
            else
            {
                foreach (var candidate in _pending)
                {
                    if (session.TryFindDefect(candidate, HeadCandidates(), out var match))
                    {
                        (breaking, defect) = (candidate, match);
                        break;
                    }
                }

                if (breaking is null)
                {
                    // The event that breaks is the one no other pending event leads to; the others follow it by their links.
                    var starts = _pending.Where(p => !_pending.Any(q => !ReferenceEquals(p, q) && SidClawIntegrityHash.Links(p, q.IntegrityHash!))).ToList();
                    if (starts.Count == 1)
                    {
                        breaking = starts[0];
                    }
                }
            }

            if (breaking is null)
            {
                Unresolved();
                return;
            }

            _pending.Remove(breaking);
            Break(breaking, defect);
            LinkPending();
        }
    }

    /// <summary>Reports why <paramref name="e"/> does not link to the chain so far and continues the chain from it.</summary>
    private void Break(SidClawEvent e, SidClawEncodingDefect.Match? knownDefect)
    {
        var expected = SidClawIntegrityHash.Compute(e, _head);
        if (knownDefect is { } found || session.TryFindDefect(e, HeadCandidates(), out found))
        {
            Broken(e, VendorFindingCodes.VendorEncodingDefect, VendorCheckNames.Hashes,
                $"Event {e.Id} ({e.EventType}): SidClaw encoding defect. Its {found.Member} holds U+FFFD at UTF-16 offset "
                + $"{found.Offset.ToString(CultureInfo.InvariantCulture)} where SidClaw hashed the lone surrogate "
                + $"\\u{((int)found.Surrogate).ToString("x4", CultureInfo.InvariantCulture)} (stored as U+FFFD by PostgreSQL); with it "
                + "put back the stored hash is reproduced exactly. What was hashed is not what is stored, so the event does not verify.",
                expected);
            return;
        }

        var other = OtherPredecessor(e);
        if (other is not null)
        {
            Broken(e, FindingCodes.ChainBroken, VendorCheckNames.Chain,
                $"Event {e.Id} ({e.EventType}) hashes correctly over {other} instead of over the previous event's hash: events "
                + "were removed, reordered or inserted before it.", expected);
            return;
        }

        Broken(e, VendorFindingCodes.IntegrityHashMismatch, VendorCheckNames.Hashes,
            $"Event {e.Id} ({e.EventType}): its covered fields over the previous hash give {expected}, not its stored "
            + "integrity_hash: a covered field or the stored hash was changed, or an event before it is missing.", expected);
        _recomputedHead = expected;
        _recomputedOf = e.Id;
    }

    private void Broken(SidClawEvent e, string code, string check, string message, string? expected)
    {
        session.Report(check, new Finding(code, FindingSeverity.Error, message)
        {
            EntryIndex = e.Index,
            EventId = e.Id,
            Location = session.LocationOf(e, "integrity_hash"),
            Expected = expected,
            Actual = e.IntegrityHash,
        }, item);
        item.FirstBroken ??= new EntryReference(e.Index, e.Id);
        if (code != VendorFindingCodes.OrderUnresolved)
        {
            // The chain goes on from the stored hash, so that one changed event is one finding, not a cascade.
            _head = e.IntegrityHash!;
            _recomputedHead = null;
            _recomputedOf = null;
            _unresolvedHeads = null;
            Remember(e);
        }
    }

    /// <summary>GENESIS or a recent stored hash that <paramref name="e"/> links to, other than the head.</summary>
    private string? OtherPredecessor(SidClawEvent e)
    {
        if (!string.Equals(_head, SidClawIntegrityHash.Genesis, StringComparison.Ordinal) && SidClawIntegrityHash.Links(e, SidClawIntegrityHash.Genesis))
        {
            return "GENESIS (as if it were the trace's first event)";
        }

        for (var i = 0; i < _recentCount; i++)
        {
            var hash = Convert.ToHexStringLower(_recent!, i * 32, 32);
            if (!string.Equals(hash, _head, StringComparison.Ordinal) && SidClawIntegrityHash.Links(e, hash))
            {
                return $"the hash of an earlier event ({hash})";
            }
        }

        return null;
    }

    private IEnumerable<string> HeadCandidates()
    {
        yield return _head;
        if (_recomputedHead is not null)
        {
            yield return _recomputedHead;
        }

        foreach (var head in _unresolvedHeads ?? [])
        {
            yield return head;
        }
    }

    /// <summary>Several events of one timestamp, none linking and no single start: report the group, guess nothing.</summary>
    private void Unresolved()
    {
        var group = _pending!;
        var first = group.MinBy(p => p.Index)!;
        var ids = string.Join(", ", group.OrderBy(p => p.Index).Select(p => p.Id));
        session.Report(VendorCheckNames.Chain, new Finding(VendorFindingCodes.OrderUnresolved, FindingSeverity.Error,
            $"Events {ids} share the timestamp {first.Timestamp}; none links to the chain so far and their links do not decide "
            + "which comes first, so their order is not guessed.")
        {
            EntryIndex = first.Index,
            EventId = first.Id,
            Location = session.LocationOf(first, "timestamp"),
        }, item);
        item.FirstBroken ??= new EntryReference(first.Index, first.Id);

        // The chain may go on from any event of the group that no other one leads from.
        var tails = group.Where(p => !group.Any(q => !ReferenceEquals(p, q) && SidClawIntegrityHash.Links(q, p.IntegrityHash!)))
            .Select(p => p.IntegrityHash!).ToList();
        foreach (var p in group)
        {
            Remember(p);
        }

        _head = tails.Count > 0 ? tails[0] : group[^1].IntegrityHash!;
        _unresolvedHeads = tails.Count > 1 ? tails.Skip(1).ToList() : null;
        _recomputedHead = null;
        _recomputedOf = null;
        group.Clear();
    }
}
