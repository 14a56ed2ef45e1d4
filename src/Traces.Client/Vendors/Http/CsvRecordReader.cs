using System.Text;

namespace Traces.Client.Vendors.Http;

/// <summary>
/// Reads RFC 4180 records from a text stream one at a time, never holding more than one record: fields separated by
/// commas, quoted fields with doubled quotes and embedded line breaks, records ended by LF or CRLF (SidClaw writes LF
/// and no final line break). Empty lines are skipped. A quote that is never closed, or text after a closing quote,
/// is a <see cref="FormatException"/>.
/// </summary>
internal sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private long _line = 1;

    public CsvRecordReader(TextReader reader) => _reader = reader;

    /// <summary>The next record, or <c>null</c> at the end.</summary>
    public async ValueTask<IReadOnlyList<string>?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
            {
                return null;
            }

            if (_buffer[_position] is '\n' or '\r')
            {
                // An empty line.
                await SkipLineBreakAsync(cancellationToken).ConfigureAwait(false);
                continue;
            }

            break;
        }

        var fields = new List<string>();
        var startLine = _line;
        while (true)
        {
            _field.Clear();
            var quoted = await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '"';
            if (quoted)
            {
                _position++;
                await ReadQuotedAsync(startLine, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                while (await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] is not (',' or '\n' or '\r'))
                {
                    if (_buffer[_position] == '"')
                    {
                        throw new FormatException($"CSV line {_line}: a quote inside an unquoted field.");
                    }

                    _field.Append(_buffer[_position++]);
                }
            }

            fields.Add(_field.ToString());
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
            {
                return fields;
            }

            var separator = _buffer[_position];
            if (separator == ',')
            {
                _position++;
                continue;
            }

            if (separator is '\n' or '\r')
            {
                await SkipLineBreakAsync(cancellationToken).ConfigureAwait(false);
                return fields;
            }

            throw new FormatException($"CSV line {_line}: text after a closing quote.");
        }
    }

    private async ValueTask ReadQuotedAsync(long startLine, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (!await EnsureAsync(cancellationToken).ConfigureAwait(false))
            {
                throw new FormatException($"CSV: the quoted field opened on line {startLine} is never closed (the export ended early).");
            }

            var c = _buffer[_position++];
            if (c != '"')
            {
                if (c == '\n')
                {
                    _line++;
                }

                _field.Append(c);
                continue;
            }

            if (await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '"')
            {
                _field.Append('"');
                _position++;
                continue;
            }

            return;
        }
    }

    private async ValueTask SkipLineBreakAsync(CancellationToken cancellationToken)
    {
        if (_buffer[_position] == '\r')
        {
            _position++;
            if (await EnsureAsync(cancellationToken).ConfigureAwait(false) && _buffer[_position] == '\n')
            {
                _position++;
            }
        }
        else
        {
            _position++;
        }

        _line++;
    }

    private async ValueTask<bool> EnsureAsync(CancellationToken cancellationToken)
    {
        if (_position < _length)
        {
            return true;
        }

        _length = await _reader.ReadAsync(_buffer.AsMemory(), cancellationToken).ConfigureAwait(false);
        _position = 0;
        return _length > 0;
    }
}
