using System.CommandLine;
using System.Reflection;
using System.Text;
using Microsoft.Extensions.Options;
using MimeKit;
using Newsletter.Configuration;
using Newsletter.Content;
using Newsletter.Mail;
using Newsletter.Rendering;
using Newsletter.Sending;
using Newsletter.Storage;
using Newsletter.Subscribers;

namespace Newsletter.Server.Cli;

/// <summary>
/// <c>render &lt;issue.md&gt; --out &lt;dir&gt;</c>: renders an issue as a sample subscriber gets it
/// (email.html, email.txt, email.eml) without a database: the message a subscriber gets, built and
/// DKIM-signed by the same code as a send, only the reader is a sample one. All three files appear, or none do.
/// </summary>
public static class RenderCommand
{
    // The author's preview shows the same sample reader.
    public const string SampleName = IssuePreviews.SampleName;
    public const string SampleAddress = IssuePreviews.SampleAddress;

    /// <param name="operatingAssembly">
    /// The assembly Razor compiles templates against; the entry assembly unless a host (a test) runs the verb in-process.
    /// </param>
    public static Command Create(Assembly? operatingAssembly = null)
    {
        var issueArgument = new Argument<FileInfo>("issue") { Description = "The issue's Markdown file." }.AcceptExistingOnly();
        var outOption = new Option<string>("--out") { Description = "Folder for email.html, email.txt and email.eml.", Required = true };
        var templatesOption = new Option<string?>("--templates") { Description = "The templates folder (default: found from the current folder upward)." };
        var command = new Command("render", "Render an issue to HTML, text and a complete .eml for a sample subscriber.")
        {
            issueArgument,
            outOption,
            templatesOption,
        };

        command.SetAction(async (parseResult, cancellationToken) =>
        {
            var issueFile = parseResult.GetValue(issueArgument)!;
            var outDir = parseResult.GetValue(outOption)!;
            var (options, templates, dkim) = ReadConfiguration(parseResult.GetValue(templatesOption));
            var files = await RenderAsync(
                issueFile.FullName, options, dkim, new MailRenderer(options, templates, operatingAssembly), cancellationToken);
            await WriteAllOrNothingAsync(outDir, files, cancellationToken);
            await parseResult.InvocationConfiguration.Output.WriteLineAsync($"Wrote {string.Join(", ", files.Keys)} to {Path.GetFullPath(outDir)}");
            return 0;
        });
        return command;
    }

    /// <exception cref="StartupException">A setting does not convert to its type.</exception>
    /// <exception cref="TemplateException">No templates folder.</exception>
    private static (NewsletterOptions Options, string Templates, DkimOptions Dkim) ReadConfiguration(string? templatesPath)
    {
        try
        {
            using var options = CliConfiguration.Load().ValidatedOptions();
            var templates = TemplateDirectory.Locate(templatesPath ?? options.Options<RenderingOptions>().TemplatesPath);
            return (options.Options<NewsletterOptions>(), templates, options.Options<DkimOptions>());
        }
        catch (InvalidOperationException e)
        {
            throw new StartupException(e.Message, e);
        }
    }

    private static async Task<Dictionary<string, byte[]>> RenderAsync(
        string issuePath, NewsletterOptions options, DkimOptions dkim, MailRenderer renderer, CancellationToken cancellationToken = default)
    {
        var issue = await new IssueReader().ReadAsync(issuePath, cancellationToken);
        var rendered = await renderer.RenderIssueAsync(issue, cancellationToken);
        // No database here, so no token secret: the links are signed with a throwaway one. They have the
        // real routes and shape, but open nothing.
        var links = new SubscriptionLinks(SubscriptionTokens.FromSecret(new byte[32]), Options.Create(options));
        var builder = new IssueMessageBuilder(options, dkim.Enabled ? new DkimSigning(Options.Create(dkim)) : null);
        using var message = DeliveryMessageFactory.Copy(
            rendered, issue.Slug, new MailboxAddress(SampleName, SampleAddress), builder, links, options.PublicUrl);

        using var eml = new MemoryStream();
        await message.WriteToAsync(eml, cancellationToken);
        // The HTML and text files are the .eml's own parts, decoded.
        eml.Position = 0;
        using var sent = await MimeMessage.LoadAsync(eml, cancellationToken);
        return new Dictionary<string, byte[]>
        {
            ["email.html"] = Encoding.UTF8.GetBytes(sent.HtmlBody ?? ""),
            ["email.txt"] = Encoding.UTF8.GetBytes(sent.TextBody ?? ""),
            ["email.eml"] = eml.ToArray(),
        };
    }

    /// <summary>Writes every file under a temporary name first, then renames them into place.</summary>
    private static async Task WriteAllOrNothingAsync(string outDir, Dictionary<string, byte[]> files, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outDir);
        var suffix = $".{Environment.ProcessId}.tmp";
        try
        {
            foreach (var (name, content) in files)
            {
                await File.WriteAllBytesAsync(Path.Combine(outDir, name + suffix), content, cancellationToken);
            }

            foreach (var name in files.Keys)
            {
                File.Move(Path.Combine(outDir, name + suffix), Path.Combine(outDir, name), overwrite: true);
            }
        }
        finally
        {
            foreach (var name in files.Keys)
            {
                File.Delete(Path.Combine(outDir, name + suffix));
            }
        }
    }
}
