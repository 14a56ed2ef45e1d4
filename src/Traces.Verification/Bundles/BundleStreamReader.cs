using System.Buffers;
using System.Text.Json;
using Traces.Verification.Pipeline;

namespace Traces.Verification.Bundles;

/// <summary>
/// Reads a proof bundle from a stream without holding it whole: top-level members are read as they come, and each
/// entry of <c>events</c> is cut out of a sliding buffer, deserialized alone and handed to the session. Memory is
/// one entry plus the buffer, whatever the number of entries. Members may come in any order (RFC 8259 §4).
/// </summary>
internal sealed class BundleStreamReader
{
    private const int InitialBufferSize = 64 * 1024;

    private readonly BundleSession _session;
    private readonly VerificationOptions _options;
    private readonly HashSet<string> _seenMembers = new(StringComparer.Ordinal);

    private byte[] _buffer;
    private int _length;
    private int _checkpoint;
    private JsonReaderState _state;
    private long _totalRead;
    private bool _endOfStream;
    private Stage _stage = Stage.BeforeRoot;

    private enum Stage
    {
        BeforeRoot,
        InRoot,
        InEvents,
        AfterRoot,
    }

    public BundleStreamReader(BundleSession session, VerificationOptions options)
    {
        _session = session;
        _options = options;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        _state = new JsonReaderState(new JsonReaderOptions { MaxDepth = options.MaxDepth + 3, CommentHandling = JsonCommentHandling.Disallow });
    }

    /// <summary>Reads the whole stream into the session. Bad input becomes findings; only cancellation throws.</summary>
    public async Task ReadAsync(Stream stream, CancellationToken cancellationToken)
    {
        var complete = false;
        try
        {
            while (true)
            {
                if (!_endOfStream && !await FillAsync(stream, cancellationToken).ConfigureAwait(false))
                {
                    return;
                }

                var outcome = Advance();
                if (outcome == Outcome.Done || outcome == Outcome.Failed)
                {
                    complete = outcome == Outcome.Done;
                    return;
                }

                if (_endOfStream)
                {
                    _session.Malformed("The bundle ends before its JSON is complete (truncated).", "");
                    return;
                }
            }
        }
        catch (JsonException exception)
        {
            _session.Malformed($"The bundle is not valid JSON: {exception.Message}", "");
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

    /// <summary>Tops the buffer up; false (with a finding) when a limit is hit.</summary>
    private async ValueTask<bool> FillAsync(Stream stream, CancellationToken cancellationToken)
    {
        // Drop what is fully processed, then grow if one value does not fit.
        if (_checkpoint > 0)
        {
            Buffer.BlockCopy(_buffer, _checkpoint, _buffer, 0, _length - _checkpoint);
            _length -= _checkpoint;
            _checkpoint = 0;
        }

        if (_length == _buffer.Length)
        {
            if (_buffer.Length >= _options.MaxEntryBytes + InitialBufferSize)
            {
                _session.LimitExceeded($"A single value is larger than the {_options.MaxEntryBytes}-byte entry limit.",
                    _stage == Stage.InEvents ? $"/events/{_session.EntryCount}" : "", _stage == Stage.InEvents ? _session.EntryCount : null);
                return false;
            }

            var larger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, _options.MaxEntryBytes + InitialBufferSize));
            Buffer.BlockCopy(_buffer, 0, larger, 0, _length);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = larger;
        }

        var read = await stream.ReadAsync(_buffer.AsMemory(_length), cancellationToken).ConfigureAwait(false);
        if (read == 0)
        {
            _endOfStream = true;
        }

        _length += read;
        _totalRead += read;
        if (_totalRead > _options.MaxBundleBytes)
        {
            _session.LimitExceeded($"The bundle is larger than the {_options.MaxBundleBytes}-byte limit.", "");
            return false;
        }

        return true;
    }

    private enum Outcome
    {
        NeedMore,
        Done,
        Failed,
    }

    /// <summary>Processes every complete value in the buffer, committing a checkpoint after each.</summary>
    private Outcome Advance()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_checkpoint, _length - _checkpoint), _endOfStream, _state);
        while (true)
        {
            switch (_stage)
            {
                case Stage.BeforeRoot:
                    if (!reader.Read())
                    {
                        return NeedMoreOrEmpty();
                    }

                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        _session.Malformed("A proof bundle is a JSON object.", "");
                        return Outcome.Failed;
                    }

                    _stage = Stage.InRoot;
                    Commit(ref reader);
                    break;

                case Stage.InRoot:
                {
                    var probe = reader;
                    if (!probe.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (probe.TokenType == JsonTokenType.EndObject)
                    {
                        reader = probe;
                        _stage = Stage.AfterRoot;
                        Commit(ref reader);
                        break;
                    }

                    var name = probe.GetString()!;
                    if (!probe.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (!_seenMembers.Add(name))
                    {
                        _session.Malformed($"The member '{name}' appears twice (RFC 7493 §2.3).", "/" + name);
                        return Outcome.Failed;
                    }

                    if (name == "events")
                    {
                        if (probe.TokenType != JsonTokenType.StartArray)
                        {
                            _session.Malformed("events is not an array.", "/events");
                            return Outcome.Failed;
                        }

                        _session.SawEvents = true;
                        reader = probe;
                        _stage = Stage.InEvents;
                        Commit(ref reader);
                        break;
                    }

                    var valueStart = (int)probe.TokenStartIndex;
                    if (!probe.TrySkip())
                    {
                        _seenMembers.Remove(name);
                        return Outcome.NeedMore;
                    }

                    var value = _buffer.AsSpan(_checkpoint + valueStart, (int)probe.BytesConsumed - valueStart);
                    TopLevelMember(name, value);
                    reader = probe;
                    Commit(ref reader);
                    break;
                }

                case Stage.InEvents:
                {
                    var probe = reader;
                    if (!probe.Read())
                    {
                        return Outcome.NeedMore;
                    }

                    if (probe.TokenType == JsonTokenType.EndArray)
                    {
                        reader = probe;
                        _stage = Stage.InRoot;
                        Commit(ref reader);
                        break;
                    }

                    if (_session.EntryCount >= _options.MaxEntries)
                    {
                        _session.LimitExceeded($"The bundle has more than {_options.MaxEntries} entries.", $"/events/{_session.EntryCount}", _session.EntryCount);
                        return Outcome.Failed;
                    }

                    var start = (int)probe.TokenStartIndex;
                    if (!probe.TrySkip())
                    {
                        return Outcome.NeedMore;
                    }

                    var entryBytes = _buffer.AsSpan(_checkpoint + start, (int)probe.BytesConsumed - start);
                    if (entryBytes.Length > _options.MaxEntryBytes)
                    {
                        _session.LimitExceeded($"Entry {_session.EntryCount} is larger than the {_options.MaxEntryBytes}-byte entry limit.",
                            $"/events/{_session.EntryCount}", _session.EntryCount);
                        return Outcome.Failed;
                    }

                    Entry(entryBytes);
                    reader = probe;
                    Commit(ref reader);
                    break;
                }

                case Stage.AfterRoot:
                    if (reader.Read())
                    {
                        _session.Malformed("There is content after the bundle's closing brace.", "");
                        return Outcome.Failed;
                    }

                    return _endOfStream ? Outcome.Done : Outcome.NeedMore;
            }
        }
    }

    private Outcome NeedMoreOrEmpty()
    {
        if (_endOfStream)
        {
            _session.Malformed("The input is empty.", "");
            return Outcome.Failed;
        }

        return Outcome.NeedMore;
    }

    private void Commit(ref Utf8JsonReader reader)
    {
        _checkpoint += (int)reader.BytesConsumed;
        _state = reader.CurrentState;
        reader = new Utf8JsonReader(_buffer.AsSpan(_checkpoint, _length - _checkpoint), _endOfStream, _state);
    }

    private void Entry(ReadOnlySpan<byte> json)
    {
        if (BundleEntryFastReader.TryRead(json, out var fast))
        {
            _session.AddEntry(fast!);
            return;
        }

        BundleEntry? entry;
        try
        {
            entry = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.BundleEntry);
        }
        catch (JsonException exception)
        {
            // A duplicate name inside the payload makes the payload non-I-JSON (payload_hash_mismatch, §4.1), as on
            // the typed path; only a duplicate among the entry's own members, or a wrong form, makes it unreadable.
            entry = HasUniqueMemberNames(json) ? TryReadLenient(json) : null;
            if (entry is null)
            {
                _session.UnreadableEntry($"Entry {_session.EntryCount} is not a traces/v1 entry: {exception.Message}");
                return;
            }
        }

        if (entry is null)
        {
            _session.UnreadableEntry($"Entry {_session.EntryCount} is null.");
            return;
        }

        _session.AddEntry(entry);
    }

    private static BundleEntry? TryReadLenient(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, TracesJsonContext.Default.BundleEntry);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>True when the members of the entry object itself (not of its payload) have distinct names.</summary>
    private static bool HasUniqueMemberNames(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        var names = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (!names.Add(reader.GetString()!))
                {
                    return false;
                }

                reader.Read();
                reader.Skip();
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private void TopLevelMember(string name, ReadOnlySpan<byte> json)
    {
        try
        {
            switch (name)
            {
                case "version": _session.Version = ReadString(json, name); break;
                case "trace_id": _session.TraceId = ReadString(json, name); break;
                case "status": _session.Status = ReadString(json, name); break;
                case "sealed_at": _session.SealedAt = ReadString(json, name); break;
                case "composite_hash": _session.CompositeHash = ReadString(json, name); break;
                case "integrity_root_hash": _session.IntegrityRootHash = ReadString(json, name); break;
                case "event_count": _session.EventCount = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.Int64); break;
                case "seal_event": _session.SealEvent = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.SealEvent); break;
                case "certificate": _session.Certificate = JsonSerializer.Deserialize(json, TracesJsonContext.Strict.TraceCertificate); break;
                case "label" or "tenant_domain" or "created_at":
                    // Informative members, covered by no signature (proof-format §9.1); only their type is checked.
                    _ = ReadString(json, name);
                    break;
                default:
                    _session.Malformed($"'{name}' is not a member of a traces/v1 bundle.", "/" + name);
                    break;
            }
        }
        catch (JsonException exception)
        {
            _session.Malformed($"The member '{name}' has the wrong form: {exception.Message}", "/" + name);
        }
    }

    private static string? ReadString(ReadOnlySpan<byte> json, string name) =>
        JsonSerializer.Deserialize(json, TracesJsonContext.Strict.String);
}
