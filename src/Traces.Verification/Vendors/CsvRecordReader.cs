using System.Globalization;
using System.Text;
using Traces.Verification.Reports;

namespace Traces.Verification.Vendors;

/// <summary>Handles one CSV record: its fields and its zero-based record number (the header is record 0).</summary>
internal delegate void CsvRecordHandler(IReadOnlyList<string> fields, long record);

/// <summary>
/// Reads RFC 4180 CSV from a stream one record at a time: fields separated by commas, a field in double quotes may hold
/// commas, line breaks and doubled quotes. Records end at LF or CRLF (SidClaw writes LF and no final line break); blank
/// lines are skipped. The bytes must be UTF-8: an invalid sequence is reported, never replaced. Memory is one record.
/// </summary>
internal sealed class CsvRecordReader(VerificationOptions options)
{
    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private enum State
    {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,   // a quote inside a quoted field: the closing one, or the first of ""
        Cr,              // a CR outside quotes: a record end when LF follows
    }

    /// <summary>A problem that stopped reading, as a finding code and a message; null when the input was read to its end.</summary>
    public (string Code, string Message)? Problem { get; private set; }

    /// <summary>Records read, the header included.</summary>
    public long Count { get; private set; }

    /// <summary>Reads every record; bad input stops reading and is left in <see cref="Problem"/>. Only cancellation throws.</summary>
    public async Task ReadAsync(Stream stream, CsvRecordHandler handler, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(stream, s_strictUtf8, detectEncodingFromByteOrderMarks: false, bufferSize: 64 * 1024, leaveOpen: true);
        var buffer = new char[64 * 1024];
        var fields = new List<string>();
        var field = new StringBuilder();
        var state = State.FieldStart;
        var crWasAfterQuote = false;
        var recordChars = 0L;
        var first = true;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                var i = 0;
                if (first && buffer[0] == '\uFEFF')
                {
                    i = 1;   // a UTF-8 byte order mark
                }

                first = false;
                for (; i < read; i++)
                {
                    if (++recordChars > options.MaxEntryBytes)
                    {
                        Fail(FindingCodes.LimitExceeded, $"is longer than the {options.MaxEntryBytes}-character limit.");
                        return;
                    }

                    if (!Step(buffer[i]))
                    {
                        return;
                    }
                }
            }

            switch (state)
            {
                case State.Quoted:
                    Fail(FindingCodes.Malformed, "ends inside a quoted field (truncated).");
                    return;
                case State.Cr when !crWasAfterQuote:
                    field.Append('\r');
                    break;
            }

            if (state != State.FieldStart || fields.Count > 0)
            {
                EndRecord();
            }
        }
        catch (DecoderFallbackException exception)
        {
            Fail(FindingCodes.Malformed, $"is not valid UTF-8: {exception.Message}");
        }

        bool Step(char c)
        {
            switch (state)
            {
                case State.Quoted:
                    if (c == '"')
                    {
                        state = State.QuoteInQuoted;
                    }
                    else
                    {
                        field.Append(c);
                    }

                    return true;
                case State.QuoteInQuoted:
                    if (c == '"')
                    {
                        field.Append('"');
                        state = State.Quoted;
                        return true;
                    }

                    return AfterField(c, afterQuote: true);
                case State.Cr:
                    if (c == '\n')
                    {
                        EndRecord();
                        return true;
                    }

                    if (crWasAfterQuote)
                    {
                        Fail(FindingCodes.Malformed, "has text after the closing quote of a field.");
                        return false;
                    }

                    // A CR inside an unquoted field is text (SidClaw quotes only fields with a comma, a quote or a LF).
                    field.Append('\r');
                    state = State.Unquoted;
                    return Step(c);
                case State.FieldStart when c == '"':
                    state = State.Quoted;
                    return true;
                default:
                    if (c == '"')
                    {
                        Fail(FindingCodes.Malformed, "has a quote inside an unquoted field.");
                        return false;
                    }

                    if (c is ',' or '\n' or '\r')
                    {
                        return AfterField(c, afterQuote: false);
                    }

                    field.Append(c);
                    state = State.Unquoted;
                    return true;
            }
        }

        bool AfterField(char c, bool afterQuote)
        {
            switch (c)
            {
                case ',':
                    fields.Add(field.ToString());
                    field.Clear();
                    state = State.FieldStart;
                    return true;
                case '\n':
                    EndRecord();
                    return true;
                case '\r':
                    state = State.Cr;
                    crWasAfterQuote = afterQuote;
                    return true;
                default:
                    Fail(FindingCodes.Malformed, "has text after the closing quote of a field.");
                    return false;
            }
        }

        void EndRecord()
        {
            var blank = fields.Count == 0 && field.Length == 0 && state is State.FieldStart or State.Cr && !crWasAfterQuote;
            fields.Add(field.ToString());
            field.Clear();
            state = State.FieldStart;
            crWasAfterQuote = false;
            recordChars = 0;
            if (!blank)
            {
                handler(fields, Count);
                Count++;
            }

            fields.Clear();
        }

        void Fail(string code, string message) =>
            Problem = (code, $"CSV record {Count.ToString(CultureInfo.InvariantCulture)} {message}");
    }
}
