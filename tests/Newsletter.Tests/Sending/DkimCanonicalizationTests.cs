using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Newsletter.Mail;
using Newsletter.Sending;

namespace Newsletter.Tests.Sending;

/// <summary>The relaxed algorithms against the worked example of RFC 6376 §3.4.5.</summary>
public sealed class DkimCanonicalizationTests
{
    [Theory]
    [InlineData("A", " X\r\n", "a:X\r\n")]
    [InlineData("B", " Y\t\r\n\tZ  \r\n", "b:Y Z\r\n")]
    [InlineData("Subject", "   \r\n", "subject:\r\n")]
    public void HeadersAreUnfoldedWithWhitespaceRunsAsOneSpace(string field, string rawValue, string expected)
    {
        var output = new ArrayBufferWriter<byte>();
        DkimCanonicalization.WriteHeader(field, Encoding.ASCII.GetBytes(rawValue), output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Fact]
    public void TheDkimSignatureHeaderIsHashedWithoutItsLineBreak()
    {
        var output = new ArrayBufferWriter<byte>();
        DkimCanonicalization.WriteHeader("DKIM-Signature", " v=1;\r\n\tb="u8, output, lineBreak: false);
        Assert.Equal("dkim-signature:v=1; b=", Encoding.ASCII.GetString(output.WrittenSpan));
    }

    [Theory]
    [InlineData(" C \r\nD \t E\r\n\r\n\r\n", " C\r\nD E\r\n")]
    [InlineData("already canonical\r\n", "already canonical\r\n")]
    [InlineData("no final line break", "no final line break\r\n")]
    [InlineData("tab\tinside  \r\n \t\r\n", "tab inside\r\n")]
    [InlineData("\r\n\r\n", "")]
    [InlineData("", "")]
    public void BodyHashIsTheHashOfTheRelaxedBody(string body, string canonical)
    {
        Assert.Equal(SHA256.HashData(Encoding.ASCII.GetBytes(canonical)), DkimCanonicalization.HashBody(Encoding.ASCII.GetBytes(body)));
    }
}
