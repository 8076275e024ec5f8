using System.Net.Sockets;
using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Newsletter.Sending;
using Newsletter.SmtpSink;

namespace Newsletter.Tests.Sending;

public sealed class FastSmtpSinkTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task AcceptsLargeDotStuffedMessagesAndCountsThemByMessageId(bool chunking)
    {
        await using var sink = new FastSmtpSink();
        using var client = await ConnectAsync(sink, chunking);

        await client.SendAsync(Message("one@test", "a@example.com", "b@example.com"));
        await client.SendAsync(Message("two@test", "c@example.com"));
        await client.SendAsync(Message("one@test", "a@example.com"));
        await client.DisconnectAsync(quit: true);

        Assert.Equal(3, sink.Accepted);
        Assert.Equal(4, sink.Recipients);
        Assert.Equal(2, sink.MessageIds["one@test"]);
        Assert.Equal(1, sink.MessageIds["two@test"]);
        Assert.Equal(1, sink.Duplicates);
        Assert.NotNull(sink.FirstAcceptedAt);
        Assert.True(sink.LastAcceptedAt >= sink.FirstAcceptedAt);
    }

    [Fact]
    public async Task AnswersPipelinedCommandsInOrder()
    {
        await using var sink = new FastSmtpSink();
        sink.RecipientReply = address => address.StartsWith("nobody", StringComparison.Ordinal) ? "550 5.1.1 No such user" : null;
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", sink.Port);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("220 ", await reader.ReadLineAsync());

        // One write holding a whole transaction, as a PIPELINING client sends it.
        await stream.WriteAsync("EHLO me\r\nMAIL FROM:<me@test>\r\nRCPT TO:<nobody@test>\r\nRCPT TO:<you@test>\r\nDATA\r\n"u8.ToArray());
        string[] expected = ["250-sink", "250-PIPELINING", "250-8BITMIME", "250-CHUNKING", "250 SIZE", "250 2.1.0", "550 5.1.1", "250 2.1.5", "354 "];
        foreach (var start in expected)
            Assert.StartsWith(start, await reader.ReadLineAsync());

        await stream.WriteAsync("Message-ID: <piped@test>\r\n\r\n..dot-stuffed\r\n.\r\nNOOP\r\nQUIT\r\n"u8.ToArray());
        Assert.StartsWith("250 2.0.0 OK queued", await reader.ReadLineAsync());
        Assert.StartsWith("250 ", await reader.ReadLineAsync());
        Assert.StartsWith("221 ", await reader.ReadLineAsync());
        Assert.Equal(1, sink.MessageIds["piped@test"]);
        Assert.Equal(1, sink.Recipients);
    }

    [Fact]
    public async Task TakesAMessageInSeveralChunksAndRefusesOneWithoutRecipients()
    {
        await using var sink = new FastSmtpSink();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", sink.Port);
        await using var stream = new NetworkStream(socket);
        using var reader = new StreamReader(stream, Encoding.ASCII);
        Assert.StartsWith("220 ", await reader.ReadLineAsync());

        // The header block split across chunks, a line starting with a dot left as it is, then a chunk
        // sent with no recipient, which the server must still read to the end before refusing it.
        var first = "Message-ID: <chun"u8.ToArray();
        var second = "ked@test>\r\nSubject: x\r\n\r\n.not stuffed\r\n"u8.ToArray();
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"EHLO me\r\nMAIL FROM:<me@test>\r\nRCPT TO:<you@test>\r\nBDAT {first.Length}\r\n"));
        await stream.WriteAsync(first);
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"BDAT {second.Length} LAST\r\n"));
        await stream.WriteAsync(second);
        await stream.WriteAsync("MAIL FROM:<me@test>\r\nBDAT 5 LAST\r\nhello"u8.ToArray());
        await stream.WriteAsync("QUIT\r\n"u8.ToArray());

        string[] expected = ["250-sink", "250-PIPELINING", "250-8BITMIME", "250-CHUNKING", "250 SIZE", "250 2.1.0", "250 2.1.5",
            "250 2.0.0 chunk OK", "250 2.0.0 OK queued", "250 2.1.0", "554 ", "221 "];
        foreach (var start in expected)
            Assert.StartsWith(start, await reader.ReadLineAsync());
        Assert.Equal(1, sink.Accepted);
        Assert.Equal(1, sink.MessageIds["chunked@test"]);
    }

    [Theory]
    [InlineData("451 4.7.1 Try again later", 451)]
    [InlineData("550 5.1.1 No such user", 550)]
    public async Task RefusedRecipientSurfacesAsSmtpCommandExceptionAndTheConnectionStaysUsable(string reply, int code)
    {
        await using var sink = new FastSmtpSink { RecipientReply = address => address == "refused@example.com" ? reply : null };
        using var client = await ConnectAsync(sink);

        var refused = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message("r@test", "refused@example.com")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, refused.ErrorCode);
        Assert.Equal(code, (int)refused.StatusCode);
        Assert.Equal("refused@example.com", refused.Mailbox?.Address);

        await client.SendAsync(Message("ok@test", "fine@example.com"));
        Assert.Equal(1, sink.Accepted);
        Assert.False(sink.MessageIds.ContainsKey("r@test"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task DropDuringDataLosesTheConnectionNotJustTheMessage(bool chunking)
    {
        await using var sink = new FastSmtpSink { DropDuringDataEvery = 2 };
        using var client = await ConnectAsync(sink, chunking);

        await client.SendAsync(Message("first@test", "a@example.com"));
        var lost = await Assert.ThrowsAnyAsync<Exception>(() => client.SendAsync(Message("second@test", "a@example.com")));

        Assert.IsNotType<SmtpCommandException>(lost);
        Assert.False(client.IsConnected);
        Assert.Equal(1, sink.Accepted);
        Assert.Equal(1, sink.Dropped);
        Assert.False(sink.MessageIds.ContainsKey("second@test"));
    }

    /// <param name="chunking">The engine's client, which sends with BDAT; otherwise MailKit's own, with DATA.</param>
    private static async Task<SmtpClient> ConnectAsync(FastSmtpSink sink, bool chunking = false)
    {
        var client = chunking ? new BulkSmtpClient() : new SmtpClient();
        await client.ConnectAsync("127.0.0.1", sink.Port, SecureSocketOptions.None);
        return client;
    }

    /// <summary>~40 KB of HTML with lines that start with a dot, so the transfer has to dot-stuff them.</summary>
    private static MimeMessage Message(string messageId, params string[] to)
    {
        var message = new MimeMessage { MessageId = messageId, Subject = "Sink test" };
        message.From.Add(MailboxAddress.Parse("sender@example.com"));
        foreach (var address in to)
            message.To.Add(MailboxAddress.Parse(address));
        var html = new StringBuilder();
        for (var i = 0; i < 600; i++)
            html.Append("<p>line ").Append(i).Append(" of the body, long enough to matter</p>\n.\n..\n");
        message.Body = new TextPart("html") { Text = html.ToString() };
        return message;
    }
}
