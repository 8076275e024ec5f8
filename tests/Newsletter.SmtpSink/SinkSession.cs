using System.Buffers;
using System.Buffers.Text;
using System.Net.Sockets;
using System.Text;

namespace Newsletter.SmtpSink;

/// <summary>
/// One connection of a <see cref="FastSmtpSink"/>: a single receive buffer scanned line by line in place.
/// Every reply produced by one receive is sent in one write, which keeps pipelined replies in order.
/// </summary>
internal sealed class SinkSession(FastSmtpSink sink, Socket socket)
{
    private const int BufferSize = 64 * 1024;

    private static readonly byte[] Greeting = "220 sink ESMTP ready\r\n"u8.ToArray();
    private static readonly byte[] EhloReply =
        "250-sink\r\n250-PIPELINING\r\n250-8BITMIME\r\n250-CHUNKING\r\n250 SIZE 104857600\r\n"u8.ToArray();
    private static readonly byte[] Ok = "250 2.0.0 OK\r\n"u8.ToArray();
    private static readonly byte[] SenderOk = "250 2.1.0 OK\r\n"u8.ToArray();
    private static readonly byte[] RecipientOk = "250 2.1.5 OK\r\n"u8.ToArray();
    private static readonly byte[] StartData = "354 End data with <CR><LF>.<CR><LF>\r\n"u8.ToArray();
    private static readonly byte[] Queued = "250 2.0.0 OK queued\r\n"u8.ToArray();
    private static readonly byte[] ChunkOk = "250 2.0.0 chunk OK\r\n"u8.ToArray();
    private static readonly byte[] BadChunk = "501 5.5.4 BDAT needs a size\r\n"u8.ToArray();
    private static readonly byte[] Bye = "221 2.0.0 Bye\r\n"u8.ToArray();
    private static readonly byte[] NoSender = "503 5.5.1 MAIL first\r\n"u8.ToArray();
    private static readonly byte[] NoRecipients = "554 5.5.1 No valid recipients\r\n"u8.ToArray();
    private static readonly byte[] Unknown = "502 5.5.2 Command not recognised\r\n"u8.ToArray();
    private static readonly byte[] TooLong = "500 5.5.2 Line too long\r\n"u8.ToArray();

    private readonly byte[] _in = new byte[BufferSize];
    private readonly ArrayBufferWriter<byte> _out = new(4096);
    private readonly ArrayBufferWriter<byte> _headerStart = new(256);
    private int _start;
    private int _end;

    private bool _inData;
    // BDAT (RFC 3030): this many bytes of the current chunk are still to come; no dot-stuffing, no end line.
    private long _chunkLeft;
    private bool _lastChunk;
    private bool _inChunkedMessage;
    private bool _inHeaders;
    private bool _readingMessageId;
    // The current line began before the part of the buffer in hand (it was too long to keep).
    private bool _midLine;
    private bool _dropThisMessage;
    private bool _hasSender;
    private int _recipients;
    private string? _messageId;

    private enum Next
    {
        Read,
        Quit,
        Drop,
    }

    public void Abort()
    {
        try
        {
            socket.Close(0);
        }
        catch (ObjectDisposedException)
        {
            // Already closed by its own loop.
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            _out.Write(Greeting);
            while (true)
            {
                if (_out.WrittenCount > 0)
                {
                    await SendAllAsync(_out.WrittenMemory, cancellationToken);
                    _out.ResetWrittenCount();
                }
                Compact();
                var read = await socket.ReceiveAsync(_in.AsMemory(_end), SocketFlags.None, cancellationToken);
                if (read == 0)
                    break;
                _end += read;
                var next = Process();
                if (next == Next.Drop)
                {
                    sink.NoteDropped();
                    // Linger 0: a reset, as when a relay's process dies, not a polite FIN.
                    socket.Close(0);
                    return;
                }
                if (next == Next.Quit)
                {
                    await SendAllAsync(_out.WrittenMemory, cancellationToken);
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The peer went away or the sink is stopping: nothing to answer.
        }
        socket.Dispose();
    }

    private async Task SendAllAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        while (!data.IsEmpty)
        {
            var sent = await socket.SendAsync(data, SocketFlags.None, cancellationToken);
            data = data[sent..];
        }
    }

    /// <summary>Moves the unfinished line to the front; a line longer than the buffer is dropped unread.</summary>
    private void Compact()
    {
        if (_start == _end)
        {
            _start = _end = 0;
            return;
        }
        if (_start == 0 && _end == _in.Length)
        {
            // Only a body line can be this long; its bytes are not needed, only where it ends.
            _midLine = true;
            if (!_inData)
                _out.Write(TooLong);
            _start = _end = 0;
            return;
        }
        if (_start > 0)
        {
            Buffer.BlockCopy(_in, _start, _in, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }
    }

    private Next Process()
    {
        while (true)
        {
            if ((_inData || _chunkLeft > 0) && _dropThisMessage)
                return _start < _end ? Next.Drop : Next.Read;
            if (_chunkLeft > 0 && !ChunkBytes())
                return Next.Read;

            var pending = _in.AsSpan(_start, _end - _start);
            var newline = pending.IndexOf((byte)'\n');
            if (newline < 0)
                return Next.Read;
            var line = pending[..newline];
            if (!line.IsEmpty && line[^1] == '\r')
                line = line[..^1];
            _start += newline + 1;
            var wholeLine = !_midLine;
            _midLine = false;

            if (_inData)
            {
                if (wholeLine)
                    DataLine(line);
                continue;
            }
            if (wholeLine && Command(line) == Next.Quit)
                return Next.Quit;
        }
    }

    private void DataLine(ReadOnlySpan<byte> line)
    {
        if (line.Length == 1 && line[0] == '.')
        {
            _inData = false;
            MessageEnds();
            return;
        }
        HeaderLine(line);
    }

    private void MessageEnds()
    {
        sink.NoteAccepted(_messageId, _recipients);
        _out.Write(Queued);
        ResetTransaction();
    }

    /// <summary>
    /// Takes what has arrived of the current chunk: header lines read, the body skipped unread. True once
    /// the chunk is done.
    /// </summary>
    private bool ChunkBytes()
    {
        while (_chunkLeft > 0 && _start < _end)
        {
            var available = _in.AsSpan(_start, (int)Math.Min(_chunkLeft, _end - _start));
            var take = available.Length;
            if (_inHeaders)
            {
                // A header line may run across chunks: its start waits in _headerStart.
                var newline = available.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    _headerStart.Write(available);
                }
                else
                {
                    take = newline + 1;
                    _headerStart.Write(available[..newline]);
                    var line = _headerStart.WrittenSpan;
                    HeaderLine(!line.IsEmpty && line[^1] == '\r' ? line[..^1] : line);
                    _headerStart.ResetWrittenCount();
                }
            }
            _start += take;
            _chunkLeft -= take;
        }
        if (_chunkLeft > 0)
            return false;
        if (!_lastChunk)
        {
            _out.Write(ChunkOk);
            return true;
        }
        _inChunkedMessage = false;
        if (_hasSender && _recipients > 0)
        {
            MessageEnds();
        }
        else
        {
            _out.Write(NoRecipients);
            ResetTransaction();
        }
        return true;
    }

    private void HeaderLine(ReadOnlySpan<byte> line)
    {
        if (!_inHeaders)
            return;
        if (line.IsEmpty)
        {
            _inHeaders = false;
            return;
        }
        if (line[0] is (byte)' ' or (byte)'\t')
        {
            // A folded header continues; only the Message-ID's folds matter.
            if (_readingMessageId)
                _messageId = TrimId(_messageId + Encoding.ASCII.GetString(line));
            return;
        }
        _readingMessageId = line.Length > 11 && Ascii.EqualsIgnoreCase(line[..11], "Message-ID:"u8);
        if (_readingMessageId)
            _messageId = TrimId(Encoding.ASCII.GetString(line[11..]));
    }

    private Next Command(ReadOnlySpan<byte> line)
    {
        var verb = line.Length >= 4 ? line[..4] : line;
        if (Ascii.EqualsIgnoreCase(verb, "EHLO"u8))
        {
            ResetTransaction();
            _out.Write(EhloReply);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "HELO"u8))
        {
            ResetTransaction();
            _out.Write(Ok);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "MAIL"u8))
        {
            ResetTransaction();
            _hasSender = true;
            _out.Write(SenderOk);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "RCPT"u8))
        {
            Recipient(line);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "DATA"u8))
        {
            if (!_hasSender || _recipients == 0)
            {
                _out.Write(NoRecipients);
                return Next.Read;
            }
            _dropThisMessage = sink.ShouldDropNextData();
            _inData = true;
            _inHeaders = true;
            _out.Write(StartData);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "BDAT"u8))
        {
            Chunk(line);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "RSET"u8))
        {
            ResetTransaction();
            _out.Write(Ok);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "NOOP"u8))
        {
            _out.Write(Ok);
        }
        else if (Ascii.EqualsIgnoreCase(verb, "QUIT"u8))
        {
            _out.Write(Bye);
            return Next.Quit;
        }
        else
        {
            _out.Write(Unknown);
        }
        return Next.Read;
    }

    /// <summary>BDAT size [LAST]: the chunk's bytes follow the command line at once.</summary>
    private void Chunk(ReadOnlySpan<byte> line)
    {
        // Parsed in place: one BDAT per message, on the benchmark's hot path.
        var arguments = line[4..].TrimStart((byte)' ');
        var sizeEnd = arguments.IndexOf((byte)' ');
        var sizeText = sizeEnd < 0 ? arguments : arguments[..sizeEnd];
        if (!Utf8Parser.TryParse(sizeText, out long size, out var used) || used != sizeText.Length || size < 0)
        {
            _out.Write(BadChunk);
            return;
        }
        _lastChunk = sizeEnd >= 0 && Ascii.EqualsIgnoreCase(arguments[sizeEnd..].Trim((byte)' '), "LAST"u8);
        if (!_inChunkedMessage)
        {
            _inChunkedMessage = true;
            _inHeaders = true;
            _dropThisMessage = _hasSender && _recipients > 0 && sink.ShouldDropNextData();
        }
        _chunkLeft = size;
        if (size == 0)
            ChunkBytes();
    }

    private void Recipient(ReadOnlySpan<byte> line)
    {
        if (!_hasSender)
        {
            _out.Write(NoSender);
            return;
        }
        var decide = sink.RecipientReply;
        var reply = decide is null ? null : decide(AddressOf(line));
        if (reply is null)
        {
            _recipients++;
            _out.Write(RecipientOk);
            return;
        }
        _out.Write(Encoding.ASCII.GetBytes(reply.TrimEnd('\r', '\n') + "\r\n"));
    }

    private void ResetTransaction()
    {
        _hasSender = false;
        _recipients = 0;
        _messageId = null;
        _readingMessageId = false;
        _dropThisMessage = false;
        _inChunkedMessage = false;
        _headerStart.ResetWrittenCount();
    }

    private static string AddressOf(ReadOnlySpan<byte> line)
    {
        var open = line.IndexOf((byte)'<');
        var close = line.LastIndexOf((byte)'>');
        var address = open >= 0 && close > open ? line[(open + 1)..close] : line[Math.Min(line.Length, 8)..];
        return Encoding.UTF8.GetString(address).Trim();
    }

    private static string TrimId(string value) => value.Trim().TrimStart('<').TrimEnd('>');
}
