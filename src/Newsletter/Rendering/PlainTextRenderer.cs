using System.Globalization;
using Newsletter.Content;

namespace Newsletter.Rendering;

/// <summary>
/// The text/plain alternative, written from the models rather than by stripping the HTML: a reader of
/// the text part gets the same letter, contents, sections, links (as <c>text (url)</c>) and footer.
/// </summary>
internal static class PlainTextRenderer
{
    public static string Issue(IssueEmailModel model)
    {
        var issue = model.Issue;
        var w = new PlainTextWriter();
        Header(w, model);
        w.Title(issue.Title);
        if (Byline(issue, model.Body.ReadingMinutes) is { Length: > 0 } byline)
        {
            w.Line(byline).Line();
        }

        Blocks(w, model.Body.Intro);
        if (issue.Sections.Count > 0)
        {
            w.Heading("In this issue");
            var n = 1;
            w.Verbatim(string.Join('\n', issue.Sections.Select(s => $"{n++}. {s.Title}")));
        }

        var number = 1;
        foreach (var section in issue.Sections)
        {
            w.Rule().Heading($"{number++}. {section.Title}");
            if (section.ContentLink is { } link)
            {
                w.Paragraph($"Source: {link.Url}");
            }

            Blocks(w, model.Body.BlocksOf(section));
        }

        if (issue.Links.Count > 0)
        {
            w.Rule().Heading("All links");
            var n = 1;
            w.Verbatim(string.Join('\n', issue.Links.Select(l => l.Text == l.Url ? $"{n++}. {l.Url}" : $"{n++}. {l.Text}\n   {l.Url}")));
        }

        if (issue.SignOff.Count > 0)
        {
            w.Rule().Paragraph(string.Join('\n', issue.SignOff));
        }

        Footer(w, model);
        return w.ToString();
    }

    public static string Confirmation(ConfirmationEmailModel model)
    {
        var w = new PlainTextWriter();
        Header(w, model);
        w.Title("Confirm your subscription")
            .Paragraph($"Someone, hopefully you, asked to subscribe this address to {model.SubscribedList}. To confirm, open this link:")
            .Paragraph(model.ConfirmUrl)
            .Paragraph($"The link works until {model.LinkExpires}.")
            .Paragraph("If you did not ask for this, ignore this mail: without confirmation you will not hear from us again.");
        Footer(w, model);
        return w.ToString();
    }

    public static string Welcome(WelcomeEmailModel model)
    {
        var w = new PlainTextWriter();
        Header(w, model);
        w.Title($"Welcome to {model.SubscribedList}")
            .Paragraph($"Hi {MergeTokens.Name}, your subscription is confirmed.")
            .Paragraph("You will get one issue a week: a short letter, then the stories worth your time, each with a link to the source and a few notes on why it matters.")
            .Paragraph($"Past issues: {model.ArchiveUrl}")
            .Paragraph("If this mail landed in a spam or promotions folder, moving it to your inbox helps the next issues arrive there.");
        Footer(w, model);
        return w.ToString();
    }

    public static string Byline(Issue issue, int readingMinutes)
    {
        var parts = new List<string>();
        if (issue.Date is { } date)
        {
            parts.Add(date.ToString("d MMMM yyyy", CultureInfo.InvariantCulture));
        }

        if (issue.Author is { } author)
        {
            parts.Add("by " + author);
        }

        parts.Add($"{readingMinutes} min read");
        return string.Join(" · ", parts);
    }

    private static void Blocks(PlainTextWriter w, IReadOnlyList<RenderedBlock> blocks)
    {
        foreach (var block in blocks)
        {
            switch (block.Block)
            {
                case QuoteBlock:
                    w.Paragraph(block.Text, "> ");
                    break;
                case NoteBlock:
                    w.Paragraph("→ Note: " + block.Text);
                    break;
                case HeadingBlock:
                    w.Line(block.Text.ToUpperInvariant()).Line();
                    break;
                case ImageBlock image:
                    w.Paragraph($"[Image: {(image.Alt.Length > 0 ? image.Alt : "untitled")}] ({image.Source})");
                    break;
                case CodeBlock:
                    w.Verbatim(block.Text, "    ");
                    break;
                case ListBlock or TableBlock:
                    w.Verbatim(block.Text);
                    break;
                default:
                    if (block.Text.Length > 0)
                    {
                        w.Paragraph(block.Text);
                    }

                    break;
            }
        }
    }

    private static void Header(PlainTextWriter w, EmailModel model)
    {
        w.Line(model.HeaderNote is { } note ? $"{model.ListName} · {note}" : model.ListName);
        if (model.HasWebVersion)
        {
            w.Line($"Read it in your browser: {model.WebVersionUrl}");
        }

        w.Line();
    }

    private static void Footer(PlainTextWriter w, EmailModel model)
    {
        w.Line().Line("-- ").Paragraph(model.Why);
        if (model.HasListLinks)
        {
            w.Line($"Unsubscribe: {model.UnsubscribeUrl}")
                .Line($"Preferences: {model.PreferencesUrl}");
        }

        w.Line().Line(model.ListName).Line(model.PostalAddress);
    }
}
