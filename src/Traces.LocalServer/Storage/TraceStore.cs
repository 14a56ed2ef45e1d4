using System.Text;
using Microsoft.Data.Sqlite;
using Traces.LocalServer.Errors;
using Traces.LocalServer.Infrastructure;
using Traces.LocalServer.Proofs;
using Traces.LocalServer.Signing;
using Traces.Verification.Hashing;

namespace Traces.LocalServer.Storage;

/// <summary>Work that must commit together with a write, given the record written (e.g. the idempotency record).</summary>
internal delegate Task WithinTransaction<in T>(SqliteConnection connection, SqliteTransaction transaction, T record);

/// <summary>Traces, entries and seals in SQLite. Every query is scoped by tenant where a tenant asks.</summary>
internal sealed class TraceStore(SqliteDatabase database, ServerKeys keys, MonotonicClock clock)
{
    private const string TraceColumns = "trace_id, tenant_id, label, agent_id, description, tags_json, metadata_json, status, created_at, " +
        "event_count, last_chain_hash, sealed_at, composite_hash, integrity_root_hash, seal_event_id, error_code, error_message";

    private const string EntryColumns = "event_id, tenant_id, trace_id, idx, event_type, payload_json, payload_hash, content_hash, " +
        "previous_chain_hash, chain_hash, ingested_at, key_id, public_key, signature";

    /// <summary>Makes sure no timestamp is issued before one already stored (after a restart with a clock that stepped back).</summary>
    public async Task PrimeClockAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var command = SqliteDatabase.Command(connection, null,
            "SELECT max(x) FROM (SELECT max(ingested_at) AS x FROM entries UNION ALL SELECT max(created_at) FROM traces UNION ALL SELECT max(sealed_at) FROM traces)");
        if (await command.ExecuteScalarAsync(ct) is string last)
        {
            clock.ObserveAtLeast(last);
        }
    }

    /// <summary>Creates an open trace. <paramref name="withinTransaction"/> runs before the commit (idempotency record).</summary>
    public Task<TraceRecord> CreateTraceAsync(string tenantId, string? label, string? agentId, string? description,
        string? tagsJson, string? metadataJson, WithinTransaction<TraceRecord>? withinTransaction, CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var trace = new TraceRecord
            {
                TraceId = Ids.NewTraceId(),
                TenantId = tenantId,
                Label = label,
                AgentId = agentId,
                Description = description,
                TagsJson = tagsJson,
                MetadataJson = metadataJson,
                Status = TraceStatus.Open,
                CreatedAt = clock.NowCanonical(),
            };
            using var command = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO traces (trace_id, tenant_id, label, agent_id, description, tags_json, metadata_json, status, created_at) " +
                "VALUES ($id, $tenant, $label, $agent, $description, $tags, $metadata, $status, $created)",
                ("$id", trace.TraceId), ("$tenant", tenantId), ("$label", label), ("$agent", agentId), ("$description", description),
                ("$tags", tagsJson), ("$metadata", metadataJson), ("$status", trace.Status), ("$created", trace.CreatedAt));
            await command.ExecuteNonQueryAsync();
            if (withinTransaction is not null)
            {
                await withinTransaction(connection, transaction, trace);
            }

            return trace;
        }, ct);

    public async Task<TraceRecord?> GetTraceAsync(string tenantId, string traceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadTraceAsync(connection, null, traceId, tenantId, ct);
    }

    /// <summary>A page of traces: after <paramref name="cursor"/> (keyset) or after <paramref name="offset"/> rows (page numbers).</summary>
    public async Task<TracePage> ListTracesAsync(string tenantId, TraceListFilter filter, TraceCursor? cursor, long offset, int limit,
        CancellationToken ct)
    {
        var where = new StringBuilder("tenant_id = $tenant");
        var parameters = new List<(string, object?)> { ("$tenant", tenantId) };
        if (filter.Status is not null)
        {
            where.Append(" AND status = $status");
            parameters.Add(("$status", filter.Status));
        }

        if (filter.AgentId is not null)
        {
            where.Append(" AND agent_id = $agent");
            parameters.Add(("$agent", filter.AgentId));
        }

        // created_at is stored in the one canonical form, so string order is time order.
        if (filter.From is not null)
        {
            where.Append(" AND created_at >= $from");
            parameters.Add(("$from", filter.From));
        }

        if (filter.To is not null)
        {
            where.Append(" AND created_at <= $to");
            parameters.Add(("$to", filter.To));
        }

        await using var connection = await database.OpenAsync(ct);
        long total;
        using (var count = SqliteDatabase.Command(connection, null, $"SELECT count(*) FROM traces WHERE {where}", [.. parameters]))
        {
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        // Keyset pagination on (created_at, trace_id): a page starts strictly after the last row of the previous one,
        // so rows created later (always at the end of the order) never shift a page the client has not read yet.
        if (cursor is not null)
        {
            where.Append(" AND (created_at > $c_created OR (created_at = $c_created AND trace_id > $c_id))");
            parameters.Add(("$c_created", cursor.CreatedAt));
            parameters.Add(("$c_id", cursor.TraceId));
        }

        parameters.Add(("$limit", limit + 1));
        parameters.Add(("$offset", offset));
        using var query = SqliteDatabase.Command(connection, null,
            $"SELECT {TraceColumns} FROM traces WHERE {where} ORDER BY created_at, trace_id LIMIT $limit OFFSET $offset", [.. parameters]);
        var traces = new List<TraceRecord>();
        await using (var reader = await query.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                traces.Add(ReadTrace(reader));
            }
        }

        var hasMore = traces.Count > limit;
        if (hasMore)
        {
            traces.RemoveAt(traces.Count - 1);
        }

        var next = hasMore ? new TraceCursor(traces[^1].CreatedAt, traces[^1].TraceId).Encode() : null;
        return new TracePage(traces, total, hasMore, next);
    }

    /// <summary>The entries of a trace in index order.</summary>
    public async Task<IReadOnlyList<EntryRecord>> GetEntriesAsync(string traceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {EntryColumns} FROM entries WHERE trace_id = $trace ORDER BY idx", ("$trace", traceId));
        var entries = new List<EntryRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <summary>One page of a trace's entries in index order: indices <paramref name="offset"/> … offset + limit − 1.</summary>
    public async Task<IReadOnlyList<EntryRecord>> GetEntriesAsync(string traceId, long offset, int limit, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {EntryColumns} FROM entries WHERE trace_id = $trace ORDER BY idx LIMIT $limit OFFSET $offset",
            ("$trace", traceId), ("$limit", limit), ("$offset", offset));
        var entries = new List<EntryRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <summary>The tenant's entries (standalone or in a trace), by <c>ingested_at</c> then <c>event_id</c>: <c>GET /v1/events</c>.</summary>
    public async Task<(IReadOnlyList<EntryRecord> Entries, long Total)> ListEntriesAsync(string tenantId, string? eventType, long offset,
        int limit, CancellationToken ct)
    {
        const string where = "tenant_id = $tenant AND ($type IS NULL OR event_type = $type)";
        await using var connection = await database.OpenAsync(ct);
        long total;
        using (var count = SqliteDatabase.Command(connection, null, $"SELECT count(*) FROM entries WHERE {where}",
            ("$tenant", tenantId), ("$type", eventType)))
        {
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }

        using var command = SqliteDatabase.Command(connection, null,
            $"SELECT {EntryColumns} FROM entries WHERE {where} ORDER BY ingested_at, event_id LIMIT $limit OFFSET $offset",
            ("$tenant", tenantId), ("$type", eventType), ("$limit", limit), ("$offset", offset));
        var entries = new List<EntryRecord>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            entries.Add(ReadEntry(reader));
        }

        return (entries, total);
    }

    /// <summary>
    /// Deletes an open trace without entries (<c>DELETE /v1/traces/{id}</c>). Checked and deleted in one transaction
    /// under the write gate, so an entry appended concurrently either lands first (409) or finds no trace (404).
    /// </summary>
    public Task DeleteEmptyTraceAsync(string tenantId, string traceId, CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var trace = await ReadTraceAsync(connection, transaction, traceId, tenantId, CancellationToken.None)
                ?? throw ApiException.TraceNotFound(traceId);
            if (trace.Status is TraceStatus.Sealing or TraceStatus.Sealed)
            {
                var (code, title) = trace.Status == TraceStatus.Sealing
                    ? (ErrorCodes.TraceSealing, "Trace is sealing")
                    : (ErrorCodes.TraceSealed, "Trace is sealed");
                throw new ApiException(409, code, title, $"Trace {traceId} is {trace.Status}; only an empty open trace can be deleted.");
            }

            if (trace.EventCount > 0)
            {
                throw new ApiException(409, ErrorCodes.TraceNotEmpty, "Trace is not empty",
                    $"Trace {traceId} has {trace.EventCount} entries; only an empty open trace can be deleted.");
            }

            using var delete = SqliteDatabase.Command(connection, transaction,
                "DELETE FROM traces WHERE trace_id = $trace AND status = 'open' AND event_count = 0", ("$trace", traceId));
            return await delete.ExecuteNonQueryAsync();
        }, ct);

    /// <summary>
    /// The entries of a trace in index order, a page at a time (issue 14, streamed proof): what
    /// <see cref="GetEntriesAsync(string, CancellationToken)"/> returns, without holding more than one page. Each page
    /// is its own short read, so a slow download never holds a read transaction open (which would keep SQLite from
    /// checkpointing the WAL).
    /// </summary>
    /// <remarks>
    /// Keyset pages on the <c>(trace_id, idx)</c> index, in the order <c>ORDER BY idx</c> reads it: rows without an index
    /// (only an edit behind the server's back makes one) first, by rowid, then by index. Sealed traces never change,
    /// so their pages are consistent; an open trace is read as far as it has grown when the last page is read.
    /// </remarks>
    public async IAsyncEnumerable<IReadOnlyList<EntryRecord>> ReadEntryPagesAsync(string traceId,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        // Small first pages put the first bytes on the wire at once; later pages are larger to amortize the query.
        var size = 64;
        object after = -1L;
        while (true)
        {
            var (page, last) = await ReadPageAsync(connection,
                $"SELECT {EntryColumns}, rowid FROM entries WHERE trace_id = $trace AND idx IS NULL AND rowid > $after ORDER BY rowid LIMIT $size",
                traceId, after, size, keyColumn: 14, ct);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < size)
            {
                break;
            }

            after = last!;
        }

        // The key is the stored value itself, whatever its type, so a page always starts strictly after the last row.
        var sql = $"SELECT {EntryColumns}, rowid FROM entries WHERE trace_id = $trace AND idx IS NOT NULL ORDER BY idx LIMIT $size";
        while (true)
        {
            var (page, last) = await ReadPageAsync(connection, sql, traceId, after, size, keyColumn: 3, ct);
            if (page.Count > 0)
            {
                yield return page;
            }

            if (page.Count < size)
            {
                yield break;
            }

            after = last!;
            sql = $"SELECT {EntryColumns}, rowid FROM entries WHERE trace_id = $trace AND idx > $after ORDER BY idx LIMIT $size";
            size = Math.Min(size * 4, 1024);
        }
    }

    private static async Task<(List<EntryRecord> Page, object? LastKey)> ReadPageAsync(SqliteConnection connection, string sql,
        string traceId, object after, int size, int keyColumn, CancellationToken ct)
    {
        using var command = SqliteDatabase.Command(connection, null, sql, ("$trace", traceId), ("$after", after), ("$size", size));
        var page = new List<EntryRecord>(size);
        object? last = null;
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            page.Add(ReadEntry(reader));
            last = reader.GetValue(keyColumn);
        }

        return (page, last);
    }

    /// <summary>
    /// Appends a signed entry: to the end of trace <paramref name="traceId"/>'s chain, or standalone when it is null.
    /// The index and previous link are read and the entry inserted in one transaction under the write gate, so
    /// concurrent appends to a trace get consecutive indices and a correct chain; the id, timestamp and signature are
    /// made off that path (<see cref="EntryDraft"/>). Returns once committed.
    /// </summary>
    public Task<EntryRecord> AppendEntryAsync(string tenantId, string? traceId, string eventType, string payloadJson,
        Digest payloadHash, WithinTransaction<EntryRecord>? withinTransaction, CancellationToken ct)
    {
        var draft = new EntryDraft(keys, clock, eventType, payloadHash);
        return database.WriteAsync(async (connection, transaction) =>
        {
            long? index = null;
            string? previous = null;
            string? chain = null;
            var signed = draft.Content;
            if (traceId is not null)
            {
                (index, previous) = ReadChainHead(connection, transaction, tenantId, traceId);
                chain = HashChain.Next(previous is null ? Digest.Zero : Digest.Parse(previous), signed.ContentHash).ToString();
            }

            var entry = new EntryRecord
            {
                EventId = draft.EventId,
                TenantId = tenantId,
                TraceId = traceId,
                Index = index,
                EventType = eventType,
                PayloadJson = payloadJson,
                PayloadHash = payloadHash.ToString(),
                ContentHash = signed.ContentHash.ToString(),
                PreviousChainHash = previous,
                ChainHash = chain,
                IngestedAt = signed.IngestedAt,
                KeyId = keys.Ed25519KeyId,
                PublicKey = keys.Ed25519PublicKey,
                Signature = signed.Signature,
            };

            // Reused: prepared once on the writer's connection (the append path runs these for every entry).
            var insert = SqliteDatabase.Reused(connection, transaction,
                $"INSERT INTO entries ({EntryColumns}) VALUES ($id, $tenant, $trace, $idx, $type, $payload, $payload_hash, $content_hash, $prev, $chain, $at, $key_id, $pk, $sig)",
                ("$id", entry.EventId), ("$tenant", tenantId), ("$trace", traceId), ("$idx", index), ("$type", eventType),
                ("$payload", payloadJson), ("$payload_hash", entry.PayloadHash), ("$content_hash", entry.ContentHash),
                ("$prev", previous), ("$chain", chain), ("$at", entry.IngestedAt), ("$key_id", entry.KeyId), ("$pk", entry.PublicKey),
                ("$sig", entry.Signature));
            await insert.ExecuteNonQueryAsync();

            if (traceId is not null)
            {
                var update = SqliteDatabase.Reused(connection, transaction,
                    "UPDATE traces SET event_count = event_count + 1, last_chain_hash = $chain WHERE trace_id = $trace",
                    ("$chain", chain), ("$trace", traceId));
                await update.ExecuteNonQueryAsync();
            }

            if (withinTransaction is not null)
            {
                await withinTransaction(connection, transaction, entry);
            }

            return entry;
        }, draft, ct);
    }

    /// <summary>
    /// The next index and the last chain hash of an open trace, for an append (only the three columns it needs: the
    /// writer runs this for every entry). A trace of another tenant is absent, one not open refuses entries.
    /// </summary>
    private static (long Index, string? LastChainHash) ReadChainHead(SqliteConnection connection, SqliteTransaction transaction,
        string tenantId, string traceId)
    {
        using var reader = SqliteDatabase.Reused(connection, transaction,
            "SELECT status, event_count, last_chain_hash FROM traces WHERE trace_id = $id AND tenant_id = $tenant",
            ("$id", traceId), ("$tenant", tenantId)).ExecuteReader();
        if (!reader.Read())
        {
            throw ApiException.TraceNotFound(traceId);
        }

        var status = reader.GetString(0);
        if (status != TraceStatus.Open)
        {
            throw ApiException.NotAcceptingEntries(traceId, status);
        }

        return (reader.GetInt64(1), reader.IsDBNull(2) ? null : reader.GetString(2));
    }

    /// <summary>
    /// Moves an open trace to <c>sealing</c> (committed before the 202 is sent, so no entry is accepted after it).
    /// Returns the trace as it is afterwards; sealing a sealing, sealed or failed trace changes nothing.
    /// </summary>
    public Task<TraceRecord> BeginSealAsync(string tenantId, string traceId, CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            var trace = await ReadTraceAsync(connection, transaction, traceId, tenantId, CancellationToken.None)
                ?? throw ApiException.TraceNotFound(traceId);
            if (trace.Status != TraceStatus.Open)
            {
                return trace;
            }

            if (trace.EventCount == 0)
            {
                throw new ApiException(400, ErrorCodes.EmptyTrace, "Trace is empty", $"Trace {traceId} has no entries to seal.");
            }

            using var update = SqliteDatabase.Command(connection, transaction,
                "UPDATE traces SET status = 'sealing' WHERE trace_id = $trace AND status = 'open'", ("$trace", traceId));
            await update.ExecuteNonQueryAsync();
            return trace with { Status = TraceStatus.Sealing };
        }, ct);

    public async Task<IReadOnlyList<string>> GetSealingTraceIdsAsync(CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var command = SqliteDatabase.Command(connection, null,
            "SELECT trace_id FROM traces WHERE status = 'sealing' ORDER BY created_at");
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    /// <summary>Loads a trace by id alone: for the seal worker, which acts for no tenant.</summary>
    public async Task<TraceRecord?> GetTraceForWorkerAsync(string traceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        return await ReadTraceAsync(connection, null, traceId, tenantId: null, ct);
    }

    /// <summary>Stores the seal and moves the trace to <c>sealed</c>, only if it is still <c>sealing</c> (idempotent).</summary>
    public Task<bool> CompleteSealAsync(string traceId, string sealedAt, string compositeHash, string integrityRootHash,
        string sealEventId, SealRecord seal, CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            using var update = SqliteDatabase.Command(connection, transaction,
                "UPDATE traces SET status = 'sealed', sealed_at = $at, composite_hash = $composite, integrity_root_hash = $root, " +
                "seal_event_id = $seal_id WHERE trace_id = $trace AND status = 'sealing'",
                ("$at", sealedAt), ("$composite", compositeHash), ("$root", integrityRootHash), ("$seal_id", sealEventId), ("$trace", traceId));
            if (await update.ExecuteNonQueryAsync() != 1)
            {
                return false;
            }

            using var insert = SqliteDatabase.Command(connection, transaction,
                "INSERT INTO seals (trace_id, seal_event_json, certificate_json) VALUES ($trace, $seal, $certificate)",
                ("$trace", traceId), ("$seal", seal.SealEventJson), ("$certificate", seal.CertificateJson));
            await insert.ExecuteNonQueryAsync();
            if (seal.Check is { } check)
            {
                using var checks = SqliteDatabase.Command(connection, transaction,
                    "INSERT INTO seal_checks (trace_id, composite_hash_valid, all_signatures_valid) VALUES ($trace, $composite, $signatures)",
                    ("$trace", traceId), ("$composite", check.CompositeHashValid ? 1 : 0), ("$signatures", check.AllSignaturesValid ? 1 : 0));
                await checks.ExecuteNonQueryAsync();
            }

            return true;
        }, ct);

    public Task FailSealAsync(string traceId, string code, string message, CancellationToken ct) =>
        database.WriteAsync(async (connection, transaction) =>
        {
            using var update = SqliteDatabase.Command(connection, transaction,
                "UPDATE traces SET status = 'failed', error_code = $code, error_message = $message WHERE trace_id = $trace AND status = 'sealing'",
                ("$code", code), ("$message", message), ("$trace", traceId));
            return await update.ExecuteNonQueryAsync();
        }, ct);

    public async Task<SealRecord?> GetSealAsync(string traceId, CancellationToken ct)
    {
        await using var connection = await database.OpenAsync(ct);
        using var command = SqliteDatabase.Command(connection, null,
            "SELECT s.seal_event_json, s.certificate_json, c.composite_hash_valid, c.all_signatures_valid " +
            "FROM seals s LEFT JOIN seal_checks c ON c.trace_id = s.trace_id WHERE s.trace_id = $trace", ("$trace", traceId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }

        var check = reader.IsDBNull(2) || reader.IsDBNull(3) ? null : new SealCheckResult(reader.GetInt64(2) == 1, reader.GetInt64(3) == 1);
        return new SealRecord(reader.GetString(0), reader.GetString(1), check);
    }

    private static async Task<TraceRecord?> ReadTraceAsync(SqliteConnection connection, SqliteTransaction? transaction,
        string traceId, string? tenantId, CancellationToken ct)
    {
        // Another tenant's trace reads as absent: the caller answers 404, never 403 (docs/api.md).
        const string Sql = $"SELECT {TraceColumns} FROM traces WHERE trace_id = $id AND ($tenant IS NULL OR tenant_id = $tenant)";
        if (transaction is not null)
        {
            // In a write: the writer's connection, where the statement is prepared once.
            await using var reused = await SqliteDatabase.Reused(connection, transaction, Sql, ("$id", traceId), ("$tenant", tenantId)).ExecuteReaderAsync(ct);
            return await reused.ReadAsync(ct) ? ReadTrace(reused) : null;
        }

        using var command = SqliteDatabase.Command(connection, transaction, Sql, ("$id", traceId), ("$tenant", tenantId));
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? ReadTrace(reader) : null;
    }

    private static TraceRecord ReadTrace(SqliteDataReader r) => new()
    {
        TraceId = r.GetString(0),
        TenantId = r.GetString(1),
        Label = Str(r, 2),
        AgentId = Str(r, 3),
        Description = Str(r, 4),
        TagsJson = Str(r, 5),
        MetadataJson = Str(r, 6),
        Status = r.GetString(7),
        CreatedAt = r.GetString(8),
        EventCount = r.GetInt64(9),
        LastChainHash = Str(r, 10),
        SealedAt = Str(r, 11),
        CompositeHash = Str(r, 12),
        IntegrityRootHash = Str(r, 13),
        SealEventId = Str(r, 14),
        ErrorCode = Str(r, 15),
        ErrorMessage = Str(r, 16),
    };

    private static EntryRecord ReadEntry(SqliteDataReader r) => new()
    {
        EventId = r.GetString(0),
        TenantId = r.GetString(1),
        TraceId = Str(r, 2),
        Index = r.IsDBNull(3) ? null : r.GetInt64(3),
        EventType = r.GetString(4),
        PayloadJson = r.GetString(5),
        PayloadHash = r.GetString(6),
        ContentHash = r.GetString(7),
        PreviousChainHash = Str(r, 8),
        ChainHash = Str(r, 9),
        IngestedAt = r.GetString(10),
        KeyId = r.GetString(11),
        PublicKey = r.GetString(12),
        Signature = r.GetString(13),
    };

    private static string? Str(SqliteDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);
}
