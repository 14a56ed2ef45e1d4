using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Traces.Verification.Pipeline;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads a proof bundle from a stream without holding it whole: the bundle's own object and its <c>events</c> array
/// are framed here, byte by byte (whitespace, <c>,</c>, <c>:</c>, member names), and each member value and each entry
/// is cut out of a sliding buffer, deserialized alone and handed to the session. Memory is one value plus the buffer,
/// whatever the number of entries. Members may come in any order (RFC 8259 §4).
/// </summary>
/// <remarks>
/// <para>Linear whatever the chunking. A value that is not complete yet is not scanned again until the bytes waiting
/// in the buffer have doubled (or the stream ended), so a value of n bytes costs O(n) scanning even when the stream
/// hands out one byte per read; separators and whitespace are consumed as soon as they arrive, so a run of
/// insignificant whitespace is never held or rescanned. <see cref="Work"/> counts what was scanned and copied.</para>
/// <para>Limits are positions in the document, not accidents of buffering (proof-format §10.5): a value is read only
/// if it lies wholly within the first <see cref="VerificationOptions.MaxBundleBytes"/> bytes; a value (an entry, or
/// any member of the bundle) longer than <see cref="VerificationOptions.MaxEntryBytes"/> is <c>limit_exceeded</c>.
/// Either stops reading, as do invalid JSON and invalid UTF-8 (§2.2 rule 1), after what came before was checked.</para>
/// </remarks>
internal sealed class BundleStreamReader
{
    /// <summary>The first buffer, and the slack above the value limit (see the constructor).</summary>
    internal const int InitialBufferSize = 64 * 1024;

    private readonly BundleSession _session;
    private readonly VerificationOptions _options;
    private readonly HashSet<string> _seenMembers = new(StringComparer.Ordinal);
    private readonly BundleEntryFastReader.RecentStrings _recent = new();
    private readonly BundleEntryFastReader.PayloadHasher _payloads = new();
    private long _onePassFailedAt = -1;
    private readonly JsonReaderOptions _entryReader;
    private readonly JsonReaderOptions _memberReader;
    private readonly int _capacity;

    private byte[] _buffer;
    private int _start;
    private int _length;
    private long _bufferOffset;
    private int _retryAt;
    private bool _endOfStream;
    private bool _overLimit;
    private Stage _stage = Stage.BeforeRoot;
    private string? _member;
    private ReaderWork _work;

    private enum Stage
    {
        BeforeRoot,
        RootFirst,
        RootNext,
        RootName,
        Colon,
        EventsStart,
        Value,
        EventsFirst,
        EventsNext,
        EventsItem,
        AfterRoot,
    }

    private enum Outcome
    {
        NeedMore,
        Done,
        Failed,
    }

    public BundleStreamReader(BundleSession session, VerificationOptions options)
    {
        _session = session;
        _options = options;
        // Depth (proof-format §10.5): a payload may nest MaxDepth levels (its own object or array is level 1). Every value
        // read alone (an entry, or a member value of the bundle) is one level above the payloads it holds, so it may nest
        // MaxDepth + 1 levels counting itself; deeper is malformed and reading stops.
        _entryReader = new JsonReaderOptions { MaxDepth = SaturatingAdd(options.MaxDepth, 1), CommentHandling = JsonCommentHandling.Disallow };
        _memberReader = new JsonReaderOptions { MaxDepth = SaturatingAdd(options.MaxDepth, 1), CommentHandling = JsonCommentHandling.Disallow };
        // One value (at most MaxEntryBytes when it is allowed) must fit; the slack lets the reader see that a value of
        // exactly the limit has ended, and keeps a too-long value from being mistaken for the end of the buffer.
        _capacity = (int)Math.Min((long)Math.Max(options.MaxEntryBytes, 0) + InitialBufferSize, Array.MaxLength);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Min(InitialBufferSize, _capacity));
    }

    /// <summary>What the framing has done so far: bytes read, scanned and copied (linearity is asserted on these).</summary>
    public ReaderWork Work => _work;

    /// <summary>Reads the whole stream into the session. Bad input becomes findings; only cancellation throws.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var complete = false;
        try
        {
            while (true)
            {
                var outcome = Advance();
                if (outcome != Outcome.NeedMore)
                {
                    complete = outcome == Outcome.Done;
                    return;
                }

                var pending = _length - _start;
                if (_endOfStream)
                {
                    Stop("The bundle ends before its JSON is complete (truncated).");
                    return;
                }

                if (_overLimit)
                {
                    StopAtLimit($"The bundle is larger than the {_options.MaxBundleBytes}-byte limit.");
                    return;
                }

                if (pending >= _capacity)
                {
                    StopAtLimit($"A single value is larger than the {_options.MaxEntryBytes}-byte limit.");
                    return;
                }

                // Do not look at the unfinished value again before it has at least doubled: O(n) scanning in total.
                _retryAt = (int)Math.Min(Math.Max(1L, 2L * pending), _capacity);
                await FillAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            if (!complete)
            {
                // Reading stopped early: what was not read must not be reported as missing or mismatched.
                _session.Abandon();
            }

            ArrayPool<byte>.Shared.Return(_buffer);
        }
    }

    /// <summary>Reads until <see cref="_retryAt"/> bytes are pending, the stream ends, or the bundle limit is passed.</summary>
    private async ValueTask FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (_start > 0)
        {
            // Drop what is processed: only the unfinished value moves.
            var pending = _length - _start;
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, pending);
            _work = _work with { BytesCopied = _work.BytesCopied + pending };
            _bufferOffset += _start;
            _length = pending;
            _start = 0;
        }

        while (_length < _retryAt && !_endOfStream && !_overLimit)
        {
            var room = Math.Min(_buffer.Length, _capacity);
            if (_length == room)
            {
                var larger = ArrayPool<byte>.Shared.Rent((int)Math.Min(Math.Max(2L * _buffer.Length, _retryAt), _capacity));
                Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
                _work = _work with { BytesCopied = _work.BytesCopied + _length };
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = larger;
                room = Math.Min(_buffer.Length, _capacity);
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_length, room - _length), cancellationToken).ConfigureAwait(false);
            _work = _work with { ReadCalls = _work.ReadCalls + 1 };
            if (read == 0)
            {
                _endOfStream = true;
                break;
            }

            // Bytes past the bundle limit are never looked at: what is read does not depend on how the stream is chunked.
            var allowed = _options.MaxBundleBytes - (_bufferOffset + _length);
            if (read > allowed)
            {
                read = (int)Math.Max(0, allowed);
                _overLimit = true;
            }

            _length += read;
            _work = _work with { BytesRead = _work.BytesRead + read };
        }
    }

    /// <summary>Processes everything complete in the buffer.</summary>
    private Outcome Advance()
    {
        while (true)
        {
            var span = _buffer.AsSpan(_start, _length - _start);
            var skipped = SkipWhitespace(span);
            _start += skipped;
            _work = _work with { BytesScanned = _work.BytesScanned + skipped };
            span = span[skipped..];
            if (span.IsEmpty)
            {
                if (_stage == Stage.AfterRoot && _endOfStream)
                {
                    return Outcome.Done;
                }

                if (_stage == Stage.BeforeRoot && _endOfStream)
                {
                    _session.Malformed("The input is empty.", "");
                    return Outcome.Failed;
                }

                return Outcome.NeedMore;
            }

            var next = span[0];
            switch (_stage)
            {
                case Stage.BeforeRoot:
                    if (next != (byte)'{')
                    {
                        return Fail("A proof bundle is a JSON object.");
                    }

                    Consume(1, Stage.RootFirst);
                    break;

                case Stage.RootFirst when next == (byte)'}':
                case Stage.RootNext when next == (byte)'}':
                    Consume(1, Stage.AfterRoot);
                    break;

                case Stage.RootNext:
                    if (next != (byte)',')
                    {
                        return Fail("The bundle is not valid JSON: ',' or '}' expected after a member.");
                    }

                    Consume(1, Stage.RootName);
                    break;

                case Stage.RootFirst:
                case Stage.RootName:
                {
                    var status = ReadName(span, out var name, out var length);
                    if (status != Outcome.Done)
                    {
                        return status;
                    }

                    if (!_seenMembers.Add(name))
                    {
                        _session.Malformed($"The member '{name}' appears twice (RFC 7493 §2.3).", "/" + name);
                        return Outcome.Failed;
                    }

                    _member = name;
                    Consume(length, Stage.Colon);
                    break;
                }

                case Stage.Colon:
                    if (next != (byte)':')
                    {
                        return Fail("The bundle is not valid JSON: ':' expected after a member name.");
                    }

                    Consume(1, _member == "events" ? Stage.EventsStart : Stage.Value);
                    break;

                case Stage.EventsStart:
                    if (next == (byte)'[')
                    {
                        _session.SawEvents = true;
                        Consume(1, Stage.EventsFirst);
                    }
                    else
                    {
                        // Not an array: a finding, then the value is read (and skipped) like any other member's.
                        _session.Malformed("events is not an array.", "/events");
                        _stage = Stage.Value;
                    }

                    break;

                case Stage.Value:
                {
                    var status = ReadValue(span, _memberReader, "/" + _member, out var length);
                    if (status != Outcome.Done)
                    {
                        return status;
                    }

                    if (_member != "events")
                    {
                        ReadMember(_session, _member!, span[..length], _options.MaxDepth);
                    }

                    Consume(length, Stage.RootNext);
                    break;
                }

                case Stage.EventsFirst when next == (byte)']':
                case Stage.EventsNext when next == (byte)']':
                    Consume(1, Stage.RootNext);
                    break;

                case Stage.EventsNext:
                    if (next != (byte)',')
                    {
                        return Fail("The bundle is not valid JSON: ',' or ']' expected after an entry.");
                    }

                    Consume(1, Stage.EventsItem);
                    break;

                case Stage.EventsFirst:
                case Stage.EventsItem:
                {
                    if (next == (byte)']')
                    {
                        return Fail("The bundle is not valid JSON: a value is expected after ','.");
                    }

                    if (_session.EntryCount >= _options.MaxEntries)
                    {
                        _session.LimitExceeded($"The bundle has more than {_options.MaxEntries} entries.", $"/events/{_session.EntryCount}", _session.EntryCount);
                        return Outcome.Failed;
                    }

                    if (TryEntryInOnePass(span, out var read))
                    {
                        Consume(read, Stage.EventsNext);
                        break;
                    }

                    var status = ReadValue(span, _entryReader, null, out var length);
                    if (status != Outcome.Done)
                    {
                        return status;
                    }

                    Entry(span[..length]);
                    Consume(length, Stage.EventsNext);
                    break;
                }

                case Stage.AfterRoot:
                    return Fail("There is content after the bundle's closing brace.");
            }
        }
    }

    /// <summary>
    /// Cuts out one complete JSON value at the start of <paramref name="span"/>: Done (with its length), NeedMore, or
    /// Failed (with a finding: invalid JSON, nesting too deep, invalid UTF-8, or longer than the value limit).
    /// </summary>
    private Outcome ReadValue(ReadOnlySpan<byte> span, JsonReaderOptions options, string? location, out int length)
    {
        length = 0;
        var reader = new Utf8JsonReader(span, isFinalBlock: _endOfStream, new JsonReaderState(options));
        try
        {
            if (!reader.Read() || ((reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray) && !reader.TrySkip()))
            {
                _work = _work with { BytesScanned = _work.BytesScanned + span.Length };
                return Outcome.NeedMore;
            }
        }
        catch (JsonException exception)
        {
            Stop($"The bundle is not valid JSON: {exception.Message}");
            return Outcome.Failed;
        }

        length = (int)reader.BytesConsumed;
        _work = _work with { BytesScanned = _work.BytesScanned + length };
        // An entry's pointer is built only for a finding (location null: the entry being read).
        if (length > _options.MaxEntryBytes)
        {
            StopAtLimit($"A single value ({location ?? $"/events/{_session.EntryCount}"}) is larger than the {_options.MaxEntryBytes}-byte limit.");
            return Outcome.Failed;
        }

        // Utf8JsonReader does not check the UTF-8 inside strings; §2.2 rule 1 applies to the whole document.
        if (!Utf8.IsValid(span[..length]))
        {
            Stop($"The bundle is not valid JSON: {location ?? $"/events/{_session.EntryCount}"} contains invalid UTF-8 (§2.2 rule 1).");
            return Outcome.Failed;
        }

        return Outcome.Done;
    }

    /// <summary>
    /// Reads a member name at the start of <paramref name="span"/>: Done (with the name and its length in bytes),
    /// NeedMore, or Failed (with a finding) when it is not a valid JSON string in UTF-8.
    /// </summary>
    private Outcome ReadName(ReadOnlySpan<byte> span, out string name, out int length)
    {
        name = "";
        length = 0;
        if (span[0] != (byte)'"')
        {
            return Fail("The bundle is not valid JSON: a member name is expected.");
        }

        var end = 1;
        while (end < span.Length && span[end] != (byte)'"')
        {
            end += span[end] == (byte)'\\' ? 2 : 1;
        }

        _work = _work with { BytesScanned = _work.BytesScanned + Math.Min(end + 1, span.Length) };
        if (end >= span.Length)
        {
            return _endOfStream ? Fail("The bundle ends before its JSON is complete (truncated).") : Outcome.NeedMore;
        }

        length = end + 1;
        try
        {
            var reader = new Utf8JsonReader(span[..length], isFinalBlock: true, default);
            reader.Read();
            // GetString refuses invalid UTF-8 and escaped lone surrogates (InvalidOperationException).
            name = reader.GetString()!;
            return Outcome.Done;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return Fail($"The bundle is not valid JSON: a member name is not a valid string in UTF-8 ({exception.Message}).");
        }
    }

    private void Consume(int length, Stage next)
    {
        _start += length;
        _stage = next;
    }

    private Outcome Fail(string message)
    {
        Stop(message);
        return Outcome.Failed;
    }

    /// <summary>
    /// Reading stops here (broken JSON, truncation, invalid UTF-8, nesting too deep): <c>malformed</c>, and inside
    /// <c>events</c> the finding names the entry being read, the first not completely read (proof-format §10.1).
    /// </summary>
    private void Stop(string message)
    {
        var inEvents = _stage is Stage.EventsFirst or Stage.EventsNext or Stage.EventsItem;
        _session.Malformed(message, Here(), inEvents ? _session.EntryCount : null);
    }

    /// <summary>A limit stops reading; inside <c>events</c> the finding names the entry that was being read.</summary>
    private void StopAtLimit(string message)
    {
        var inEvents = _stage is Stage.EventsFirst or Stage.EventsNext or Stage.EventsItem;
        _session.LimitExceeded(message, inEvents ? $"/events/{_session.EntryCount}" : Here(), inEvents ? _session.EntryCount : null);
    }

    private string Here() => _stage switch
    {
        Stage.Colon or Stage.Value or Stage.EventsStart => "/" + _member,
        Stage.EventsFirst or Stage.EventsNext or Stage.EventsItem => $"/events/{_session.EntryCount}",
        _ => "",
    };

    private static int SkipWhitespace(ReadOnlySpan<byte> span)
    {
        var i = 0;
        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            i++;
        }

        return i;
    }

    private static int SaturatingAdd(int value, int add) => value > int.MaxValue - add ? int.MaxValue : value + add;

    /// <summary>
    /// The usual entry, read in one pass: <see cref="BundleEntryFastReader.TryReadPrefix"/> reads it straight from the
    /// buffer and finds its end as it goes, instead of <see cref="ReadValue"/> cutting it out first and the entry reader
    /// reading the same bytes again. Only a whole, readable object within the value limit and in valid UTF-8 is taken
    /// here, which is exactly what <see cref="ReadValue"/> would have cut out and <see cref="Entry"/> read; anything
    /// else (an entry not complete yet, broken JSON, too deep, too long, invalid UTF-8, not an object) goes the reference
    /// way, which gives its finding or waits for more bytes. A value is tried here once: after a failed try it goes the
    /// reference way until it is complete, so the framing stays linear (the try is counted as scanned).
    /// </summary>
    private bool TryEntryInOnePass(ReadOnlySpan<byte> span, out int length)
    {
        length = 0;
        var at = _bufferOffset + _start;
        if (at == _onePassFailedAt)
        {
            return false;
        }

        if (!BundleEntryFastReader.TryReadPrefix(span, _endOfStream, _options.MaxDepth, _recent, out length, out var entry, out var form, out var duplicate, _payloads)
            || length > _options.MaxEntryBytes || !Utf8.IsValid(span[..length]))
        {
            _onePassFailedAt = at;
            _work = _work with { BytesScanned = _work.BytesScanned + span.Length };
            return false;
        }

        _work = _work with { BytesScanned = _work.BytesScanned + length };
        _session.AddEntry((BundleEntry)entry!, form, duplicate);
        return true;
    }

    private void Entry(ReadOnlySpan<byte> json)
    {
        if (BundleEntryFastReader.TryRead(json, _options.MaxDepth, chained: true, out var entry, out var form, out var duplicate, _recent, _payloads))
        {
            _session.AddEntry((BundleEntry)entry!, form, duplicate);
            return;
        }

        _session.UnreadableEntry($"Entry {_session.EntryCount} is not a JSON object.");
    }

    /// <summary>
    /// One member of the bundle object other than <c>events</c>, from its JSON text (also used by the typed path, on
    /// the text each member serializes to, so that both read members the same way).
    /// </summary>
    internal static void ReadMember(BundleSession session, string name, ReadOnlySpan<byte> json, int maxDepth)
    {
        try
        {
            switch (name)
            {
                case "version": session.Version = ReadString(json); break;
                case "trace_id": session.TraceId = ReadString(json); break;
                case "status": session.Status = ReadString(json); break;
                case "sealed_at": session.SealedAt = ReadString(json); break;
                case "composite_hash": session.CompositeHash = ReadString(json); break;
                case "integrity_root_hash": session.IntegrityRootHash = ReadString(json); break;
                case "event_count":
                    session.EventCount = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.Int64);
                    session.EventCountForm = TextForm.OfEventCount(json);
                    break;
                case "seal_event":
                    // Read member by member like an entry (§9: a duplicate or a member of the wrong type does not hide the rest).
                    if (BundleEntryFastReader.TryRead(json, maxDepth, chained: false, out var seal, out var sealForm, out var duplicate))
                    {
                        session.SealEvent = (SealEvent)seal!;
                        session.ReportTextForm(sealForm, "/seal_event", null, session.SealEvent.EventId);
                        session.ReportDuplicate(duplicate, "/seal_event", null, session.SealEvent.EventId);
                    }
                    else
                    {
                        session.Malformed("seal_event is not a JSON object.", "/seal_event");
                    }

                    break;
                case "certificate":
                    if (TextForm.FirstDuplicateName(json) is { } twice)
                    {
                        // §9: a member written twice is malformed, its last value is used, and the rest is checked.
                        session.Certificate = JsonSerializer.Deserialize(json, TracesJsonContext.Default.TraceCertificate);
                        session.ReportDuplicate(twice, "/certificate", null, null);
                    }
                    else
                    {
                        session.Certificate = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.TraceCertificate);
                    }

                    session.ReportTextForm(TextForm.Inspect(json, chained: false), "/certificate", null, null);
                    break;
                case "label" or "tenant_domain" or "created_at":
                    // Informative members, covered by no signature (proof-format §9.1): a string when present, never null.
                    session.InformativeMember(name, ReadString(json), isNull: json.SequenceEqual("null"u8));
                    break;
                case "verification":
                    // Informative (proof-format §9.5): the service's own flags, form checked, values never used.
                    foreach (var (location, message) in InformativeMembers.VerificationProblems(json))
                    {
                        session.Malformed(message, location);
                    }

                    break;
                default:
                    session.Malformed($"'{name}' is not a member of a traces/v1 bundle.", "/" + name);
                    break;
            }
        }
        catch (JsonException exception)
        {
            session.Malformed($"The member '{name}' has the wrong form: {exception.Message}", "/" + name);
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, TracesJsonContext.Strict.String);
}

/// <summary>The framing work of one read (see <see cref="BundleStreamReader"/>); all counts in bytes except <see cref="ReadCalls"/>.</summary>
/// <param name="BytesRead">Bytes taken from the stream.</param>
/// <param name="ReadCalls">Calls to <see cref="Stream.ReadAsync(Memory{byte}, CancellationToken)"/>.</param>
/// <param name="BytesScanned">Bytes examined to find where values, names and separators end (each attempt counted).</param>
/// <param name="BytesCopied">Bytes moved inside the buffer or into a larger one.</param>
internal readonly record struct ReaderWork(long BytesRead, long ReadCalls, long BytesScanned, long BytesCopied);
