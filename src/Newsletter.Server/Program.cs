using System.CommandLine;
using Newsletter.Server.Cli;
using Newsletter.Content;
using Newsletter.Sending;
using Newsletter.Storage;

var root = new RootCommand("Newsletter: write an issue in Markdown, send it to your subscribers.")
{
    DemoCommand.Create(),
    ServeCommand.Create(),
    HashPasswordCommand.Create(),
    RenderCommand.Create(),
    ListsCommand.Create(),
    SubscribersCommand.Create(),
    IssuesCommand.Create(),
    SendCommand.Create(),
    SendsCommand.Create(),
    ScheduleCommand.Create(),
    CompileTemplatesCommand.Create(),
};
try
{
    // Start-up failures are explained below in one paragraph, not as the default handler's stack trace.
    return await root.Parse(args).InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
}
catch (StartupException e)
{
    Console.Error.WriteLine($"newsletter: {e.Message}");
    return 2;
}
catch (Exception e) when (e is SendRequestException or IssueFormatException)
{
    Console.Error.WriteLine($"newsletter: {e.Message}");
    return 1;
}
