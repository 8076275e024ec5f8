using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Tests.Infrastructure;
using Newsletter.Tests.Rendering;

namespace Newsletter.Tests.Sending;

/// <summary>Signed messages checked by an independent verifier: Debian's python3-dkim, with the key given instead of DNS.</summary>
[Collection(RenderingCollection.Name)]
public sealed class DkimSigningTests(RenderingFixture fixture) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("dkim").FullName;

    [Fact]
    public async Task SignedIssueVerifiesWithPythonDkimAndCoversTheUnsubscribeHeaders()
    {
        using var rsa = RSA.Create(2048);
        var signing = await SigningWithAsync(rsa.ExportPkcs8PrivateKeyPem());
        var sam = RenderingFixture.Sam;
        var message = new IssueMessageBuilder(RenderingFixture.Options).Build(
            new Personalizer(fixture.Rendered), sam, new MessageRecipient(sam.Email, sam.Name, sam.UnsubscribeUrl),
            messageId: "send1.42@news.example.com");

        signing.Sign(message);
        var emlPath = Path.Combine(_directory, "signed.eml");
        await message.WriteToAsync(emlPath);

        var signature = message.Headers["DKIM-Signature"]!.Replace(" ", "").ToLowerInvariant();
        Assert.Contains("list-unsubscribe:list-unsubscribe-post", signature);
        Assert.Equal("verified", await VerifyAsync(emlPath, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())));
    }

    [Fact]
    public async Task TamperedBodyFailsVerification()
    {
        using var rsa = RSA.Create(2048);
        var signing = await SigningWithAsync(rsa.ExportRSAPrivateKeyPem());
        var sam = RenderingFixture.Sam;
        var message = new IssueMessageBuilder(RenderingFixture.Options).Build(
            new Personalizer(fixture.Rendered), sam, new MessageRecipient(sam.Email, sam.Name, sam.UnsubscribeUrl));
        signing.Sign(message);
        var emlPath = Path.Combine(_directory, "tampered.eml");
        await message.WriteToAsync(emlPath);
        var text = await File.ReadAllTextAsync(emlPath);
        await File.WriteAllTextAsync(emlPath, text.Replace("Sam", "Pam"));

        Assert.Equal("failed", await VerifyAsync(emlPath, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())));
    }

    [Fact]
    public async Task WhitespaceRunsInTheBodyAndFoldedHeadersStillVerify()
    {
        using var rsa = RSA.Create(2048);
        var signing = await SigningWithAsync(rsa.ExportPkcs8PrivateKeyPem());
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Weekly", "news@news.example.com"));
        message.To.Add(new MailboxAddress("Zoë Ünal", "zoe@example.org"));
        message.Subject = "A subject long enough to be folded over several lines, with non-ASCII: Grüße aus Köln, ça va, 東京";
        // 7-bit as written: tabs, runs of spaces, a space before a line break and blank lines at the end are
        // what the relaxed body algorithm rewrites before hashing.
        message.Body = new TextPart("plain")
        {
            Text = "Two  spaces,\ta tab, trailing space \r\n\r\n  indented line\r\n\r\n\r\n",
            ContentTransferEncoding = ContentEncoding.SevenBit,
        };

        signing.Sign(message);
        var emlPath = Path.Combine(_directory, "whitespace.eml");
        await message.WriteToAsync(emlPath);

        Assert.Contains("  spaces", await File.ReadAllTextAsync(emlPath));
        Assert.Equal("verified", await VerifyAsync(emlPath, Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo())));
    }

    private async Task<DkimSigning> SigningWithAsync(string privateKeyPem)
    {
        var keyPath = Path.Combine(_directory, "dkim.pem");
        await File.WriteAllTextAsync(keyPath, privateKeyPem);
        return new DkimSigning(Options.Create(new DkimOptions
        {
            Domain = "news.example.com", Selector = "nl2026", PrivateKeyPath = keyPath,
        }));
    }

    private static async Task<string> VerifyAsync(string emlPath, string publicKey)
    {
        await SystemPackages.RequireAsync("python3-dkim");
        const string script = """
            import sys, dkim
            key = sys.argv[2].encode()
            with open(sys.argv[1], 'rb') as f:
                message = f.read()
            ok = dkim.verify(message, dnsfunc=lambda name, timeout=5: b'v=DKIM1; k=rsa; p=' + key)
            print('verified' if ok else 'failed')
            """;
        var start = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "-c", script, emlPath, publicKey })
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"python3-dkim failed: {error}");
        return output.Trim();
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
